/**
 * The progress observer of long fits (src/notebook/progress.ts), driven by real `MLP.fit` runs with a
 * fake clock that the test advances in `onEpoch`: silence for short runs, one display updated at a
 * bounded rate for long ones, a final state that says how the run ended, chart points that are the
 * run's own history, and nothing registered outside a kernel.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLP, binaryCrossEntropy, makeCircles, relu, sigmoid, type FitHistory } from '../../src';
import { setFitObserver } from '../../src/core/observe';
import {
  createProgressObserver, progressHtml, progressLine, PROGRESS_ATTRIBUTE, type ProgressSnapshot,
} from '../../src/notebook/progress';
import { kernelHooksInstalled, lastCellError } from '../../src/notebook/kernel';
import '../../src/notebook';

const { X, y } = makeCircles({ nSamples: 100, factor: 0.5, noise: 0.1, seed: 0 });
const net = (): MLP => new MLP({ layers: [2, 4, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 7 });

interface Recorder {
  displays: number;
  snapshots: ProgressSnapshot[];
  html: string[];
}

/** A progress observer on a fake clock; `tick(ms)` advances it. */
function harness(options: { delayMs?: number; intervalMs?: number; maxPoints?: number } = {}) {
  let t = 0;
  const rec: Recorder = { displays: 0, snapshots: [], html: [] };
  const observer = createProgressObserver({
    newDisplay: () => {
      rec.displays++;
      return { html: (s: string) => rec.html.push(s) };
    },
    now: () => t,
    render: (s) => {
      rec.snapshots.push(s);
      return progressHtml(s);
    },
    ...options,
  });
  setFitObserver(observer);
  return { rec, observer, tick: (ms: number) => { t += ms; } };
}

afterEach(() => {
  setFitObserver(null);
});

