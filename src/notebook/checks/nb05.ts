/**
 * The self-checks of notebook 05 (implementing back-propagation): the learner's sigmoid and its
 * derivative on whole matrices, the cross-entropy loss and its derivative, the tutorial-style
 * network class (forward, backward, update) and a central finite difference. Every oracle is
 * independent of the learner's code: closed forms computed stably, central differences of the loss,
 * the definition of the update. The failures recognise the classic mistakes (the doubled sigmoid
 * derivative, an overflow to NaN, a summed instead of averaged loss, a sign, a[l] for a[l−1], a
 * transposed W, np.mean for the bias gradient, a missing f') and never print the answer.
 */
import { identity, sigmoid, tanh, type Activation } from '../../core/activations';
import { binaryCrossEntropy, meanSquaredError, type Loss } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { fail, pass, type Verdict } from '../check';
import {
  callLearner, caseRandom, commonFactor, describeAnswer, factorText, isTransposedShape, matches, percent,
  randomLabels, randomMatrix, worstEntry,
} from './answers';

/** A function applied to a whole matrix, entry by entry, as the tutorial's numpy functions are: a = f(z). */
export type MatrixFunction = (z: Matrix) => Matrix;
/** A loss value L(y, ŷ) (a number; a 1 x 1 Matrix is accepted too). */
export type LossValue = (y: Matrix, yhat: Matrix) => number | Matrix;
/** A loss derivative dL/dŷ, a Matrix of ŷ's shape. */
export type LossDerivative = (y: Matrix, yhat: Matrix) => Matrix;

/** The stable logistic function (the oracle): 1/(1 + e^(−z)) for z ≥ 0, e^z/(1 + e^z) below. */
function stableSigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

const EXTREMES = [-1e4, -1000, -710, -40, 0, 40, 710, 1000, 1e4];
const ERRATUM_1 = 'the derivative of σ is σ(z)(1 − σ(z)), whose largest value is 1/4 at z = 0; the tutorial\'s dsigmoid returns twice that (Tutorial erratum 1).';

function firstNonFinite(m: Matrix): number {
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) return i;
  return -1;
}

function closeAbs(got: Matrix, expected: Matrix, tol: number): boolean {
  if (got.rows !== expected.rows || got.cols !== expected.cols) return false;
  for (let i = 0; i < expected.data.length; i++) {
    if (!(Math.abs(got.data[i] - expected.data[i]) <= tol * Math.max(1e-300, Math.abs(expected.data[i])) + 1e-15)) return false;
  }
  return true;
}

/**
 * Exercise: σ(Z) and σ'(Z) entry by entry on a Matrix, safe for every z. Checked on a 3 x 4 matrix
 * of moderate values against the stable closed form (to 1e-12 relative) and at
 * z = ±40, ±710, ±1000, ±10⁴ (finite, within [0, 1], no NaN); the derivative also against
 * σ(z)(1 − σ(z)) there. Recognises the doubled derivative (erratum 1), σ or 1 − σ alone, a
 * derivative computed from z as if it were σ(z), an overflow to NaN, a changed input, a wrong shape.
 */
