/**
 * The self-checks of notebook 03 pass on the solutions and catch the classic mistakes with a hint;
 * a stubbed answer becomes a failing check line that quotes it.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sigmoid, tanh, type Activation } from '../../src/core/activations';
import { meanSquaredError } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { evaluateCheck, type Verdict } from '../../src/notebook/check';
import { assertFails, assertPasses } from '../support/verdicts';
import {
  verifyBackprop, verifyLayerBackward, verifyLossGradient, verifySigmoidDerivative,
  type LayerCache, type LayerGradients, type NetworkGradients,
} from '../../src/notebook/checks/nb03';

function stubMessage(id: string, verify: (stub: () => never) => Verdict): string {
  return evaluateCheck(id, () => verify(() => {
    throw new Error(`${id}: write your code here`);
  })).message;
}

test('verifyLossGradient: the solution passes; sign, 1/n, 1/(n·n_L), factor 2, shape mistakes fail', () => {
  const solution = (Y: Matrix, Yhat: Matrix): Matrix => Yhat.map((v, s, i) => (2 * (v - Y.get(s, i))) / Y.rows);
  assertPasses(verifyLossGradient(solution));
  assertPasses(verifyLossGradient((Y, Yhat) => meanSquaredError.df(Y, Yhat)));
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).scale(-1)), /opposite sign/, /Tutorial erratum/);
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).scale(Y.rows)), /n = 5 times too large/, /1\/n/);
  // On the one-sample batch that is the tutorial's sign alone; on five samples both mistakes show.
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).scale(-Y.rows)), /n = 1 sample .* opposite sign\.$/);
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).scale(Y.rows === 1 ? 1 : -Y.rows)), /opposite sign and is n = 5 times too large/);
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).scale(1 / Y.cols)), /n_L = 3 times too small/);
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).scale(0.5)), /half/, /factor 2/);
  assertFails(verifyLossGradient((Y, Yhat) => solution(Y, Yhat).transpose()), /is 3x1; it must have Ŷ's shape, 1x3/, /transposed/);
  assertFails(verifyLossGradient(() => [[1, 2]] as unknown as Matrix), /not a Matrix/);
  assert.match(stubMessage('Exercise 3.1', (s) => verifyLossGradient(s)), /Exercise 3\.1: write your code here/);
});

test('verifySigmoidDerivative: the solution passes; the doubled derivative and z(1 − z) fail', () => {
  assertPasses(verifySigmoidDerivative((z) => sigmoid.f(z) * (1 - sigmoid.f(z))));
  assertPasses(verifySigmoidDerivative((z) => sigmoid.df(z)));
  assertFails(verifySigmoidDerivative((z) => 2 * sigmoid.f(z) * (1 - sigmoid.f(z))), /twice too large/, /Tutorial erratum/);
  assertFails(verifySigmoidDerivative((z) => z * (1 - z)), /uses z where σ\(z\) belongs/);
  assertFails(verifySigmoidDerivative((z) => sigmoid.f(z)), /is σ\(z\) itself/);
  assertFails(verifySigmoidDerivative((z) => -sigmoid.df(z)), /wrong sign/);
  assertFails(verifySigmoidDerivative((z) => Math.exp(-z) / (1 + Math.exp(-z))), /differs from the slope of σ/);
  assertFails(verifySigmoidDerivative(() => undefined as unknown as number), /is undefined/);
  assert.match(stubMessage('Exercise 3.2', (s) => verifySigmoidDerivative(s)), /Exercise 3\.2: write your code here/);
});

type LayerMistakes = { sign?: boolean; noPrime?: boolean; primeOfA?: boolean; doubled?: boolean; ownOutput?: boolean;
  transposed?: boolean; overwrite?: boolean; libraryLayout?: boolean };

/** The solution of the layer exercise, with switches for the classic mistakes. */
function layerBackward(o: LayerMistakes = {}) {
  return (daL: number[], c: LayerCache, W: Matrix, f: Activation): LayerGradients => {
    const nOut = c.z.length;
    const nIn = c.aPrev.length;
    const db = c.z.map((z, i) => {
      let d = o.noPrime ? 1 : o.primeOfA ? f.df(c.a[i]) : f.df(z);
      if (o.doubled && f.name === 'sigmoid') d *= 2;
      return (o.sign ? -1 : 1) * daL[i] * d;
    });
    const dw = db.map((g) => Array.from({ length: nIn }, (_, j) => g * (o.ownOutput ? c.a[j] : c.aPrev[j])));
    const daPrev = new Array<number>(nIn).fill(0);
    for (let i = 0; i < nOut; i++) {
      for (let j = 0; j < nIn; j++) {
        const term = db[i] * (o.transposed ? W.get(i, j) : W.get(j, i));
        daPrev[j] = o.overwrite ? term : daPrev[j] + term;
      }
    }
    const libraryDw = Array.from({ length: nIn }, (_, j) => db.map((g) => g * c.aPrev[j]));
    return { dw: o.libraryLayout ? libraryDw : dw, db, daPrev };
  };
}

