/**
 * The self-checks of notebook 02 pass on the solutions and catch the classic mistakes with a hint;
 * a stubbed answer becomes a failing check line that quotes it.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sigmoid, tanh, type Activation } from '../../src/core/activations';
import { meanSquaredError } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { evaluateCheck } from '../../src/notebook/check';
import { assertFails, assertPasses, stub } from '../support/verdicts';
import { verifyBatchLoss, verifyForwardPass, verifyLayerForward } from '../../src/notebook/checks/nb02';

/** The solution of the layer exercise, with switches for the classic mistakes. */
function layer(o: { transposed?: boolean; noBias?: boolean; noActivation?: boolean; biasAfter?: boolean } = {}) {
  return (aPrev: number[], W: Matrix, b: Matrix, f: Activation): number[] => {
    const out: number[] = [];
    for (let i = 0; i < W.cols; i++) {
      let z = 0;
      for (let j = 0; j < aPrev.length; j++) z += (o.transposed ? W.get(i, j) : W.get(j, i)) * aPrev[j];
      if (!o.noBias && !o.biasAfter) z += b.get(0, i);
      let a = o.noActivation ? z : f.f(z);
      if (o.biasAfter) a += b.get(0, i);
      out.push(a);
    }
    return out;
  };
}

test('verifyLayerForward: the solution passes; the classic mistakes fail with a hint', () => {
  assertPasses(verifyLayerForward(layer()));
  assertFails(verifyLayerForward(layer({ transposed: true })), /threw "get: index/, /W\.get\(j, i\)/);
  assertFails(verifyLayerForward(layer({ noBias: true })), /leaves out the bias/, /b\.get\(0, i\)/);
  assertFails(verifyLayerForward(layer({ noActivation: true })), /pre-activation z/, /f\.f\(z\)/);
  assertFails(verifyLayerForward(layer({ biasAfter: true })), /after the activation/);
  assertFails(verifyLayerForward((a) => a), /3 entries; it needs 4/);
  const r = evaluateCheck('Exercise 2.1', () => verifyLayerForward(stub('Exercise 2.1')));
  assert.match(r.message, /Exercise 2\.1: write your code here/);
});

test('verifyLayerForward: a transposed W on a square layer is caught by its values', () => {
  // Only square layers (W.get(i, j) in range): the 3x3 identity layer catches it.
  const squareOnly = (aPrev: number[], W: Matrix, b: Matrix, f: Activation): number[] =>
    W.rows === W.cols ? layer({ transposed: true })(aPrev, W, b, f) : layer()(aPrev, W, b, f);
  assertFails(verifyLayerForward(squareOnly), /swapped indices/, /input-by-output/);
});

const net = new MLP({ layers: [3, 4, 2, 2], activations: [tanh, sigmoid, sigmoid], loss: meanSquaredError, seed: 7, init: 'xavier' });
const x = [0.5, -1.0, 2.0];

/** The solution of the forward-pass exercise, with switches for the classic mistakes. */
function forward(o: { skipA0?: boolean; nextActivation?: boolean; fromInput?: boolean; noBias?: boolean } = {}) {
  return (xs: number[], p: MLP): number[][] => {
    const a: number[][] = [xs.slice()];
    for (let l = 1; l <= p.L; l++) {
      const input = o.fromInput ? a[0] : a[l - 1];
      const f = o.nextActivation ? (p.activations[l] ?? p.activations[l - 1]) : p.activations[l - 1];
      const out: number[] = [];
      for (let i = 0; i < p.layers[l]; i++) {
        let z = o.noBias ? 0 : p.b[l].get(0, i);
        for (let j = 0; j < p.layers[l - 1]; j++) z += p.W[l].get(j, i) * (input[j] ?? 0);
        out.push(f.f(z));
      }
      a.push(out);
    }
    return o.skipA0 ? a.slice(1) : a;
  };
}

test('verifyForwardPass: the solution passes on the worked network and on others', () => {
  assertPasses(verifyForwardPass(forward(), net, x));
  const before = JSON.stringify(net.toJSON());
  verifyForwardPass(forward(), net, x);
  assert.equal(JSON.stringify(net.toJSON()), before, 'the notebook\'s network is not modified');
});

test('verifyForwardPass: the classic mistakes fail with a hint', () => {
  assertFails(verifyForwardPass(forward({ skipA0: true }), net, x), /needs L \+ 1 = 4 arrays/, /a\[0\] = x/);
  assertFails(verifyForwardPass(forward({ nextActivation: true }), net, x), /applies the activation of layer 2/, /net\.activations\[0\]/);
  assertFails(verifyForwardPass(forward({ fromInput: true }), net, x), /a\[2\]/);
  // The 2-3-3-1 relu network has non-zero biases: a missing bias is caught there.
  assertFails(verifyForwardPass(forward({ noBias: true }), net, x), /leaves out the bias/);
  const offByOne = (xs: number[], p: MLP): number[][] => {
    const a: number[][] = [xs];
    for (let l = 1; l <= p.L; l++) {
      a.push(Array.from({ length: p.layers[l] }, (_, i) =>
        p.activations[l].f(a[l - 1].reduce((s, v, j) => s + p.W[l].get(j, i) * v, p.b[l].get(0, i)))));
    }
    return a;
  };
  assertFails(verifyForwardPass(offByOne, net, x), /threw|activation/, /net\.activations\[l − 1\]/);
  const r = evaluateCheck('Exercise 2.2', () => verifyForwardPass(stub('Exercise 2.2'), net, x));
  assert.match(r.message, /Exercise 2\.2: write your code here/);
  assert.throws(() => verifyForwardPass(forward(), net, [1, 2]), /x must be an array of 3 numbers/);
});

test('verifyBatchLoss: the solution passes; a missing 1/n, the mean over entries, no squares fail', () => {
  const solution = (Y: Matrix, Yhat: Matrix): number => {
    let s = 0;
    for (let r = 0; r < Y.rows; r++) for (let i = 0; i < Y.cols; i++) s += (Y.get(r, i) - Yhat.get(r, i)) ** 2;
    return s / Y.rows;
  };
  assertPasses(verifyBatchLoss(solution));
  assertPasses(verifyBatchLoss((Y, Yhat) => meanSquaredError.f(Y, Yhat)));
  assertFails(verifyBatchLoss((Y, Yhat) => solution(Y, Yhat) * Y.rows), /n = 5 times too large/, /mean over the samples/);
  assertFails(verifyBatchLoss((Y, Yhat) => solution(Y, Yhat) / Y.cols), /n_L = 3 times too small/, /not by the number of entries/);
  assertFails(verifyBatchLoss((Y, Yhat) => Math.sqrt(solution(Y, Yhat))), /square root/);
  assertFails(verifyBatchLoss((Y, Yhat) => Y.sub(Yhat).sum() / Y.rows), /does not square/);
  assertFails(verifyBatchLoss(() => NaN), /returned NaN/);
  const r = evaluateCheck('Exercise 2.3', () => verifyBatchLoss(stub('Exercise 2.3')));
  assert.match(r.message, /Exercise 2\.3: write your code here/);
});