describe('progress of fit', () => {
  test('a fit that ends within the delay shows nothing', () => {
    const h = harness();
    net().fit(X, y, { epochs: 90, learningRate: 0.1, onEpoch: () => h.tick(10) }); // 0.9 s
    assert.equal(h.rec.displays, 0);
    assert.equal(h.rec.html.length, 0);
  });

  test('a long fit shows one display, updated at most every interval, ending in "done"', () => {
    const h = harness();
    const history: FitHistory = net().fit(X, y, { epochs: 500, learningRate: 0.1, onEpoch: () => h.tick(10) }); // 5 s
    assert.equal(h.rec.displays, 1, 'one display for the whole run');
    // Running updates from 1 s on, at most one per 250 ms of the 5 s run, plus the final state.
    const running = h.rec.snapshots.filter((s) => s.state === 'running');
    assert.ok(running.length >= 14 && running.length <= 17, `${running.length} running updates`);
    for (let i = 1; i < running.length; i++) {
      assert.ok(running[i].elapsedMs - running[i - 1].elapsedMs >= 250, 'updates are at least 250 ms apart');
    }
    assert.ok(running[0].elapsedMs >= 1000, 'nothing before 1 s');
    const final = h.rec.snapshots[h.rec.snapshots.length - 1];
    assert.equal(final.state, 'done');
    assert.equal(final.epochsDone, 500);
    assert.equal(final.last?.loss, history.loss[499]);
    assert.equal(final.last?.accuracy, history.accuracy[499]);
    assert.deepEqual(final.loss, final.epochs.map((e) => history.loss[e]), 'chart points are the history');
    assert.equal(final.epochs[0], 0);
    assert.equal(final.epochs[final.epochs.length - 1], 499);
    const html = h.rec.html[h.rec.html.length - 1];
    assert.match(html, new RegExp(`${PROGRESS_ATTRIBUTE}="done"`));
    assert.match(html, /✓ done: 500 \/ 500 epochs in 5\.0 s, L = /);
  });

  test('a running update says the epoch, L, accuracy and time', () => {
    const h = harness();
    net().fit(X, y, { epochs: 300, learningRate: 0.1, onEpoch: () => h.tick(10) });
    const s = h.rec.snapshots.find((x) => x.state === 'running')!;
    const line = progressLine(s);
    assert.match(line, new RegExp(`^▶ epoch ${s.epochsDone} / 300, L = [0-9.e-]+, accuracy [0-9.]+, ${(s.elapsedMs / 1000).toFixed(1)} s$`));
    assert.equal(s.epochsDone, s.last!.epoch + 1);
  });

  test('stopped early by onEpoch: the final state says so, with the epochs run', () => {
    const h = harness();
    const history = net().fit(X, y, {
      epochs: 1000, learningRate: 0.1,
      onEpoch: (info) => {
        h.tick(10);
        return info.epoch < 300;
      },
    });
    assert.equal(history.loss.length, 301);
    const final = h.rec.snapshots[h.rec.snapshots.length - 1];
    assert.equal(final.state, 'stopped');
    assert.equal(final.epochsDone, 301);
    assert.match(progressLine(final), /^■ stopped early by onEpoch after 301 \/ 1000 epochs \(3\.0 s\): L = /);
    assert.equal(h.rec.displays, 1);
  });

  test('a diverging fit ends in the error state with the error message', () => {
    const h = harness();
    let thrown: Error | undefined;
    try {
      net().fit(X, y, { epochs: 1000, learningRate: 1e300, onEpoch: () => h.tick(1100) }); // diverges in epoch 1
    } catch (e) {
      thrown = e as Error;
    }
    assert.ok(thrown, 'fit threw');
    assert.match(thrown.message, /diverged/);
    const final = h.rec.snapshots[h.rec.snapshots.length - 1];
    assert.equal(final.state, 'error');
    assert.equal(final.error, thrown);
    assert.equal(h.rec.displays, 1);
    assert.equal(final.epochsDone, 1, 'epoch 0 recorded its loss; epoch 1 failed in its forward pass');
    assert.ok(progressLine(final).startsWith('✗ stopped by an error after 1 / 1000 epochs (1.1 s): MLP.fit: '), progressLine(final));
    assert.ok(progressLine(final).includes(thrown.message));
  });

  test('a short run that fails stays quiet (the error is shown by the cell)', () => {
    const h = harness();
    assert.throws(() => net().fit(X, y, { epochs: 1000, learningRate: 1e300, onEpoch: () => h.tick(1) }), /diverged/);
    assert.equal(h.rec.displays, 0);
  });

  test('long runs keep a bounded number of chart points, every stride-th epoch, plus the last', () => {
    const h = harness({ maxPoints: 64 });
    const history = net().fit(X, y, { epochs: 1001, learningRate: 0.1, onEpoch: () => h.tick(5) });
    const final = h.rec.snapshots[h.rec.snapshots.length - 1];
    assert.ok(final.epochs.length <= 65, `${final.epochs.length} points`);
    assert.ok(final.epochs.length >= 32, 'not thinned more than needed');
    const stride = final.epochs[1] - final.epochs[0];
    assert.ok(stride >= 16 && (stride & (stride - 1)) === 0, `stride ${stride} is a power of two`);
    final.epochs.slice(0, -1).forEach((e, i) => assert.equal(e, i * stride));
    assert.equal(final.epochs[final.epochs.length - 1], 1000);
    assert.deepEqual(final.loss, final.epochs.map((e) => history.loss[e]));
  });

  test('interruptActive ends a run that never reported its end', () => {
    const h = harness();
    const run = h.observer.start({ network: 'MLP 2-4-1', layers: [2, 4, 1], epochs: 50, learningRate: 0.1, samples: 100 })!;
    for (let e = 0; e < 20; e++) {
      h.tick(100);
      run.epoch({ epoch: e, epochs: 50, loss: 1 / (e + 1), accuracy: 0.5 });
    }
    h.observer.interruptActive();
    const final = h.rec.snapshots[h.rec.snapshots.length - 1];
    assert.equal(final.state, 'interrupted');
    assert.equal(final.epochsDone, 20);
    assert.match(progressLine(final), /^■ interrupted after 20 \/ 50 epochs \(2\.0 s\): L = 0\.05, accuracy 0\.5$/);
    run.end({ epochsRun: 20, epochs: 50, stoppedEarly: false }); // a late end changes nothing
    assert.equal(h.rec.snapshots[h.rec.snapshots.length - 1].state, 'interrupted');
  });

  test('progressHtml escapes the network and shows the chart only when there are points', () => {
    const s: ProgressSnapshot = {
      state: 'running', start: { network: 'MLP <2-4-1>', layers: [2, 4, 1], epochs: 10, learningRate: 0.5, samples: 4 },
      epochsDone: 0, elapsedMs: 1200, epochs: [], loss: [],
    };
    const html = progressHtml(s);
    assert.ok(html.includes('MLP &#60;2-4-1&#62;, η = 0.5, 4 samples'));
    assert.ok(!html.includes('data-bp-plot'), 'no chart without points');
    assert.match(progressHtml({ ...s, epochs: [0], loss: [0.7] }), /data-bp-plot=/);
  });

  test('createProgressObserver rejects options without newDisplay', () => {
    assert.throws(() => createProgressObserver({} as never), /createProgressObserver: options.newDisplay must be a function/);
  });
});

describe('outside a tslab kernel', () => {
  test('importing the notebook kit installs no hooks and registers no fit observer', () => {
    assert.equal(kernelHooksInstalled(), false);
    assert.equal(lastCellError(), undefined);
    assert.equal(setFitObserver(null), null, 'no observer was registered by the import');
  });
});
