/**
 * The self-checks of notebook 07 pass on the solutions, catch the classic mistakes with a hint, and
 * turn a stubbed answer into a failing line.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { relu, sigmoid, softmax, tanh, type Activation } from '../../src/core/activations';
import { binaryCrossEntropy } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { makeDataset } from '../../src/data/datasets';
import { evaluateCheck } from '../../src/notebook/check';
import { assertFails, assertPasses } from '../support/verdicts';
import {
  deadUnitCases, verifyAdamStep, verifyDeadUnits, verifyLayerTwoPicture, verifyPenalisedLoss, verifySoftmaxBackward, verifySwitchLine, type AdamStep,
} from '../../src/notebook/checks/nb07';
import { deadUnits as kitDeadUnits } from '../../src/notebook/playground/views';

const net = new MLP({ layers: [2, 8, 8, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 8, init: 'he' });
const { X } = makeDataset('moons', { nSamples: 200, noise: 0.1, seed: 1 });

// ----- Exercise 7.1
const switchLine = (W1: Matrix, b1: Matrix, j: number, x1: number): number => -(W1.get(0, j) * x1 + b1.get(0, j)) / W1.get(1, j);

test('verifySwitchLine: the solution passes', () => {
  assertPasses(verifySwitchLine(switchLine, net));
});

test('verifySwitchLine: classic mistakes fail with a hint', () => {
  assertFails(verifySwitchLine((W1, b1, j, x1) => (W1.get(0, j) * x1 + b1.get(0, j)) / W1.get(1, j), net), /sign is flipped/);
  assertFails(verifySwitchLine((W1, b1, j, x1) => -(W1.get(0, j) * x1) / W1.get(1, j), net), /bias is missing/);
  assertFails(verifySwitchLine((W1, b1, j, x1) => -(W1.get(1, j) * x1 + b1.get(0, j)) / W1.get(0, j), net), /swapped/, /row 0/);
  assertFails(verifySwitchLine((W1, b1, j, x1) => -(W1.get(j, 0) * x1 + b1.get(0, j)) / W1.get(j, 1), net), /transposed/, /W1\.get\(i, j\)/);
  const transposedOnly2 = (W1: Matrix, b1: Matrix, j: number, x1: number): number => (j < 2 ? switchLine(W1, b1, j, x1) : -(W1.get(j, 0) * x1 + b1.get(0, j)) / W1.get(j, 1));
  assertFails(verifySwitchLine(transposedOnly2, net), /threw for unit j = 2/, /W1\.get\(i, j\)/);
  assertFails(verifySwitchLine(() => NaN, net), /returned NaN/);
  assertFails(verifySwitchLine((W1, b1, j, x1) => switchLine(W1, b1, j, x1) + 0.01, net), /not 0/, /check each index/);
});

test('verifySwitchLine: a stub becomes a failing check line', () => {
  const r = evaluateCheck('Exercise 7.1', () => verifySwitchLine(() => { throw new Error('Exercise 7.1: write your code here'); }, net));
  assert.equal(r.passed, false);
  assert.match(r.message, /threw/);
});

// ----- Exercise 7.2
function layerTwoPicture(pictures: readonly Float64Array[], W2: Matrix, b2: Matrix, k: number, f: Activation): Float64Array {
  const out = new Float64Array(pictures[0].length);
  for (let i = 0; i < out.length; i++) {
    let z = b2.get(0, k);
    for (let j = 0; j < pictures.length; j++) z += pictures[j][i] * W2.get(j, k);
    out[i] = f.f(z);
  }
  return out;
}

test('verifyLayerTwoPicture: the solution passes; a notebook network with one hidden layer is skipped, not an error', () => {
  assertPasses(verifyLayerTwoPicture(layerTwoPicture, net, X));
  const shallow = new MLP({ layers: [2, 5, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 2 });
  const v = verifyLayerTwoPicture(layerTwoPicture, shallow, X);
  assertPasses(v);
  assert.match(v.passed ? v.detail : '', /the 2-5-1 network has no layer 2/);
  assertFails(verifyLayerTwoPicture(() => new Float64Array(3), shallow, X), /not one value per grid point/);
});

test('verifyLayerTwoPicture: classic mistakes fail with a hint', () => {
  const identityF = { ...relu, f: (z: number) => z } as Activation;
  assertFails(verifyLayerTwoPicture((p, W2, b2, k) => layerTwoPicture(p, W2, b2, k, identityF), net, X), /activation is missing/);
  const noBias = (p: readonly Float64Array[], W2: Matrix, b2: Matrix, k: number, f: Activation) => layerTwoPicture(p, W2, new Matrix(1, b2.cols), k, f);
  const netWithBias = MLP.fromJSON({ ...net.toJSON(), b: net.toJSON().b.map((b) => b.map((_, i) => 0.3 - 0.1 * i)) });
  assertFails(verifyLayerTwoPicture(noBias, netWithBias, X), /bias b\[2\]ₖ is missing/);
  assertFails(verifyLayerTwoPicture((p, W2, b2, k, f) => layerTwoPicture(p, W2.transpose(), b2, k, f), netWithBias, X), /transposed/, /W2\.get\(j, k\)/);
  assertFails(verifyLayerTwoPicture(() => new Float64Array(3), net, X), /not one value per grid point \(144\)/);
  assertFails(verifyLayerTwoPicture((p, W2, b2, k, f) => layerTwoPicture(p.slice(1), W2, b2, k, f).map((v) => v + 1e-3), netWithBias, X), /differs/);
});

// ----- Exercise 7.3
function deadUnits(n: MLP, inputs: Matrix): Array<[number, number]> {
  n.forward(inputs);
  const out: Array<[number, number]> = [];
  for (let l = 1; l < n.L; l++) {
    for (let j = 0; j < n.layers[l]; j++) {
      if (n.z[l].column(j).every((z) => n.activations[l - 1].df(z) === 0)) out.push([l, j]);
    }
  }
  return out;
}

test('deadUnitCases: the built-in dead units are what the kit finds', () => {
  const [reluCase, tanhCase] = deadUnitCases();
  assert.deepEqual(kitDeadUnits(reluCase.net, reluCase.X), [{ layer: 1, unit: 1 }, { layer: 2, unit: 2 }]);
  assert.deepEqual(kitDeadUnits(tanhCase.net, tanhCase.X), []);
});

test('verifyDeadUnits: the solution passes', () => {
  assertPasses(verifyDeadUnits(deadUnits));
});

test('verifyDeadUnits: classic mistakes fail with a hint', () => {
  const firstSampleOnly = (n: MLP, inputs: Matrix) => deadUnits(n, Matrix.from([inputs.row(0)]));
  assertFails(verifyDeadUnits(firstSampleOnly), /active on some sample/, /EVERY sample/);
  const byWeights = (n: MLP, inputs: Matrix): Array<[number, number]> => {
    const out = deadUnits(n, inputs);
    for (let l = 1; l < n.L; l++) for (let j = 0; j < n.layers[l]; j++) if (n.W[l].column(j).every((w) => w === 0)) out.push([l, j]);
    return out;
  };
  assertFails(verifyDeadUnits(byWeights), /positive constant/);
  assertFails(verifyDeadUnits((n, inputs) => [...deadUnits(n, inputs), [n.L, 0]]), /includes the output layer/);
  assertFails(verifyDeadUnits((n, inputs) => deadUnits(n, inputs).map(([l, j]) => [l, j + 1])), /one too high/);
  assertFails(verifyDeadUnits((n, inputs) => deadUnits(n, inputs).filter(([l]) => l === 1)), /misses 1 dead unit/, /every hidden layer/);
  assertFails(verifyDeadUnits((() => 'none') as unknown as (n: MLP, X: Matrix) => Array<[number, number]>), /not \[l, j\] pairs|returned string/);
  // a tanh network has none: a function that always reports unit [1, 0] is caught there
  assertFails(verifyDeadUnits((n, inputs) => (n.activations[0] === tanh ? [[1, 0]] : deadUnits(n, inputs))), /not dead/);
});

// ----- Exercise 7.4
const adamStep: AdamStep = (theta, g, m, v, t, eta, beta1, beta2, epsilon) => {
  for (let i = 0; i < theta.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    const mHat = m[i] / (1 - Math.pow(beta1, t));
    const vHat = v[i] / (1 - Math.pow(beta2, t));
    theta[i] -= (eta * mHat) / (Math.sqrt(vHat) + epsilon);
  }
};

/** adamStep with one change to the update of θ, given m, v (already updated), m̂, v̂. */
function adamWith(rule: (p: { theta: number; m: number; v: number; mHat: number; vHat: number; g: number; eta: number; epsilon: number }) => number,
  keepState = true, stored: 'raw' | 'corrected' = 'raw'): AdamStep {
  return (theta, g, m, v, t, eta, beta1, beta2, epsilon) => {
    for (let i = 0; i < theta.length; i++) {
      const m1 = beta1 * m[i] + (1 - beta1) * g[i];
      const v1 = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const mHat = m1 / (1 - Math.pow(beta1, t));
      const vHat = v1 / (1 - Math.pow(beta2, t));
      theta[i] = rule({ theta: theta[i], m: m1, v: v1, mHat, vHat, g: g[i], eta, epsilon });
      if (keepState) {
        m[i] = stored === 'raw' ? m1 : mHat;
        v[i] = stored === 'raw' ? v1 : vHat;
      }
    }
  };
}

