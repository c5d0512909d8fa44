import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MLP, Matrix, binaryCrossEntropy, identity, makeCircles, meanSquaredError, relu, sigmoid, tanh, leakyRelu,
} from '../../src';

function assertMatrix(actual: Matrix, expected: number[][], tol = 1e-12): void {
  assert.deepEqual(actual.shape, [expected.length, expected[0].length]);
  const diff = actual.maxAbsDiff(Matrix.from(expected));
  assert.ok(diff <= tol, `max diff ${diff}: ${actual.toString(6)} vs ${JSON.stringify(expected)}`);
}

test('a two-layer example computed by hand, every number written out', () => {
  // x = [1, 2], W[1] = [[0.5, -1], [0.25, 0.5]], b[1] = [0.1, 0.2], relu; W[2] = [[2], [-3]], b[2] = [0.5], identity; MSE, y = 1
  const net = MLP.fromJSON({
    layers: [2, 2, 1], activations: ['relu', 'identity'], loss: 'meanSquaredError',
    W: [[[0.5, -1], [0.25, 0.5]], [[2], [-3]]], b: [[0.1, 0.2], [0.5]],
  });
  const x = Matrix.from([[1, 2]]);
  const y = Matrix.from([[1]]);
  const yhat = net.forward(x);
  assertMatrix(net.z[1], [[1.1, 0.2]]);          // 1·0.5 + 2·0.25 + 0.1, 1·(−1) + 2·0.5 + 0.2
  assertMatrix(net.a[1], [[1.1, 0.2]]);          // both positive: relu passes them
  assertMatrix(yhat, [[2.1]]);                   // 1.1·2 + 0.2·(−3) + 0.5
  assert.ok(Math.abs(net.loss.f(y, yhat) - 1.21) < 1e-12); // (1 − 2.1)²
  net.backward(y);
  assertMatrix(net.da[2], [[2.2]]);              // 2(ŷ − y)/n
  assertMatrix(net.dz[2], [[2.2]]);
  assertMatrix(net.dW[2], [[2.42], [0.44]]);     // a[1]ᵀ·dz[2]
  assertMatrix(net.db[2], [[2.2]]);
  assertMatrix(net.da[1], [[4.4, -6.6]]);        // dz[2]·W[2]ᵀ
  assertMatrix(net.dz[1], [[4.4, -6.6]]);        // relu'(z[1]) = 1, 1
  assertMatrix(net.dW[1], [[4.4, -6.6], [8.8, -13.2]]); // xᵀ·dz[1]
  assertMatrix(net.db[1], [[4.4, -6.6]]);
  assertMatrix(net.da[0], [[8.8, -2.2]]);        // dz[1]·W[1]ᵀ
  net.update(0.1);
  assertMatrix(net.W[2], [[1.758], [-3.044]]);
  assertMatrix(net.b[2], [[0.28]]);
  assertMatrix(net.W[1], [[0.06, -0.34], [-0.63, 1.82]]);
  assertMatrix(net.b[1], [[-0.34, 0.86]]);
});

test('shapes: W[l] is n_{l-1} x n_l, b[l] is 1 x n_l, and every gradient has its tensor\'s shape', () => {
  const net = new MLP({ layers: [3, 5, 4, 2], activations: [relu, tanh, sigmoid], loss: binaryCrossEntropy, seed: 1 });
  const X = Matrix.filled(7, 3, 0.3);
  net.forward(X);
  net.backward(Matrix.filled(7, 2, 1));
  for (let l = 1; l <= 3; l++) {
    assert.deepEqual(net.W[l].shape, [net.layers[l - 1], net.layers[l]]);
    assert.deepEqual(net.b[l].shape, [1, net.layers[l]]);
    assert.deepEqual(net.dW[l].shape, net.W[l].shape);
    assert.deepEqual(net.db[l].shape, net.b[l].shape);
    assert.deepEqual(net.z[l].shape, [7, net.layers[l]]);
    assert.deepEqual(net.dz[l].shape, net.z[l].shape);
    assert.deepEqual(net.da[l - 1].shape, [7, net.layers[l - 1]]);
  }
  assert.equal(net.W[0], undefined);
  assert.equal(net.parameterCount, (3 + 1) * 5 + (5 + 1) * 4 + (4 + 1) * 2);
  assert.equal(String(net), 'MLP 3-5-4-2 (relu, tanh, sigmoid; loss binaryCrossEntropy; 54 parameters)');
});

