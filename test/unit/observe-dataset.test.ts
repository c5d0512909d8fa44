/** The fit observer hook and makeDataset. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  MLP, binaryCrossEntropy, makeCircles, makeDataset, makeMoons, relu, setFitObserver, sigmoid,
  type FitEnd, type FitEpoch, type FitStart,
} from '../../src';

const data = makeCircles({ nSamples: 60, factor: 0.5, noise: 0.1, seed: 3 });
const newNet = (): MLP => new MLP({ layers: [2, 4, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 });

test('fit reports start, every epoch (the history’s numbers) and the end to the registered observer', () => {
  const starts: FitStart[] = [];
  const epochs: FitEpoch[] = [];
  const ends: FitEnd[] = [];
  setFitObserver({ start(info) { starts.push(info); return { epoch: (e) => epochs.push(e), end: (e) => ends.push(e) }; } });
  try {
    const h = newNet().fit(data.X, data.y, { epochs: 5, learningRate: 0.5 });
    assert.equal(starts.length, 1);
    assert.deepEqual(starts[0].layers, [2, 4, 1]);
    assert.equal(starts[0].samples, 60);
    assert.deepEqual(epochs.map((e) => e.loss), h.loss);
    assert.deepEqual(epochs.map((e) => e.accuracy), h.accuracy);
    assert.deepEqual(ends, [{ epochsRun: 5, epochs: 5, stoppedEarly: false }]);
    newNet().fit(data.X, data.y, { epochs: 5, learningRate: 0.5, onEpoch: ({ epoch }) => epoch < 1 });
    assert.deepEqual(ends[1], { epochsRun: 2, epochs: 5, stoppedEarly: true });
    assert.throws(() => newNet().fit(data.X, data.y, { epochs: 5, learningRate: 1e300 }), /diverged/);
    assert.match(String(ends[2].error), /diverged/);
  } finally {
    setFitObserver(null);
  }
});

test('an observer that throws never breaks training and gives the same history', () => {
  const reference = newNet().fit(data.X, data.y, { epochs: 4, learningRate: 0.5 });
  setFitObserver({ start() { return { epoch() { throw new Error('boom'); }, end() { throw new Error('boom'); } }; } });
  try {
    assert.deepEqual(newNet().fit(data.X, data.y, { epochs: 4, learningRate: 0.5 }), reference);
  } finally {
    setFitObserver(null);
  }
  assert.throws(() => setFitObserver(42 as never), /setFitObserver: observer must be an object with a start/);
});

test('makeDataset: circles (factor 0.5) and moons by name, bad names rejected', () => {
  const c = makeDataset('circles', { nSamples: 50, noise: 0.1, seed: 2 });
  assert.ok(c.X.equals(makeCircles({ nSamples: 50, factor: 0.5, noise: 0.1, seed: 2 }).X));
  const m = makeDataset('moons', { nSamples: 50, noise: 0.2, seed: 2 });
  assert.ok(m.X.equals(makeMoons({ nSamples: 50, noise: 0.2, seed: 2 }).X));
  assert.throws(() => makeDataset('ring' as never, { nSamples: 5, seed: 1 }), /makeDataset: name must be one of 'circles', 'moons'.*received 'ring'/);
  assert.throws(() => makeDataset('moons', { nSamples: 0, seed: 1 }), /makeMoons: nSamples must be an integer ≥ 1; received 0/);
});
