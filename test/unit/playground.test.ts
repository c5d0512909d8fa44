/**
 * The live trainer's engine and notebook 07's figures, without a browser: settings, the training
 * adapter (its SGD path is `fit`, bit for bit, however the epochs are split), the trainer (replay,
 * changes, divergence, maxEpochs, the time-budgeted speed), the per-unit grids against independent
 * computations, dead units, colours, the boundary's line segments, the network geometry, and the
 * trainer's HTML output.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { relu, sigmoid, softmax, tanh } from '../../src/core/activations';
import { binaryCrossEntropy, categoricalCrossEntropy } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { DATASET_NAMES, makeDataset, trainTestSplit } from '../../src/data/datasets';
import { planeGrid } from '../../src/notebook/charts';
import { PROBABILITY_SCALE, SIGN, SIGN_SCALE } from '../../src/notebook/style';
import {
  OPTIMIZER_DEFAULTS, PLAYGROUND_ATTRIBUTE, PLAYGROUND_DEFAULTS, PlaygroundTrainer, TRAINING_CAPABILITIES, appendDecimated, checkTrainable,
  argMaxGrid, classBoundarySegments, classMargin, colorLut, colorScale, contourSegments, createTrainingRun, deadUnits, hexToRgb,
  networkLayout, optimizerLabel, paintClasses, paintGrid, playgroundData, playgroundHtml, playgroundSettings, runLabel, settingsAsOptions,
  unitGrids,
} from '../../src/notebook/playground';
import { boundaryAnimationFigure, networkWeightsFigure, trainTestFigure, unitViewsFigure } from '../../src/notebook/network-views';

const bitsEqual = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

// ----- settings
test('playgroundSettings: defaults, and every bad option named with what it must be', () => {
  const s = playgroundSettings();
  assert.deepEqual(s, { ...PLAYGROUND_DEFAULTS, hidden: [8, 8], optimizer: { name: 'sgd' } });
  assert.throws(() => playgroundSettings({ hiden: [3] } as never), /unknown option 'hiden'; the options are dataset, nClasses, nSamples/);
  assert.throws(() => playgroundSettings({ dataset: 'spirals' as never }),
    /dataset must be one of 'circles', 'moons', 'xor', 'gaussians', 'spiral'; received 'spirals'/);
  assert.throws(() => playgroundSettings({ dataset: 'spiral', nClasses: 6 }), /nClasses must be an integer in \[2, 5\]; received 6/);
  assert.throws(() => playgroundSettings({ dataset: 'spiral', nClasses: 5, nSamples: 9 }), /nSamples must be an integer in \[10, 5000\]/);
  assert.throws(() => playgroundSettings({ hidden: [8, 0] }), /hidden must be an array .* received \[8, 0\]/);
  assert.throws(() => playgroundSettings({ hidden: [64] }), /integers in \[1, 32\]/);
  assert.throws(() => playgroundSettings({ learningRate: -1 }), /learningRate must be a number in \(0, 100\]; received -1/);
  assert.throws(() => playgroundSettings({ nSamples: 10, testFraction: 0.9 }), /at least 1 test and 2 training samples/);
  assert.throws(() => playgroundSettings({ optimizer: { name: 'adam', beta1: 1.5 } }), /optimizer.beta1 must be a number in \[0, 1\)/);
  assert.throws(() => playgroundSettings({ optimizer: { name: 'sgd', beta: 0.9 } as never }), /optimizer \(sgd\) must be an object with only name/);
  assert.throws(() => playgroundSettings({ epochsPerFrame: 0 }), /epochsPerFrame must be 'auto' or an integer in \[1, 1000\]/);
  assert.throws(() => playgroundSettings({ seed: 1.5 }), /seed must be an integer; received 1.5/);
});

test('playgroundSettings: the spiral keeps its nClasses, other data sets have 2; optimisers carry every hyper-parameter', () => {
  assert.equal(playgroundSettings({ dataset: 'spiral', nClasses: 4 }).nClasses, 4);
  assert.equal(playgroundSettings({ dataset: 'moons', nClasses: 4 }).nClasses, 2);
  assert.deepEqual(playgroundSettings({ optimizer: { name: 'adam', beta2: 0.99 } }).optimizer,
    { name: 'adam', beta1: OPTIMIZER_DEFAULTS.adam.beta1, beta2: 0.99, epsilon: OPTIMIZER_DEFAULTS.adam.epsilon });
  assert.deepEqual(playgroundSettings({ optimizer: { name: 'momentum' } }).optimizer, { name: 'momentum', beta: 0.9 });
  // the defaults are fit's own: the same steps with and without them written out
  const { X, y } = makeDataset('moons', { nSamples: 60, noise: 0.2, seed: 3 });
  const fitted = (optimizer: object): Float64Array => {
    const n = new MLP({ layers: [2, 4, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 2 });
    n.fit(X, y, { epochs: 5, learningRate: 0.05, optimizer: optimizer as never });
    return n.W[1].data;
  };
  assert.ok(bitsEqual(fitted({ name: 'adam' }), fitted(playgroundSettings({ optimizer: { name: 'adam' } }).optimizer)));
  assert.ok(bitsEqual(fitted({ name: 'momentum' }), fitted(playgroundSettings({ optimizer: { name: 'momentum' } }).optimizer)));
  const spiral = playgroundSettings({ dataset: 'spiral', nClasses: 3, optimizer: { name: 'adam' } });
  assert.deepEqual(playgroundSettings(settingsAsOptions(spiral)), spiral);
  assert.deepEqual(settingsAsOptions(playgroundSettings({ dataset: 'moons', nClasses: 3 })), { dataset: 'moons' });
});

test('settingsAsOptions: only what differs from the defaults, and it reproduces the settings', () => {
  const s = playgroundSettings({ dataset: 'moons', hidden: [3], seed: 9 });
  const o = settingsAsOptions(s);
  assert.deepEqual(o, { dataset: 'moons', hidden: [3], seed: 9 });
  assert.deepEqual(playgroundSettings(o), s);
  assert.deepEqual(settingsAsOptions(playgroundSettings()), {});
});

// ----- the adapter
test('adapter: every data set, the three optimisers, mini-batches and L2; a narrower set of capabilities refuses by name', () => {
  assert.deepEqual([...TRAINING_CAPABILITIES.datasets], [...DATASET_NAMES]);
  assert.deepEqual([...TRAINING_CAPABILITIES.optimizers], ['sgd', 'momentum', 'adam']);
  assert.equal(TRAINING_CAPABILITIES.miniBatches, true);
  assert.equal(TRAINING_CAPABILITIES.l2, true);
  for (const options of [{ optimizer: { name: 'adam' as const } }, { batchSize: 32 }, { l2: 0.01 }, { dataset: 'spiral' as const, nClasses: 3 }]) {
    assert.doesNotThrow(() => checkTrainable(playgroundSettings(options)));
    assert.doesNotThrow(() => playgroundHtml(options, { id: 'x' }));
  }
  const narrow = { datasets: ['circles', 'moons'] as const, optimizers: ['sgd'] as const, miniBatches: false, l2: false };
  assert.throws(() => checkTrainable(playgroundSettings({ optimizer: { name: 'adam' } }), narrow), /optimizer 'adam' is not offered; the optimisers are 'sgd'/);
  assert.throws(() => checkTrainable(playgroundSettings({ batchSize: 32 }), narrow), /batchSize 32 is not offered .*use batchSize: 'full'/);
  assert.throws(() => checkTrainable(playgroundSettings({ l2: 0.01 }), narrow), /l2 0.01 is not offered/);
  assert.throws(() => checkTrainable(playgroundSettings({ dataset: 'xor' }), narrow), /dataset 'xor' is not among the data sets offered \(circles, moons\)/);
});

test('adapter: its full-batch SGD path is fit, bit for bit, however the epochs are split', () => {
  const settings = playgroundSettings({ dataset: 'moons', hidden: [5, 3], activation: 'tanh', learningRate: 0.4, seed: 4 });
  const data = playgroundData(settings);
  const run = createTrainingRun(settings, 2, 1);
  const h1 = run.train(data.XTrain, data.yTrain, 3);
  const h2 = run.train(data.XTrain, data.yTrain, 7);
  // the oracle: a network built directly (seed + 1, the settings' init) and fitted once for 10 epochs
  const direct = new MLP({ layers: [2, 5, 3, 1], activations: [tanh, tanh, sigmoid], loss: binaryCrossEntropy, seed: 5, init: 'xavier' });
  const h = direct.fit(data.XTrain, data.yTrain, { epochs: 10, learningRate: 0.4 });
  assert.ok(bitsEqual([...h1.loss, ...h2.loss], h.loss), 'the same losses epoch by epoch');
  for (let l = 1; l <= 3; l++) {
    assert.ok(bitsEqual(run.net.W[l].data, direct.W[l].data), `W[${l}] bit-identical`);
    assert.ok(bitsEqual(run.net.b[l].data, direct.b[l].data), `b[${l}] bit-identical`);
  }
  // a new learning rate applies from the next call on
  run.setLearningRate(0.1);
  run.train(data.XTrain, data.yTrain, 1);
  direct.fit(data.XTrain, data.yTrain, { epochs: 1, learningRate: 0.1 });
  assert.ok(bitsEqual(run.net.W[1].data, direct.W[1].data));
});

test('adapter: Adam or momentum with mini-batches and L2, trained in chunks, is one long fit, bit for bit', () => {
  const cases = [
    { optimizer: { name: 'adam' as const, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }, batchSize: 32, l2: 0.003, dataset: 'moons' as const, nClasses: 2 },
    { optimizer: { name: 'momentum' as const, beta: 0.7 }, batchSize: 7, l2: 0.01, dataset: 'spiral' as const, nClasses: 3 },
  ];
  for (const c of cases) {
    const settings = playgroundSettings({ ...c, nSamples: 150, hidden: [6, 4], activation: 'relu', init: 'he', learningRate: 0.02, seed: 11 });
    const data = playgroundData(settings);
    const k = data.yTrain.cols;
    const run = createTrainingRun(settings, 2, k);
    const chunks = [1, 4, 2, 5, 3].map((e) => run.train(data.XTrain, data.yTrain, e));
    // the oracle: one fit of 15 epochs, the shuffles seeded with seed + 3, on a network built by hand
    const out = k === 1 ? { f: sigmoid, loss: binaryCrossEntropy } : { f: softmax, loss: categoricalCrossEntropy };
    const direct = new MLP({ layers: [2, 6, 4, k], activations: [relu, relu, out.f], loss: out.loss, seed: 12, init: 'he' });
    const h = direct.fit(data.XTrain, data.yTrain, { epochs: 15, learningRate: 0.02, batchSize: c.batchSize, l2: c.l2, optimizer: c.optimizer, seed: 14 });
    assert.equal(run.net.loss, out.loss);
    assert.equal(run.net.activations[2], out.f);
    assert.ok(bitsEqual(chunks.flatMap((x) => x.loss), h.loss), `${c.optimizer.name}: the same losses epoch by epoch`);
    for (let l = 1; l <= 3; l++) {
      assert.ok(bitsEqual(run.net.W[l].data, direct.W[l].data), `${c.optimizer.name}: W[${l}] bit-identical`);
      assert.ok(bitsEqual(run.net.b[l].data, direct.b[l].data), `${c.optimizer.name}: b[${l}] bit-identical`);
    }
    // and chunks differ from restarting the optimiser each time: the test can fail
    const restarted = createTrainingRun(settings, 2, k);
    for (const e of [1, 4, 2, 5, 3]) {
      restarted.net.resetOptimizer();
      restarted.train(data.XTrain, data.yTrain, e);
    }
    assert.ok(!bitsEqual(restarted.net.W[1].data, direct.W[1].data), 'a lost optimiser state would show');
  }
});

// ----- the trainer
test('trainer: data and split from the seed; the same settings replay the same run', () => {
  const t = new PlaygroundTrainer({ dataset: 'circles', nSamples: 200, noise: 0.1, testFraction: 0.25, seed: 3 });
  const { X, y } = makeDataset('circles', { nSamples: 200, noise: 0.1, seed: 3 });
  const split = trainTestSplit(X, y, { testFraction: 0.25, seed: 5 });
  assert.ok(bitsEqual(t.data.XTrain.data, split.XTrain.data) && bitsEqual(t.data.yTest.data, split.yTest.data));
  assert.equal(t.data.XTest.rows, 50);
  t.train(4);
  t.train(6);
  const after10 = t.status();
  assert.equal(after10.epoch, 10);
  const w = Float64Array.from(t.net.W[1].data);
  t.reset();
  assert.equal(t.status().epoch, 0);
  t.train(10);
  assert.ok(bitsEqual(t.net.W[1].data, w), 'reset + 10 epochs gives the same weights');
  assert.deepEqual(t.status(), after10);
  // the losses it shows are the network's own on each part
  assert.equal(after10.testLoss, t.net.lossOn(t.data.XTest, t.data.yTest));
  assert.equal(after10.trainLoss, t.net.lossOn(t.data.XTrain, t.data.yTrain));
});

test('trainer: changes rebuild what they must; training goes down', () => {
  const t = new PlaygroundTrainer({ nSamples: 200, seed: 2 });
  const first = t.status();
  t.train(200);
  assert.ok(t.status().trainLoss < first.trainLoss, 'the training loss falls');
  assert.equal(t.change({ learningRate: 0.1 }), 'none');
  assert.equal(t.epoch, 200, 'a new learning rate keeps the run');
  assert.equal(t.change({ hidden: [3] }), 'network');
  assert.equal(t.epoch, 0);
  assert.deepEqual(t.net.layers, [2, 3, 1]);
  assert.equal(t.change({ dataset: 'moons' }), 'data');
  assert.equal(t.settings.dataset, 'moons');
  assert.throws(() => t.change({ hidden: [-1] }), /hidden must be/);
  assert.deepEqual(t.net.layers, [2, 3, 1], 'a rejected change changes nothing');
});

test('trainer: divergence stops the run with a message instead of throwing; maxEpochs stops it', () => {
  const t = new PlaygroundTrainer({ nSamples: 100, learningRate: 100, activation: 'identity', hidden: [4], init: 'normal', seed: 1 });
  let ran = 0;
  for (let k = 0; k < 50 && !t.stopped; k++) ran += t.train(20);
  assert.ok(t.stopped, 'it diverged');
  assert.match(t.status().stopped ?? '', /^Training diverged at epoch \d+ \(learning rate 100\): lower the learning rate and press Reset\.$/);
  assert.equal(t.train(5), 0, 'a stopped run does not train');
  t.reset();
  assert.equal(t.stopped, false);
  const m = new PlaygroundTrainer({ nSamples: 100, maxEpochs: 25 });
  assert.equal(m.train(10) + m.train(10) + m.train(10), 25);
  assert.match(m.status().stopped ?? '', /Stopped after 25 epochs/);
  m.change({ maxEpochs: 40 });
  assert.equal(m.stopped, false, 'a higher maxEpochs lets it go on');
  assert.equal(m.train(100), 15);
  void ran;
});

test('trainer: a diverged run goes back to the last weights that trained, and they replay', () => {
  const options = { nSamples: 100, learningRate: 100, activation: 'identity' as const, hidden: [4], init: 'normal' as const, seed: 1 };
  const t = new PlaygroundTrainer(options);
  for (let k = 0; k < 50 && !t.stopped; k++) t.train(3);
  assert.ok(t.stopped);
  const at = Number(/diverged at epoch (\d+)/.exec(t.status().stopped ?? '')?.[1]);
  assert.ok(t.epoch <= at && at < t.epoch + 3, `shown epoch ${t.epoch}, diverged at ${at}`);
  assert.ok(t.net.W.slice(1).every((w) => w.isFinite()), 'the weights shown are finite');
  const replay = new PlaygroundTrainer(options);
  replay.train(t.epoch);
  for (let l = 1; l <= t.net.L; l++) assert.ok(bitsEqual(replay.net.W[l].data, t.net.W[l].data), `W[${l}]: the run at epoch ${t.epoch}`);
  // weights that overflow ŷ (set by hand): status and the pictures do not throw; the run stops
  const u = new PlaygroundTrainer({ nSamples: 100, hidden: [3], activation: 'identity', seed: 2 });
  u.net.W[1].data.fill(1e300);
  u.net.W[2].data.set([1e300, -1e300, 1e300]); // z[2] = ∞ − ∞ + ∞: NaN
  const s = u.status();
  assert.ok(Number.isNaN(s.trainLoss) && Number.isNaN(s.testLoss));
  assert.match(s.stopped ?? '', /^Training diverged at epoch 0/);
  assert.ok(u.pictures().layers[2][0].some((v) => !Number.isFinite(v)));
  assert.equal(u.train(1), 0);
});

test('trainer: the three-class spiral trains k softmax outputs; pictures and labels per class', () => {
  const t = new PlaygroundTrainer({ dataset: 'spiral', nClasses: 3, nSamples: 300, noise: 0.05, hidden: [12, 12], activation: 'tanh',
    optimizer: { name: 'adam' }, learningRate: 0.02, batchSize: 32, seed: 5 });
  const { X, y } = makeDataset('spiral', { nSamples: 300, nClasses: 3, noise: 0.05, seed: 5 });
  assert.ok(bitsEqual(t.data.X.data, X.data) && bitsEqual(t.data.y.data, y.data));
  assert.equal(t.data.classes, 3);
  assert.deepEqual(t.net.layers, [2, 12, 12, 3]);
  assert.equal(t.net.activations[2], softmax);
  assert.equal(t.net.loss, categoricalCrossEntropy);
  assert.deepEqual(t.data.trainLabels.slice(0, 5), Array.from({ length: 5 }, (_, i) => t.data.yTrain.row(i).indexOf(1)));
  const before = t.status();
  assert.ok(Math.abs(before.trainLoss - t.net.lossOn(t.data.XTrain, t.data.yTrain)) === 0);
  t.train(150);
  const after = t.status();
  assert.ok(after.trainLoss < 0.5 * before.trainLoss, `the loss falls: ${before.trainLoss} → ${after.trainLoss}`);
  assert.ok(after.trainAccuracy > 0.8, `accuracy ${after.trainAccuracy}`);
  const p = t.pictures();
  assert.equal(p.layers[3].length, 3, 'one output picture per class');
  const sum = p.layers[3][0].map((v, i) => v + p.layers[3][1][i] + p.layers[3][2][i]);
  assert.ok(sum.every((v) => Math.abs(v - 1) < 1e-12), 'softmax outputs sum to 1 at every grid point');
});

test('trainer: a new optimiser restarts the run from the same initial weights; a new learning rate goes on', () => {
  const t = new PlaygroundTrainer({ nSamples: 120, seed: 8 });
  const w0 = Float64Array.from(t.net.W[1].data);
  t.train(20);
  assert.equal(t.change({ optimizer: { name: 'momentum', beta: 0.5 } }), 'network');
  assert.equal(t.epoch, 0);
  assert.ok(bitsEqual(t.net.W[1].data, w0), 'the same start');
  t.train(20);
  assert.equal(t.change({ optimizer: { name: 'momentum', beta: 0.8 } }), 'network', 'a new β restarts too');
  assert.equal(t.change({ learningRate: 0.1 }), 'none');
  assert.equal(t.change({ dataset: 'spiral', nClasses: 4 }), 'data');
  assert.deepEqual(t.net.layers, [2, 8, 8, 4]);
  assert.equal(t.change({ nClasses: 3 }), 'data');
  assert.equal(t.change({ dataset: 'moons' }), 'data');
  assert.equal(t.settings.nClasses, 2);
  assert.deepEqual(t.net.layers, [2, 8, 8, 1]);
});

test('trainer: trainFor spends about the budget of a clock and gives the numbers of train(N)', () => {
  let now = 0;
  const clock = (): number => now;
  const t = new PlaygroundTrainer({ nSamples: 100, seed: 6 });
  // a fake clock: every epoch takes 0.5 ms
  const original = t.train.bind(t);
  t.train = (k: number): number => {
    now += 0.5 * k;
    return original(k);
  };
  const ran = t.trainFor(10, clock);
  assert.ok(ran >= 15 && ran <= 20, `about 10 ms of 0.5 ms epochs; ran ${ran}`);
  const u = new PlaygroundTrainer({ nSamples: 100, seed: 6 });
  u.train(ran);
  assert.ok(bitsEqual(u.net.W[2].data, t.net.W[2].data));
});

test('trainer: the loss curve is thinned, keeping the first and the newest points', () => {
  const series: number[] = [];
  for (let i = 0; i < 1000; i++) appendDecimated(series, i, 50);
  assert.ok(series.length <= 50);
  assert.equal(series[0], 0);
  assert.equal(series[series.length - 1], 999);
  assert.ok(series.every((v, i) => i === 0 || v > series[i - 1]), 'in order');
});

// ----- per-unit grids and dead units
test('unitGrids: layer 1 is f(x₁W₀ⱼ + x₂W₁ⱼ + bⱼ) at every grid point; layer L is predict', () => {
  const net = new MLP({ layers: [2, 4, 3, 1], activations: [tanh, relu, sigmoid], loss: binaryCrossEntropy, seed: 9, init: 'normal', sigma: 1 });
  const { X } = makeDataset('moons', { nSamples: 60, noise: 0.1, seed: 2 });
  const g = unitGrids(net, X, 9);
  const grid = planeGrid(X, 9);
  assert.deepEqual(g.grid.xs, grid.xs);
  for (let j = 0; j < 4; j++) {
    const hand = grid.xs.flatMap((_, c) => grid.ys.map((__, r) => ({ r, c }))).sort((p, q) => p.r - q.r || p.c - q.c)
      .map(({ r, c }) => Math.tanh(grid.xs[c] * net.W[1].get(0, j) + grid.ys[r] * net.W[1].get(1, j) + net.b[1].get(0, j)));
    const worst = Math.max(...hand.map((v, i) => Math.abs(v - g.layers[1][j][i])));
    assert.ok(worst < 1e-14, `a[1]${j}: ${worst}`);
  }
  assert.ok(bitsEqual(g.layers[3][0], net.predict(grid.points).data), 'ŷ on the grid is predict on the grid points');
  assert.ok(bitsEqual(g.layers[0][1], grid.points.column(1)), 'layer 0 is the inputs');
  assert.equal(g.layerScale[1], Math.max(...g.layers[1].flatMap((v) => Array.from(v).map(Math.abs))));
});

test('deadUnits: a ReLU unit negative on every sample is dead; one positive somewhere is not; the network is untouched', () => {
  const net = new MLP({ layers: [2, 3, 2, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 1, init: 'he' });
  const X = Matrix.from([[0.5, 0.2], [-0.3, 0.8], [1.0, -1.0]]);
  net.b[1].set(0, 0, -50);
  net.W[1].set(0, 2, 1);
  net.W[1].set(1, 2, 0);
  net.b[1].set(0, 2, -0.9); // z = x₁ − 0.9 > 0 only for the last sample
  net.b[2].set(0, 1, -50);
  net.forward(Matrix.from([[9, 9]]));
  const zBefore = Float64Array.from(net.z[1].data);
  assert.deepEqual(deadUnits(net, X), [{ layer: 1, unit: 0 }, { layer: 2, unit: 1 }]);
  assert.ok(bitsEqual(net.z[1].data, zBefore), "the network's own buffers are untouched");
  // a dead unit's gradient is exactly zero, as the definition says
  net.forward(X);
  net.backward(Matrix.from([[1], [0], [1]]));
  assert.ok(net.dW[1].column(0).every((v) => v === 0) && net.db[1].get(0, 0) === 0);
  const tanhNet = new MLP({ layers: [2, 3, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 1 });
  assert.deepEqual(deadUnits(tanhNet, X), []);
});

// ----- colours and pictures
test('colorScale and colorLut: the stops exactly, linear in between, clamped', () => {
  const s = colorScale(SIGN_SCALE);
  assert.deepEqual(s(0), hexToRgb(SIGN.negative));
  assert.deepEqual(s(1), hexToRgb(SIGN.positive));
  assert.deepEqual(s(0.5), hexToRgb(SIGN.zero));
  assert.deepEqual(s(-3), s(0));
  const a = hexToRgb(SIGN_SCALE[1][1]);
  const b = hexToRgb(SIGN_SCALE[2][1]);
  assert.deepEqual(s(0.375), a.map((v, i) => Math.round((v + b[i]) / 2)));
  const lut = colorLut(PROBABILITY_SCALE, 3);
  assert.deepEqual(Array.from(lut), [...hexToRgb('#c2a5cf'), ...hexToRgb('#f7f7f7'), ...hexToRgb('#a6dba0')]);
  assert.throws(() => colorScale([[0, '#000000']]), /positions rising from 0 to 1/);
});

test('paintGrid: one pixel per grid point, the highest y at the top row', () => {
  const lut = colorLut(SIGN_SCALE, 256);
  const values = [-1, 0, 1, 1, 0, -1]; // 3 x 2 grid: row 0 (low y) then row 1
  const out = new Uint8Array(4 * 6);
  paintGrid(values, 3, 2, lut, -1, 1, out);
  const px = (i: number): number[] => Array.from(out.slice(4 * i, 4 * i + 3));
  assert.deepEqual(px(0), hexToRgb(SIGN.positive), 'top-left pixel is grid row 1, column 0 (value 1)');
  assert.deepEqual(px(3), hexToRgb(SIGN.negative), 'bottom-left pixel is grid row 0, column 0 (value −1)');
  assert.equal(out[3], 255);
  assert.throws(() => paintGrid(values, 2, 2, lut, -1, 1, out), /nx·ny = 4/);
});

test('contourSegments: on a linear field every end point lies exactly on the level line; saddles give two segments', () => {
  const nx = 7;
  const ny = 5;
  const f = (c: number, r: number): number => 0.3 * c - 0.5 * r + 0.2;
  const values = Array.from({ length: nx * ny }, (_, i) => f(i % nx, Math.floor(i / nx)));
  const segs = contourSegments(values, nx, ny, 0.4);
  assert.ok(segs.length > 0);
  for (const [c0, r0, c1, r1] of segs) {
    assert.ok(Math.abs(f(c0, r0) - 0.4) < 1e-12 && Math.abs(f(c1, r1) - 0.4) < 1e-12);
  }
  // a saddle: corners 0 and 2 above, 1 and 3 below; the centre decides the pairing
  const saddle = contourSegments([1, 0, 0, 1], 2, 2, 0.5); // (r0,c0)=1, (r0,c1)=0, (r1,c0)=0, (r1,c1)=1
  assert.equal(saddle.length, 2);
  assert.deepEqual(contourSegments([0, 0, 0, 0], 2, 2, 0.5), []);
});

test('argMaxGrid, classMargin, classBoundarySegments: regions and borders of k outputs', () => {
  // three classes on a 4 x 3 grid: ŷ₀ = 1 − x, ŷ₂ = x (columns 0..3 scaled), ŷ₁ constant 0.3
  const nx = 4;
  const ny = 3;
  const x = Array.from({ length: nx * ny }, (_, i) => (i % nx) / (nx - 1));
  const outputs = [Float64Array.from(x, (v) => 1 - v), Float64Array.from(x, () => 0.3), Float64Array.from(x, (v) => v)];
  assert.deepEqual(Array.from(argMaxGrid(outputs)).slice(0, 4), [0, 0, 2, 2]);
  const m0 = classMargin(outputs, 0);
  assert.ok(Math.abs(m0[0] - 0.7) < 1e-15 && Math.abs(m0[1] - (2 / 3 - 1 / 3)) < 1e-15, 'ŷ₀ − max(ŷ₁, ŷ₂)');
  assert.ok(classMargin(outputs, 1).every((v) => v < 0), 'class 1 wins nowhere');
  // the one border is x = 1/2, i.e. column 1.5 of the grid, in every row
  const segs = classBoundarySegments(outputs, nx, ny);
  assert.ok(segs.length >= 2);
  for (const [c0, , c1] of segs) assert.ok(Math.abs(c0 - 1.5) < 1e-12 && Math.abs(c1 - 1.5) < 1e-12, `segment at column ${c0}, ${c1}`);
  assert.throws(() => argMaxGrid([outputs[0]]), /at least 2 pictures/);
  assert.throws(() => classMargin(outputs, 3), /c must be a class in 0..2/);
});

test('paintClasses: white mixed with the arg-max class colour, stronger where surer', () => {
  const colors = [hexToRgb('#7b3294'), hexToRgb('#1b7837')];
  // 2 x 1 grid: point 0 sure of class 1 (ŷ = 0, 1), point 1 unsure (0.5, 0.5) → class 0 on the tie
  const outputs = [Float64Array.from([0, 0.5]), Float64Array.from([1, 0.5])];
  const out = new Uint8Array(8);
  paintClasses(outputs, 2, 1, colors, out, { faint: 0.1, strong: 0.5 });
  const mix = (c: number[], t: number): number[] => c.map((v) => Math.round(255 + (v - 255) * t));
  assert.deepEqual(Array.from(out.slice(0, 3)), mix(colors[1], 0.5));
  assert.deepEqual(Array.from(out.slice(4, 7)), mix(colors[0], 0.1));
  assert.equal(out[7], 255);
});

test('trainer: the previous run is kept beside the current one after a change of training, dropped with new data', () => {
  const t = new PlaygroundTrainer({ nSamples: 100, seed: 4 });
  assert.equal(t.previous, null);
  for (let i = 0; i < 5; i++) { t.train(4); t.record(); }
  const curve = t.curve.map((p) => ({ ...p }));
  t.change({ optimizer: { name: 'adam' }, learningRate: 0.01 });
  assert.deepEqual(t.previous?.curve, curve);
  assert.equal(t.previous?.label, '2-8-8-1 tanh, SGD, full batch, η = 0.3');
  assert.equal(t.previous?.sameStart, true);
  t.train(3);
  t.record();
  t.change({ hidden: [4] });
  assert.equal(t.previous?.label, '2-8-8-1 tanh, Adam β₁ = 0.9, β₂ = 0.999, ε = 1e-8, full batch, η = 0.01');
  assert.equal(t.previous?.sameStart, false, 'other layers, other initial weights');
  t.change({ seed: 5 });
  assert.equal(t.previous, null);
  assert.equal(optimizerLabel({ name: 'momentum', beta: 0.5 }), 'momentum β = 0.5');
  assert.equal(runLabel(playgroundSettings({ hidden: [], batchSize: 16, l2: 0.001 }), [2, 1]), '2-1, SGD, batch 16, η = 0.3, λ = 0.001');
});

// ----- the network's geometry
test('networkLayout: columns per layer, one edge per weight, width ∝ |w|, colour by sign', () => {
  const W = [new Matrix(0, 0), Matrix.from([[1, -2, 0], [0.5, 4, -4]]), Matrix.from([[2], [-1], [0]])];
  const g = networkLayout([2, 3, 1], W, { width: 300, height: 200, margin: 0, maxWidth: 6, minWidth: 1 });
  assert.equal(g.nodes.length, 6);
  assert.equal(g.edges.length, 9);
  assert.deepEqual([...new Set(g.nodes.map((n) => n.x))], [0, 150, 300]);
  assert.equal(g.maxAbsWeight, 4);
  assert.equal(g.spacing, 100);
  const e = (l: number, i: number, j: number) => g.edges.find((x) => x.layer === l && x.from === i && x.to === j)!;
  assert.equal(e(1, 1, 1).width, 6);
  assert.equal(e(1, 0, 0).width, 1 + 5 * 0.25);
  assert.equal(e(1, 0, 2).width, 1);
  assert.equal(e(1, 0, 1).color, SIGN.negative);
  assert.equal(e(2, 0, 0).color, SIGN.positive);
  assert.equal(e(2, 2, 0).color, SIGN.zero);
  // the output unit is centred
  assert.equal(g.nodes.find((n) => n.layer === 2)!.y, 100);
  assert.throws(() => networkLayout([2, 3, 1], [W[0], W[2], W[1]]), /W\[1\] must be 2x3; received 3x1/);
});

// ----- the HTML output
test('playgroundHtml: one element and one script with the bundle, the options checked and escaped', () => {
  const html = playgroundHtml({ dataset: 'moons', hidden: [4], seed: 5 }, { id: 'pg-test' });
  assert.equal(html.split(`${PLAYGROUND_ATTRIBUTE}="pg-test"`).length, 2, 'one element');
  assert.ok(html.includes(`[${PLAYGROUND_ATTRIBUTE}=\\"pg-test\\"]`), 'the script mounts into it');
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.equal((html.match(/<\/script>/gi) ?? []).length, 1, 'nothing inside the script closes it');
  assert.ok(!/<!--/.test(html.slice(html.indexOf('<script'))), 'no HTML comment opens inside the script');
  assert.match(html, /"dataset":"moons","hidden":\[4\],"seed":5/);
  assert.match(html, /BackpropPlayground/);
  assert.equal(playgroundHtml({ seed: 5 }, { id: 'a' }), playgroundHtml({ seed: 5 }, { id: 'a' }), 'deterministic with an id');
  assert.throws(() => playgroundHtml({ seed: 5 }, { id: 'a b' }), /id must match/);
  assert.throws(() => playgroundHtml({ hidden: [0] }), /hidden must be/);
});

// ----- notebook 07's figures
test('unitViewsFigure: one heatmap per hidden unit, one symmetric scale per layer, dead units marked', () => {
  const net = new MLP({ layers: [2, 3, 2, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 1, init: 'he' });
  net.b[1].set(0, 1, -100);
  const { X } = makeDataset('circles', { nSamples: 50, noise: 0.1, seed: 1 });
  const fig = unitViewsFigure({ net, X, title: 'units', resolution: 10 });
  const maps = fig.data.filter((d) => d.type === 'heatmap') as Array<{ zmin: number; zmax: number; z: number[][] }>;
  assert.equal(maps.length, 5);
  assert.ok(maps.every((m) => m.zmin === -m.zmax && m.z.length === 10 && m.z[0].length === 10));
  assert.equal(maps[0].zmax, maps[2].zmax, 'one scale per layer');
  const notes = (fig.layout?.annotations ?? []).map((a) => String(a.text));
  assert.ok(notes.includes('a[1]₂ dead'), notes.join(' | '));
  assert.equal(notes.filter((n) => /dead/.test(n)).length, 1);
  assert.throws(() => unitViewsFigure({ net: new MLP({ layers: [2, 1], activations: [sigmoid], loss: binaryCrossEntropy, seed: 1 }), X, title: '' }), /layers must be a non-empty list/);
});

test('networkWeightsFigure: one line per weight, coloured by sign, the widest for the largest |w|', () => {
  const net = new MLP({ layers: [2, 4, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 3, init: 'normal', sigma: 1 });
  const fig = networkWeightsFigure({ net, title: 'net' });
  const shapes = fig.layout?.shapes ?? [];
  assert.equal(shapes.length, 2 * 4 + 4);
  const weights = [...net.W[1].data, ...net.W[2].data];
  const widest = Math.max(...shapes.map((s) => Number(s.line?.width)));
  const iMax = weights.map(Math.abs).indexOf(Math.max(...weights.map(Math.abs)));
  assert.equal(Number(shapes[iMax].line?.width), widest);
  shapes.forEach((s, i) => assert.equal(s.line?.color, weights[i] > 0 ? SIGN.positive : SIGN.negative));
});

test('boundaryAnimationFigure: one frame and one slider step per snapshot, each with that snapshot\'s ŷ and boundary', () => {
  const { X, y } = makeDataset('moons', { nSamples: 40, noise: 0.1, seed: 1 });
  const net = new MLP({ layers: [2, 3, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 3 });
  const snaps = [0, 5, 20].map((e) => {
    if (e > 0) net.fit(X, y, { epochs: e === 5 ? 5 : 15, learningRate: 1 });
    const json = net.toJSON();
    return { epoch: e, predict: (P: Matrix) => MLP.fromJSON(json).predict(P) };
  });
  const grid = planeGrid(X, 8);
  const last = net.predict(grid.points);
  const boundary = contourSegments(last.data, 8, 8, 0.5);
  const dx = (grid.xs[7] - grid.xs[0]) / 7;
  // frames: the animation Plotly runs (slider steps and Play animate to them)
  const fig = boundaryAnimationFigure({ snapshots: snaps, X, y, title: 'moons', resolution: 8, controls: 'frames' });
  assert.deepEqual(fig.frames.map((f) => f.name), ['0', '5', '20']);
  const f2 = fig.frames[2];
  assert.deepEqual(f2.traces, [0, 1]);
  assert.equal((f2.data[0] as { z: number[][] }).z[7][7], Number(last.get(63, 0).toPrecision(3)));
  const bx = (f2.data[1] as { x: Array<number | null> }).x;
  assert.equal(bx.length, 3 * boundary.length, 'two ends and a gap per segment of the ŷ = 0.5 line');
  assert.equal(bx[0], Number((grid.xs[0] + boundary[0][0] * dx).toPrecision(4)));
  assert.equal((f2.layout?.title as { text: string }).text, 'moons, after 20 epochs');
  const steps = (fig.layout?.sliders?.[0]?.steps ?? []) as Array<{ label: string; method: string; args: unknown[] }>;
  assert.deepEqual(steps.map((x) => [x.label, x.method, (x.args[0] as string[])[0]]), [['0', 'animate', '0'], ['5', 'animate', '5'], ['20', 'animate', '20']]);
  const buttons = fig.layout?.updatemenus?.[0]?.buttons ?? [];
  assert.deepEqual(buttons.map((b) => b.label), ['Play', 'Pause']);
  assert.equal((fig.layout?.title as { text: string }).text, 'moons, after 0 epochs');
  // updates: each step restyles the traces itself (where the frames are dropped), no Play button
  const upd = boundaryAnimationFigure({ snapshots: snaps, X, y, title: 'moons', resolution: 8, controls: 'updates' });
  const usteps = (upd.layout?.sliders?.[0]?.steps ?? []) as Array<{ label: string; method: string; args: [{ z: number[][][]; x: unknown[][] }, Record<string, string>, number[]] }>;
  assert.deepEqual(usteps.map((x) => x.method), ['update', 'update', 'update']);
  assert.equal(usteps[2].args[0].z[0][7][7], Number(last.get(63, 0).toPrecision(3)));
  assert.deepEqual(usteps[2].args[0].x[1], bx);
  assert.equal(usteps[2].args[1]['title.text'], 'moons, after 20 epochs');
  assert.equal(upd.layout?.updatemenus, undefined);
  assert.equal(upd.frames.length, 3, 'the figure still carries its frames');
});

test('boundaryAnimationFigure: three classes: arg-max regions and the borders between them', () => {
  const { X, y } = makeDataset('spiral', { nSamples: 60, nClasses: 3, noise: 0.05, seed: 2 });
  const net = new MLP({ layers: [2, 6, 3], activations: [tanh, softmax], loss: categoricalCrossEntropy, seed: 4, init: 'xavier' });
  const fig = boundaryAnimationFigure({ snapshots: [{ epoch: 0, predict: (P) => net.predict(P) }], X, y, title: 'spiral', resolution: 10, controls: 'frames' });
  const grid = planeGrid(X, 10);
  const yhat = net.predict(grid.points);
  const z = (fig.frames[0].data[0] as { z: number[][] }).z;
  for (const i of [0, 37, 99]) {
    const row = yhat.row(i);
    assert.equal(z[Math.floor(i / 10)][i % 10], row.indexOf(Math.max(...row)), `class of grid point ${i}`);
  }
  assert.equal((fig.data[0] as { zmax: number }).zmax, 2.5);
  assert.equal(fig.data.filter((d) => (d as { mode?: string }).mode === 'markers').length, 3, 'one scatter per class');
  assert.throws(() => boundaryAnimationFigure({ snapshots: [{ epoch: 0, predict: (P) => net.predict(P) }, { epoch: 1, predict: (P) => new Matrix(P.rows, 1) }],
    X, y, title: 's', resolution: 5 }), /snapshots\[1\]\.predict must return ŷ as a 25x3 Matrix/);
});

test('trainTestFigure: a solid training and a dashed test curve per run', () => {
  const fig = trainTestFigure({ runs: [{ name: 'a', train: [1, 0.5], test: [1, 0.7] }, { name: 'b', train: [2], test: [3] }], title: 't' });
  assert.equal(fig.data.length, 4);
  assert.deepEqual(fig.data.map((d) => (d as { name: string }).name), ['a: training L', 'a: test L', 'b: training L', 'b: test L']);
  assert.equal((fig.data[1] as { line: { dash: string } }).line.dash, 'dash');
});