export function verifySigmoid(sigmoidFn: MatrixFunction, dsigmoidFn: MatrixFunction): Verdict {
  const where = 'verifySigmoid';
  if (typeof sigmoidFn !== 'function' || typeof dsigmoidFn !== 'function') {
    throw new Error(`${where}: pass your two functions, verifySigmoid(sigmoidMat, dsigmoidMat); received ${typeof sigmoidFn} and ${typeof dsigmoidFn}`);
  }
  const random = caseRandom(where);
  const Z = randomMatrix(random, 3, 4, 3);
  const extreme = Matrix.from([EXTREMES]);
  for (const [name, input] of [['a 3x4 matrix of z between −9 and 9', Z], [`z = ${EXTREMES.join(', ')}`, extreme]] as Array<[string, Matrix]>) {
    const before = input.clone();
    const s = callLearner(() => sigmoidFn(input));
    if (!s.ok) return fail(`sigmoid threw on ${name}: ${s.error}`, 'map every entry: z.map((v) => …).');
    if (!(s.value instanceof Matrix)) return fail(`sigmoid returned ${describeAnswer(s.value)} on ${name}, not a Matrix.`, 'return z.map((v) => …), a Matrix of z\'s shape.');
    if (s.value.rows !== input.rows || s.value.cols !== input.cols) {
      return fail(`sigmoid returned a ${s.value.rows}x${s.value.cols} Matrix for a ${input.rows}x${input.cols} z.`, 'σ acts entry by entry: the result has z\'s shape.');
    }
    if (!input.equals(before)) return fail(`sigmoid changed its input z (${name}).`, 'return a new Matrix (z.map(…)) and leave z as it is: backward still needs z[l].');
    const bad = firstNonFinite(s.value);
    if (bad >= 0) {
      return fail(`sigmoid(${input.data[bad]}) is ${s.value.data[bad]}.`,
        'for large |z| an exponential overflows to Infinity (e^710 already does) and Infinity/Infinity is NaN: clip z to [−500, 500] as the tutorial does, or write 1/(1 + e^(−z)), which stays finite.');
    }
    const expected = input.map((v) => stableSigmoid(v));
    if (!closeAbs(s.value, expected, 1e-12)) {
      const w = worstEntry(s.value, expected);
      const k = w.row * input.cols + w.col;
      return fail(`sigmoid(${Number(input.data[k].toPrecision(4))}) differs from σ(z) = 1/(1 + e^(−z)) by ${percent(Math.abs(s.value.data[k] - expected.data[k]))}.`,
        'σ(z) = 1 / (1 + e^(−z)): between 0 and 1, σ(0) = 0.5.');
    }
    const d = callLearner(() => dsigmoidFn(input));
    if (!d.ok) return fail(`dsigmoid threw on ${name}: ${d.error}`, 'compute s = σ(z) with your sigmoid, then s(1 − s) entry by entry.');
    if (!(d.value instanceof Matrix)) return fail(`dsigmoid returned ${describeAnswer(d.value)} on ${name}, not a Matrix.`, 'return a Matrix of z\'s shape.');
    if (d.value.rows !== input.rows || d.value.cols !== input.cols) {
      return fail(`dsigmoid returned a ${d.value.rows}x${d.value.cols} Matrix for a ${input.rows}x${input.cols} z.`, 'σ\' acts entry by entry: the result has z\'s shape.');
    }
    if (!input.equals(before)) return fail(`dsigmoid changed its input z (${name}).`, 'return a new Matrix and leave z as it is.');
    const badD = firstNonFinite(d.value);
    if (badD >= 0) {
      return fail(`dsigmoid(${input.data[badD]}) is ${d.value.data[badD]}.`,
        'e^(−z)/(1 + e^(−z))² overflows to Infinity/Infinity for z < −709; compute s = σ(z) first (finite for every z), then s(1 − s).');
    }
    const sig = expected;
    const exact = sig.map((v) => v * (1 - v));
    if (closeAbs(d.value, exact, 1e-12)) continue;
    const factor = commonFactor(d.value, exact, 1e-9);
    if (factor !== null && Math.abs(factor - 2) < 1e-9) return fail(`your dsigmoid is exactly twice σ'(z) (${name}).`, ERRATUM_1);
    if (factor !== null && Math.abs(factor + 1) < 1e-9) return fail(`your dsigmoid has the opposite sign (${name}).`, 'σ is increasing, so σ\'(z) > 0 everywhere: σ(z)(1 − σ(z)).');
    if (matches(d.value, sig, 1e-12)) return fail(`your dsigmoid returns σ(z) itself (${name}).`, 'the derivative is σ(z)(1 − σ(z)): multiply by (1 − σ(z)).');
    if (matches(d.value, sig.map((v) => 1 - v), 1e-12)) return fail(`your dsigmoid returns 1 − σ(z) (${name}).`, 'the derivative is σ(z)(1 − σ(z)): multiply by σ(z).');
    if (matches(d.value, input.map((v) => v * (1 - v)), 1e-9)) {
      return fail(`your dsigmoid computes z(1 − z) (${name}).`, 'dsigmoid receives z, the input of the activation (as the tutorial\'s derivatives do): compute s = σ(z) first, then s(1 − s).');
    }
    const w = worstEntry(d.value, exact);
    const k = w.row * input.cols + w.col;
    return fail(`dsigmoid(${Number(input.data[k].toPrecision(4))}) differs from σ'(z) by ${percent(w.error)}.`, ERRATUM_1);
  }
  return pass('your σ and σ\' match the closed forms on moderate z and stay finite and exact at z = ±40, ±710, ±1000 and ±10⁴.');
}

function lossNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof Matrix && v.rows === 1 && v.cols === 1) return v.data[0];
  return null;
}

function meanCrossEntropy(y: Matrix, p: Matrix): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s -= y.data[i] * Math.log(p.data[i]) + (1 - y.data[i]) * Math.log(1 - p.data[i]);
  return s / y.rows;
}

/**
 * Exercise: the binary cross-entropy averaged over the n samples (rows),
 * L = −(1/n) Σ_s Σ_i [y ln ŷ + (1 − y) ln(1 − ŷ)], and its derivative dL/dŷ =
 * (1/n)(−y/ŷ + (1 − y)/(1 − ŷ)), with ŷ clipped away from 0 and 1. Checked on batches of 6, 1 and 4
 * samples (the last with two outputs) against the closed forms and at ŷ = 0 and 1 (finite).
 * Recognises the tutorial's sum instead of the mean (erratum 4), a division by every entry, a sign
 * error, a missing clip, a missing 1/n in the derivative and ∂L/∂z = (ŷ − y)/n returned as ∂L/∂ŷ.
 */
