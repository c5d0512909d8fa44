/**
 * The self-checks of notebook 07 pass on the solutions, catch the classic mistakes with a hint, and
 * turn a stubbed answer into a failing line.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { relu, sigmoid, tanh, type Activation } from '../../src/core/activations';
import { binaryCrossEntropy } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { makeDataset } from '../../src/data/datasets';
import { evaluateCheck, type Verdict } from '../../src/notebook/check';
import { deadUnitCases, verifyDeadUnits, verifyLayerTwoPicture, verifySwitchLine } from '../../src/notebook/checks/nb07';
import { deadUnits as kitDeadUnits } from '../../src/notebook/playground/views';

function assertFails(v: Verdict, problem: RegExp, hint?: RegExp): void {
  assert.equal(v.passed, false, `expected a failure, got a pass: ${v.passed ? v.detail : ''}`);
  if (v.passed) return;
  assert.match(v.problem, problem);
  if (hint) assert.match(v.hint, hint);
  assert.ok(v.hint.length > 10, 'a failure carries a hint');
}

function assertPasses(v: Verdict): void {
  assert.equal(v.passed, true, v.passed ? '' : `${v.problem} Hint: ${v.hint}`);
}

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
