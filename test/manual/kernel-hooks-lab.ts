/**
 * Manual check in JupyterLab of what the kernel hooks show (not part of `npm test`): a learner's
 * notebook with a long training run, then a retraining cell edited with a mistake, then a cell that
 * uses the result. Runs the cells one by one as a learner would (Run > Run Selected Cell), and writes
 *   build/screenshots/kernel-hooks-progress-running.png  the live progress of the long fit, mid-run
 *   build/screenshots/kernel-hooks-progress-done.png     its final state
 *   build/screenshots/kernel-hooks-errors.png            the library error and the "which cell to run" error
 * Also prints the texts of the outputs. Usage: `npm run build && node --import tsx test/manual/kernel-hooks-lab.ts`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { ROOT, SCREENSHOT_DIR, startJupyterLab, tempDir } from '../support/jupyter';

const cells = [
  "import { MLP, makeCircles, relu, sigmoid, binaryCrossEntropy } from '../dist';\nimport { loadPlotly } from '../dist/notebook';\nloadPlotly();",
  '// Settings and data\nconst data = makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, seed: 0 });\n' +
    'const net = new MLP({ layers: [2, 16, 16, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 42 });',
  '// Training\nconst history = net.fit(data.X, data.y, { epochs: 12000, learningRate: 0.5 });\n' +
    'console.log(`L after ${history.loss.length} epochs: ${history.loss[history.loss.length - 1].toFixed(4)}`);',
  '// Training again, edited: now a network with 3 inputs\n' +
    'const wider = new MLP({ layers: [3, 16, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 7 });\n\n' +
    'const history = wider.fit(\n  data.X,\n  data.y,\n  { epochs: 12000, learningRate: 0.5 },\n);',
  '// The final loss\nconsole.log(history.loss[history.loss.length - 1]);',
];

function notebook(): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
    nbformat: 4, nbformat_minor: 5,
  }, null, 1);
}

async function runCell(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const nb = (window as any).jupyterapp.shell.currentWidget.content;
    nb.activeCellIndex = i;
    nb.mode = 'command';
  }, index);
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-item[data-command="notebook:run-cell"]').click();
}

async function waitIdle(page: Page, index: number): Promise<void> {
  await page.waitForFunction((i) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const panel = (window as any).jupyterapp.shell.currentWidget;
    const cell = panel.content.model.cells.get(i);
    return cell.executionCount !== null && panel.sessionContext.session.kernel.status === 'idle';
  }, index, { timeout: 120_000 });
  await page.waitForTimeout(600); // tslab drops requests within ~200 ms of an error
}

async function main(): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const workspace = tempDir('bp-hooks-lab-');
  fs.mkdirSync(path.join(workspace, 'notebooks'));
  fs.writeFileSync(path.join(workspace, 'notebooks', 'learner.ipynb'), notebook());
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(workspace, 'dist'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(workspace, 'node_modules'));
  const stateDir = tempDir('bp-hooks-lab-state-');
  const server = await startJupyterLab(workspace, stateDir);
  const browser = await launchBrowser();
  try {
    const { page } = await browser.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${server.url}/lab/tree/notebooks/learner.ipynb?reset`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForFunction(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      () => (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle',
      null, { timeout: 60_000 });
    for (const i of [0, 1]) {
      await runCell(page, i);
      await waitIdle(page, i);
    }
    await runCell(page, 2);
    await page.waitForSelector('[data-bp-fit-progress="running"] .js-plotly-plot svg.main-svg', { timeout: 60_000 });
    await page.waitForTimeout(700);
    await page.locator('.jp-Cell').nth(2).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'kernel-hooks-progress-running.png') });
    console.log('mid-run:', await page.locator('.bp-fit-progress-line').first().innerText());
    await waitIdle(page, 2);
    await page.waitForSelector('[data-bp-fit-progress="done"] .js-plotly-plot svg.main-svg', { timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'kernel-hooks-progress-done.png') });
    console.log('final:', await page.locator('.bp-fit-progress-line').first().innerText());
    for (const i of [3, 4]) {
      await runCell(page, i);
      await waitIdle(page, i);
    }
    await page.locator('.jp-Cell').nth(3).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'kernel-hooks-errors.png') });
    const stderr = await page.$$eval('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
      (els) => els.map((e) => (e as HTMLElement).innerText));
    console.log(stderr.join('\n-----\n'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await page.evaluate(() => (window as any).jupyterapp.serviceManager.sessions.shutdownAll()).catch(() => undefined);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
