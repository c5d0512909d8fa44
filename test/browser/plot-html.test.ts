/**
 * The chart HTML of src/notebook/plot.ts in a real browser, in the situations notebooks put it in:
 * a page that already has plotly.js (exported pages), a Jupyter page without it (the chart loads
 * it from the server's static/plotly.js, once for all charts), a server that does not serve it,
 * a page that is neither, scripts run from temporary elements (classic Notebook), the same output
 * shown twice, scripts not run at all (untrusted), resizing and printing. Also: the plotly.js
 * bundles the export chooses from draw the trace types they are said to.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser, type TrackedPage } from '../support/browser';
import {
  figureHtml, LIBRARY_NOT_FOUND_MESSAGE, NO_LIBRARY_MESSAGE, PACK_THRESHOLD, PRINT_WIDTH, SCRIPT_NOT_RUN_MESSAGE,
} from '../../src/notebook/plot';
import { BUNDLES, bundleSource } from '../../scripts/lib/plotly-bundles';
import { ROOT } from '../support/jupyter';

const fig = { data: [{ x: [0, 1, 2, 3], y: [1, 3, 2, 4], type: 'scatter' as const }] };
const PLOTLY = fs.readFileSync(path.join(ROOT, 'node_modules', 'plotly.js-dist', 'plotly.js'), 'utf8');

/** Inserts HTML and runs its scripts the way JupyterLab does (fresh script elements in place). */
async function insert(page: Page, html: string, hostId?: string): Promise<void> {
  await page.evaluate(([h, host]) => {
    const box = document.createElement('div');
    box.innerHTML = h;
    (host ? document.getElementById(host)! : document.body).appendChild(box);
    for (const old of Array.from(box.querySelectorAll('script'))) {
      const s = document.createElement('script');
      s.text = old.text;
      old.replaceWith(s);
    }
  }, [html, hostId ?? ''] as const);
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
const waitDrawn = (page: Page, id: string, n = 1): Promise<unknown> =>
  page.waitForFunction(
    ([i, k]) => Array.from(document.querySelectorAll(`[data-bp-plot="${i}"]`)).filter((el) => el.querySelector('svg.main-svg')).length >= k,
    [id, n] as const,
    { timeout: 20_000 },
  );

describe('chart HTML in the browser', () => {
  let browser: Browser;
  let tracked: TrackedPage;
  let server: http.Server;
  let base = '';
  const requests: string[] = [];

  before(async () => {
    browser = await launchBrowser();
    // A stand-in for the Jupyter server: serves /base/static/plotly.js (the package's file), counts requests.
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/base/static/plotly.js') {
        res.writeHead(200, { 'content-type': 'application/javascript' });
        res.end(PLOTLY);
      } else if (req.url?.startsWith('/base/page')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        const baseUrl = req.url.includes('missing') ? '/nowhere/' : '/base/';
        res.end(`<!DOCTYPE html><html><head><script id="jupyter-config-data" type="application/json">${JSON.stringify({ baseUrl })}</script></head><body style="margin:0"></body></html>`);
      } else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  async function freshPage(url?: string): Promise<Page> {
    tracked = await browser.newPage();
    if (url) await tracked.page.goto(url);
    else await tracked.page.setContent('<!DOCTYPE html><html><body style="margin:0"></body></html>');
    return tracked.page;
  }

  async function withLibrary(): Promise<Page> {
    const page = await freshPage();
    await page.addScriptTag({ content: bundleSource(BUNDLES.find((b) => b.name === 'cartesian')!) });
    return page;
  }

  test('a page that has plotly.js: the chart draws at once', async () => {
    const page = await withLibrary();
    await insert(page, figureHtml(fig, { id: 'a1' }));
    assert.equal(await drawn(page, 'a1'), 1, 'drawn synchronously');
    assert.deepEqual(tracked.unexpectedErrors(), []);
    await page.close();
  });

  test('a Jupyter page without plotly.js: charts load it from <base_url>static/plotly.js, once', async () => {
    const page = await freshPage(`${base}/base/page`);
    const before = requests.filter((r) => r.endsWith('plotly.js')).length;
    await insert(page, figureHtml(fig, { id: 'j1' }));
    await insert(page, figureHtml({ data: [{ z: [[1, 2], [3, 4]], type: 'heatmap' }] }, { id: 'j2' }));
    await insertClassic(page, figureHtml(fig, { id: 'j3' }));
    await Promise.all(['j1', 'j2', 'j3'].map((id) => waitDrawn(page, id)));
    assert.equal(requests.filter((r) => r.endsWith('plotly.js')).length - before, 1, 'the library is fetched once per page');
    assert.equal(await page.locator('.bp-plot-message').count(), 0);
    assert.deepEqual(tracked.unexpectedErrors(), []);
    await page.close();
  });

  test('a large figure, stored packed, draws with all its points (library on the page, and loaded from the server)', async () => {
    const n = 20_000;
    const big = {
      data: [{ x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => Math.sin(i / 50) + i / n), type: 'scatter' as const }],
      layout: { title: { text: 'a packed chart' } },
    };
    const html = figureHtml(big, { id: 'p1' });
    assert.ok(html.includes('"__bpGzip"'), 'stored packed');
    assert.ok(html.length < JSON.stringify(big).length / 2, `packed: ${html.length} characters of HTML`);
    for (const page of [await withLibrary(), await freshPage(`${base}/base/page`)]) {
      await insert(page, html);
      await waitDrawn(page, 'p1');
      const got = await page.evaluate(() => {
        const gd = document.querySelector('[data-bp-plot="p1"] .js-plotly-plot') as HTMLElement & { data: Array<{ y: number[] }>; layout: { title: { text: string } } };
        return { points: gd.data[0].y.length, last: gd.data[0].y[gd.data[0].y.length - 1], title: gd.layout.title.text };
      });
      assert.deepEqual(got, { points: n, last: Number(big.data[0].y[n - 1].toPrecision(7)), title: 'a packed chart' });
      assert.deepEqual(tracked.unexpectedErrors(), []);
      await page.close();
    }
    assert.ok(PACK_THRESHOLD > JSON.stringify(fig).length, 'small figures stay plain');
  });

  test('a Jupyter server that does not serve plotly.js: the div says so and how to start the right server', async () => {
    const page = await freshPage(`${base}/base/page-missing`);
    await insert(page, figureHtml(fig, { id: 'n1' }));
    await page.waitForFunction(() => /did not serve/.test((document.querySelector('[data-bp-plot="n1"]') as HTMLElement).innerText), null, { timeout: 20_000 });
    const t = await text(page, 'n1');
    assert.ok(t.startsWith(LIBRARY_NOT_FOUND_MESSAGE), t);
    assert.match(t, /\/nowhere\/static\/plotly\.js$/);
    assert.match(t, /npm start/);
    await page.close();
  });

  test('a page that is neither exported nor Jupyter: a clear message, no request', async () => {
    const page = await freshPage();
    await insert(page, figureHtml(fig, { id: 'm1' }));
    await page.waitForFunction(() => !/Loading/.test((document.querySelector('[data-bp-plot="m1"]') as HTMLElement).innerText));
    assert.equal(await text(page, 'm1'), NO_LIBRARY_MESSAGE);
    await page.close();
  });

  test('the same output shown twice draws twice; scripts not run leave the trust message', async () => {
    const page = await withLibrary();
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

  test('charts follow the width of their container, and fit the paper when printing', async () => {
    const page = await withLibrary();
    await page.evaluate(() => {
      const host = document.createElement('div');
      host.id = 'host';
      host.style.width = '900px';
      document.body.appendChild(host);
    });
    await insert(page, figureHtml(fig, { id: 'w1' }), 'host');
    const width = (): Promise<number> =>
      page.evaluate(() => Number(document.querySelector('[data-bp-plot="w1"] svg.main-svg')!.getAttribute('width')));
    assert.equal(await width(), 900);
    await page.evaluate(() => (document.getElementById('host')!.style.width = '500px'));
    await page.waitForFunction(
      () => Number(document.querySelector('[data-bp-plot="w1"] svg.main-svg')!.getAttribute('width')) === 500,
      null,
      { timeout: 5_000 },
    );
    // printing: the charts take the print width, then return to their container's width
    await page.evaluate(() => (document.getElementById('host')!.style.width = '1200px'));
    await page.waitForFunction(() => Number(document.querySelector('[data-bp-plot="w1"] svg.main-svg')!.getAttribute('width')) === 1200);
    await page.evaluate(() => (window as unknown as { __bpPlotly: { beforePrint(): Promise<unknown> } }).__bpPlotly.beforePrint());
    assert.equal(await width(), PRINT_WIDTH);
    await page.evaluate(() => (window as unknown as { __bpPlotly: { afterPrint(): Promise<unknown> } }).__bpPlotly.afterPrint());
    await page.waitForFunction(() => Number(document.querySelector('[data-bp-plot="w1"] svg.main-svg')!.getAttribute('width')) === 1200, null, { timeout: 5_000 });
    assert.deepEqual(tracked.unexpectedErrors(), []);
    await page.close();
  });

  for (const bundle of BUNDLES) {
    test(`the ${bundle.name} bundle (${bundle.pkg}) draws exactly the trace types the export assumes`, async () => {
      const page = await freshPage();
      await page.addScriptTag({ content: bundleSource(bundle) });
      const got = await page.evaluate(() => {
        const P = (window as unknown as { Plotly: { version: string; PlotSchema: { get(): { traces: Record<string, unknown> } } } }).Plotly;
        return { version: P.version, traces: Object.keys(P.PlotSchema.get().traces).sort() };
      });
      assert.match(got.version, /^4\./, 'plotly.js 4');
      if (bundle.traces) assert.deepEqual(got.traces, [...bundle.traces].sort());
      else assert.ok(got.traces.length > 30 && ['scatter3d', 'surface', 'sankey'].every((t) => got.traces.includes(t)), got.traces.join(' '));
      await page.close();
    });
  }
});
