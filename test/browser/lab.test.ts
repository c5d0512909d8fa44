/**
 * JupyterLab and Notebook 7, driven like a person would, on servers set up as `npm start` sets
 * them up (root: the project; the project's kernelspec and server config, which serves plotly.js
 * and keeps the project's trust database), each on a free loopback port (token off, autosave off;
 * stopped by pid at the end), with settings folders of their own.
 *
 * - Each course notebook, the smoke notebook and the fixture course run from the menu (Run > Run
 *   All Cells) in COPIES under build/lab-test/ (saving rewrites files; the sources stay clean):
 *   every chart draws, no stderr, no unexpected page errors; saved, each stays under 1 MB.
 * - A reloaded notebook redraws its saved charts without running anything; in a fresh page with
 *   cleared outputs and a restarted kernel, running one chart cell alone draws it (no first cell).
 * - The live chart of the fixture updates in place (one output, several draws, the last figure).
 * - The executed copies `npm run export` wrote (build/executed/, build/fixture-site/executed/)
 *   open with their charts drawn, as they lie, and re-run there without errors (imports resolve).
 * - An untrusted copy shows the notice; following it (Command Palette → Trust Notebook) draws the charts.
 * - Notebook 7: an executed copy opens with its charts; Run All draws them again.
 * Screenshots: build/screenshots/lab-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { SCRIPT_NOT_RUN_MESSAGE } from '../../src/notebook/plot';
import { drawnCharts, launchBrowser, type Browser, type TrackedPage } from '../support/browser';
import {
  BUILD, COURSE_FIXTURE, courseNotebooks, EXECUTED_DIR, FIXTURE_SITE, ROOT, SCREENSHOT_DIR, SMOKE_NOTEBOOK, startJupyterLab, tempDir,
  type ExecutionSummary, type LabServer,
} from '../support/jupyter';

const RUN_TIMEOUT_MS = 180_000;
const MAX_SAVED_BYTES = 1_000_000;
const WORKSPACE = path.join(BUILD, 'lab-test');
const notebooks = [...courseNotebooks(), SMOKE_NOTEBOOK, COURSE_FIXTURE];
/** A notebook's copy in the workspace, at the same path below it as the source below the project. */
const copyOf = (nb: string): string => path.join(WORKSPACE, path.relative(ROOT, nb));
/** A server path (relative to the project, the server's root). */
const serverPath = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

/** Chart counts from the notebook-execution test, when it has run (keyed by project-relative path). */
function expectedCharts(): Map<string, number> {
  const file = path.join(EXECUTED_DIR, 'summary.json');
  const map = new Map<string, number>();
  if (fs.existsSync(file)) {
    for (const r of (JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionSummary).notebooks) map.set(r.notebook, r.charts);
  }
  return map;
}

/** Copies of the notebooks under build/lab-test/, and build/lab-test/dist -> dist so their imports resolve. */
function makeWorkspace(): void {
  fs.rmSync(WORKSPACE, { recursive: true, force: true });
  for (const nb of notebooks) {
    fs.mkdirSync(path.dirname(copyOf(nb)), { recursive: true });
    fs.copyFileSync(nb, copyOf(nb));
  }
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(WORKSPACE, 'dist'));
}

interface CellState { code: number; done: number; running: number; stderr: number; status: string }

/** In-page: progress of the current notebook, from the app's models (window.jupyterapp). */
async function cellState(page: Page): Promise<CellState> {
  return page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const app = (window as any).jupyterapp;
    const panel = app?.shell?.currentWidget;
    const cells = panel?.content?.model?.cells;
    let code = 0;
    let done = 0;
    if (cells) {
      for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type !== 'code') continue;
        code += 1;
        if (c.executionCount !== null && c.executionCount !== undefined) done += 1;
      }
    }
    const running = Array.from(document.querySelectorAll('.jp-Notebook .jp-InputPrompt')).filter((p) =>
      (p.textContent ?? '').includes('*'),
    ).length;
    const stderr = document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
    ).length;
    const status: string = panel?.sessionContext?.session?.kernel?.status ?? 'none';
    return { code, done, running, stderr, status };
  });
}