export function verifyCrossEntropy(lossFn: LossValue, dlossFn: LossDerivative): Verdict {
  const where = 'verifyCrossEntropy';
  if (typeof lossFn !== 'function' || typeof dlossFn !== 'function') {
    throw new Error(`${where}: pass your two functions, verifyCrossEntropy(crossEntropy, dCrossEntropy); received ${typeof lossFn} and ${typeof dlossFn}`);
  }
  const random = caseRandom(where);
  for (const [n, k] of [[6, 1], [1, 1], [4, 2]] as Array<[number, number]>) {
    const y = randomLabels(random, n, k);
    const yhat = new Matrix(n, k).map(() => 0.03 + 0.94 * random.uniform());
    const label = `a batch of n = ${n} sample${n === 1 ? '' : 's'} with ${k} output${k === 1 ? '' : 's'}`;
    const yCopy = y.clone();
    const pCopy = yhat.clone();
    const got = callLearner(() => lossFn(yCopy, pCopy));
    if (!got.ok) return fail(`crossEntropy threw on ${label}: ${got.error}`, 'loop over the entries (or use map and sum) and divide the sum by n = y.rows.');
    const L = lossNumber(got.value);
    if (L === null) return fail(`crossEntropy returned ${describeAnswer(got.value)} on ${label}, not a number.`, 'return one number: the mean over the samples.');
    if (!yCopy.equals(y) || !pCopy.equals(yhat)) return fail('crossEntropy changed y or ŷ.', 'read the two matrices, do not write into them.');
    const expected = meanCrossEntropy(y, yhat);
    if (!(Math.abs(L - expected) <= 1e-9 * Math.max(1, Math.abs(expected)))) {
      if (n > 1 && Math.abs(L - n * expected) <= 1e-9 * n * Math.abs(expected)) {
        return fail(`on ${label} your loss is n = ${n} times the mean: a sum over the samples.`,
          'divide by the number of samples n = y.rows. The tutorial divides by y.shape[1], which is 1 for its n x 1 labels, so its "average" is a sum (Tutorial erratum 4).');
      }
      if (k > 1 && Math.abs(L * k - expected) <= 1e-9 * Math.abs(expected)) {
        return fail(`on ${label} your loss is ${k} times too small.`, 'sum over the output units and divide by the number of samples n = y.rows only, not by the number of entries.');
      }
      if (Math.abs(L + expected) <= 1e-9 * Math.abs(expected)) {
        return fail(`on ${label} your loss is negative.`, 'ln ŷ < 0 for ŷ < 1, so L = −(1/n) Σ [y ln ŷ + (1 − y) ln(1 − ŷ)] needs the minus sign in front.');
      }
      return fail(`on ${label} your loss differs from −(1/n) Σ [y ln ŷ + (1 − y) ln(1 − ŷ)] by ${percent(Math.abs(L - expected) / Math.max(1, Math.abs(expected)))}.`,
        'each entry contributes y ln ŷ + (1 − y) ln(1 − ŷ); add them up, change the sign, divide by n.');
    }
    const d = callLearner(() => dlossFn(y.clone(), yhat.clone()));
    if (!d.ok) return fail(`dCrossEntropy threw on ${label}: ${d.error}`, 'return yhat.map((p, s, i) => …), one entry per entry of ŷ.');
    if (!(d.value instanceof Matrix)) return fail(`dCrossEntropy returned ${describeAnswer(d.value)} on ${label}, not a Matrix.`, 'dL/dŷ has ŷ\'s shape, n x k.');
    if (d.value.rows !== n || d.value.cols !== k) {
      return fail(`on ${label} your dL/dŷ is ${d.value.rows}x${d.value.cols}; it must have ŷ's shape ${n}x${k}.`,
        isTransposedShape(d.value, n, k) ? 'you transposed it: one row per sample, as ŷ.' : 'one entry per entry of ŷ.');
    }
    const exact = yhat.map((p, s, i) => (-y.get(s, i) / p + (1 - y.get(s, i)) / (1 - p)) / n);
    if (matches(d.value, exact, 1e-9)) continue;
    const factor = commonFactor(d.value, exact, 1e-9);
    if (factor !== null && n > 1 && Math.abs(factor - n) < 1e-6) {
      return fail(`on ${label} your dL/dŷ is n = ${n} times too large.`,
        'L is a mean over the n samples, so each entry of dL/dŷ carries the factor 1/n (the tutorial\'s d_cross_entropy leaves it out: Tutorial erratum 4).');
    }
    if (factor !== null && Math.abs(factor + 1) < 1e-6) {
      return fail(`on ${label} your dL/dŷ has the opposite sign.`, 'raising ŷ towards y = 1 lowers L, so dL/dŷ < 0 there: −y/ŷ + (1 − y)/(1 − ŷ), times 1/n.');
    }
    const dz = yhat.sub(y).scale(1 / n);
    if (matches(d.value, dz, 1e-9) || matches(d.value, yhat.sub(y), 1e-9)) {
      return fail(`on ${label} your function returns (ŷ − y)${matches(d.value, dz, 1e-9) ? '/n' : ''}, which is ∂L/∂z for a sigmoid output, not ∂L/∂ŷ.`,
        'the class multiplies dL/dŷ by σ\'(z) itself (dz = da ⊙ f\'(z)): return dL/dŷ = (1/n)(−y/ŷ + (1 − y)/(1 − ŷ)).');
    }
    const w = worstEntry(d.value, exact);
    return fail(`on ${label} entry (${w.row}, ${w.col}) of your dL/dŷ differs from the derivative of L by ${percent(w.error)}` +
      (factor !== null ? ` (it is ${factorText(factor)} times dL/dŷ)` : '') + '.',
      'differentiate −(1/n)[y ln ŷ + (1 − y) ln(1 − ŷ)] with respect to ŷ: (1/n)(−y/ŷ + (1 − y)/(1 − ŷ)).');
  }
  // A saturated output: ŷ exactly 0 or 1 (σ(z) rounds to 1 for z > 36.7).
  const y = Matrix.from([[1], [0], [1], [0]]);
  const p = Matrix.from([[0], [1], [1], [0]]);
  const L = callLearner(() => lossNumber(lossFn(y.clone(), p.clone())));
  if (!L.ok) return fail(`crossEntropy threw for ŷ exactly 0 and 1: ${L.error}`, 'clip ŷ into [ε, 1 − ε] before taking logarithms.');
  if (L.value === null || !Number.isFinite(L.value)) {
    return fail(`for ŷ exactly 0 and 1 (a saturated sigmoid) your loss is ${L.value}.`,
      'ln 0 = −Infinity and 0 · Infinity = NaN: clip ŷ into [ε, 1 − ε] first, as the tutorial does with yhat.clip(epsilon) (ε = 2⁻⁵² or 1e-15).');
  }
  if (L.value < 5) return fail(`for two confidently wrong predictions (ŷ = 0 for y = 1, ŷ = 1 for y = 0) your loss is only ${Number(L.value.toPrecision(3))}.`,
    'clip ŷ to a tiny ε (such as 1e-15), not to a large margin: a confident mistake must cost a lot.');
  const d = callLearner(() => dlossFn(y.clone(), p.clone()));
  if (!d.ok) return fail(`dCrossEntropy threw for ŷ exactly 0 and 1: ${d.error}`, 'clip ŷ into [ε, 1 − ε] before dividing.');
  if (!(d.value instanceof Matrix) || firstNonFinite(d.value) >= 0) {
    return fail('for ŷ exactly 0 and 1 your dL/dŷ has a non-finite entry.', 'y/ŷ with ŷ = 0 is Infinity (and 0/0 is NaN): clip ŷ into [ε, 1 − ε] before dividing.');
  }
  return pass('your L and dL/dŷ match the mean binary cross-entropy and its derivative on batches of 6, 1 and 4 samples, and stay finite at ŷ = 0 and 1.');
}

