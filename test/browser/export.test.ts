/**
 * Opens every page `npm run export` wrote (the course's teacher pages and student handouts, and
 * the fixture course's pages and graded reports written by test/notebooks/coursework.test.ts) from
 * disk in headless Chromium with the network blocked, and checks what a teacher would: each page
 * is at most 2 MB; every chart drew; every formula is typeset (no TeX errors, no raw TeX left in
 * the prose); no page error; nothing asked the network; the table of contents and the previous /
 * next / index links lead somewhere; printed (A4 width, print stylesheet) the navigation is hidden
 * and charts and code stay inside the margins. Also: the index pages link every page, handout, PDF
 * and notebook; the PDFs exist; the executed copies stay under 1 MB and their checks pass.
 * Screenshots: build/screenshots/export-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCheckLine } from '../../src/notebook/check';
import { launchBrowser, type Browser } from '../support/browser';
import { BUILD, FIXTURE_SITE, HTML_DIR, ROOT, SCREENSHOT_DIR } from '../support/jupyter';

const MAX_PAGE_BYTES = 2_000_000;
const MAX_NOTEBOOK_BYTES = 1_000_000;
/** The printable width of an A4 page with the print stylesheet's 14 mm side margins, in CSS pixels. */
const A4_PRINT_WIDTH = Math.floor(((210 - 2 * 14) / 25.4) * 96);

interface PageStats { bytes: number; charts: number; formulas: number; bundle: string | null }
interface Row {
  stem: string; title: string; executed: string; executedBytes: number;
  teacher: string; handout: string; studentNotebook: string; pdf: string | null;
  teacherPage: PageStats; handoutPage: PageStats;
}
interface Site { name: string; html: string; rows: Row[] }

function loadSite(name: string, htmlDir: string): Site | null {
  const f = path.join(htmlDir, 'export-summary.json');
  if (!fs.existsSync(f)) return null;
  return { name, html: htmlDir, rows: (JSON.parse(fs.readFileSync(f, 'utf8')) as { notebooks: Row[] }).notebooks };
}

const sites = [loadSite('course', HTML_DIR), loadSite('fixture', path.join(FIXTURE_SITE, 'html'))].filter((s): s is Site => s !== null);
const course = sites.find((s) => s.name === 'course');

interface PageCase { site: string; kind: 'teacher' | 'handout' | 'graded'; file: string; stats?: PageStats }
const pages: PageCase[] = [];
for (const s of sites) {
  for (const r of s.rows) {
    pages.push({ site: s.name, kind: 'teacher', file: path.resolve(s.html, r.teacher), stats: r.teacherPage });
    pages.push({ site: s.name, kind: 'handout', file: path.resolve(s.html, r.handout), stats: r.handoutPage });
  }
}
const gradedDir = path.join(FIXTURE_SITE, 'graded');
if (fs.existsSync(gradedDir)) {
  for (const e of fs.readdirSync(gradedDir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.html') && e.name !== 'index.html') {
      pages.push({ site: 'fixture', kind: 'graded', file: path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name) });
    }
  }
}

/** Raw TeX that must not be visible in rendered prose once math is typeset. */
const RAW_TEX = /\$\$|\\(frac|partial|sum|prod|mathbf|mathrm|begin|end|left|right|cdot|odot|delta|sigma|hat|top)\b/;

