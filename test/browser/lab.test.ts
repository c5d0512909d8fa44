/**
 * JupyterLab, driven like a person would: the test starts JupyterLab on a free loopback port (token
 * off; stopped by pid at the end) over a COPY of the notebooks in a temp folder (saving in the UI
 * rewrites notebook files, and the sources must stay clean), opens each notebook, runs all cells
 * from the menu (Run > Run All Cells), waits for the kernel to go idle, and checks: every chart drew,
 * no stderr or error outputs, no unexpected page errors. It saves each notebook, reloads the first
 * one and checks its charts draw again from the saved outputs without re-running. Screenshots:
 * build/screenshots/lab-NAME.png (and lab-reload-NAME.png).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { drawnCharts, launchBrowser, type Browser, type TrackedPage } from '../support/browser';
import {
  courseNotebooks, EXECUTED_DIR, ROOT, SCREENSHOT_DIR, SMOKE_NOTEBOOK, startJupyterLab, tempDir,
  type ExecutionSummary, type LabServer,
} from '../support/jupyter';

const RUN_TIMEOUT_MS = 120_000;
const notebooks = [...courseNotebooks(), SMOKE_NOTEBOOK];

/** Chart counts from the notebook-execution test, when it has run (keyed by project-relative path). */
function expectedCharts(): Map<string, number> {
  const file = path.join(EXECUTED_DIR, 'summary.json');
  const map = new Map<string, number>();
  if (fs.existsSync(file)) {
    for (const r of (JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionSummary).notebooks) map.set(r.notebook, r.charts);
  }
  return map;
}

/**
 * The temp workspace: copies of the notebooks at the same relative paths, plus symlinks to dist/
 * and node_modules/ so that `import ... from '../dist'` and the local tslab resolve as in the project.
 */
function makeWorkspace(): string {
  const dir = tempDir('bp-lab-');
  for (const nb of notebooks) {
    const rel = path.relative(ROOT, nb);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(nb, path.join(dir, rel));
  }
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

interface CellState { code: number; done: number; running: number; stderr: number; status: string }

/** In-page: progress of the current notebook, from JupyterLab's models (window.jupyterapp). */
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

async function openNotebook(tracked: TrackedPage, server: LabServer, rel: string): Promise<void> {
  const { page } = tracked;
  await page.goto(`${server.url}/lab/tree/${rel}?reset`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForFunction(
    (name) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const panel = (window as any).jupyterapp?.shell?.currentWidget;
      return !!panel?.context?.isReady && panel.context.path.endsWith(name) && !!panel.content?.model;
    },
    path.basename(rel),
    { timeout: 60_000 },
  );
  // The kernel must be up before "Run All" (otherwise the run waits for it anyway, but the state polling is cleaner).
  await page.waitForFunction(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    () => (window as any).jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === 'idle',
    null,
    { timeout: 60_000 },
  );
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
      { timeout: 30_000 },
    )
    .catch(() => undefined);
  return drawnCharts(page, '.jp-Notebook');
}

async function screenshot(page: Page, name: string): Promise<void> {
  // Scroll the first chart into view so the picture shows one.
  await page.evaluate(() =>
    document.querySelector('.jp-Notebook .js-plotly-plot')?.closest('.jp-OutputArea-child')?.scrollIntoView({ block: 'start' }),
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
    () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const panel = (window as any).jupyterapp.shell.currentWidget;
      const cells = panel.content.model.cells;
      // A restart does not clear outputs; wait for the kernel to be idle again.
      return panel.sessionContext?.session?.kernel?.status === 'idle' && cells.length > 0;
    },
    null,
    { timeout: 60_000 },
  );
}

/** Selects the code cell tagged `tag` and runs only it (Run > Run Selected Cell and Do not Advance). */
async function runTaggedCellFromMenu(page: Page, tag: string): Promise<number> {
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
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-item[data-command="notebook:run-cell"]').click();
  return index;
}

/** The `data-bp-plot` ids of the charts in cell `index`, and whether each has drawn. */
async function chartsOfCell(page: Page, index: number): Promise<Array<{ id: string; drawn: boolean }>> {
  return page.evaluate((i) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
    return Array.from(cell?.querySelectorAll('[data-bp-plot]') ?? []).map((el) => ({
      id: el.getAttribute('data-bp-plot') ?? '',
      drawn: !!el.querySelector('.js-plotly-plot svg.main-svg'),
    }));
  }, index);
}

async function shutdownKernels(page: Page): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await page.evaluate(() => (window as any).jupyterapp.serviceManager.sessions.shutdownAll()).catch(() => undefined);
}

