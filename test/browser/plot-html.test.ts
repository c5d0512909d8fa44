/**
 * The chart HTML of src/notebook/plot.ts in a real browser, in the situations notebooks put it in: chart
 * before library (queue), library never loaded (visible message, chart still draws when it comes),
 * RequireJS/CommonJS globals in the page, scripts run from temporary elements (classic Notebook),
 * the same output shown twice, scripts not run at all (untrusted), and resizing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser, type TrackedPage } from '../support/browser';
import { figureHtml, libraryHtml, MISSING_LIBRARY_MESSAGE, SCRIPT_NOT_RUN_MESSAGE } from '../../src/notebook/plot';

const fig = { data: [{ x: [0, 1, 2, 3], y: [1, 3, 2, 4], type: 'scatter' as const }] };

/** Inserts HTML and runs its scripts the way JupyterLab does (fresh script elements in place). */
async function insert(page: Page, html: string): Promise<void> {
  await page.evaluate((h) => {
    const box = document.createElement('div');
    box.innerHTML = h;
    document.body.appendChild(box);
    for (const old of Array.from(box.querySelectorAll('script'))) {
      const s = document.createElement('script');
      s.text = old.text;
      old.replaceWith(s);
    }
  }, html);
}

/** Inserts HTML and runs its scripts the way classic Notebook (jQuery) does: from temporary head elements. */
async function insertClassic(page: Page, html: string): Promise<void> {
  await page.evaluate((h) => {
    const box = document.createElement('div');
    box.innerHTML = h; // scripts inserted by innerHTML do not run
    document.body.appendChild(box);
    for (const old of Array.from(box.querySelectorAll('script'))) {
      const s = document.createElement('script');
      s.text = old.text;
      document.head.appendChild(s).parentNode!.removeChild(s);
    }
  }, html);
}

const drawn = (page: Page, id: string): Promise<number> =>
  page.evaluate(
    (i) => Array.from(document.querySelectorAll(`[data-bp-plot="${i}"]`)).filter((el) => el.querySelector('.js-plotly-plot svg.main-svg')).length,
    id,
  );
const text = (page: Page, id: string): Promise<string> =>
  page.evaluate((i) => (document.querySelector(`[data-bp-plot="${i}"]`) as HTMLElement).innerText, id);

describe('chart HTML in the browser', () => {
  let browser: Browser;
  let tracked: TrackedPage;
  const lib = libraryHtml();

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  async function freshPage(): Promise<Page> {
    tracked = await browser.newPage();
    await tracked.page.setContent('<!DOCTYPE html><html><body style="margin:0"></body></html>');
    return tracked.page;
  }

  test('chart before the library waits in the queue, then draws', async () => {
    const page = await freshPage();
    await insert(page, figureHtml(fig, { id: 'q1' }));
    assert.equal(await drawn(page, 'q1'), 0);
    assert.match(await text(page, 'q1'), /Waiting for the chart library/);
    await insert(page, lib);
    await page.waitForFunction(() => document.querySelector('[data-bp-plot="q1"] svg.main-svg'), null, { timeout: 20_000 });
    assert.equal(await drawn(page, 'q1'), 1);
    assert.match(await page.innerText('[data-bp-plotly]'), /Chart library loaded \(plotly\.js 3\./);
    assert.deepEqual(tracked.unexpectedErrors(), []);
    await page.close();
  });

  test('without the library the div says to run the first cell; the chart still draws later', async () => {
    const page = await freshPage();
    await insert(page, figureHtml(fig, { id: 'm1', missingLibraryDelayMs: 200 }));
    await page.waitForTimeout(400);
    assert.equal(await text(page, 'm1'), MISSING_LIBRARY_MESSAGE);
    assert.ok(await page.isVisible('[data-bp-plot="m1"] .bp-plot-message'));
    await insert(page, lib);
    await page.waitForFunction(() => document.querySelector('[data-bp-plot="m1"] svg.main-svg'), null, { timeout: 20_000 });
    assert.equal(await page.locator('[data-bp-plot="m1"] .bp-plot-message').count(), 0);
    await page.close();
  });

  test('RequireJS / CommonJS globals in the page do not capture the library', async () => {
    const page = await freshPage();
    // (A string: tsx would wrap named functions in a helper that does not exist in the page.)
    await page.evaluate(`
      window.define = function () { throw new Error('define() must not be called'); };
      window.define.amd = {};
      window.module = { exports: {} };
      window.exports = {};
    `);
    await insert(page, lib);
    await insert(page, figureHtml(fig, { id: 'r1' }));
    assert.equal(await drawn(page, 'r1'), 1);
    assert.deepEqual(tracked.pageErrors, []);
    await page.close();
  });

  test('classic Notebook style: scripts run from temporary elements, the chart finds its div', async () => {
    const page = await freshPage();
    await insertClassic(page, lib);
    await insertClassic(page, figureHtml(fig, { id: 'c1' }));
    assert.equal(await drawn(page, 'c1'), 1);
    assert.deepEqual(tracked.pageErrors, []);
    await page.close();
  });

  test('the same output shown twice draws twice; scripts not run leave a clear message', async () => {
    const page = await freshPage();
    await insert(page, lib);
    const html = figureHtml(fig, { id: 'd1' });
    await insert(page, html);
    await insert(page, html);
    assert.equal(await drawn(page, 'd1'), 2);
    await page.evaluate((h) => {
      const box = document.createElement('div');
      box.innerHTML = h.replace(/data-bp-plot="d1"/, 'data-bp-plot="u1"');
      document.body.appendChild(box);
    }, html);
    assert.equal(await text(page, 'u1'), SCRIPT_NOT_RUN_MESSAGE);
    await page.close();
  });

  test('charts follow the width of their container', async () => {
    const page = await freshPage();
    await insert(page, lib);
    await page.evaluate(() => {
      const host = document.createElement('div');
      host.id = 'host';
      host.style.width = '900px';
      document.body.appendChild(host);
    });
    await page.evaluate((h) => {
      const host = document.getElementById('host')!;
      host.innerHTML = h;
      for (const old of Array.from(host.querySelectorAll('script'))) {
        const s = document.createElement('script');
        s.text = old.text;
        old.replaceWith(s);
      }
    }, figureHtml(fig, { id: 'w1' }));
    const width = (): Promise<number> =>
      page.evaluate(() => Number(document.querySelector('[data-bp-plot="w1"] svg.main-svg')!.getAttribute('width')));
    assert.equal(await width(), 900);
    await page.evaluate(() => (document.getElementById('host')!.style.width = '500px'));
    await page.waitForFunction(
      () => Number(document.querySelector('[data-bp-plot="w1"] svg.main-svg')!.getAttribute('width')) === 500,
      null,
      { timeout: 5_000 },
    );
    assert.deepEqual(tracked.unexpectedErrors(), []);
    await page.close();
  });
});
