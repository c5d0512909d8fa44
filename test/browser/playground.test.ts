/**
 * The live trainer (`playground(options)`) in headless Chromium, from a page opened from disk with
 * the network blocked: it mounts with labelled controls and the named buttons and texts, Play makes
 * "Epoch N" rise and "Training loss" fall, Pause stops it, the same seed replays the same run, and
 * the run's speed is measured and reported: epochs per second and picture updates per second for
 * the 2-8-8-1 network on 500 points (400 training, 100 test), at the default speed and at "as fast
 * as possible". No timing is asserted beyond "it moved" (the machine is shared).
 *
 * Pages: build/playground/trainer.html, made here like the export makes a notebook page (the
 * inlined plotly.js partial bundle, a chart, and the trainer's output HTML); build/html/07-playground.html itself
 * when `npm run export` has made it; and JupyterLab (started on a free loopback port over a temp
 * copy of test/fixtures/playground.ipynb, stopped by pid): run the cell, Play, save, reload the page
 * and the saved trainer runs again without running any cell. Screenshots:
 * build/screenshots/playground*.png; the measured rates: build/playground/rates.json.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { drawnCharts, launchBrowser, type Browser } from '../support/browser';
import { BUILD, HTML_DIR, ROOT, SCREENSHOT_DIR, startJupyterLab, tempDir } from '../support/jupyter';
import { figureHtml } from '../../src/notebook/plot';
import { bundleSource, chooseBundle } from '../../scripts/lib/plotly-bundles';
import { playgroundHtml } from '../../src/notebook/playground';

const PAGE_DIR = path.join(BUILD, 'playground');
const TEST_PAGE = path.join(PAGE_DIR, 'trainer.html');
const EXPORTED_07 = path.join(HTML_DIR, '07-playground.html');
const RATES = path.join(PAGE_DIR, 'rates.json');
const MEASURE_MS = 3000;

interface Stats { epochs: number; frames: number; now: number; playing: boolean; wasm: boolean; drawMs: number; trainMs: number }
interface Rate {
  epochsPerSecond: number; updatesPerSecond: number; epochs: number; updates: number; seconds: number; wasm: boolean;
  /** Mean milliseconds per picture update spent drawing, and per frame spent training. */
  drawMsPerUpdate: number; trainMsPerUpdate: number;
}