describe('JupyterLab UI: run all cells, charts draw, save and reload', () => {
  let server: LabServer | undefined;
  let browser: Browser | undefined;
  let workspace = '';
  let stateDir = '';
  const expected = expectedCharts();

  before(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    workspace = makeWorkspace();
    stateDir = tempDir('bp-lab-state-');
    server = await startJupyterLab(workspace, stateDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  for (const [index, nb] of notebooks.entries()) {
    const rel = path.relative(ROOT, nb);
    const name = path.basename(nb, '.ipynb');
    test(`${rel}: Run All Cells draws every chart without errors`, async (t) => {
      const tracked = await browser!.newPage();
      const { page } = tracked;
      const started = Date.now();
      try {
        await openNotebook(tracked, server!, rel);
        await runAllFromMenu(page);
        const state = await waitForRun(page);
        const errors = await stderrTexts(page);
        assert.deepEqual(errors, [], `stderr / error outputs in ${rel}`);
        assert.equal(state.done, state.code, `all ${state.code} code cells ran (${state.done} did; kernel ${state.status})`);
        const emitted = await page.locator('.jp-Notebook [data-bp-plot]').count();
        const want = Math.max(emitted, expected.get(rel) ?? 0);
        const drawn = await waitForCharts(page, want);
        t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s, ${state.code} code cells, ${drawn}/${want} charts drawn`);
        if (tracked.pageErrors.length) t.diagnostic(`page errors (known harmless): ${[...new Set(tracked.pageErrors)].join(' | ')}`);
        if (tracked.consoleErrors.length) t.diagnostic(`console errors: ${[...new Set(tracked.consoleErrors)].slice(0, 5).join(' | ')}`);
        if (browser!.blocked.length) t.diagnostic(`blocked requests so far: ${[...new Set(browser!.blocked)].slice(0, 5).join(' ')}`);
        await screenshot(page, `lab-${name}.png`);
        assert.ok(want > 0 || (expected.get(rel) ?? 0) === 0, 'the notebook emitted its charts');
        assert.ok(drawn >= want, `${drawn} charts drawn, ${want} plot() outputs`);
        assert.equal(await page.locator('.jp-Notebook .bp-plot-message').count(), 0, 'no chart shows a "not drawn" message');
        assert.deepEqual(tracked.unexpectedErrors(), [], 'no unexpected page errors');
        await save(page);

        if (index === 0) {
          // Reload: the saved (trusted) outputs must redraw the charts without running anything.
          const again = await browser!.newPage();
          await openNotebook(again, server!, rel);
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

  test('smoke: after a reload and a kernel restart, re-running one chart cell draws it', async (t) => {
    const rel = path.relative(ROOT, SMOKE_NOTEBOOK);
    const tracked = await browser!.newPage();
    const { page } = tracked;
    try {
      await openNotebook(tracked, server!, rel); // saved with outputs by the test above
      const emitted = await page.locator('.jp-Notebook [data-bp-plot]').count();
      assert.ok(emitted > 0, 'the saved notebook holds charts');
      assert.ok((await waitForCharts(page, emitted)) >= emitted, 'saved charts redraw on reload');
      await restartKernelFromMenu(page);
      const before = await page.evaluate(() => document.querySelectorAll('.jp-Notebook .jp-Cell').length);
      const index = await runTaggedCellFromMenu(page, 'standalone-chart');
      await page.waitForFunction(
        (i) => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const panel = (window as any).jupyterapp.shell.currentWidget;
          const c = panel.content.model.cells.get(i);
          return c.executionCount === 1 && panel.sessionContext.session.kernel.status === 'idle';
        },
        index,
        { timeout: 60_000 },
      );
      await page.waitForFunction(
        (i) => {
          const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
          const charts = Array.from(cell?.querySelectorAll('[data-bp-plot]') ?? []);
          return charts.length > 0 && charts.every((el) => el.querySelector('.js-plotly-plot svg.main-svg'));
        },
        index,
        { timeout: 30_000 },
      ).catch(() => undefined);
      const charts = await chartsOfCell(page, index);
      t.diagnostic(`re-run cell ${index}: ${JSON.stringify(charts)}`);
      await page.evaluate((i) => document.querySelectorAll('.jp-Notebook .jp-Cell')[i]?.scrollIntoView({ block: 'start' }), index);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lab-restart-smoke.png') });
      assert.deepEqual(await stderrTexts(page), [], 'no stderr or error outputs');
      assert.equal(await page.evaluate(() => document.querySelectorAll('.jp-Notebook .jp-Cell').length), before, 'same cells');
      assert.equal(charts.length, 1, 'the re-run cell shows one chart');
      assert.ok(charts[0].drawn, 'the re-run chart drew (the library was already in the page)');
      assert.deepEqual(tracked.unexpectedErrors(), [], 'no unexpected page errors');
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