test('verifyAdamStep: the solution passes', () => {
  assertPasses(verifyAdamStep(adamStep));
});

test('verifyAdamStep: classic mistakes fail with a hint', () => {
  assertFails(verifyAdamStep(adamWith((p) => p.theta - (p.eta * p.m) / (Math.sqrt(p.v) + p.epsilon))), /bias corrections are missing/);
  assertFails(verifyAdamStep(adamWith((p) => p.theta + (p.eta * p.mHat) / (Math.sqrt(p.vHat) + p.epsilon))), /sign is flipped/);
  assertFails(verifyAdamStep(adamWith((p) => p.theta - (p.eta * p.mHat) / (p.vHat + p.epsilon))), /instead of its square root/);
  assertFails(verifyAdamStep(adamWith((p) => p.theta - (p.eta * p.mHat) / Math.sqrt(p.vHat + p.epsilon))), /ε is inside the square root/);
  assertFails(verifyAdamStep(adamWith((p) => p.theta - (p.eta * p.g) / (Math.sqrt(p.vHat) + p.epsilon))), /uses the gradient g/);
  const right = (p: { theta: number; mHat: number; vHat: number; eta: number; epsilon: number }): number => p.theta - (p.eta * p.mHat) / (Math.sqrt(p.vHat) + p.epsilon);
  assertFails(verifyAdamStep(adamWith(right, false)), /m and v are still 0/, /write the new moving averages back/);
  assertFails(verifyAdamStep(adamWith(right, true, 'corrected')), /not the moving average/);
  // t counted from 0: the bias correction divides by 1 − β⁰ = 0
  assertFails(verifyAdamStep((theta, g, m, v, t, eta, b1, b2, eps) => adamStep(theta, g, m, v, t - 1, eta, b1, b2, eps)), /became/, /t = 1/);
  // every step as if it were the first (state reset each call)
  assertFails(verifyAdamStep((theta, g, m, v, _t, eta, b1, b2, eps) => adamStep(theta, g, new Float64Array(m.length), new Float64Array(v.length), 1, eta, b1, b2, eps)),
    /m and v are still 0/);
  assertFails(verifyAdamStep((theta, g, m, v, _t, eta, b1, b2, eps) => {
    const m0 = new Float64Array(m.length);
    const v0 = new Float64Array(v.length);
    adamStep(theta, g, m0, v0, 1, eta, b1, b2, eps);
    m.set(m0);
    v.set(v0);
  }), /as if every step were the first/);
  // only the first four entries: the hand cases pass, the library network does not
  assertFails(verifyAdamStep((theta, g, m, v, t, eta, b1, b2, eps) => adamStep(theta.subarray(0, 4), g.subarray(0, 4), m.subarray(0, 4), v.subarray(0, 4), t, eta, b1, b2, eps)),
    /do not reproduce the library's Adam/);
  assertFails(verifyAdamStep(() => { throw new Error('Exercise 7.4: write your code here'); }), /threw at step t = 1: Exercise 7.4: write your code here/);
});

// ----- Exercise 7.5
function softmaxBackward(a: Matrix, da: Matrix): Matrix {
  const dz = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.get(i, k) * da.get(i, k);
    for (let j = 0; j < a.cols; j++) dz.set(i, j, a.get(i, j) * (da.get(i, j) - s));
  }
  return dz;
}