/** The learner's network object, as the tutorial's `mlp` class keeps it. */
export interface TutorialNetwork {
  W: Matrix[];
  b: Matrix[];
  z: Matrix[];
  a: Matrix[];
  dz: Matrix[];
  dW: Matrix[];
  db: Matrix[];
  da: Matrix[];
  initialize(seed?: number): void;
  forward(X: Matrix): Matrix;
  backward(y: Matrix, yhat: Matrix): void;
  update(eta: number): void;
}

/** The learner's class: `new MyMLP(layerSizes, activations, derivatives, lossDerivative)`. */
export type TutorialNetworkClass = new (
  layerSizes: number[], activations: MatrixFunction[], derivatives: MatrixFunction[], lossDerivative: LossDerivative,
) => TutorialNetwork;

interface Spec { layers: number[]; acts: Activation[]; loss: Loss; n: number }

const SPECS: Spec[] = [
  { layers: [3, 4, 4, 2], acts: [tanh, sigmoid, identity], loss: meanSquaredError, n: 5 },
  { layers: [2, 5, 3, 1], acts: [tanh, tanh, sigmoid], loss: binaryCrossEntropy, n: 6 },
  { layers: [2, 1], acts: [sigmoid], loss: binaryCrossEntropy, n: 4 },
];

function oracleForward(W: Matrix[], b: Matrix[], acts: Activation[], X: Matrix): { z: Matrix[]; a: Matrix[] } {
  const z: Matrix[] = [new Matrix(0, 0)];
  const a: Matrix[] = [X];
  for (let l = 1; l <= acts.length; l++) {
    z[l] = a[l - 1].matmul(W[l]).addRowVector(b[l]);
    const f = acts[l - 1];
    a[l] = z[l].map((v) => f.f(v));
  }
  return { z, a };
}

/** Back-propagation with optional deliberate mistakes, to recognise a learner's. Null when the mistake is impossible for these shapes. */
function variantBackward(W: Matrix[], acts: Activation[], loss: Loss, z: Matrix[], a: Matrix[], y: Matrix,
  mistake: 'none' | 'ownA' | 'meanDb' | 'noDerivative' | 'derivativeOfA' | 'untransposedW'): { dW: Matrix[]; db: Matrix[] } | null {
  const L = acts.length;
  const dW: Matrix[] = [];
  const db: Matrix[] = [];
  let da = loss.df(y, a[L]);
  for (let l = L; l >= 1; l--) {
    const f = acts[l - 1];
    const dz = mistake === 'noDerivative' ? da : da.mul((mistake === 'derivativeOfA' ? a[l] : z[l]).map((v) => f.df(v)));
    if (mistake === 'ownA') {
      if (a[l].cols !== a[l - 1].cols) return null;
      dW[l] = a[l].tmatmul(dz);
    } else {
      dW[l] = a[l - 1].tmatmul(dz);
    }
    db[l] = mistake === 'meanDb' ? dz.meanColumns() : dz.sumColumns();
    if (mistake === 'untransposedW') {
      if (W[l].rows !== W[l].cols) {
        if (l > 1) return null;
        da = dz.matmulT(W[l]); // not used below layer 1
      } else {
        da = dz.matmul(W[l]);
      }
    } else {
      da = dz.matmulT(W[l]);
    }
  }
  return { dW, db };
}