test('verifyLayerBackward: the solution passes', () => {
  assertPasses(verifyLayerBackward(layerBackward()));
});

test('verifyLayerBackward: the classic mistakes fail with a hint that names the part', () => {
  assertFails(verifyLayerBackward(layerBackward({ sign: true })), /db and dw and daPrev has the wrong sign/);
  assertFails(verifyLayerBackward(layerBackward({ noPrime: true })), /misses the activation's derivative/, /f\.df/);
  assertFails(verifyLayerBackward(layerBackward({ primeOfA: true })), /takes f' at a instead of z/);
  assertFails(verifyLayerBackward(layerBackward({ doubled: true })), /twice too large on a sigmoid layer/, /Tutorial erratum/);
  // a[l] instead of a[l − 1]: NaN where the layer has fewer units than inputs, a wrong value elsewhere.
  assertFails(verifyLayerBackward(layerBackward({ ownOutput: true })), /dw/, /a\[l−1\]ⱼ|aPrev/);
  assertFails(verifyLayerBackward(layerBackward({ transposed: true })), /threw "get: index/, /W\.get\(j, i\)/);
  assertFails(verifyLayerBackward(layerBackward({ overwrite: true })), /daPrev/);
  assertFails(verifyLayerBackward(layerBackward({ libraryLayout: true })), /the shape of W \(the library's layout\)/);
  assert.match(stubMessage('Exercise 3.3', (s) => verifyLayerBackward(s)), /Exercise 3\.3: write your code here/);
});

test('verifyLayerBackward: mistakes that only show on square layers are recognised there', () => {
  const onSquare = (o: LayerMistakes) => (daL: number[], c: LayerCache, W: Matrix, f: Activation): LayerGradients =>
    layerBackward(W.rows === W.cols ? o : {})(daL, c, W, f);
  assertFails(verifyLayerBackward(onSquare({ transposed: true })), /daPrev reads W with swapped indices/, /W\.get\(j, i\)/);
  assertFails(verifyLayerBackward(onSquare({ ownOutput: true })), /dw multiplies by the layer's own output/, /Tutorial erratum/);
});

const net = new MLP({ layers: [3, 4, 2, 2], activations: [tanh, sigmoid, sigmoid], loss: meanSquaredError, seed: 7, init: 'xavier' });
const x = [0.5, -1.0, 2.0];
const y = [1, 0];

/** The solution of the backward-pass exercise (loops over the library's forward values), with switches. */
function backprop(o: { tutorialSign?: boolean; ownOutput?: boolean; noHandBack?: boolean; libraryLayout?: boolean } = {}) {
  return (p: MLP, xs: number[], ys: number[]): NetworkGradients => {
    p.forward(Matrix.from([xs]));
    const L = p.L;
    const yhat = p.a[L].row(0);
    let da = yhat.map((v, i) => (o.tutorialSign ? 2 * (ys[i] - v) : 2 * (v - ys[i])));
    const dw: number[][][] = [];
    const db: number[][] = [];
    for (let l = L; l >= 1; l--) {
      const z = p.z[l].row(0);
      const aPrev = p.a[l - 1].row(0);
      const aOwn = p.a[l].row(0);
      const g = z.map((zi, i) => da[i] * p.activations[l - 1].df(zi));
      db[l] = g;
      dw[l] = o.libraryLayout
        ? aPrev.map((aj) => g.map((gi) => gi * aj))
        : g.map((gi) => aPrev.map((aj, j) => gi * (o.ownOutput ? aOwn[j] : aj)));
      const next = aPrev.map((_, j) => g.reduce((s, gi, i) => s + gi * p.W[l].get(j, i), 0));
      if (!o.noHandBack) da = next;
      else da = new Array<number>(aPrev.length).fill(1);
    }
    return { dw, db };
  };
}

test('verifyBackprop: the solution passes on the worked network and on others; the net is not modified', () => {
  const before = JSON.stringify(net.toJSON());
  assertPasses(verifyBackprop(backprop(), net, x, y));
  assert.equal(JSON.stringify(net.toJSON()), before);
});

test('verifyBackprop: the classic mistakes fail with a hint that names the layer', () => {
  assertFails(verifyBackprop(backprop({ tutorialSign: true }), net, x, y), /layer 3 have the opposite sign/, /Tutorial erratum/);
  assertFails(verifyBackprop(backprop({ ownOutput: true }), net, x, y), /dw\[3\] multiplies by a\[3\] instead of a\[2\]|dw\[\d\]/);
  assertFails(verifyBackprop(backprop({ noHandBack: true }), net, x, y), /layer 2 is wrong \(layer 3 is right\)/, /handed back by layer 3/);
  assertFails(verifyBackprop(backprop({ libraryLayout: true }), net, x, y), /library's layout/);
  assertFails(verifyBackprop(() => ({ dw: [], db: [] }), net, x, y), /need L \+ 1 = 4/);
  assert.match(stubMessage('Exercise 3.4', (s) => verifyBackprop(s, net, x, y)), /Exercise 3\.4: write your code here/);
});
