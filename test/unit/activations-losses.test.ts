import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Matrix, MLP, activations, binaryCrossEntropy, identity, leakyRelu, meanSquaredError, numericalDerivative, relu,
  sigmoid, tanh, accuracy,
} from '../../src';

test("sigmoid'(z) = s(1 − s) in closed form, and f' agrees with a central difference for every activation", () => {
  for (const z of [-6, -1.5, -0.3, 0.2, 0.7, 3, 8]) {
    const s = 1 / (1 + Math.exp(-z));
    assert.ok(Math.abs(sigmoid.f(z) - s) < 1e-15);
    assert.ok(Math.abs(sigmoid.df(z) - s * (1 - s)) < 1e-15);
    for (const f of Object.values(activations).filter((g) => g.kind !== 'rowwise')) { // softmax: activations-softmax.test.ts
      const numerical = numericalDerivative(f.f, z);
      assert.ok(Math.abs(f.df(z) - numerical) < 1e-9, `${f.name}'(${z}): ${f.df(z)} vs ${numerical}`);
      assert.ok(Math.abs(f.dfFromOutput(z, f.f(z)) - f.df(z)) < 1e-15, `${f.name} dfFromOutput at ${z}`);
    }
  }
  assert.equal(tanh.df(0), 1);
  assert.equal(identity.df(123), 1);
  assert.equal(relu.df(0), 0);
  assert.equal(leakyRelu.f(-2), -0.02);
});

test('sigmoid is stable for |z| up to 1e4: no NaN, no overflow, exact limits', () => {
  for (const z of [-1e4, -800, -745, -40, 40, 745, 800, 1e4]) {
    const s = sigmoid.f(z);
    assert.ok(Number.isFinite(s) && s >= 0 && s <= 1, `σ(${z}) = ${s}`);
    assert.ok(Number.isFinite(sigmoid.df(z)));
  }
  assert.equal(sigmoid.f(1e4), 1);
  assert.equal(sigmoid.f(-1e4), 0);
  assert.equal(sigmoid.df(1e4), 0);
  // far in the left tail the value is e^z, not a clipped constant
  assert.ok(Math.abs(sigmoid.f(-40) / Math.exp(-40) - 1) < 1e-12);
  assert.ok(Math.abs(sigmoid.f(-700) / Math.exp(-700) - 1) < 1e-12);
});

test('mean squared error: the mean over samples of the summed squared errors, and its derivative', () => {
  const y = Matrix.from([[1, 0], [0, 1], [0.5, 0.5]]);
  const yhat = Matrix.from([[0.5, 0.5], [0, 0], [1, 0.5]]);
  // per-sample losses 0.5, 1, 0.25 -> mean 0.5833…
  assert.ok(Math.abs(meanSquaredError.f(y, yhat) - 1.75 / 3) < 1e-15);
  const d = meanSquaredError.df(y, yhat).toArray();
  assert.deepEqual(d.map((r) => r.map((v) => Math.round(v * 3e6) / 1e6)), [[-1, 1], [0, -2], [1, 0]]);
});

test('binary cross-entropy: mean over samples, finite at ŷ = 0 and 1, derivative consistent with the mean', () => {
  const y = Matrix.from([[1], [0], [1], [0]]);
  const yhat = Matrix.from([[0.9], [0.2], [0.6], [0.5]]);
  const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.5)) / 4;
  assert.ok(Math.abs(binaryCrossEntropy.f(y, yhat) - expected) < 1e-15);
  // the derivative of the mean: central differences on each ŷ entry
  const d = binaryCrossEntropy.df(y, yhat);
  for (let i = 0; i < 4; i++) {
    const numerical = numericalDerivative((p) => {
      const q = yhat.clone();
      q.data[i] = p;
      return binaryCrossEntropy.f(y, q);
    }, yhat.data[i], { epsilon: 1e-4 });
    assert.ok(Math.abs(d.data[i] - numerical) < 1e-9, `entry ${i}`);
  }
  const saturated = Matrix.from([[0], [1], [1], [0]]);
  const loss = binaryCrossEntropy.f(y, saturated);
  assert.ok(Number.isFinite(loss) && loss > 10, `loss at saturation ${loss}`);
  assert.ok(binaryCrossEntropy.df(y, saturated).isFinite());
  assert.equal(binaryCrossEntropy.f(Matrix.from([[1], [0]]), Matrix.from([[1], [0]])) < 1e-14, true);
});

test('closed form: sigmoid + binary cross-entropy gives dL/dz = (ŷ − y)/n', () => {
  const net = new MLP({ layers: [2, 3, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 3 });
  const X = Matrix.from([[0.5, -1], [2, 0.3], [-1, -1], [0.1, 0.9], [1.5, -0.2]]);
  const y = Matrix.from([[1], [0], [1], [0], [1]]);
  const yhat = net.forward(X);
  const n = X.rows;
  const closed = yhat.sub(y).scale(1 / n);
  // the library's dz[L] …
  net.backward(y);
  assert.ok(net.dz[2].maxAbsDiff(closed) < 1e-15);
  // … and the chain rule written out, da[L] ⊙ σ'(z[L]), agree with it
  const chain = binaryCrossEntropy.df(y, yhat).mul(net.z[2].map(sigmoid.df));
  assert.ok(chain.maxAbsDiff(closed) < 1e-15, `max diff ${chain.maxAbsDiff(closed)}`);
});

test('accuracy: thresholded at 0.5 for one output, arg-max for several', () => {
  assert.equal(accuracy(Matrix.from([[1], [0], [1], [0]]), Matrix.from([[0.7], [0.2], [0.4], [0.51]])), 0.5);
  assert.equal(accuracy(Matrix.from([[0, 1, 0], [1, 0, 0]]), Matrix.from([[0.1, 0.8, 0.1], [0.2, 0.5, 0.3]])), 0.5);
  assert.throws(() => accuracy(Matrix.zeros(2, 1), Matrix.zeros(3, 1)), /same shape.*y 2x1 and yhat 3x1/);
});