const mapEntries = (a: Matrix, f: (i: number, j: number) => number): Matrix => {
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.set(i, j, f(i, j));
  return out;
};
const rowDot = (a: Matrix, da: Matrix, i: number): number => a.row(i).reduce((s, x, k) => s + x * da.get(i, k), 0);

test('verifySoftmaxBackward: the solution passes, and so does the library\'s own softmax backward', () => {
  assertPasses(verifySoftmaxBackward(softmaxBackward));
  const library = (a: Matrix, da: Matrix): Matrix => {
    const dz = new Matrix(a.rows, a.cols);
    softmax.backwardInto(dz, da, a, a);
    return dz;
  };
  assertPasses(verifySoftmaxBackward(library));
});

test('verifySoftmaxBackward: classic mistakes fail with a hint', () => {
  assertFails(verifySoftmaxBackward((a, da) => mapEntries(a, (i, j) => a.get(i, j) * (1 - a.get(i, j)) * da.get(i, j))), /only the Jacobian's diagonal|keeps only the Jacobian/, /every z_ik/);
  assertFails(verifySoftmaxBackward((a, da) => mapEntries(a, (i, j) => a.get(i, j) * (da.get(i, j) + rowDot(a, da, i)))), /wrong sign/);
  assertFails(verifySoftmaxBackward((a, da) => mapEntries(a, (i, j) => a.get(i, j) * (da.get(i, j) - da.row(i).reduce((s, x) => s + x, 0)))), /not weighted by a_ik/);
  assertFails(verifySoftmaxBackward((a, da) => mapEntries(a, (i, j) => a.get(i, j) * (da.get(i, j) - a.column(j).reduce((s, x, r) => s + x * da.get(r, j), 0)))), /down a column/);
  assertFails(verifySoftmaxBackward((a, da) => mapEntries(a, (i, j) => da.get(i, j) - rowDot(a, da, i))), /factor a_ij in front is missing/);
  assertFails(verifySoftmaxBackward((a, da) => softmaxBackward(a, da).transpose()), /transposed/);
  assertFails(verifySoftmaxBackward((a, da) => mapEntries(a, (i, j) => softmaxBackward(a, da).get(i, j) * 1.01)), /differs from the Jacobian-vector product \(the product/);
  assertFails(verifySoftmaxBackward(() => { throw new Error('Exercise 7.5: write your code here'); }), /threw on .*write your code here/);
});

// ----- Exercise 7.6
function penalisedLoss(n: MLP, inputs: Matrix, targets: Matrix, lambda: number): number {
  let s = 0;
  for (let l = 1; l <= n.L; l++) for (const w of n.W[l].data) s += w * w;
  return n.lossOn(inputs, targets) + 0.5 * lambda * s;
}

const sumOver = (n: MLP, pick: (l: number) => Float64Array, f: (x: number) => number, layers = Array.from({ length: n.L }, (_, i) => i + 1)): number =>
  layers.reduce((s, l) => s + Array.from(pick(l)).reduce((t, x) => t + f(x), 0), 0);

test('verifyPenalisedLoss: the solution passes', () => {
  assertPasses(verifyPenalisedLoss(penalisedLoss));
});

test('verifyPenalisedLoss: classic mistakes fail with a hint', () => {
  const sq = (x: number): number => x * x;
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => n.lossOn(Xs, ys) + lam * sumOver(n, (l) => n.W[l].data, sq)), /factor ½ is missing/);
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => penalisedLoss(n, Xs, ys, lam) + 0.5 * lam * sumOver(n, (l) => n.b[l].data, sq)), /biases are in the penalty/);
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => n.lossOn(Xs, ys) + 0.5 * lam * sumOver(n, (l) => n.W[l].data, Math.abs)), /sums \|w\| \(that is L1\)/);
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => n.lossOn(Xs, ys) + 0.5 * lam * Array.from({ length: n.L }, (_, i) => Math.sqrt(sumOver(n, (l) => n.W[l].data, sq, [i + 1]))).reduce((a, b) => a + b, 0)),
    /norm ‖W\[l\]‖ is not squared/);
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => n.lossOn(Xs, ys) + 0.5 * lam * sumOver(n, (l) => n.W[l].data, sq, [n.L])), /only the last layer/);
  assertFails(verifyPenalisedLoss((n, _X, _y, lam) => 0.5 * lam * sumOver(n, (l) => n.W[l].data, sq)), /data loss L is missing/);
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => { n.fit(Xs, ys, { epochs: 1, learningRate: 0.1, l2: lam }); return penalisedLoss(n, Xs, ys, lam); }), /changed the weights/);
  assertFails(verifyPenalisedLoss((n, Xs, ys, lam) => penalisedLoss(n, Xs, ys, lam) / Xs.rows), /differs from fit's\./);
  assertFails(verifyPenalisedLoss(() => NaN), /returned NaN/);
  assertFails(verifyPenalisedLoss(() => { throw new Error('Exercise 7.6: write your code here'); }), /threw .*write your code here/);
});