function numericalGradients(W: Matrix[], b: Matrix[], spec: Spec, X: Matrix, y: Matrix): { dW: Matrix[]; db: Matrix[] } {
  const lossAt = (): number => spec.loss.f(y, oracleForward(W, b, spec.acts, X).a[spec.acts.length]);
  const grad = (P: Matrix): Matrix => {
    const out = new Matrix(P.rows, P.cols);
    for (let i = 0; i < P.data.length; i++) {
      const original = P.data[i];
      const h = 1e-4;
      P.data[i] = original + h;
      const up = lossAt();
      P.data[i] = original + 2 * h;
      const up2 = lossAt();
      P.data[i] = original - h;
      const down = lossAt();
      P.data[i] = original - 2 * h;
      const down2 = lossAt();
      P.data[i] = original;
      out.data[i] = (8 * (up - down) - (up2 - down2)) / (12 * h);
    }
    return out;
  };
  const dW: Matrix[] = [];
  const db: Matrix[] = [];
  for (let l = 1; l <= spec.acts.length; l++) {
    dW[l] = grad(W[l]);
    db[l] = grad(b[l]);
  }
  return { dW, db };
}

const BACKWARD_HINTS: Record<string, string> = {
  ownA: 'dW[l] = a[l−1]ᵀ·dz[l]: the weights of layer l multiply its input a[l−1], not its output a[l] (Tutorial erratum 2).',
  meanDb: 'db[l] is n times too small: L is already a mean, so its 1/n is inside dz[l]; add the rows of dz[l] up (sumColumns), do not average them (the tutorial\'s np.mean, Tutorial erratum 4).',
  noDerivative: 'dz[l] = da[l] ⊙ f_l\'(z[l]): multiply by the activation\'s derivative (this.derivatives[l − 1](this.z[l])).',
  derivativeOfA: 'the derivatives take z[l], the input of the activation, not its output a[l]: this.derivatives[l − 1](this.z[l]).',
  untransposedW: 'da[l−1] = dz[l]·W[l]ᵀ (matmulT): W[l] is n_{l−1} x n_l, and the gradient travels back through it transposed.',
};

/**
 * Exercise: the tutorial's network class with the corrected mathematics: `forward(X)` stores
 * z[l] = a[l−1]·W[l] + b[l] and a[l] = f_l(z[l]) and returns ŷ = a[L]; `backward(y, ŷ)` fills
 * da[L] = dL/dŷ, then dz[l], dW[l], db[l], da[l−1] for l = L..1; `update(η)` steps
 * W[l] −= η·dW[l], b[l] −= η·db[l]. The class is built with the checker's own activations and loss
 * (so that only forward, backward and update are tested) for a 3-4-4-2 network (tanh, sigmoid,
 * identity, squared error), a 2-5-3-1 network (tanh, tanh, sigmoid, cross-entropy) and a 2-1
 * network, with the checker's weights; ŷ and every z[l], a[l] are compared with a forward pass of
 * its own, every dW[l], db[l] with central differences of L, and the update with its definition.
 * Recognises a[l] for a[l−1], np.mean for db, a missing f' or f' of a[l], an untransposed W, a
 * transposed dW, a sign, a missing bias or activation, a missing η, and an update that skips b.
 */
