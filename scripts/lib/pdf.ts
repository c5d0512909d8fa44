/**
 * PDFs of finished pages, printed by the test browser (./browser.ts) with the network blocked:
 * each page is opened from disk, its charts are awaited, charts are fitted to the paper (the same
 * step the page runs before a user's own print), and Chromium prints it on A4 with the page's print
 * stylesheet (navigation hidden, code wrapped) and page numbers in the footer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchOffline } from './browser';

export interface PrintJob {
  html: string;
  pdf: string;
  title: string;
}

export interface PrintResult extends PrintJob {
  bytes: number;
  pages: number;
  charts: number;
  drawn: number;
}

/** Prints each page to its PDF; throws when a page's charts do not draw or the page asks the network for anything. */
export async function printPdfs(jobs: PrintJob[]): Promise<PrintResult[]> {
  if (jobs.length === 0) return [];
  const browser = await launchOffline({ width: 1000, height: 1200 });
  const results: PrintResult[] = [];
  try {
    for (const job of jobs) {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(job.html).href, { waitUntil: 'load', timeout: 120_000 });
      const charts = await page.locator('[data-bp-plot]').count();
      await page
        .waitForFunction(
          (n) => document.querySelectorAll('[data-bp-plot] .js-plotly-plot svg.main-svg').length >= n,
          charts,
          { timeout: 60_000 },
        )
        .catch(() => undefined);
      const drawn = await page.evaluate(() => document.querySelectorAll('[data-bp-plot] .js-plotly-plot').length);
      if (drawn < charts) throw new Error(`pdf: ${job.html}: ${drawn} of ${charts} charts drew`);
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => {
        const rt = (window as unknown as { __bpPlotly?: { beforePrint(): Promise<unknown> } }).__bpPlotly;
        return rt ? rt.beforePrint() : undefined;
      });
      await page.waitForTimeout(100);
      fs.mkdirSync(path.dirname(job.pdf), { recursive: true });
      await page.pdf({
        path: job.pdf,
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate:
          '<div style="width:100%;font:8px system-ui,sans-serif;color:#6b7280;padding:0 14mm;display:flex;justify-content:space-between;">' +
          `<span>${job.title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</span>` +
          '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>',
      });
      await page.close();
      if (errors.length) throw new Error(`pdf: ${job.html}: page errors: ${errors.join('; ')}`);
      const bytes = fs.statSync(job.pdf).size;
      const pages = (fs.readFileSync(job.pdf, 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      results.push({ ...job, bytes, pages, charts, drawn });
    }
    if (browser.blocked.length) throw new Error(`pdf: pages asked the network for ${browser.blocked.slice(0, 3).join(', ')}`);
  } finally {
    await browser.close();
  }
  return results;
}