/** Opens a notebook (`lab/tree/PATH` or Notebook 7's `notebooks/PATH`) and waits for its model; with `kernel`, for an idle kernel too. */
async function openNotebook(tracked: TrackedPage, server: LabServer, rel: string, options: { app?: 'lab' | 'notebook'; kernel?: boolean } = {}): Promise<void> {
  const { page } = tracked;
  const url = options.app === 'notebook' ? `${server.url}/notebooks/${rel}` : `${server.url}/lab/tree/${rel}?reset`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForFunction(
    (name) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const panel = (window as any).jupyterapp?.shell?.currentWidget;
      return !!panel?.context?.isReady && panel.context.path.endsWith(name) && !!panel.content?.model;
    },
    path.basename(rel),
    { timeout: 60_000 },
  );
  if (options.kernel !== false) {
    await page.waitForFunction(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      () => (window as any).jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === 'idle',
      null,
      { timeout: 60_000 },
    );
  }
}

async function runAllFromMenu(page: Page): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click();
}

async function waitForRun(page: Page): Promise<CellState> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let state = await cellState(page);
  let idleSince = 0;
  for (;;) {
    state = await cellState(page);
    const finished = state.done === state.code && state.running === 0 && state.status === 'idle';
    if (finished || state.stderr > 0) {
      if (!idleSince) idleSince = Date.now();
      if (Date.now() - idleSince > 500) return state; // stays idle: the queue is empty
    } else {
      idleSince = 0;
    }
    if (Date.now() > deadline) return state;
    await page.waitForTimeout(250);
  }
}

async function stderrTexts(page: Page): Promise<string[]> {
  return page.$$eval(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
    (els) => els.map((e) => (e as HTMLElement).innerText.slice(0, 2000)),
  );
}

async function waitForCharts(page: Page, expected: number): Promise<number> {
  await page
    .waitForFunction(
      (n) =>
        Array.from(document.querySelectorAll('.jp-Notebook .js-plotly-plot')).filter((el) => el.querySelector('svg.main-svg'))
          .length >= n,
      expected,
      { timeout: 60_000 },
    )
    .catch(() => undefined);
  return drawnCharts(page, '.jp-Notebook');
}

/** The charts of the open notebook's outputs: how many, how many drew, the messages shown in undrawn ones. */
async function chartState(page: Page): Promise<{ divs: number; drawn: number; messages: string[] }> {
  return page.evaluate(() => {
    // (.bp-plot: an untrusted output keeps the class but loses the data-bp-plot attribute to the sanitizer)
    const divs = Array.from(document.querySelectorAll('.jp-Notebook .bp-plot'));
    return {
      divs: divs.length,
      drawn: divs.filter((d) => d.querySelector('.js-plotly-plot svg.main-svg')).length,
      messages: Array.from(document.querySelectorAll('.jp-Notebook .bp-plot-message')).map((e) => e.textContent ?? ''),
    };
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  // Scroll the first chart into view so the picture shows one.
  await page.evaluate(() =>
    document.querySelector('.jp-Notebook .bp-plot')?.closest('.jp-OutputArea-child')?.scrollIntoView({ block: 'start' }),
  );
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
}

async function save(page: Page): Promise<void> {
  await page.locator('.jp-Notebook').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
  await page.keyboard.press('Control+s');
  await page.waitForFunction(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    () => (window as any).jupyterapp.shell.currentWidget?.context?.model?.dirty === false,
    null,
    { timeout: 30_000 },
  );
}

/** Kernel > Restart Kernel…, confirmed in the dialog; resolves when the new kernel is idle. */
async function restartKernelFromMenu(page: Page): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Kernel$/ }).click();
  await page.locator('.lm-Menu-item[data-command="kernelmenu:restart"]').click();
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await page.locator('.jp-Dialog').waitFor({ state: 'detached' });
  await page.waitForTimeout(1000);
  await page.waitForFunction(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    () => (window as any).jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === 'idle',
    null,
    { timeout: 60_000 },
  );
}

/** Selects the code cell tagged `tag` and runs only it (Run > Run Selected Cell and Do not Advance). */
async function runTaggedCellFromMenu(page: Page, tag: string): Promise<number> {
  const index = await selectTagged(page, tag);
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-item[data-command="notebook:run-cell"]').click();
  return index;
}

