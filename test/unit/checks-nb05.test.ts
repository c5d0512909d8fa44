/** The self-checks of notebook 05: pass on the solution, fail with a useful hint on a stub and on each classic mistake. */
import { test } from 'node:test';
import { Matrix } from '../../src/core/matrix';
import { NumpyRandomState } from '../../src/replay/numpy-random';
import { assertFails, assertPasses, assertStubFails, stub } from '../support/verdicts';
import {
  verifyCrossEntropy, verifyMyMLP, verifyNumericalGradient, verifySigmoid,
  type LossDerivative, type MatrixFunction,
} from '../../src/notebook/checks/nb05';

// The solutions, as notebook 05 writes them.
const sigmoidMat: MatrixFunction = (z) => z.map((v) => 1 / (1 + Math.exp(-Math.min(Math.max(v, -500), 500))));
const dsigmoidMat: MatrixFunction = (z) => {
  const s = sigmoidMat(z);
  return s.mul(s.map((v) => 1 - v));
};
const EPS = 2 ** -52;
const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);
function crossEntropy(y: Matrix, yhat: Matrix): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s -= y.data[i] * Math.log(clip(yhat.data[i])) + (1 - y.data[i]) * Math.log(clip(1 - yhat.data[i]));
  return s / y.rows;
}
function dCrossEntropy(y: Matrix, yhat: Matrix): Matrix {
  return yhat.map((p, s, i) => (-y.get(s, i) / clip(p) + (1 - y.get(s, i)) / clip(1 - p)) / y.rows);
}

interface Mistakes {
  ownA?: boolean; meanDb?: boolean; noDerivative?: boolean; derivativeOfA?: boolean; untransposedW?: boolean;
  transposedDW?: boolean; plusUpdate?: boolean; noEta?: boolean; skipB?: boolean; noBias?: boolean; noStore?: boolean;
  stub?: 'forward' | 'backward' | 'update';
}

/** The tutorial's class with the corrected mathematics, with switchable mistakes. */
function myMLP(m: Mistakes = {}) {
  return class MyMLP {
    z: Matrix[] = []; W: Matrix[] = []; b: Matrix[] = []; a: Matrix[] = [];
    dz: Matrix[] = []; dW: Matrix[] = []; db: Matrix[] = []; da: Matrix[] = [];
    constructor(readonly layerSizes: number[], readonly activations: MatrixFunction[], readonly derivatives: MatrixFunction[],
      readonly lossDerivative: LossDerivative) {}
    initialize(seed = 42): void {
      const random = new NumpyRandomState(seed);
      for (let l = 1; l < this.layerSizes.length; l++) {
        this.W[l] = random.randn(this.layerSizes[l - 1], this.layerSizes[l]).scale(0.1);
        this.b[l] = random.randn(1, this.layerSizes[l]).scale(0.1);
      }
    }
    forward(X: Matrix): Matrix {
      if (m.stub === 'forward') throw new Error('Exercise 5.3: write your code here');
      this.a[0] = X;
      for (let l = 1; l <= this.activations.length; l++) {
        const zl = this.a[l - 1].matmul(this.W[l]);
        this.z[l] = m.noBias ? zl : zl.addRowVector(this.b[l]);
        this.a[l] = this.activations[l - 1](this.z[l]);
      }
      const out = this.a[this.activations.length];
      if (m.noStore) { this.z = []; }
      return out;
    }
    backward(y: Matrix, yhat: Matrix): void {
      if (m.stub === 'backward') throw new Error('Exercise 5.3: write your code here');
      const L = this.activations.length;
      this.da[L] = this.lossDerivative(y, yhat);
      for (let l = L; l >= 1; l--) {
        const d = this.derivatives[l - 1](m.derivativeOfA ? this.a[l] : this.z[l]);
        this.dz[l] = m.noDerivative ? this.da[l] : this.da[l].mul(d);
        this.dW[l] = m.transposedDW ? this.dz[l].tmatmul(this.a[l - 1]) : (m.ownA ? this.a[l] : this.a[l - 1]).tmatmul(this.dz[l]);
        this.db[l] = m.meanDb ? this.dz[l].meanColumns() : this.dz[l].sumColumns();
        this.da[l - 1] = m.untransposedW ? this.dz[l].matmul(this.W[l]) : this.dz[l].matmulT(this.W[l]);
      }
    }
    update(eta: number): void {
      if (m.stub === 'update') throw new Error('Exercise 5.3: write your code here');
      for (let l = 1; l < this.W.length; l++) {
        const step = m.noEta ? this.dW[l] : this.dW[l].scale(eta);
        this.W[l] = m.plusUpdate ? this.W[l].add(step) : this.W[l].sub(step);
        if (!m.skipB) this.b[l] = this.b[l].sub(this.db[l].scale(eta));
      }
    }
  };
}

