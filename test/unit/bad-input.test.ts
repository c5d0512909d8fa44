import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Activation, Loss, MLP, MLPJSON, Matrix, binaryCrossEntropy, makeCircles, makeMoons, meanSquaredError, relu, sigmoid,
  trainTestSplit,
} from '../../src';

const base = { layers: [2, 3, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 };
const X = Matrix.from([[0.1, 0.2], [0.3, -0.4]]);
const y = Matrix.from([[1], [0]]);

test('layer sizes must be positive integers, at least two of them', () => {
  assert.throws(() => new MLP({ ...base, layers: [2, 0, 1] }), /new MLP: layers\[1\] must be a positive integer; received 0 in \[2, 0, 1\]/);
  assert.throws(() => new MLP({ ...base, layers: [2, 2.5, 1] }), /layers\[1\] must be a positive integer; received 2\.5/);
  assert.throws(() => new MLP({ ...base, layers: [2, -3, 1] }), /layers\[1\] must be a positive integer; received -3/);
  assert.throws(() => new MLP({ ...base, layers: [2], activations: [] }), /layers must be an array of at least two layer sizes.*received \[2\]/);
  assert.throws(() => new MLP({ ...base, layers: 'abc' as unknown as number[] }), /layers must be an array.*received abc/);
});

test('one activation per layer after the input', () => {
  assert.throws(() => new MLP({ ...base, activations: [relu] }), /activations must hold one activation per layer after the input, layers.length − 1 = 2; received 1/);
  assert.throws(() => new MLP({ ...base, activations: [relu, 'sigmoid' as unknown as Activation] }), /activations\[1\] must be an Activation.*received string/);
  assert.throws(() => new MLP({ ...base, loss: {} as Loss }), /new MLP: loss must be a Loss.*received an object that is not a Loss/);
  assert.throws(() => new MLP({ ...base, init: 'zeros' as 'he' }), /init must be 'normal', 'xavier' or 'he'; received zeros/);
});

test('a seed must be a string or a number, and one of seed / random is required', () => {
  assert.throws(() => new MLP({ ...base, seed: {} as unknown as number }), /new MLP: seed must be a string or a finite number; received object/);
  assert.throws(() => new MLP({ ...base, seed: NaN }), /seed must be a string or a finite number; received NaN/);
  assert.throws(() => new MLP({ ...base, seed: undefined }), /new MLP: seed is required.*received neither/);
  assert.throws(() => makeCircles({ nSamples: 10, seed: null as unknown as number }), /makeCircles: seed must be a string or a finite number; received null/);
  assert.throws(() => makeCircles({ nSamples: 10, seed: 1, random: { uniform: Math.random, normal: Math.random } }), /either seed or random, not both/);
  assert.throws(() => makeMoons({ nSamples: 10, random: { uniform: Math.random } as never }), /makeMoons: random must be a RandomSource with uniform\(\) and normal\(\)/);
});

test('X must have layers[0] columns and finite entries; y must have the output shape', () => {
  const net = new MLP(base);
  assert.throws(() => net.forward(Matrix.zeros(4, 3)), /MLP.forward: X must be n x 2 .*received 4x3/);
  assert.throws(() => net.forward([[1, 2]] as unknown as Matrix), /MLP.forward: X must be a Matrix.*received object/);
  assert.throws(() => net.forward(Matrix.from([[1, NaN]])), /MLP.forward: X must hold finite numbers; received NaN at row 0, column 1/);
  assert.throws(() => net.forward(Matrix.from([[Infinity, 1]])), /X must hold finite numbers; received Infinity/);
  net.forward(X);
  assert.throws(() => net.backward(Matrix.zeros(3, 1)), /MLP.backward: y must be 2x1 .*received 3x1/);
  assert.throws(() => net.backward(Matrix.zeros(2, 2)), /y must be 2x1 .*received 2x2/);
  assert.throws(() => net.backward(Matrix.from([[1], [NaN]])), /MLP.backward: y must hold finite numbers; received NaN at row 1/);
  assert.throws(() => net.fit(X, Matrix.from([[1], [-Infinity]]), { epochs: 1, learningRate: 0.1 }), /MLP.fit: y must hold finite numbers; received -Infinity/);
});

test('cross-entropy labels must lie in [0, 1]', () => {
  const net = new MLP(base);
  net.forward(X);
  assert.throws(() => net.backward(Matrix.from([[1], [2]])), /MLP.backward: y must hold labels in \[0, 1\] for binaryCrossEntropy; received 2 at row 1, column 0/);
  assert.throws(() => net.fit(X, Matrix.from([[-1], [0]]), { epochs: 1, learningRate: 0.1 }), /labels in \[0, 1\].*received -1/);
  // mean squared error accepts any finite target
  const reg = new MLP({ ...base, loss: meanSquaredError });
  reg.forward(X);
  reg.backward(Matrix.from([[5], [-2]]));
});

test('learning rate finite and positive; epochs a non-negative integer; calls in order', () => {
  const net = new MLP(base);
  for (const lr of [0, -0.1, NaN, Infinity]) {
    assert.throws(() => net.fit(X, y, { epochs: 1, learningRate: lr }), new RegExp(`MLP.fit: learningRate must be a finite number > 0; received ${lr}`));
  }
  assert.throws(() => net.fit(X, y, { epochs: -1, learningRate: 0.1 }), /MLP.fit: epochs must be a non-negative integer; received -1/);
  assert.throws(() => net.fit(X, y, { epochs: 1.5, learningRate: 0.1 }), /epochs must be a non-negative integer; received 1\.5/);
  assert.throws(() => net.fit(X, y, { epochs: 1, learningRate: 0.1, onEpoch: 3 as never }), /onEpoch must be a function; received number/);
  const fresh = new MLP(base);
  assert.throws(() => fresh.backward(y), /MLP.backward: call forward\(X\) first/);
  fresh.forward(X);
  assert.throws(() => fresh.update(0.1), /MLP.update: call backward\(y\) first/);
  fresh.backward(y);
  assert.throws(() => fresh.update(-1), /MLP.update: learningRate must be a finite number > 0; received -1/);
});

test('fromJSON rejects missing or inconsistent fields', () => {
  const good = new MLP(base).toJSON();
  const broken = (patch: Partial<Record<keyof MLPJSON, unknown>>): MLPJSON => ({ ...good, ...patch }) as MLPJSON;
  assert.throws(() => MLP.fromJSON(null as unknown as MLPJSON), /MLP.fromJSON: json must be an object.*received null/);
  assert.throws(() => MLP.fromJSON(broken({ W: undefined })), /MLP.fromJSON: json.W is missing/);
  assert.throws(() => MLP.fromJSON(broken({ activations: ['relu', 'swish'] })), /json.activations\[1\] must be one of identity, sigmoid, tanh, relu, leakyRelu, softmax; received "swish"/);
  assert.throws(() => MLP.fromJSON(broken({ loss: 'hinge' })), /json.loss must be one of meanSquaredError, binaryCrossEntropy, categoricalCrossEntropy; received "hinge"/);
  assert.throws(() => MLP.fromJSON(broken({ layers: [2, 3] })), /MLP.fromJSON: json.activations must hold one activation per layer.*= 1; received 2/);
  assert.throws(() => MLP.fromJSON(broken({ W: [good.W[0]] })), /json.W must hold 2 weight matrices.*received 1/);
  assert.throws(() => MLP.fromJSON(broken({ W: [good.W[0], [[1, 2], [3, 4], [5, 6]]] })), /json.W\[1\] \(W\[2\]\) must be 3x1 for layers \[2, 3, 1\]; received 3x2/);
  assert.throws(() => MLP.fromJSON(broken({ b: [[1, 2, 3], [1, 2]] })), /json.b\[1\] \(b\[2\]\) must hold 1 numbers; received an array of length 2/);
  assert.throws(() => MLP.fromJSON(broken({ b: [[1, 2, 3], [NaN]] })), /json.b\[1\] must hold finite numbers; received NaN/);
});

test('data set options are checked', () => {
  assert.throws(() => makeCircles({ nSamples: 0, seed: 1 }), /makeCircles: nSamples must be an integer ≥ 1; received 0/);
  assert.throws(() => makeCircles({ nSamples: 10, factor: 1, seed: 1 }), /factor must be a number in \[0, 1\); received 1/);
  assert.throws(() => makeCircles({ nSamples: 10, noise: -0.1, seed: 1 }), /noise must be a finite number ≥ 0; received -0.1/);
  assert.throws(() => makeMoons({ nSamples: 2.5, seed: 1 }), /makeMoons: nSamples must be an integer ≥ 1; received 2.5/);
  assert.throws(() => trainTestSplit(X, Matrix.zeros(3, 1), { seed: 1 }), /trainTestSplit: y must have one row per row of X \(2\); received 3x1/);
  assert.throws(() => trainTestSplit(X, y, { seed: 1, testFraction: 1 }), /testFraction must be a number in \(0, 1\); received 1/);
});