async function selectTagged(page: Page, tag: string): Promise<number> {
  const index = await page.evaluate((t) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const nb = (window as any).jupyterapp.shell.currentWidget.content;
    for (let i = 0; i < nb.model.cells.length; i++) {
      const tags = nb.model.cells.get(i).getMetadata('tags') as string[] | undefined;
      if (tags && tags.includes(t)) {
        nb.activeCellIndex = i;
        nb.mode = 'command';
        return i;
      }
    }
    return -1;
  }, tag);
  assert.ok(index >= 0, `a cell tagged ${tag}`);
  return index;
}

/** Waits until cell `index` has run (execution count set) and the kernel is idle. */
async function waitForCell(page: Page, index: number): Promise<void> {
  await page.waitForFunction(
    (i) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const panel = (window as any).jupyterapp.shell.currentWidget;
      const c = panel.content.model.cells.get(i);
      return typeof c.executionCount === 'number' && panel.sessionContext.session.kernel.status === 'idle';
    },
    index,
    { timeout: 90_000 },
  );
}

/** The `data-bp-plot` ids of the charts in cell `index`, and whether each has drawn. */
async function chartsOfCell(page: Page, index: number): Promise<Array<{ id: string; drawn: boolean; title: string }>> {
  return page.evaluate((i) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
    return Array.from(cell?.querySelectorAll('[data-bp-plot]') ?? []).map((el) => ({
      id: el.getAttribute('data-bp-plot') ?? '',
      drawn: !!el.querySelector('.js-plotly-plot svg.main-svg'),
      title: (el.querySelector('.gtitle') as SVGElement | null)?.textContent ?? '',
    }));
  }, index);
}

async function shutdownKernels(page: Page): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await page.evaluate(() => (window as any).jupyterapp.serviceManager.sessions.shutdownAll()).catch(() => undefined);
}

/** An executed copy of a course notebook that has charts, as `npm run export` left it (null when absent). */
function executedCourseCopy(): string | null {
  for (const nb of courseNotebooks()) {
    const copy = path.join(EXECUTED_DIR, path.basename(nb));
    if (fs.existsSync(copy) && fs.readFileSync(copy, 'utf8').includes('data-bp-plot')) return copy;
  }
  return null;
}
const FIXTURE_EXECUTED = path.join(FIXTURE_SITE, 'executed', path.basename(COURSE_FIXTURE));