export function verifyMyMLP(MyMLP: TutorialNetworkClass): Verdict {
  const where = 'verifyMyMLP';
  if (typeof MyMLP !== 'function') throw new Error(`${where}: pass your class itself, verifyMyMLP(MyMLP); received ${typeof MyMLP}`);
  const random = caseRandom(where);
  for (const spec of SPECS) {
    const L = spec.acts.length;
    const name = `a ${spec.layers.join('-')} network (${spec.acts.map((f) => f.name).join(', ')}; ${spec.loss.name}) on n = ${spec.n} samples`;
    const made = callLearner(() => new MyMLP(spec.layers.slice(), spec.acts.map((f) => (z: Matrix) => z.map((v) => f.f(v))),
      spec.acts.map((f) => (z: Matrix) => z.map((v) => f.df(v))), (y: Matrix, yhat: Matrix) => spec.loss.df(y, yhat)));
    if (!made.ok) return fail(`new MyMLP(…) threw for ${name}: ${made.error}`, 'the constructor only stores the settings and empty lists.');
    const net = made.value;
    const init = callLearner(() => net.initialize(1));
    if (!init.ok) return fail(`initialize threw for ${name}: ${init.error}`, 'initialize draws W[l] (n_{l−1} x n_l) and b[l] (1 x n_l) for l = 1..L.');
    for (let l = 1; l <= L; l++) {
      const problem = !(net.W[l] instanceof Matrix) || net.W[l].rows !== spec.layers[l - 1] || net.W[l].cols !== spec.layers[l];
      if (problem) return fail(`after initialize, W[${l}] is ${describeAnswer(net.W[l])} for ${name}; it must be ${spec.layers[l - 1]}x${spec.layers[l]}.`, 'W[l] is n_{l−1} x n_l (input by output); index 0 stays unused.');
      if (!(net.b[l] instanceof Matrix) || net.b[l].rows !== 1 || net.b[l].cols !== spec.layers[l]) {
        return fail(`after initialize, b[${l}] is ${describeAnswer(net.b[l])} for ${name}; it must be 1x${spec.layers[l]}.`, 'b[l] is a 1 x n_l row.');
      }
    }
    const W: Matrix[] = [new Matrix(0, 0)];
    const b: Matrix[] = [new Matrix(0, 0)];
    for (let l = 1; l <= L; l++) {
      W[l] = randomMatrix(random, spec.layers[l - 1], spec.layers[l], 0.8);
      b[l] = randomMatrix(random, 1, spec.layers[l], 0.5);
      net.W[l] = W[l].clone();
      net.b[l] = b[l].clone();
    }
    const X = randomMatrix(random, spec.n, spec.layers[0]);
    const y = spec.loss === binaryCrossEntropy ? randomLabels(random, spec.n, spec.layers[L]) : randomMatrix(random, spec.n, spec.layers[L]);
    const ref = oracleForward(W, b, spec.acts, X);

    // forward
    const f = callLearner(() => net.forward(X.clone()));
    if (!f.ok) {
      return fail(`forward threw for ${name}: ${f.error}`,
        /matmul|addRowVector/.test(f.error) ? 'z[l] = a[l−1]·W[l] + b[l]: (n x n_{l−1})·(n_{l−1} x n_l), then b[l] (1 x n_l) added to every row (addRowVector).'
          : 'loop over the layers l = 1..L, storing this.z[l] and this.a[l], starting from this.a[0] = X.');
    }
    const yhat = f.value;
    if (!(yhat instanceof Matrix)) return fail(`forward returned ${describeAnswer(yhat)} for ${name}, not a Matrix.`, 'return ŷ = this.a[L], the last layer\'s activation.');
    if (!matches(yhat, ref.a[L], 1e-10)) {
      const noBias = oracleForward(W, W.map((m, l) => (l === 0 ? m : new Matrix(1, spec.layers[l]))), spec.acts, X).a[L];
      if (matches(yhat, noBias, 1e-10)) return fail(`forward's ŷ for ${name} leaves out the biases.`, 'z[l] = a[l−1]·W[l] + b[l]: add b[l] to every row (addRowVector).');
      if (matches(yhat, ref.z[L], 1e-10)) return fail(`forward returns z[L] for ${name}, before the last activation.`, 'return a[L] = f_L(z[L]).');
      const w = matches(yhat, ref.a[L], Infinity) ? worstEntry(yhat, ref.a[L]) : null;
      return fail(`forward's ŷ for ${name} is ${describeAnswer(yhat)}` + (w ? ` and differs from a[L] by ${percent(w.error)}` : `; it must be ${spec.n}x${spec.layers[L]}`) + '.',
        'a[0] = X; for l = 1..L: z[l] = a[l−1]·W[l] + b[l], a[l] = f_l(z[l]) with this.activations[l − 1]; return a[L].');
    }
    for (let l = 1; l <= L; l++) {
      if (!(net.z[l] instanceof Matrix) || !matches(net.z[l], ref.z[l], 1e-10) || !(net.a[l] instanceof Matrix) || !matches(net.a[l], ref.a[l], 1e-10)) {
        return fail(`forward returns the right ŷ for ${name} but this.z[${l}] or this.a[${l}] is not z[${l}], a[${l}] of this pass.`, 'store every z[l] and a[l] in this.z, this.a: backward reads them.');
      }
    }

    // backward
    const b0 = callLearner(() => net.backward(y.clone(), ref.a[L].clone()));
    if (!b0.ok) {
      return fail(`backward threw for ${name}: ${b0.error}`,
        /matmul|tmatmul|matmulT/.test(b0.error)
          ? 'check each product\'s shapes: dW[l] = a[l−1]ᵀ·dz[l] (tmatmul), da[l−1] = dz[l]·W[l]ᵀ (matmulT).'
          : /mul|zipWith|same shape/.test(b0.error) ? 'dz[l] = da[l] ⊙ f\'(z[l]) multiplies two n x n_l matrices entry by entry (mul).'
            : 'start from this.da[L] = this.lossDerivative(y, yhat), then loop l = L down to 1.');
    }
    for (let l = L; l >= 1; l--) {
      const shapes: Array<[string, unknown, number, number]> = [
        [`dW[${l}]`, net.dW[l], spec.layers[l - 1], spec.layers[l]], [`db[${l}]`, net.db[l], 1, spec.layers[l]],
        [`dz[${l}]`, net.dz[l], spec.n, spec.layers[l]], [`da[${l - 1}]`, net.da[l - 1], spec.n, spec.layers[l - 1]],
      ];
      for (const [what, m, r, c] of shapes) {
        if (!(m instanceof Matrix) || m.rows !== r || m.cols !== c) {
          const transposed = isTransposedShape(m, r, c);
          return fail(`after backward, ${what} is ${describeAnswer(m)} for ${name}; it must be ${r}x${c}, the shape of ${what.slice(1)} (the tutorial's assertion).`,
            what.startsWith('dW') && transposed ? 'dz[l]ᵀ·a[l−1] is the transpose: dW[l] = a[l−1]ᵀ·dz[l] (tmatmul).'
              : what.startsWith('dW') && m instanceof Matrix && m.rows === c && m.cols === c ? BACKWARD_HINTS.ownA
              : what.startsWith('db') ? 'db[l] = column sums of dz[l] (sumColumns), 1 x n_l.'
                : 'each gradient has the shape of the variable it differentiates; store it in this.dW, this.db, this.dz, this.da.');
        }
      }
    }
    const expected = numericalGradients(W.map((m) => m.clone()), b.map((m) => m.clone()), spec, X, y);
    let worst: { what: string; l: number; error: number } | null = null;
    for (let l = L; l >= 1 && worst === null; l--) {
      for (const [what, got, exp] of [[`dW[${l}]`, net.dW[l], expected.dW[l]], [`db[${l}]`, net.db[l], expected.db[l]]] as Array<[string, Matrix, Matrix]>) {
        if (!matches(got, exp, 1e-6)) {
          worst = { what, l, error: worstEntry(got, exp).error };
          break;
        }
      }
    }
    if (worst !== null) {
      for (const mistake of ['ownA', 'meanDb', 'noDerivative', 'derivativeOfA', 'untransposedW'] as const) {
        const v = variantBackward(W, spec.acts, spec.loss, ref.z, ref.a, y, mistake);
        if (v === null) continue;
        let all = true;
        for (let l = 1; l <= L && all; l++) all = matches(net.dW[l], v.dW[l], 1e-9) && matches(net.db[l], v.db[l], 1e-9);
        if (all) return fail(`after backward, ${worst.what} of ${name} differs from central differences of L by ${percent(worst.error)}.`, BACKWARD_HINTS[mistake]);
      }
      const factor = commonFactor(worst.what.startsWith('dW') ? net.dW[worst.l] : net.db[worst.l], worst.what.startsWith('dW') ? expected.dW[worst.l] : expected.db[worst.l]);
      if (factor !== null && Math.abs(factor + 1) < 1e-6) return fail(`after backward, ${worst.what} of ${name} has the opposite sign.`, 'the gradients carry no minus sign; the update subtracts them.');
      const above = worst.l < L ? ` Layers ${worst.l + 1}..${L} are right, so look at what carries the gradient from layer ${worst.l + 1} to layer ${worst.l}: da[${worst.l}] = dz[${worst.l + 1}]·W[${worst.l + 1}]ᵀ.` : '';
      return fail(`after backward, ${worst.what} of ${name} differs from central differences of L by ${percent(worst.error)}` +
        (factor !== null ? ` (it is ${factorText(factor)} times the gradient)` : '') + '.',
        `per layer: dz[l] = da[l] ⊙ f'(z[l]), dW[l] = a[l−1]ᵀ·dz[l], db[l] = 1ᵀ·dz[l], da[l−1] = dz[l]·W[l]ᵀ.${above}`);
    }

    // update
    const eta: number = 0.25;
    const beforeW = net.W.map((m) => (m instanceof Matrix ? m.clone() : m));
    const beforeB = net.b.map((m) => (m instanceof Matrix ? m.clone() : m));
    const gW = net.dW.map((m) => (m instanceof Matrix ? m.clone() : m));
    const gB = net.db.map((m) => (m instanceof Matrix ? m.clone() : m));
    const u = callLearner(() => net.update(eta));
    if (!u.ok) return fail(`update threw for ${name}: ${u.error}`, 'for l = 1..L: W[l] = W[l] − η·dW[l] and b[l] = b[l] − η·db[l] (sub, scale).');
    for (let l = 1; l <= L; l++) {
      const wNow = net.W[l];
      const bNow = net.b[l];
      if (!(wNow instanceof Matrix) || !(bNow instanceof Matrix)) return fail(`after update, W[${l}] or b[${l}] of ${name} is not a Matrix.`, 'assign the new matrices back to this.W[l], this.b[l].');
      if (matches(wNow, beforeW[l].add(gW[l].scale(eta)), 1e-12) && !gW[l].equals(new Matrix(gW[l].rows, gW[l].cols))) {
        return fail(`update(η) moved W[${l}] of ${name} along +η·dW[${l}].`, 'gradient descent steps against the gradient: W[l] − η·dW[l].');
      }
      if (matches(wNow, beforeW[l].sub(gW[l]), 1e-12) && eta !== 1) return fail(`update(η) subtracted dW[${l}] without the learning rate η.`, 'W[l] − η·dW[l]: scale the gradient by eta.');
      if (!matches(wNow, beforeW[l].sub(gW[l].scale(eta)), 1e-12)) {
        return fail(`after update(η), W[${l}] of ${name} is not W[${l}] − η·dW[${l}] (off by ${percent(worstEntry(wNow, beforeW[l].sub(gW[l].scale(eta))).error)}).`,
          'one step per layer: W[l] = W[l] − η·dW[l], with the dW[l] that backward stored.');
      }
      if (bNow.equals(beforeB[l]) && !gB[l].equals(new Matrix(1, gB[l].cols))) return fail(`update(η) changed W[${l}] but not b[${l}] of ${name}.`, 'step the biases too: b[l] = b[l] − η·db[l].');
      if (!matches(bNow, beforeB[l].sub(gB[l].scale(eta)), 1e-12)) {
        return fail(`after update(η), b[${l}] of ${name} is not b[${l}] − η·db[${l}].`, 'b[l] = b[l] − η·db[l], with the db[l] that backward stored.');
      }
    }
  }
  return pass('your forward, backward and update match an independent forward pass, central differences of L (every dW[l], db[l]) and the update rule on 3-layer and 1-layer networks.');
}