test('Exercise 5.1 (σ and σ\' on matrices): the solution passes; stub, doubled derivative, overflow and others are caught', () => {
  assertPasses(verifySigmoid(sigmoidMat, dsigmoidMat));
  // the unclipped 1/(1 + e^(−z)) is exact in float64 too
  assertPasses(verifySigmoid((z) => z.map((v) => 1 / (1 + Math.exp(-v))), (z) => z.map((v) => { const s = 1 / (1 + Math.exp(-v)); return s * (1 - s); })));
  assertStubFails('Exercise 5.1', () => verifySigmoid(stub('Exercise 5.1'), dsigmoidMat));
  assertStubFails('Exercise 5.1', () => verifySigmoid(sigmoidMat, stub('Exercise 5.1')));
  assertFails(verifySigmoid(sigmoidMat, (z) => dsigmoidMat(z).scale(2)), /twice/, /erratum 1/);
  assertFails(verifySigmoid((z) => z.map((v) => Math.exp(v) / (1 + Math.exp(v))), dsigmoidMat), /sigmoid\((710|1000)\) is NaN/, /overflow/);
  assertFails(verifySigmoid(sigmoidMat, (z) => z.map((v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2)), /dsigmoid\(-?\d+\) is NaN/, /s = σ\(z\) first/);
  assertFails(verifySigmoid(sigmoidMat, (z) => sigmoidMat(z)), /σ\(z\) itself/, /1 − σ/);
  assertFails(verifySigmoid(sigmoidMat, (z) => z.map((v) => v * (1 - v))), /z\(1 − z\)/, /receives z/);
  assertFails(verifySigmoid((z) => { z.data[0] = 0; return sigmoidMat(z); }, dsigmoidMat), /changed its input/, /new Matrix/);
  assertFails(verifySigmoid((z) => sigmoidMat(z).transpose(), dsigmoidMat), /4x3 Matrix for a 3x4/, /z's shape/);
  assertFails(verifySigmoid((z) => z.map((v) => 1 / (1 + Math.exp(v))), dsigmoidMat), /differs from σ/, /1 \/ \(1 \+ e/);
});

test('Exercise 5.2 (cross-entropy and dL/dŷ): the solution passes; sum, sign, clip, 1/n and ∂L/∂z are caught', () => {
  assertPasses(verifyCrossEntropy(crossEntropy, dCrossEntropy));
  assertPasses(verifyCrossEntropy((y, p) => Matrix.from([[crossEntropy(y, p)]]), dCrossEntropy)); // the tutorial's 1 x 1 result
  assertStubFails('Exercise 5.2', () => verifyCrossEntropy(stub('Exercise 5.2'), dCrossEntropy));
  assertStubFails('Exercise 5.2', () => verifyCrossEntropy(crossEntropy, stub('Exercise 5.2')));
  assertFails(verifyCrossEntropy((y, p) => crossEntropy(y, p) * y.rows, dCrossEntropy), /a sum over the samples/, /erratum 4/);
  assertFails(verifyCrossEntropy((y, p) => crossEntropy(y, p) / y.cols, dCrossEntropy), /2 times too small/, /not by the number of entries/);
  assertFails(verifyCrossEntropy((y, p) => -crossEntropy(y, p), dCrossEntropy), /negative/, /minus sign/);
  const noClip = (y: Matrix, p: Matrix): number => {
    let s = 0;
    for (let i = 0; i < y.size; i++) s -= y.data[i] * Math.log(p.data[i]) + (1 - y.data[i]) * Math.log(1 - p.data[i]);
    return s / y.rows;
  };
  assertFails(verifyCrossEntropy(noClip, dCrossEntropy), /exactly 0 and 1.*NaN|Infinity/, /clip/);
  assertFails(verifyCrossEntropy(crossEntropy, (y, p) => dCrossEntropy(y, p).scale(y.rows)), /n = 6 times too large/, /erratum 4/);
  assertFails(verifyCrossEntropy(crossEntropy, (y, p) => dCrossEntropy(y, p).scale(-1)), /opposite sign/, /dL\/dŷ < 0/);
  assertFails(verifyCrossEntropy(crossEntropy, (y, p) => p.sub(y).scale(1 / y.rows)), /∂L\/∂z/, /multiplies dL\/dŷ by σ'/);
  assertFails(verifyCrossEntropy(crossEntropy, (y, p) => p.map((q, s, i) => (-y.get(s, i) / q + (1 - y.get(s, i)) / (1 - q)) / y.rows)), /non-finite/, /clip/);
});

test('Exercise 5.3 (the class: forward, backward, update): the solution passes; the classic mistakes are caught', () => {
  assertPasses(verifyMyMLP(myMLP()));
  for (const where of ['forward', 'backward', 'update'] as const) assertStubFails('Exercise 5.3', () => verifyMyMLP(myMLP({ stub: where })));
  assertFails(verifyMyMLP(myMLP({ ownA: true })), /dW\[3\] is a 2x2 Matrix/, /erratum 2/);
  assertFails(verifyMyMLP(myMLP({ meanDb: true })), /db\[\d\].*differs/, /np\.mean/);
  assertFails(verifyMyMLP(myMLP({ noDerivative: true })), /differs/, /f_l'\(z\[l\]\)/);
  assertFails(verifyMyMLP(myMLP({ derivativeOfA: true })), /differs/, /not its output a\[l\]/);
  assertFails(verifyMyMLP(myMLP({ untransposedW: true })), /backward threw/, /matmulT/);
  assertFails(verifyMyMLP(myMLP({ transposedDW: true })), /dW\[3\] is a 2x4 Matrix/, /transpose/);
  assertFails(verifyMyMLP(myMLP({ plusUpdate: true })), /\+η·dW/, /against the gradient/);
  assertFails(verifyMyMLP(myMLP({ noEta: true })), /without the learning rate/, /eta/);
  assertFails(verifyMyMLP(myMLP({ skipB: true })), /not b\[/, /biases too/);
  assertFails(verifyMyMLP(myMLP({ noBias: true })), /leaves out the biases/, /addRowVector/);
  assertFails(verifyMyMLP(myMLP({ noStore: true })), /this\.z\[1\]/, /store every z\[l\]/);
});

test('Exercise 5.4 (a central difference): the solution passes; one-sided, /h, sign, fixed step and no restore are caught', () => {
  const central = (lossOf: () => number, P: Matrix, i: number, j: number, h: number): number => {
    const x = P.get(i, j);
    P.set(i, j, x + h);
    const up = lossOf();
    P.set(i, j, x - h);
    const down = lossOf();
    P.set(i, j, x);
    return (up - down) / (2 * h);
  };
  assertPasses(verifyNumericalGradient(central));
  assertStubFails('Exercise 5.4', () => verifyNumericalGradient(stub('Exercise 5.4')));
  assertFails(verifyNumericalGradient((lossOf, P, i, j, h) => {
    const x = P.get(i, j); const base = lossOf(); P.set(i, j, x + h); const up = lossOf(); P.set(i, j, x); return (up - base) / h;
  }), /one-sided/, /both sides/);
  assertFails(verifyNumericalGradient((lossOf, P, i, j, h) => 2 * central(lossOf, P, i, j, h)), /twice/, /2h/);
  assertFails(verifyNumericalGradient((lossOf, P, i, j, h) => -central(lossOf, P, i, j, h)), /opposite sign/, /\+h comes first/);
  assertFails(verifyNumericalGradient((lossOf, P, i, j) => central(lossOf, P, i, j, 1e-5)), /h = 0\.01/, /step h you are given/);
  assertFails(verifyNumericalGradient((lossOf, P, i, j, h) => {
    const x = P.get(i, j); P.set(i, j, x + h); const up = lossOf(); P.set(i, j, x - h); const down = lossOf(); return (up - down) / (2 * h);
  }), /not as it was/, /put the original value back/);
});
