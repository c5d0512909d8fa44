/** softmax (a row-wise activation) and categorical cross-entropy, against closed forms and finite differences. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Activation, MLP, Matrix, accuracy, activations, binaryCrossEntropy, categoricalCrossEntropy, gradientCheck, makeSpiral,
  meanSquaredError, numericalDerivative, relu, sigmoid, softmax, tanh,
} from '../../src';

const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('softmax: each row e^{z_j} / Σ_k e^{z_k}, rows sum to 1, no overflow at |z| = 1000', () => {
  const z = Matrix.from([[1, 2, 3], [0, 0, 0], [1000, 0, -1000], [-1000, -1000, -999]]);
  const a = new Matrix(4, 3);
  softmax.forwardInto(a, z);
  const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
  const s = e[0] + e[1] + e[2];
  e.forEach((v, j) => assert.ok(close(a.get(0, j), v / s, 1e-15), `row 0, ${j}`));
  assert.deepEqual(a.row(1), [1 / 3, 1 / 3, 1 / 3]);
  assert.deepEqual(a.row(2), [1, 0, 0]);
  const t = 1 / (2 + Math.E); // e^{-1}·… normalised: [1, 1, e] / (2 + e)
  assert.ok(close(a.get(3, 0), t, 1e-15) && close(a.get(3, 2), Math.E * t, 1e-15));
  for (let i = 0; i < 4; i++) assert.ok(close(a.row(i).reduce((p, q) => p + q, 0), 1, 1e-15));
  assert.ok(a.isFinite());
});

test('softmax backward is the Jacobian-vector product J(z)ᵀ·da, checked against the Jacobian by finite differences', () => {
  const z = Matrix.from([[0.3, -1.2, 2.0, 0.5], [1.5, 1.4, -0.3, 0.0]]);
  const da = Matrix.from([[0.7, -0.2, 0.1, 1.3], [-1.0, 0.4, 0.25, 0.5]]);
  const a = new Matrix(2, 4);
  softmax.forwardInto(a, z);
  const dz = new Matrix(2, 4);
  softmax.backwardInto(dz, da, z, a);
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < 4; k++) {
      // dz_ik = Σ_j da_ij ∂a_ij/∂z_ik: the derivative of the scalar Σ_j da_ij·softmax(z_i)_j along z_ik
      const g = (t: number): number => {
        const zz = z.clone();
        zz.set(i, k, t);
        const aa = new Matrix(2, 4);
        softmax.forwardInto(aa, zz);
        return aa.row(i).reduce((s, v, j) => s + v * da.get(i, j), 0);
      };
      const fd = numericalDerivative(g, z.get(i, k));
      assert.ok(Math.abs(dz.get(i, k) - fd) < 1e-11, `(${i}, ${k}): ${dz.get(i, k)} vs ${fd}`);
      // and the closed form a_ik (da_ik − Σ_j a_ij da_ij)
      const dot = a.row(i).reduce((s, v, j) => s + v * da.get(i, j), 0);
      assert.ok(close(dz.get(i, k), a.get(i, k) * (da.get(i, k) - dot), 1e-15));
    }
  }
});

test('softmax has no per-entry form: f, df, dfFromOutput throw and say what to use', () => {
  assert.equal(softmax.kind, 'rowwise');
  assert.deepEqual(softmax.range, [0, 1]);
  assert.throws(() => softmax.f(1), /^Error: softmax\.f: softmax is a row-wise activation .*use softmax\.forwardInto\(a, z\).*softmax\.backwardInto\(dz, da, z, a\)/);
  assert.throws(() => softmax.df(1), /softmax\.df: softmax is a row-wise activation/);
  assert.throws(() => softmax.dfFromOutput(1, 0.5), /softmax\.dfFromOutput: softmax is a row-wise activation/);
  assert.equal(activations.softmax, softmax);
  // element-wise ones keep f and df (the notebooks use them)
  assert.equal(sigmoid.f(0), 0.5);
  assert.equal(relu.df(2), 1);
});

test('categorical cross-entropy: −(1/n) Σ y ln ŷ by hand, its derivative by finite differences, clipping at 1e-15', () => {
  const y = Matrix.from([[1, 0, 0], [0, 0, 1], [0.25, 0.75, 0]]);
  const yhat = Matrix.from([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]]);
  const expected = -(Math.log(0.7) + Math.log(0.6) + 0.25 * Math.log(0.5) + 0.75 * Math.log(0.4)) / 3;
  assert.ok(close(categoricalCrossEntropy.f(y, yhat), expected, 1e-15));
  const d = categoricalCrossEntropy.df(y, yhat);
  for (let i = 0; i < 9; i++) {
    const fd = numericalDerivative((p) => {
      const q = yhat.clone();
      q.data[i] = p;
      return categoricalCrossEntropy.f(y, q);
    }, yhat.data[i], { epsilon: 1e-4 });
    assert.ok(Math.abs(d.data[i] - fd) < 1e-9, `entry ${i}: ${d.data[i]} vs ${fd}`);
  }
  // ŷ = 0 where y = 1: ln 1e-15, finite
  const saturated = categoricalCrossEntropy.f(Matrix.from([[1, 0]]), Matrix.from([[0, 1]]));
  assert.ok(close(saturated, -Math.log(1e-15), 1e-15));
  assert.ok(categoricalCrossEntropy.df(Matrix.from([[1, 0]]), Matrix.from([[0, 1]])).isFinite());
});

test('categorical cross-entropy targets: entries in [0, 1], rows summing to 1', () => {
  const net = new MLP({ layers: [2, 3], activations: [softmax], loss: categoricalCrossEntropy, seed: 1 });
  const X = Matrix.from([[1, 2], [0, -1]]);
  net.forward(X);
  assert.throws(() => net.backward(Matrix.from([[1, 0, 0], [0, 1, 1]])), /^Error: MLP\.backward: y must have rows that sum to 1 for categoricalCrossEntropy \(one-hot rows, see oneHot\); received a row sum of 2 at row 1$/);
  assert.throws(() => net.backward(Matrix.from([[1.5, -0.5, 0], [0, 1, 0]])), /MLP\.backward: y must hold class probabilities in \[0, 1\] for categoricalCrossEntropy.*received 1\.5 at row 0, column 0/);
  net.backward(Matrix.from([[0.2, 0.3, 0.5], [0, 1, 0]])); // soft labels are fine
});

test('new MLP refuses softmax on one unit and categorical cross-entropy on one output', () => {
  assert.throws(() => new MLP({ layers: [2, 1], activations: [softmax], loss: meanSquaredError, seed: 1 }),
    /^Error: new MLP: activations\[0\] is softmax on layer 1 of 1 unit: a softmax over one unit is the constant 1 \(its gradient is 0\); use sigmoid/);
  assert.throws(() => new MLP({ layers: [2, 1, 3], activations: [softmax, softmax], loss: categoricalCrossEntropy, seed: 1 }),
    /activations\[0\] is softmax on layer 1 of 1 unit/);
  assert.throws(() => new MLP({ layers: [2, 1], activations: [sigmoid], loss: categoricalCrossEntropy, seed: 1 }),
    /^Error: new MLP: loss categoricalCrossEntropy needs n_L ≥ 2 output units \(one per class\); received layers\[1\] = 1; for two classes with one output unit use sigmoid with binaryCrossEntropy$/);
  assert.throws(() => new MLP({ layers: [2, 3], activations: [relu], loss: categoricalCrossEntropy, seed: 1 }),
    /loss categoricalCrossEntropy takes ln ŷ, so it needs outputs ŷ in \[0, 1\], but the output activation activations\[0\] = relu gives values in \[0, ∞\)/);
  assert.throws(() => new MLP({ layers: [2, 3], activations: [{ kind: 'rowwise', name: 'r' } as unknown as Activation], loss: meanSquaredError, seed: 1 }),
    /activations\[0\] \(r\) is row-wise and must have forwardInto\(a, z\) and backwardInto\(dz, da, z, a\) methods; received no forwardInto/);
});

test('softmax with categorical cross-entropy: dz[L] = (ŷ − y)/n, equal to the chain rule through the Jacobian', () => {
  const X = Matrix.from([[0.5, -1], [2, 0.3], [-1, -1], [0.1, 0.9], [1.5, -0.2]]);
  const y = Matrix.from([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  const net = new MLP({ layers: [2, 4, 3], activations: [tanh, softmax], loss: categoricalCrossEntropy, seed: 3 });
  const yhat = net.forward(X);
  net.backward(y);
  const closed = yhat.sub(y).scale(1 / 5);
  assert.ok(net.dz[2].maxAbsDiff(closed) < 1e-16, `fused ${net.dz[2].maxAbsDiff(closed)}`);
  // a copy of softmax is not recognised: the MLP takes da[L] = dL/dŷ through J(z)ᵀ
  const chain = new MLP({ layers: [2, 4, 3], activations: [tanh, { ...softmax }], loss: categoricalCrossEntropy, seed: 3 });
  chain.W.forEach((W, l) => W.data.set(net.W[l].data));
  chain.b.forEach((b, l) => b.data.set(net.b[l].data));
  chain.forward(X);
  chain.backward(y);
  assert.ok(chain.dz[2].maxAbsDiff(closed) < 1e-15, `chain rule ${chain.dz[2].maxAbsDiff(closed)}`);
  for (let l = 1; l <= 2; l++) assert.ok(chain.dW[l].maxAbsDiff(net.dW[l]) < 1e-15);
});

test('gradientCheck covers softmax and categorical cross-entropy (output and hidden softmax, fused and chain rule)', () => {
  const { X, y } = makeSpiral({ nSamples: 12, nClasses: 3, noise: 0.05, seed: 4 });
  for (const acts of [[tanh, softmax], [tanh, { ...softmax }], [softmax, tanh, softmax], [relu, sigmoid]] as Activation[][]) {
    const layers = acts.length === 2 ? [2, 5, 3] : [2, 4, 4, 3];
    const net = new MLP({ layers, activations: acts, loss: categoricalCrossEntropy, seed: 11, init: 'xavier' });
    const r = gradientCheck(net, X, y, { order: 4, epsilon: 1e-4 });
    assert.ok(r.maxRelativeError < 1e-7, `${acts.map((a) => a.name)}: ${r.maxRelativeError}`);
  }
  // and softmax under mean squared error and binary cross-entropy
  for (const loss of [meanSquaredError, binaryCrossEntropy]) {
    const net = new MLP({ layers: [2, 5, 3], activations: [tanh, softmax], loss, seed: 12, init: 'xavier' });
    assert.ok(gradientCheck(net, X, y, { order: 4 }).maxRelativeError < 1e-7, loss.name);
  }
});

test('toJSON / fromJSON know softmax and categoricalCrossEntropy; training a spiral classifier lowers the loss', () => {
  const { X, y } = makeSpiral({ nSamples: 150, nClasses: 3, noise: 0.02, seed: 2 });
  const net = new MLP({ layers: [2, 16, 3], activations: [tanh, softmax], loss: categoricalCrossEntropy, seed: 5, init: 'xavier' });
  const json = net.toJSON();
  assert.deepEqual(json.activations, ['tanh', 'softmax']);
  assert.equal(json.loss, 'categoricalCrossEntropy');
  const copy = MLP.fromJSON(JSON.parse(JSON.stringify(json)));
  assert.ok(copy.forward(X).equals(net.forward(X)));
  assert.equal(copy.activations[1], softmax);
  assert.equal(copy.loss, categoricalCrossEntropy);
  // a fresh softmax over 3 classes starts near ln 3
  assert.ok(Math.abs(net.lossOn(X, y) - Math.log(3)) < 0.2, String(net.lossOn(X, y)));
  const h = net.fit(X, y, { epochs: 300, learningRate: 0.5, optimizer: { name: 'adam' }, batchSize: 32 });
  assert.ok(h.loss[h.loss.length - 1] < h.loss[0] / 2, `${h.loss[0]} -> ${h.loss[h.loss.length - 1]}`);
  assert.ok(accuracy(y, net.predict(X)) > 0.6);
});