/** The learner's function of {@link verifyNumericalGradient}: ∂L/∂P_ij ≈ (L(P_ij + h) − L(P_ij − h)) / 2h. */
export type NumericalGradient = (lossOf: () => number, P: Matrix, i: number, j: number, h: number) => number;

/**
 * Exercise: the central difference (L(P_ij + h) − L(P_ij − h)) / 2h of a loss that reads the
 * matrix P, leaving P as it was. Checked against the definition for several entries and steps
 * h = 1e-5 and 1e-2 on a function with curvature in every direction, and P compared bit for bit
 * after each call. Recognises a one-sided difference, a division by h instead of 2h, a sign error, a
 * fixed step instead of h, and an entry left perturbed.
 */
export function verifyNumericalGradient(fn: NumericalGradient): Verdict {
  const where = 'verifyNumericalGradient';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (lossOf, P, i, j, h) => number; received ${typeof fn}`);
  const random = caseRandom(where);
  const P = randomMatrix(random, 2, 3);
  const c = randomMatrix(random, 2, 3);
  const lossOf = (): number => {
    let s = 0;
    for (let k = 0; k < 6; k++) s += c.data[k] * Math.sin(P.data[k]) + 0.3 * P.data[k] ** 3;
    return s + P.data[0] * P.data[5] ** 2;
  };
  for (const h of [1e-5, 1e-2]) {
    for (const [i, j] of [[0, 0], [1, 2], [0, 1]] as Array<[number, number]>) {
      const original = P.clone();
      const k = i * 3 + j;
      const at = (t: number): number => {
        const keep = P.data[k];
        P.data[k] = t;
        const v = lossOf();
        P.data[k] = keep;
        return v;
      };
      const x = P.data[k];
      const central = (at(x + h) - at(x - h)) / (2 * h);
      const got = callLearner(() => fn(lossOf, P, i, j, h));
      if (!got.ok) return fail(`your function threw for entry (${i}, ${j}), h = ${h}: ${got.error}`, 'P.get(i, j) reads the entry, P.set(i, j, value) writes it; lossOf() evaluates L.');
      if (!P.equals(original)) {
        P.data.set(original.data);
        return fail(`after your function, P is not as it was (entry (${i}, ${j}), h = ${h}).`, 'put the original value back with P.set(i, j, original) before returning: the network must not move.');
      }
      const v = got.value;
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`your function returned ${describeAnswer(v)} for entry (${i}, ${j}).`, 'return one number, the estimate of ∂L/∂P_ij.');
      const tol = 1e-7 * Math.max(1, Math.abs(central));
      if (Math.abs(v - central) <= tol) continue;
      const forward = (at(x + h) - at(x)) / h;
      const backward = (at(x) - at(x - h)) / h;
      if (Math.abs(v - forward) <= tol || Math.abs(v - backward) <= tol) {
        return fail(`for entry (${i}, ${j}), h = ${h}, your estimate is a one-sided difference.`,
          'the central difference evaluates L on both sides, at P_ij + h and P_ij − h, and divides by 2h: its error shrinks like h², a one-sided one only like h.');
      }
      if (Math.abs(v - 2 * central) <= 2 * tol) return fail(`for entry (${i}, ${j}) your estimate is twice the derivative.`, 'the two points P_ij ± h are 2h apart: divide by 2h.');
      if (Math.abs(v + central) <= tol) return fail(`for entry (${i}, ${j}) your estimate has the opposite sign.`, '(L(P_ij + h) − L(P_ij − h)) / 2h: the value at +h comes first.');
      return fail(`for entry (${i}, ${j}), h = ${h}, your estimate differs from (L(P_ij + h) − L(P_ij − h)) / 2h by ${percent(Math.abs(v - central) / Math.max(1, Math.abs(central)))}.`,
        h > 1e-4 ? 'use the step h you are given (here 0.01), not a fixed one.' : 'set P_ij to original + h, evaluate lossOf(), set it to original − h, evaluate again, restore it.');
    }
  }
  return pass('your central difference matches (L(P_ij + h) − L(P_ij − h)) / 2h for three entries and two steps, and leaves P as it was.');
}