describe('JupyterLab (npm start setup)', () => {
  let server: LabServer | undefined;
  let browser: Browser | undefined;
  let stateDir = '';
  const expected = expectedCharts();
  const executedBefore = new Map<string, string>();

  before(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    makeWorkspace();
    for (const f of [executedCourseCopy(), FIXTURE_EXECUTED]) if (f && fs.existsSync(f)) executedBefore.set(f, fs.readFileSync(f, 'utf8'));
    stateDir = tempDir('bp-lab-state-');
    server = await startJupyterLab(ROOT, stateDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  for (const [index, nb] of notebooks.entries()) {
    const rel = path.relative(ROOT, nb);
    const name = path.basename(nb, '.ipynb');
    test(`${rel}: Run All Cells draws every chart without errors; saved, it stays under 1 MB`, async (t) => {
      const tracked = await browser!.newPage();
      const { page } = tracked;
      const started = Date.now();
      try {
        await openNotebook(tracked, server!, serverPath(copyOf(nb)));
        await runAllFromMenu(page);
        const state = await waitForRun(page);
        const errors = await stderrTexts(page);
        assert.deepEqual(errors, [], `stderr / error outputs in ${rel}`);
        assert.equal(state.done, state.code, `all ${state.code} code cells ran (${state.done} did; kernel ${state.status})`);
        const emitted = await page.locator('.jp-Notebook [data-bp-plot]').count();
        const want = Math.max(emitted, expected.get(rel) ?? 0);
        const drawn = await waitForCharts(page, want);
        await screenshot(page, `lab-${name}.png`);
        assert.ok(want > 0, 'the notebook emitted its charts');
        assert.ok(drawn >= want, `${drawn} charts drawn, ${want} plot() outputs`);
        assert.equal(await page.locator('.jp-Notebook .bp-plot-message').count(), 0, 'no chart shows a "not drawn" message');
        assert.deepEqual(tracked.unexpectedErrors(), [], 'no unexpected page errors');
        await save(page);
        const bytes = fs.statSync(copyOf(nb)).size;
        t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s, ${state.code} code cells, ${drawn}/${want} charts drawn; ` +
          `saved ${(bytes / 1e3).toFixed(0)} KB (source ${(fs.statSync(nb).size / 1e3).toFixed(0)} KB)`);
        assert.ok(bytes <= MAX_SAVED_BYTES, `the saved notebook is ${bytes} bytes`);

        if (index === 0) {
          // Reload: the saved (trusted) outputs must redraw the charts without running anything.
          const again = await browser!.newPage();
          await openNotebook(again, server!, serverPath(copyOf(nb)));
          const redrawn = await waitForCharts(again.page, want);
          const after = await cellState(again.page);
          await screenshot(again.page, `lab-reload-${name}.png`);
          assert.ok(redrawn >= want, `after reload: ${redrawn} of ${want} charts drawn`);
          assert.equal(after.running, 0, 'nothing was re-run');
          assert.deepEqual(again.unexpectedErrors(), [], 'no unexpected page errors after reload');
          await again.page.close({ runBeforeUnload: false });
        }
      } finally {
        await shutdownKernels(page);
        await page.close({ runBeforeUnload: false });
      }
    });
  }

  test('smoke: with no output in the page and a restarted kernel, running one chart cell alone draws it', async (t) => {
    const rel = serverPath(copyOf(SMOKE_NOTEBOOK));
    const tracked = await browser!.newPage();
    const { page } = tracked;
    try {
      await openNotebook(tracked, server!, rel);
      // Edit > Clear Outputs of All Cells, then a fresh page: no chart and no library in it.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await page.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:clear-all-cell-outputs'));
      await save(page);
      await page.close({ runBeforeUnload: false });
      const fresh = await browser!.newPage();
      await openNotebook(fresh, server!, rel);
      assert.equal(await fresh.page.locator('.jp-Notebook [data-bp-plot]').count(), 0, 'no chart in the page');
      assert.equal(await fresh.page.evaluate(() => 'Plotly' in window), false, 'no plotly.js in the page');
      await restartKernelFromMenu(fresh.page);
      const runAt = Date.now();
      const index = await runTaggedCellFromMenu(fresh.page, 'standalone-chart');
      await waitForCell(fresh.page, index);
      const ranAt = Date.now();
      await fresh.page.waitForFunction(
        (i) => {
          const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
          const charts = Array.from(cell?.querySelectorAll('[data-bp-plot]') ?? []);
          return charts.length > 0 && charts.every((el) => el.querySelector('.js-plotly-plot svg.main-svg'));
        },
        index,
        { timeout: 30_000 },
      ).catch(() => undefined);
      const drawnAt = Date.now();
      const charts = await chartsOfCell(fresh.page, index);
      t.diagnostic(`cell ${index} ran in ${((ranAt - runAt) / 1000).toFixed(1)} s; its chart drew ${((drawnAt - ranAt) / 1000).toFixed(1)} s later ` +
        `(plotly.js fetched from the server and parsed): ${JSON.stringify(charts)}`);
      await fresh.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lab-restart-smoke.png') });
      assert.deepEqual(await stderrTexts(fresh.page), [], 'no stderr or error outputs');
      assert.equal(charts.length, 1, 'the cell shows one chart');
      assert.ok(charts[0].drawn, 'the chart drew: it loaded plotly.js from the server by itself');
      assert.deepEqual(fresh.unexpectedErrors(), [], 'no unexpected page errors');
      await shutdownKernels(fresh.page);
      await fresh.page.close({ runBeforeUnload: false });
    } finally {
      await page.close({ runBeforeUnload: false }).catch(() => undefined);
    }
  });

  test('fixture: the live chart is redrawn in place while its cell runs, and keeps the last figure', async (t) => {
    const rel = serverPath(copyOf(COURSE_FIXTURE));
    const tracked = await browser!.newPage();
    const { page } = tracked;
    try {
      await openNotebook(tracked, server!, rel);
      await runAllFromMenu(page);
      await waitForRun(page);
      const index = await selectTagged(page, 'live-chart');
      // Record every title the live chart's output shows while the cell runs again.
      await page.evaluate((i) => {
        const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
        const seen: string[] = [];
        (window as unknown as { __liveTitles: string[] }).__liveTitles = seen;
        new MutationObserver(() => {
          for (const g of Array.from(cell.querySelectorAll('.gtitle'))) {
            const title = g.textContent ?? '';
            if (title && seen[seen.length - 1] !== title) seen.push(title);
          }
        }).observe(cell, { subtree: true, childList: true, characterData: true });
      }, index);
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
      await page.locator('.lm-Menu-item[data-command="notebook:run-cell"]').click();
      await waitForCell(page, index);
      await page.waitForTimeout(500);
      const titles = await page.evaluate(() => (window as unknown as { __liveTitles: string[] }).__liveTitles);
      const charts = await chartsOfCell(page, index);
      t.diagnostic(`titles drawn in place: ${titles.join(' → ')}`);
      await page.evaluate((i) => document.querySelectorAll('.jp-Notebook .jp-Cell')[i]?.scrollIntoView({ block: 'start' }), index);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lab-live-chart.png') });
      assert.equal(charts.length, 1, 'one chart output, updated in place');
      assert.ok(charts[0].drawn);
      assert.equal(charts[0].title, 'step 5 of 5', 'the chart shows the last figure');
      assert.ok(titles.length >= 3, `the chart was redrawn while the cell ran: ${titles.join(', ')}`);
      assert.equal(titles[titles.length - 1], 'step 5 of 5');
      assert.deepEqual(await stderrTexts(page), []);
      assert.deepEqual(tracked.unexpectedErrors(), []);
    } finally {
      await shutdownKernels(page);
      await page.close({ runBeforeUnload: false });
    }
  });

  for (const executed of [executedCourseCopy(), FIXTURE_EXECUTED]) {
    const label = executed ? path.relative(ROOT, executed) : 'an executed course notebook';
    test(`${label} (written by npm run export) opens with its charts drawn, and re-runs where it lies`, { skip: executed && fs.existsSync(executed) ? false : 'run npm run export first' }, async (t) => {
      const tracked = await browser!.newPage();
      const { page } = tracked;
      try {
        await openNotebook(tracked, server!, serverPath(executed!));
        const before = await chartState(page);
        const drawn = await waitForCharts(page, before.divs);
        await screenshot(page, `lab-executed-${path.basename(executed!, '.ipynb')}.png`);
        const opened = await chartState(page);
        t.diagnostic(`opened: ${drawn}/${before.divs} charts drawn without running`);
        assert.ok(before.divs > 0, 'the copy holds charts');
        assert.equal(opened.drawn, opened.divs, `charts drawn when opened: ${JSON.stringify(opened.messages)}`);
        assert.equal((await cellState(page)).running, 0, 'nothing ran');
        await runAllFromMenu(page);
        const state = await waitForRun(page);
        assert.deepEqual(await stderrTexts(page), [], 'it re-runs without errors (its imports resolve)');
        assert.equal(state.done, state.code);
        assert.ok((await waitForCharts(page, before.divs)) >= before.divs, 'charts drawn after the re-run');
        assert.deepEqual(tracked.unexpectedErrors(), []);
      } finally {
        await shutdownKernels(page);
        await page.close({ runBeforeUnload: false });
      }
      assert.equal(fs.readFileSync(executed!, 'utf8'), executedBefore.get(executed!), 'the executed copy was not rewritten');
    });
  }

  test('an untrusted copy says how to trust it; following the notice (Command Palette → Trust Notebook) draws its charts', { skip: fs.existsSync(FIXTURE_EXECUTED) ? false : 'run the coursework test first' }, async (t) => {
    // A copy the project did not sign: the executed fixture with one metadata change, unique to this
    // run (trusting it below records its signature in the project's trust database for good).
    const nb = JSON.parse(fs.readFileSync(FIXTURE_EXECUTED, 'utf8')) as { metadata: Record<string, unknown> };
    nb.metadata.received_from = `someone else (${new Date().toISOString()}, ${process.pid})`;
    const file = path.join(path.dirname(copyOf(COURSE_FIXTURE)), 'untrusted-copy.ipynb');
    fs.writeFileSync(file, JSON.stringify(nb, null, 1));
    const tracked = await browser!.newPage();
    const { page } = tracked;
    try {
      await openNotebook(tracked, server!, serverPath(file), { kernel: false });
      await page.waitForTimeout(1500);
      const untrusted = await chartState(page);
      await screenshot(page, 'lab-untrusted.png');
      assert.ok(untrusted.divs > 0, 'the copy holds charts');
      assert.equal(untrusted.drawn, 0, 'no chart script ran');
      assert.ok(untrusted.messages.length > 0 && untrusted.messages.every((m) => m === SCRIPT_NOT_RUN_MESSAGE), JSON.stringify(untrusted.messages));
      // The notice's steps exist: View > Activate Command Palette, and Ctrl+Shift+C …
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^View$/ }).click();
      const menuItem = page.locator('.lm-Menu-item', { hasText: 'Activate Command Palette' });
      assert.equal(await menuItem.count(), 1, 'View > Activate Command Palette exists');
      await page.keyboard.press('Escape');
      // … then choose "Trust Notebook".
      await page.locator('.jp-Notebook').first().click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+Shift+C');
      const input = page.locator('.lm-CommandPalette-input:visible').first();
      await input.waitFor({ timeout: 10_000 });
      await input.fill('Trust Notebook');
      const item = page.locator('.lm-CommandPalette-item:visible', { hasText: /^Trust Notebook/ }).first();
      await item.waitFor({ timeout: 10_000 });
      await item.click();
      await page.locator('.jp-Dialog .jp-mod-accept').click({ timeout: 10_000 });
      const drawn = await waitForCharts(page, untrusted.divs);
      t.diagnostic(`after Trust Notebook: ${drawn}/${untrusted.divs} charts drawn`);
      await screenshot(page, 'lab-trusted.png');
      assert.equal(drawn, untrusted.divs, 'every chart drew once trusted');
      assert.deepEqual(tracked.unexpectedErrors(), []);
    } finally {
      await shutdownKernels(page);
      await page.close({ runBeforeUnload: false });
    }
  });

  test('the source notebooks were not modified', () => {
    for (const nb of notebooks) {
      const source = JSON.parse(fs.readFileSync(nb, 'utf8')) as { cells: Array<{ outputs?: unknown[] }> };
      assert.ok(source.cells.every((c) => (c.outputs ?? []).length === 0), `${path.relative(ROOT, nb)} has no outputs`);
    }
  });
});

describe('Notebook 7 (npm start -- --notebook)', () => {
  let server: LabServer | undefined;
  let browser: Browser | undefined;
  let stateDir = '';

  before(async () => {
    stateDir = tempDir('bp-nb7-state-');
    server = await startJupyterLab(ROOT, stateDir, 60_000, 'notebook');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  test('an executed copy opens with its charts drawn; Run All draws them again', { skip: fs.existsSync(FIXTURE_EXECUTED) ? false : 'run the coursework test first' }, async (t) => {
    // A copy next to the fixture's copy (same depth, so '../../dist' resolves), still signed.
    const file = path.join(path.dirname(copyOf(COURSE_FIXTURE)), 'notebook7-copy.ipynb');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(path.join(WORKSPACE, 'dist'))) fs.symlinkSync(path.join(ROOT, 'dist'), path.join(WORKSPACE, 'dist'));
    fs.copyFileSync(FIXTURE_EXECUTED, file);
    const tracked = await browser!.newPage();
    const { page } = tracked;
    try {
      await openNotebook(tracked, server!, serverPath(file), { app: 'notebook' });
      const before = await chartState(page);
      const opened = await waitForCharts(page, before.divs);
      await screenshot(page, 'notebook7-executed.png');
      t.diagnostic(`opened: ${opened}/${before.divs} charts`);
      assert.ok(before.divs > 0);
      assert.equal(opened, before.divs, 'charts drawn when opened');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await page.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:run-all-cells'));
      const state = await waitForRun(page);
      assert.deepEqual(await stderrTexts(page), []);
      assert.equal(state.done, state.code);
      assert.ok((await waitForCharts(page, before.divs)) >= before.divs, 'charts drawn after Run All');
      await screenshot(page, 'notebook7-run.png');
      assert.deepEqual(tracked.unexpectedErrors(), []);
    } finally {
      await shutdownKernels(page);
      await page.close({ runBeforeUnload: false });
    }
  });
});