test('initialisation: same seed same bytes, different seeds differ, schemes have their spread', () => {
  const opts = { layers: [20, 30, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy };
  const a = new MLP({ ...opts, seed: 42 });
  const b = new MLP({ ...opts, seed: 42 });
  const c = new MLP({ ...opts, seed: 43 });
  assert.ok(a.W[1].equals(b.W[1]) && a.b[2].equals(b.b[2]));
  assert.ok(!a.W[1].equals(c.W[1]));
  const std = (m: Matrix): number => Math.sqrt(m.map((v) => v * v).mean());
  assert.ok(Math.abs(std(a.W[1]) - 0.1) < 0.01, `normal σ ${std(a.W[1])}`);
  const he = new MLP({ ...opts, seed: 1, init: 'he' });
  assert.ok(Math.abs(std(he.W[1]) - Math.sqrt(2 / 20)) < 0.03, `he σ ${std(he.W[1])}`);
  assert.equal(he.b[1].sum(), 0);
  const xavier = new MLP({ ...opts, seed: 1, init: 'xavier' });
  assert.ok(Math.abs(std(xavier.W[1]) - Math.sqrt(2 / 50)) < 0.02, `xavier σ ${std(xavier.W[1])}`);
});

test('toJSON / fromJSON round-trip exactly, through JSON text too', () => {
  const net = new MLP({ layers: [2, 6, 3, 2], activations: [leakyRelu, tanh, identity], loss: meanSquaredError, seed: 'round-trip' });
  const json = net.toJSON();
  assert.deepEqual(json.activations, ['leakyRelu', 'tanh', 'identity']);
  assert.equal(json.loss, 'meanSquaredError');
  assert.deepEqual(json.W.map((w) => [w.length, w[0].length]), [[2, 6], [6, 3], [3, 2]]);
  const copy = MLP.fromJSON(JSON.parse(JSON.stringify(json)));
  for (let l = 1; l <= 3; l++) {
    assert.ok(copy.W[l].equals(net.W[l]) && copy.b[l].equals(net.b[l]), `layer ${l}`);
  }
  const X = Matrix.from([[0.3, -0.7], [1.1, 0.4]]);
  assert.ok(copy.forward(X).equals(net.forward(X)));
  assert.deepEqual(copy.toJSON(), json);
});

test('forward returns a copy; predict leaves the stored a[l], z[l] alone', () => {
  const net = new MLP({ layers: [2, 3, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 5 });
  const X = Matrix.from([[1, 2], [3, 4]]);
  const yhat = net.forward(X);
  const a1 = net.a[1].clone();
  const p = net.predict(Matrix.from([[9, 9], [0, 0], [1, 1]]));
  assert.deepEqual(p.shape, [3, 1]);
  assert.ok(net.a[1].equals(a1));
  net.fit(X, Matrix.from([[1], [0]]), { epochs: 3, learningRate: 0.1 });
  assert.notDeepEqual(net.forward(X).toArray(), yhat.toArray());
  assert.deepEqual(yhat.shape, [2, 1]);
});

test('fit: history per epoch, onEpoch, early stop, zero epochs', () => {
  const { X, y } = makeCircles({ nSamples: 40, factor: 0.5, noise: 0.05, seed: 1 });
  const net = new MLP({ layers: [2, 4, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 2 });
  const seen: number[] = [];
  const h = net.fit(X, y, { epochs: 10, learningRate: 0.5, onEpoch: ({ epoch }) => { seen.push(epoch); return epoch < 4; } });
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  assert.equal(h.loss.length, 5);
  assert.equal(h.accuracy.length, 5);
  // loss[e] is the loss of epoch e's forward pass, before its update
  const fresh = new MLP({ layers: [2, 4, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 2 });
  assert.equal(h.loss[0], fresh.lossOn(X, y));
  assert.deepEqual(net.fit(X, y, { epochs: 0, learningRate: 1 }), { loss: [], accuracy: [] });
});

test("training the tutorial's 2-4-3-1 network on make_circles with the corrected math reaches accuracy ≥ 0.95", () => {
  // Documented in the README: learning rate 0.5 on the averaged cross-entropy, seed 42, ≤ 2000 epochs.
  const { X, y } = makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, seed: 0 });
  const net = new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 42 });
  const h = net.fit(X, y, { epochs: 2000, learningRate: 0.5 });
  const best = Math.max(...h.accuracy);
  assert.ok(best >= 0.95, `best accuracy ${best}`);
  assert.ok(h.loss[h.loss.length - 1] < h.loss[0] / 5, `loss ${h.loss[0]} -> ${h.loss[h.loss.length - 1]}`);
});

test('training that diverges stops with the epoch and a hint, never a silent NaN', () => {
  const X = Matrix.from([[1, 2], [3, 4], [5, 6]]);
  const y = Matrix.from([[10], [20], [30]]);
  const net = new MLP({ layers: [2, 8, 1], activations: [relu, identity], loss: meanSquaredError, seed: 0, init: 'he' });
  assert.throws(() => net.fit(X, y, { epochs: 500, learningRate: 10 }), /MLP.fit: .*(loss became|NaN or infinite).* epoch \d+.*try a smaller learningRate/);
});
