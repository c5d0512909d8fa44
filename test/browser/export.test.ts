/**
 * Opens every exported page of build/html/ (made by `npm run export`) from disk in headless
 * Chromium with the network blocked: every chart draws, math is typeset by MathJax (no raw TeX left
 * in the prose, no TeX errors), nothing tries to load from the network, no unexpected page errors.
 * Screenshots: build/screenshots/export-NAME.png and export-report-NAME.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { drawnCharts, launchBrowser, type Browser } from '../support/browser';
import { HTML_DIR, SCREENSHOT_DIR } from '../support/jupyter';

interface ExportEntry { notebook: string; title: string; full: string; report: string; charts: number | null }

const summaryPath = path.join(HTML_DIR, 'export-summary.json');
const entries: ExportEntry[] = fs.existsSync(summaryPath)
  ? (JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as { notebooks: ExportEntry[] }).notebooks
  : [];

/** Raw TeX that must not be visible in rendered prose once MathJax has run. */
const RAW_TEX = /\$\$|\\(frac|partial|sum|prod|mathbf|mathrm|begin|end|left|right|cdot|odot|delta|sigma|hat|top)\b/;

describe('exported HTML, opened from disk offline', () => {
  let browser: Browser;
  before(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('npm run export has produced pages', () => {
    assert.ok(entries.length > 0, `${summaryPath} is missing or empty: run 'npm run export' first`);
    assert.ok(fs.existsSync(path.join(HTML_DIR, 'index.html')), 'index.html exists');
  });

  test('index.html links to every page', async () => {
    const tracked = await browser.newPage();
    await tracked.page.goto(pathToFileURL(path.join(HTML_DIR, 'index.html')).href);
    const hrefs = await tracked.page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
    for (const e of entries) {
      assert.ok(hrefs.includes(e.full) && hrefs.includes(e.report), `index links to ${e.full} and ${e.report}`);
    }
    await tracked.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'export-index.png') });
    await tracked.page.close();
  });

  for (const entry of entries) {
    for (const variant of ['full', 'report'] as const) {
      const file = path.join(HTML_DIR, entry[variant]);
      const name = path.basename(file, '.html');
      test(`${entry[variant]}: charts draw and math is typeset offline`, async (t) => {
        const blockedBefore = browser.blocked.length;
        const tracked = await browser.newPage();
        const { page } = tracked;
        const started = Date.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
        await page.waitForFunction(() => document.documentElement.getAttribute('data-mathjax-done') === 'true', null, {
          timeout: 30_000,
        });
        const chartDivs = await page.locator('[data-bp-plot]').count();
        await page.waitForFunction(
          (n) =>
            Array.from(document.querySelectorAll('.js-plotly-plot')).filter((el) => el.querySelector('svg.main-svg'))
              .length >= n,
          chartDivs,
          { timeout: 30_000 },
        );
        const drawn = await drawnCharts(page);
        const math = await page.evaluate(() => ({
          containers: document.querySelectorAll('mjx-container').length,
          errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
          prose: Array.from(document.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedLatex, .jp-RenderedHTMLCommon'))
            .filter((el) => !el.closest('.jp-OutputArea') || el.classList.contains('jp-RenderedMarkdown') || el.classList.contains('jp-RenderedLatex'))
            .map((el) => (el as HTMLElement).innerText)
            .join('\n'),
          sourceHasMath: /\$[^$]+\$/.test(
            Array.from(document.querySelectorAll('.jp-MarkdownCell')).map((el) => el.textContent ?? '').join(''),
          ),
        }));
        const messages = await page.locator('.bp-plot-message').count();
        t.diagnostic(
          `${((Date.now() - started) / 1000).toFixed(1)} s, ${drawn} charts, ${math.containers} math elements`,
        );
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `export-${variant === 'report' ? 'report-' : ''}${name}.png`),
          fullPage: true,
        });

        assert.ok(chartDivs > 0 || entry.charts === 0, 'the page holds chart divs');
        if (entry.charts !== null) assert.equal(chartDivs, entry.charts, 'every plot() call of the run is in the page');
        assert.ok(drawn >= chartDivs, `drawn ${drawn} of ${chartDivs} charts`);
        assert.equal(messages, 0, 'no chart shows a "not drawn" message');
        assert.ok(math.containers > 0, 'MathJax typeset the math');
        assert.equal(math.errors, 0, 'no TeX errors');
        const raw = RAW_TEX.exec(math.prose);
        assert.equal(raw, null, `raw TeX left in the prose: ${raw ? math.prose.slice(Math.max(0, raw.index - 60), raw.index + 60) : ''}`);
        assert.deepEqual(browser.blocked.slice(blockedBefore), [], 'the page requested nothing from the network');
        assert.deepEqual(tracked.unexpectedErrors(), [], 'no page errors');
        await page.close();
      });
    }
  }
});