function writeTestPage(): void {
  fs.mkdirSync(PAGE_DIR, { recursive: true });
  const chart = figureHtml({ data: [{ x: [0, 1, 2], y: [2, 1, 3], type: 'scatter' }], layout: { title: { text: 'a chart beside the trainer' } } }, { id: 'chart-1' });
  const trainer = playgroundHtml({ dataset: 'circles', nSamples: 500, testFraction: 0.2, hidden: [8, 8], seed: 3 }, { id: 'trainer-1' });
  fs.writeFileSync(TEST_PAGE, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Live trainer test page</title></head>
<body style="margin:16px;"><script>${bundleSource(chooseBundle(['scatter', 'heatmap', 'contour'])).replace(/<\/script/gi, '<\\/script')}</script>\n${chart}\n<h2>Live trainer</h2>\n${trainer}\n</body></html>\n`);
}

async function stats(root: Locator): Promise<Stats> {
  return root.evaluate((el) => (el as HTMLElement & { bpPlayground: { stats(): Stats } }).bpPlayground.stats());
}

async function texts(root: Locator): Promise<{ epoch: number; train: number; test: number }> {
  const t = await root.locator('.bp-pg-stats').innerText();
  const num = (re: RegExp): number => {
    const m = re.exec(t);
    assert.ok(m, `the trainer shows ${re} (it shows: ${JSON.stringify(t)})`);
    return Number(m[1]);
  };
  return { epoch: num(/Epoch (\d+)/), train: num(/Training loss ([0-9.]+)/), test: num(/Test loss ([0-9.]+)/) };
}

/** Plays for MEASURE_MS and returns the epochs and picture updates per second of the page's own clock. */
async function measure(page: Page, root: Locator): Promise<Rate> {
  await root.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(300); // past the first frames
  const a = await stats(root);
  await page.waitForTimeout(MEASURE_MS);
  const b = await stats(root);
  await root.getByRole('button', { name: 'Pause', exact: true }).click();
  const seconds = (b.now - a.now) / 1000;
  return {
    epochsPerSecond: (b.epochs - a.epochs) / seconds, updatesPerSecond: (b.frames - a.frames) / seconds,
    epochs: b.epochs - a.epochs, updates: b.frames - a.frames, seconds, wasm: b.wasm,
    drawMsPerUpdate: (b.drawMs - a.drawMs) / Math.max(1, b.frames - a.frames),
    trainMsPerUpdate: (b.trainMs - a.trainMs) / Math.max(1, b.frames - a.frames),
  };
}

function report(label: string, r: Rate): string {
  return `${label}: ${r.epochsPerSecond.toFixed(0)} epochs/s, ${r.updatesPerSecond.toFixed(1)} picture updates/s ` +
    `(${r.epochs} epochs, ${r.updates} updates in ${r.seconds.toFixed(2)} s; per update ${r.trainMsPerUpdate.toFixed(1)} ms training, ` +
    `${r.drawMsPerUpdate.toFixed(1)} ms drawing; ${r.wasm ? 'WebAssembly' : 'TypeScript'} kernels)`;
}

/** The checks every page with a trainer must pass: mount, labels, Play/Pause, replay. Returns the rates. */
async function exercise(page: Page, root: Locator, shot: string): Promise<{ normal: Rate; fastest: Rate }> {
  await root.locator('.bp-pg-stats').waitFor({ timeout: 30_000 });
  for (const name of ['Play', 'Pause', 'Step', 'Reset']) {
    assert.equal(await root.getByRole('button', { name, exact: true }).count(), 1, `one button named "${name}"`);
  }
  const unlabelled = await root.evaluate((el) =>
    Array.from(el.querySelectorAll('select, input')).filter((c) => (c as HTMLInputElement).labels?.length === 0).map((c) => c.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, [], 'every form element has a label');
  for (const label of ['Data set', 'Noise', 'Test share', 'Hidden layers', 'Activation', 'Learning rate', 'Batch size', 'Optimiser', 'L2 λ', 'Seed']) {
    assert.equal(await root.getByLabel(label, { exact: true }).count(), 1, `a control labelled "${label}"`);
  }
  const before = await texts(root);
  assert.equal(before.epoch, 0, 'starts at epoch 0');

  const normal = await measure(page, root);
  const afterPlay = await texts(root);
  assert.ok(afterPlay.epoch > before.epoch, `Play makes the epoch count rise (${before.epoch} → ${afterPlay.epoch})`);
  assert.ok(afterPlay.train < before.train, `Play makes the training loss fall (${before.train} → ${afterPlay.train})`);
  await root.screenshot({ path: path.join(SCREENSHOT_DIR, `${shot}.png`) });

  // Paused: nothing moves.
  const paused = await texts(root);
  await page.waitForTimeout(400);
  assert.deepEqual(await texts(root), paused, 'Pause stops training');

  // The fastest speed.
  await root.getByLabel('Epochs per frame', { exact: true }).selectOption({ label: 'as fast as possible' });
  const fastest = await measure(page, root);

  // Replay: the same seed gives the same numbers after the same epochs.
  const replay = async (): Promise<{ epoch: number; train: number; test: number }> => {
    await root.getByRole('button', { name: 'Reset', exact: true }).click();
    for (let i = 0; i < 5; i++) await root.getByRole('button', { name: 'Step', exact: true }).click();
    return texts(root);
  };
  const first = await replay();
  const second = await replay();
  assert.equal(first.epoch, 5, 'Step trains one epoch');
  assert.deepEqual(second, first, 'Reset and the same steps replay the same run');
  return { normal, fastest };
}

describe('live trainer in the page, opened from disk offline', () => {
  let browser: Browser;
  const rates: Record<string, { normal: Rate; fastest: Rate }> = {};
  before(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeTestPage();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (Object.keys(rates).length > 0) fs.writeFileSync(RATES, `${JSON.stringify(rates, null, 2)}\n`);
  });

  test('test page: Play trains (epoch rises, training loss falls), replayable; rates reported', async () => {
    const tracked = await browser.newPage();
    const { page } = tracked;
    await page.goto(pathToFileURL(TEST_PAGE).href, { waitUntil: 'load' });
    const root = page.locator('[data-bp-playground="trainer-1"]');
    const r = await exercise(page, root, 'playground');
    rates['test page'] = r;
    console.log(report('2-8-8-1, 500 points, default speed (5 epochs per frame)', r.normal));
    console.log(report('2-8-8-1, 500 points, as fast as possible', r.fastest));
    assert.equal(await drawnCharts(page), 1, 'the Plotly chart beside it drew');
    assert.deepEqual(tracked.unexpectedErrors(), [], 'no page errors');
    assert.deepEqual(tracked.consoleErrors, [], 'no console errors');
    assert.deepEqual(browser.blocked, [], 'no request left the machine');
    await page.close();
  });

  test('test page: optimisers with their hyper-parameters, mini-batches, L2 and the three-class spiral, by keyboard', async () => {
    const tracked = await browser.newPage();
    const { page } = tracked;
    await page.goto(pathToFileURL(TEST_PAGE).href, { waitUntil: 'load' });
    const root = page.locator('[data-bp-playground="trainer-1"]');
    await root.locator('.bp-pg-stats').waitFor({ timeout: 30_000 });
    for (const label of ['Classes', 'Momentum β', 'Adam β₁', 'Adam β₂', 'Adam ε', 'Epochs per frame']) {
      assert.equal(await root.getByLabel(label, { exact: true }).count(), 1, `a control labelled "${label}"`);
    }
    const shown = async (label: string): Promise<boolean> => root.getByLabel(label, { exact: true }).isVisible();
    assert.deepEqual(await Promise.all(['Momentum β', 'Adam β₁', 'Adam β₂', 'Adam ε'].map(shown)), [false, false, false, false], 'SGD has no hyper-parameter fields');
    assert.equal(await root.getByLabel('Classes', { exact: true }).isDisabled(), true, 'Classes is for the spiral only');
    // train a little with SGD, then switch the optimiser with the keyboard: a new run from the same weights
    for (let i = 0; i < 3; i++) await root.getByRole('button', { name: 'Step', exact: true }).click();
    const optimiser = root.getByLabel('Optimiser', { exact: true });
    await optimiser.focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(200);
    assert.equal(await optimiser.inputValue(), '"momentum"', 'ArrowDown on the focused select chooses momentum');
    assert.equal(await shown('Momentum β'), true, 'momentum shows its β');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(200);
    assert.deepEqual(await Promise.all(['Momentum β', 'Adam β₁', 'Adam β₂', 'Adam ε'].map(shown)), [false, true, true, true], 'Adam shows β₁, β₂, ε');
    assert.match(await root.locator('.bp-pg-status').innerText(), /Optimiser: a new run from the same initial weights \(seed 4\), epoch 0/);
    const restarted = await texts(root);
    assert.equal(restarted.epoch, 0);
    assert.match(await root.locator('figcaption').last().innerText(), /Grey: the previous run \(2-8-8-1 tanh, SGD, full batch, η = 0\.3\), from the same initial weights/,
      'the run kept for comparison is the last one that trained (momentum was chosen and left at epoch 0)');
    await root.getByLabel('Learning rate', { exact: true }).selectOption({ label: '0.01' });
    await root.getByLabel('Adam β₂', { exact: true }).selectOption({ label: '0.99' });
    await root.getByLabel('Batch size', { exact: true }).selectOption({ label: '32' });
    await root.getByLabel('L2 λ', { exact: true }).selectOption({ label: '0.001' });
    const replayLine = await root.locator('details code').textContent();
    assert.match(replayLine ?? '', /"optimizer":\{"name":"adam","beta1":0\.9,"beta2":0\.99,"epsilon":1e-8\}/);
    assert.match(replayLine ?? '', /"batchSize":32/);
    assert.match(replayLine ?? '', /"l2":0\.001/);
    for (let i = 0; i < 3; i++) await root.getByRole('button', { name: 'Step', exact: true }).click();
    const adam = await texts(root);
    assert.equal(adam.epoch, 3);
    assert.ok(adam.train < restarted.train, `Adam with mini-batches and L2 lowers the loss (${restarted.train} → ${adam.train})`);
    // the three-class spiral
    await root.getByLabel('Data set', { exact: true }).selectOption({ label: 'spiral' });
    assert.equal(await root.getByLabel('Classes', { exact: true }).isDisabled(), false);
    assert.equal(await root.getByLabel('Classes', { exact: true }).inputValue(), '3', 'the spiral starts with 3 classes');
    assert.match(await root.locator('figcaption').nth(1).innerText(), /the borders between the 3 classes/);
    assert.match(await root.locator('canvas').nth(1).getAttribute('aria-label') ?? '', /2-8-8-3 network on spiral/);
    await root.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(1500);
    await root.getByRole('button', { name: 'Pause', exact: true }).click();
    const spiral = await texts(root);
    assert.ok(spiral.epoch > 0, `the spiral trains (${JSON.stringify(spiral)})`);
    await root.screenshot({ path: path.join(SCREENSHOT_DIR, 'playground-spiral.png') });
    assert.deepEqual(tracked.unexpectedErrors(), [], 'no page errors');
    assert.deepEqual(tracked.consoleErrors, [], 'no console errors');
    await page.close();
  });

  test('exported notebook 07: the trainer in it trains offline', async (t) => {
    if (!fs.existsSync(EXPORTED_07)) {
      t.skip(`${EXPORTED_07} does not exist (run 'npm run export')`);
      return;
    }
    const tracked = await browser.newPage();
    const { page } = tracked;
    await page.goto(pathToFileURL(EXPORTED_07).href, { waitUntil: 'load', timeout: 60_000 });
    const root = page.locator('[data-bp-playground]').first();
    const r = await exercise(page, root, 'playground-export-07');
    rates['exported 07'] = r;
    console.log(report('exported 07, default speed', r.normal));
    console.log(report('exported 07, as fast as possible', r.fastest));
    assert.deepEqual(tracked.unexpectedErrors(), [], 'no page errors');
    assert.deepEqual(browser.blocked, [], 'no request left the machine');
    await page.close();
  });

  test('JupyterLab: the cell shows a trainer that trains; after save and reload it runs without the kernel', async () => {
    const workspace = tempDir('bp-lab-pg-');
    fs.mkdirSync(path.join(workspace, 'test', 'fixtures'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'playground.ipynb'), path.join(workspace, 'test', 'fixtures', 'playground.ipynb'));
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(workspace, 'dist'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(workspace, 'node_modules'));
    const server = await startJupyterLab(workspace, tempDir('bp-lab-pg-state-'));
    const tracked = await browser.newPage();
    const { page } = tracked;
    try {
      const url = `${server.url}/lab/tree/test/fixtures/playground.ipynb?reset`;
      const kernelIdle = (): Promise<unknown> => page.waitForFunction(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        () => (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle', null, { timeout: 90_000 });
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await kernelIdle();
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
      await page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click();
      const root = page.locator('.jp-OutputArea [data-bp-playground]').first();
      await root.locator('.bp-pg-stats').waitFor({ timeout: 90_000 });
      const before = await texts(root);
      await root.getByRole('button', { name: 'Play', exact: true }).click();
      await page.waitForTimeout(1500);
      await root.getByRole('button', { name: 'Pause', exact: true }).click();
      const played = await texts(root);
      assert.ok(played.epoch > before.epoch && played.train < before.train, `JupyterLab: Play trains (${JSON.stringify(before)} → ${JSON.stringify(played)})`);
      await root.screenshot({ path: path.join(SCREENSHOT_DIR, 'playground-lab.png') });
      // save, then reload: the saved output mounts the trainer again, and it trains, with no cell run
      await page.keyboard.press('Control+s');
      await page.waitForFunction(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        () => !(window as any).jupyterapp.shell.currentWidget.context.model.dirty, null, { timeout: 30_000 });
      await page.goto(url.replace('?reset', ''), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      const again = page.locator('.jp-OutputArea [data-bp-playground]').first();
      await again.locator('.bp-pg-stats').waitFor({ timeout: 60_000 });
      assert.equal((await texts(again)).epoch, 0, 'the reloaded trainer starts at epoch 0');
      await again.getByRole('button', { name: 'Play', exact: true }).click();
      await page.waitForTimeout(1000);
      assert.ok((await texts(again)).epoch > 0, 'the reloaded trainer trains without the kernel');
      const bad = tracked.unexpectedErrors();
      assert.deepEqual(bad, [], 'no unexpected page errors');
    } finally {
      await page.close();
      await server.stop();
    }
  });
});