describe('exported pages, opened from disk offline', () => {
  let browser: Browser;
  before(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('npm run export has produced the course pages', () => {
    assert.ok(course && course.rows.length > 0, `${path.join(HTML_DIR, 'export-summary.json')} is missing or empty: run 'npm run export' first`);
  });

  for (const s of sites) {
    test(`${s.name}: the index pages link every teacher page, handout, PDF and notebook, and show what each teaches`, async () => {
      const tracked = await browser.newPage();
      const { page } = tracked;
      for (const [index, variant] of [[path.join(s.html, 'index.html'), 'teacher'], [path.join(s.html, '..', 'student', 'html', 'index.html'), 'student']] as const) {
        await page.goto(pathToFileURL(index).href);
        const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
        for (const href of links) {
          const file = decodeURIComponent(new URL(href).pathname);
          assert.ok(fs.existsSync(file), `${path.relative(ROOT, index)} links to ${path.relative(ROOT, file)}, which exists`);
        }
        const rows = await page.$$eval('tr[data-stem]', (trs) => trs.map((tr) => ({ stem: tr.getAttribute('data-stem'), text: (tr as HTMLElement).innerText })));
        assert.deepEqual(rows.map((r) => r.stem), s.rows.map((r) => r.stem), 'one row per notebook, in order');
        for (const r of rows) assert.ok(r.text.length > 40, `row ${r.stem} says what it teaches (or why it cannot): ${r.text}`);
        const targets = links.map((h) => decodeURIComponent(new URL(h).pathname));
        for (const r of s.rows) {
          const want = variant === 'teacher'
            ? [r.teacher, r.handout, r.studentNotebook, ...(r.pdf ? [r.pdf] : [])]
            : [path.relative(path.join(s.html, '..', 'student', 'html'), path.resolve(s.html, r.handout)), path.relative(path.join(s.html, '..', 'student', 'html'), path.resolve(s.html, r.studentNotebook))];
          for (const w of want) {
            const abs = path.resolve(path.dirname(index), w);
            assert.ok(targets.includes(abs), `${variant} index links to ${path.relative(ROOT, abs)}`);
          }
          if (variant === 'student') {
            assert.ok(!targets.some((t) => t === path.resolve(s.html, r.teacher) || t.endsWith('.pdf')), 'the student index links no teacher page or PDF');
          }
        }
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `export-${s.name}-${variant}-index.png`), fullPage: true });
      }
      assert.deepEqual(tracked.unexpectedErrors(), []);
      await page.close();
    });

    test(`${s.name}: PDFs of the teacher pages exist`, () => {
      for (const r of s.rows) {
        assert.ok(r.pdf, `${r.stem} has a PDF`);
        const file = path.resolve(s.html, r.pdf);
        assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-', `${path.relative(ROOT, file)} is a PDF`);
      }
    });

    test(`${s.name}: executed copies stay under 1 MB with all their charts; their checks pass`, (t) => {
      for (const r of s.rows) {
        const file = path.resolve(ROOT, r.executed);
        const bytes = fs.statSync(file).size;
        t.diagnostic(`${r.stem}: executed ${(bytes / 1e3).toFixed(0)} KB`);
        assert.ok(bytes <= MAX_NOTEBOOK_BYTES, `${r.executed} is ${bytes} bytes`);
        const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Array<{ metadata: { tags?: string[] }; outputs?: Array<{ name?: string; text?: string | string[] }> }> };
        for (const c of nb.cells.filter((x) => x.metadata.tags?.includes('check'))) {
          const out = (c.outputs ?? []).filter((o) => o.name === 'stdout').map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('');
          const results = out.split('\n').map(parseCheckLine).filter((x) => x !== null);
          assert.ok(results.length === 1 && results[0]!.passed, `${r.stem}: the teacher's check passes: ${out.trim()}`);
        }
      }
    });
  }

  for (const p of pages) {
    const label = `${p.site} ${p.kind}: ${path.relative(BUILD, p.file)}`;
    test(`${label}: ≤ 2 MB, charts drawn, math typeset, offline, navigable, prints inside the margins`, async (t) => {
      const bytes = fs.statSync(p.file).size;
      assert.ok(bytes <= MAX_PAGE_BYTES, `${(bytes / 1e6).toFixed(2)} MB`);
      const blockedBefore = browser.blocked.length;
      const tracked = await browser.newPage();
      const { page } = tracked;
      const started = Date.now();
      await page.goto(pathToFileURL(p.file).href, { waitUntil: 'load', timeout: 60_000 });
      const chartDivs = await page.locator('[data-bp-plot]').count();
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-bp-plot] .js-plotly-plot svg.main-svg').length >= n && document.querySelectorAll('[data-bp-plot] .js-plotly-plot').length >= n,
        chartDivs,
        { timeout: 30_000 },
      ).catch(() => undefined);
      const loadSeconds = (Date.now() - started) / 1000;
      const state = await page.evaluate(() => ({
        drawn: Array.from(document.querySelectorAll('[data-bp-plot]')).filter((d) => d.querySelector('.js-plotly-plot svg.main-svg')).length,
        messages: Array.from(document.querySelectorAll('.bp-plot-message')).map((e) => (e as HTMLElement).innerText),
        formulas: Array.from(document.querySelectorAll('mjx-container')).filter((m) => !m.closest('.bp-toc')).length,
        errors: document.querySelectorAll('[data-mml-node="merror"], mjx-merror').length,
        prose: Array.from(document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown, .jp-RenderedLatex')).map((el) => (el as HTMLElement).innerText).join('\n'),
        mathEngine: !!(window as unknown as { MathJax?: unknown }).MathJax || !!document.querySelector('script[src*="mathjax" i], script[src*="katex" i]'),
        nav: Array.from(document.querySelectorAll('a[rel="index"], a[rel="prev"], a[rel="next"], .bp-nav a[href]')).map((a) => (a as HTMLAnchorElement).href),
        // an entry leads to its heading the way the browser resolves fragments: the id as written, or decoded
        toc: Array.from(document.querySelectorAll('.bp-toc a[href^="#"]')).map((a) => {
          const raw = (a.getAttribute('href') ?? '').slice(1);
          let decoded = raw;
          try { decoded = decodeURIComponent(raw); } catch { /* keep raw */ }
          return document.getElementById(raw) || document.getElementById(decoded) ? '' : raw;
        }),
      }));
      t.diagnostic(`${(bytes / 1e6).toFixed(2)} MB, ${loadSeconds.toFixed(1)} s to draw ${state.drawn} charts, ${state.formulas} formulas`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `export-${p.site}-${p.kind}-${path.basename(p.file, '.html')}.png`) });

      assert.equal(state.drawn, chartDivs, `drawn ${state.drawn} of ${chartDivs} charts`);
      assert.deepEqual(state.messages, [], 'no chart shows a "not drawn" message');
      if (p.stats) {
        assert.equal(chartDivs, p.stats.charts, 'every chart of the run is in the page');
        assert.equal(state.formulas, p.stats.formulas, 'every formula found at build time is in the page');
      }
      assert.ok(state.formulas > 0, 'the page has typeset math');
      assert.equal(state.errors, 0, 'no TeX errors');
      assert.equal(state.mathEngine, false, 'the page carries no math engine');
      const raw = RAW_TEX.exec(state.prose);
      assert.equal(raw, null, `raw TeX left in the prose: ${raw ? state.prose.slice(Math.max(0, raw.index - 60), raw.index + 60) : ''}`);
      assert.ok(state.nav.length >= 2, 'navigation links');
      for (const href of state.nav) {
        const u = new URL(href);
        assert.equal(u.protocol, 'file:', `${href} is local`);
        assert.ok(fs.existsSync(decodeURIComponent(u.pathname)), `navigation link ${href} leads to a file`);
      }
      assert.ok(state.toc.length > 0, 'a table of contents');
      assert.deepEqual(state.toc.filter((x) => x !== ''), [], 'every contents entry leads to its heading');
      assert.deepEqual(browser.blocked.slice(blockedBefore), [], 'the page requested nothing from the network');
      assert.deepEqual(tracked.unexpectedErrors(), [], 'no page errors');

      // Printed: A4 width, print stylesheet, charts refitted as before a print.
      await page.setViewportSize({ width: A4_PRINT_WIDTH, height: 1000 });
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => (window as unknown as { __bpPlotly?: { beforePrint(): Promise<unknown> } }).__bpPlotly?.beforePrint());
      // (A string: tsx would wrap named functions in a helper that does not exist in the page.)
      const printed = (await page.evaluate(`(() => {
        const width = document.documentElement.clientWidth;
        const over = [];
        for (const sel of ['.bp-plot svg.main-svg', '.jp-InputArea-editor', '.bp-plot']) {
          for (const e of document.querySelectorAll(sel)) {
            const right = e.getBoundingClientRect().right;
            if (right > width + 1) over.push(sel + ' right edge ' + Math.round(right) + ' > ' + width);
          }
        }
        const scrolling = Array.from(document.querySelectorAll('pre')).filter((e) => e.scrollWidth > e.clientWidth + 1).length;
        const nav = Array.from(document.querySelectorAll('.bp-nav, .bp-toc, .bp-footer')).filter((e) => getComputedStyle(e).display !== 'none').length;
        return { over, scrolling, nav };
      })()`)) as { over: string[]; scrolling: number; nav: number };
      assert.deepEqual(printed.over, [], 'charts and code inside the printed margins');
      assert.equal(printed.scrolling, 0, 'printed code is wrapped (no block scrolls sideways)');
      assert.equal(printed.nav, 0, 'navigation hidden in print');
      if (p.kind === 'teacher') {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `export-${p.site}-print-${path.basename(p.file, '.html')}.png`), fullPage: false });
      }
      assert.deepEqual(tracked.unexpectedErrors(), [], 'no page errors while printing');
      await page.close();
    });
  }
});
