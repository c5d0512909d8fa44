/**
 * The self-checks of notebook 04 (matrix form of the gradient equations): the weight gradient of one
 * sample in the tutorial's column form, and the three batch equations of the row form the code uses,
 * dW[l] = a[l−1]ᵀ·dz[l], db[l] = 1ᵀ·dz[l], da[l−1] = dz[l]·W[l]ᵀ. Each learner function is called
 * on the z[l], a[l], dz[l] of real networks and its answer compared with central finite differences
 * of the loss (the oracle), never with the library's backward. The failures recognise the classic
 * mistakes (the tutorial's a_k for a_{k−1}, its misplaced transpose, a transposed W, a sum over the
 * samples left out or divided by n once more, a sign) and never print the answer.
 */
import { sigmoid, tanh, identity, type Activation } from '../../core/activations';
import { numericalDerivative } from '../../core/gradcheck';
import { binaryCrossEntropy, meanSquaredError, type Loss } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { fail, pass, type Verdict } from '../check';
import {
  callLearner, caseRandom, commonFactor, copies, describeAnswer, factorText, isTransposedShape, matches, percent,
  randomLabels, randomMatrix, worstEntry,
} from './answers';

/** A network, a batch and everything the equations need, after forward(X) and backward(y). */
interface Case {
  net: MLP;
  X: Matrix;
  y: Matrix;
  /** a[0..L], z[1..L], dz[1..L] (copies). */
  a: Matrix[];
  z: Matrix[];
  dz: Matrix[];
  W: Matrix[];
  label: string;
}

function makeCase(name: string, layers: number[], activations: Activation[], loss: Loss, n: number): Case {
  const random = caseRandom(`${name}:${layers.join('-')}:${n}`);
  const net = new MLP({ layers, activations, loss, random, init: 'xavier' });
  // Biases away from zero, so that a mistake in db or a missing bias cannot hide.
  for (let l = 1; l <= net.L; l++) for (let i = 0; i < net.b[l].size; i++) net.b[l].data[i] = 0.3 * random.normal();
  const X = randomMatrix(random, n, layers[0]);
  const y = randomLabels(random, n, layers[layers.length - 1]);
  net.forward(X);
  net.backward(y);
  const a = [X.clone(), ...net.a.slice(1).map((m) => m.clone())];
  const z = [new Matrix(0, 0), ...net.z.slice(1).map((m) => m.clone())];
  const dz = [new Matrix(0, 0), ...net.dz.slice(1).map((m) => m.clone())];
  const W = [new Matrix(0, 0), ...net.W.slice(1).map((m) => m.clone())];
  return { net, X, y, a, z, dz, W, label: `a ${layers.join('-')} network (${activations.map((f) => f.name).join(', ')}) on n = ${n} sample${n === 1 ? '' : 's'}` };
}

/** The standard cases: layer 2 of the first is square (n₁ = n₂ = 4), so a[l] for a[l−1] and an untransposed W fit in shape. */
function cases(name: string, oneSample = false): Case[] {
  return oneSample
    ? [makeCase(name, [3, 4, 4, 2], [tanh, sigmoid, identity], meanSquaredError, 1)]
    : [
        makeCase(name, [3, 4, 4, 2], [tanh, sigmoid, identity], meanSquaredError, 5),
        makeCase(name, [2, 5, 1], [tanh, sigmoid], binaryCrossEntropy, 7),
      ];
}

/** L as a function of one parameter entry, by central differences: dL/dW[l] and dL/db[l]. */
function numericalParameterGradient(c: Case, l: number, which: 'W' | 'b'): Matrix {
  const P = which === 'W' ? c.net.W[l] : c.net.b[l];
  const out = new Matrix(P.rows, P.cols);
  for (let i = 0; i < P.data.length; i++) {
    const original = P.data[i];
    out.data[i] = numericalDerivative((t) => {
      P.data[i] = t;
      const v = c.net.lossOn(c.X, c.y);
      P.data[i] = original;
      return v;
    }, original);
  }
  return out;
}

/** L as a function of the activations a[l−1] (layers l..L run forward from them): dL/da[l−1] by central differences. */
function numericalInputGradient(c: Case, l: number): Matrix {
  const net = c.net;
  const lossFrom = (aPrev: Matrix): number => {
    let a = aPrev;
    for (let k = l; k <= net.L; k++) {
      const f = net.activations[k - 1];
      a = a.matmul(net.W[k]).addRowVector(net.b[k]).map((v) => f.f(v));
    }
    return net.loss.f(c.y, a);
  };
  const A = c.a[l - 1].clone();
  const out = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.data.length; i++) {
    const original = A.data[i];
    out.data[i] = numericalDerivative((t) => {
      A.data[i] = t;
      const v = lossFrom(A);
      A.data[i] = original;
      return v;
    }, original);
  }
  return out;
}

const ERRATUM_2 = 'the weight w⁽ᵏ⁾ᵢⱼ multiplies a_{k−1,j}, the input of layer k, so its gradient uses a_{k−1} (a[l−1] in the code), not the layer\'s own output a_k (Tutorial erratum 2).';

/** The learner's function of {@link verifyColumnWeightGradient}. */
export type ColumnWeightGradient = (dLdz: Matrix, a: Matrix[], k: number) => Matrix;

/**
 * Exercise: ∂L/∂W_k for ONE sample in the tutorial's column form, from ∂L/∂z_k (n_k x 1) and the
 * column activations a = [a_0, …, a_L] (a_k is n_k x 1): the n_k x n_{k−1} outer product
 * ∂L/∂z_k · a_{k−1}ᵀ. Checked against central differences of L in every layer of a 3-4-4-2 network
 * (whose layer 2 is square, so a_k for a_{k−1} fits in shape there). Recognises the tutorial's
 * (∂L/∂z_k)ᵀ·a placement (a product that is not defined, or a 1 x 1 number), a_k for a_{k−1}, the
 * transposed (row-form) result and a sign error.
 */
export function verifyColumnWeightGradient(fn: ColumnWeightGradient): Verdict {
  const where = 'verifyColumnWeightGradient';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (dLdz, a, k) => Matrix; received ${typeof fn}`);
  const c = cases(where, true)[0];
  const aCol = c.a.map((m) => m.transpose());
  for (const k of [3, 2, 1]) {
    const nk = c.net.layers[k];
    const nPrev = c.net.layers[k - 1];
    const dLdz = c.dz[k].transpose();
    const expected = numericalParameterGradient(c, k, 'W').transpose(); // n_k x n_{k−1}
    const label = `layer k = ${k} of ${c.label} (∂L/∂z_${k} is ${nk}x1, a_${k - 1} is ${nPrev}x1)`;
    const got = callLearner(() => fn(dLdz.clone(), copies(aCol), k));
    if (!got.ok) {
      return fail(`on ${label} your function threw: ${got.error}.`,
        /matmul|tmatmul|matmulT/.test(got.error)
          ? '(∂L/∂z_k)ᵀ·a_{k−1} multiplies a 1 x n_k row by an n_{k−1} x 1 column, which is not defined when n_k ≠ n_{k−1}; the outer product puts the transpose on a: ∂L/∂z_k · a_{k−1}ᵀ, (n_k x 1)·(1 x n_{k−1}).'
          : 'take dLdz (n_k x 1) and a[k − 1] (n_{k−1} x 1) and return their outer product, n_k x n_{k−1}.');
    }
    const v = got.value;
    if (!(v instanceof Matrix)) {
      return fail(`on ${label} your function returned ${describeAnswer(v)}, not a Matrix.`, 'return the n_k x n_{k−1} Matrix ∂L/∂W_k.');
    }
    if (v.rows === 1 && v.cols === 1 && nk * nPrev > 1) {
      return fail(`on ${label} your ∂L/∂W_${k} is 1x1: a single number.`,
        '(∂L/∂z_k)ᵀ·a is an inner product (a row times a column): the tutorial\'s transpose sits on the wrong factor. The outer product ∂L/∂z_k · a_{k−1}ᵀ has one entry per weight.');
    }
    if (isTransposedShape(v, nk, nPrev)) {
      return fail(`on ${label} your ∂L/∂W_${k} is ${v.rows}x${v.cols}, the transpose of W_${k}'s shape ${nk}x${nPrev}.`,
        'in the column form W_k is n_k x n_{k−1} (row i = unit i of layer k); a_{k−1}·(∂L/∂z_k)ᵀ is the row form\'s dW[k], its transpose.');
    }
    const own = aCol[k];
    if (v.rows === nk && v.cols === nk && nk !== nPrev) {
      return fail(`on ${label} your ∂L/∂W_${k} is ${nk}x${nk}; W_${k} is ${nk}x${nPrev}.`, ERRATUM_2);
    }
    if (v.rows !== nk || v.cols !== nPrev) {
      return fail(`on ${label} your ∂L/∂W_${k} is ${v.rows}x${v.cols}; it must have W_${k}'s shape, ${nk}x${nPrev}.`,
        'the outer product of a column n_k x 1 and a row 1 x n_{k−1} is n_k x n_{k−1}.');
    }
    if (matches(v, expected, 1e-6)) continue;
    if (nk === nPrev && matches(v, dLdz.matmul(own.transpose()), 1e-9)) {
      return fail(`on ${label} your ∂L/∂W_${k} has the right shape but uses a_${k}: it differs from the finite differences.`, ERRATUM_2);
    }
    const factor = commonFactor(v, expected);
    if (factor !== null && Math.abs(factor + 1) < 1e-6) {
      return fail(`on ${label} your ∂L/∂W_${k} has the opposite sign.`, '∂L/∂w_ij = ∂L/∂z_i · a_j: no minus sign (the step against the gradient comes later, in the update).');
    }
    const w = worstEntry(v, expected);
    return fail(`on ${label} entry (${w.row + 1}, ${w.col + 1}) of your ∂L/∂W_${k} differs from a finite difference of L by ${percent(w.error)}.`,
      'entry (i, j) must be ∂L/∂z_{k,i} · a_{k−1,j}: row i from ∂L/∂z_k, column j from a_{k−1}.');
  }
  return pass('your ∂L/∂W_k = ∂L/∂z_k · a_{k−1}ᵀ matches central differences of L in all three layers (including the square layer 2).');
}

/** The learner's function of {@link verifyWeightGradient}. */
export type WeightGradient = (a: Matrix[], dz: Matrix[], l: number) => Matrix;

/**
 * Exercise: dW[l] = a[l−1]ᵀ·dz[l] in the row-major batch form (a[l] is n x n_l, dz[l] is n x n_l),
 * checked against central differences of L for every layer of two networks and batches of 5 and 7
 * samples. Recognises a[l] for a[l−1] (erratum 2), the transposed dz[l]ᵀ·a[l−1], a division by n
 * too many, one sample instead of the sum over the batch, and a sign error.
 */
export function verifyWeightGradient(fn: WeightGradient): Verdict {
  const where = 'verifyWeightGradient';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (a, dz, l) => Matrix; received ${typeof fn}`);
  for (const c of cases(where)) {
    for (let l = c.net.L; l >= 1; l--) {
      const nIn = c.net.layers[l - 1];
      const nOut = c.net.layers[l];
      const n = c.X.rows;
      const expected = numericalParameterGradient(c, l, 'W');
      const label = `layer ${l} of ${c.label}`;
      const got = callLearner(() => fn(copies(c.a), copies(c.dz), l));
      if (!got.ok) {
        return fail(`on ${label} your function threw: ${got.error}.`,
          'a[l − 1] is n x n_{l−1} and dz[l] is n x n_l: their product a[l−1]ᵀ·dz[l] (a[l − 1].tmatmul(dz[l])) is n_{l−1} x n_l.');
      }
      const v = got.value;
      if (!(v instanceof Matrix)) return fail(`on ${label} your function returned ${describeAnswer(v)}, not a Matrix.`, 'return dW[l], a Matrix of W[l]\'s shape.');
      if (isTransposedShape(v, nIn, nOut)) {
        return fail(`on ${label} your dW[${l}] is ${v.rows}x${v.cols}, the transpose of W[${l}]'s shape ${nIn}x${nOut}.`,
          'dz[l]ᵀ·a[l−1] is (dW[l])ᵀ, the column form\'s orientation; in the row form the transpose goes on a[l−1]: a[l−1]ᵀ·dz[l].');
      }
      if (v.rows === nOut && v.cols === nOut && nOut !== nIn) {
        return fail(`on ${label} your dW[${l}] is ${nOut}x${nOut}; W[${l}] is ${nIn}x${nOut}.`, ERRATUM_2);
      }
      if (v.rows !== nIn || v.cols !== nOut) {
        return fail(`on ${label} your dW[${l}] is ${v.rows}x${v.cols}; it must have W[${l}]'s shape, ${nIn}x${nOut}.`,
          'dW[l] = a[l−1]ᵀ·dz[l]: (n_{l−1} x n)·(n x n_l).');
      }
      if (matches(v, expected)) continue;
      if (nIn === nOut && matches(v, c.a[l].tmatmul(c.dz[l]), 1e-9)) {
        return fail(`on ${label} your dW[${l}] has the right shape but uses a[${l}]: it differs from the finite differences.`, ERRATUM_2);
      }
      const first = Matrix.from([c.a[l - 1].row(0)]).tmatmul(Matrix.from([c.dz[l].row(0)]));
      if (n > 1 && matches(v, first, 1e-9)) {
        return fail(`on ${label} your dW[${l}] holds the first sample's share only.`,
          'W[l] is shared by all n samples, so dW[l] is the sum of the n per-sample outer products: a[l−1]ᵀ·dz[l] adds them up.');
      }
      const factor = commonFactor(v, expected);
      if (factor !== null && Math.abs(factor * n - 1) < 1e-6) {
        return fail(`on ${label} your dW[${l}] is n = ${n} times too small.`,
          'do not divide by n: L is a mean, and its 1/n is already inside dz[l] (it started in dL/dŷ).');
      }
      if (factor !== null && Math.abs(factor + 1) < 1e-6) {
        return fail(`on ${label} your dW[${l}] has the opposite sign.`, 'dW[l] = a[l−1]ᵀ·dz[l], without a minus sign.');
      }
      const w = worstEntry(v, expected);
      return fail(`on ${label} entry (${w.row}, ${w.col}) of your dW[${l}] differs from a finite difference of L by ${percent(w.error)}` +
        (factor !== null ? ` (it is ${factorText(factor)} times the gradient)` : '') + '.',
        'dW[l] = a[l−1]ᵀ·dz[l]: entry (j, i) sums a[l−1]_sj · dz[l]_si over the samples s.');
    }
  }
  return pass('your dW[l] = a[l−1]ᵀ·dz[l] matches central differences of L in every layer of both networks (batches of 5 and 7).');
}

/** The learner's function of {@link verifyBiasGradient}. */
export type BiasGradient = (dz: Matrix[], l: number) => Matrix;

/**
 * Exercise: db[l] = 1ᵀ·dz[l], the column sums of dz[l] (1 x n_l), checked against central
 * differences of L in every layer of two networks. Recognises the tutorial's np.mean (a 1/n too
 * many, erratum 4), the row sums (n x 1), dz[l] itself, and the first sample only.
 */
export function verifyBiasGradient(fn: BiasGradient): Verdict {
  const where = 'verifyBiasGradient';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (dz, l) => Matrix; received ${typeof fn}`);
  for (const c of cases(where)) {
    for (let l = c.net.L; l >= 1; l--) {
      const nOut = c.net.layers[l];
      const n = c.X.rows;
      const expected = numericalParameterGradient(c, l, 'b');
      const label = `layer ${l} of ${c.label}`;
      const got = callLearner(() => fn(copies(c.dz), l));
      if (!got.ok) return fail(`on ${label} your function threw: ${got.error}.`, 'db[l] is the sum of the rows of dz[l] (dz[l].sumColumns()).');
      const v = got.value;
      if (!(v instanceof Matrix)) return fail(`on ${label} your function returned ${describeAnswer(v)}, not a Matrix.`, 'return db[l], a 1 x n_l Matrix.');
      if (v.rows === n && v.cols === 1 && !(n === 1 && nOut === 1)) {
        return fail(`on ${label} your db[${l}] is ${n}x1: one number per sample.`,
          'that sums across the units of each sample (row sums); db[l] sums down the samples, one number per unit: the column sums 1ᵀ·dz[l].');
      }
      if (v.rows === n && v.cols === nOut && n > 1) {
        return fail(`on ${label} your db[${l}] is ${n}x${nOut}, the shape of dz[${l}].`,
          'b[l] is 1 x n_l and shared by all samples: add up the n rows of dz[l].');
      }
      if (v.rows !== 1 || v.cols !== nOut) {
        return fail(`on ${label} your db[${l}] is ${v.rows}x${v.cols}; it must have b[${l}]'s shape, 1x${nOut}.`, 'db[l] = 1ᵀ·dz[l], a 1 x n_l row.');
      }
      if (matches(v, expected)) continue;
      if (n > 1 && matches(v, Matrix.from([c.dz[l].row(0)]), 1e-9)) {
        return fail(`on ${label} your db[${l}] is the first sample's row of dz[${l}] only.`, 'b[l] is shared by all n samples: sum all rows of dz[l].');
      }
      const factor = commonFactor(v, expected);
      if (factor !== null && Math.abs(factor * n - 1) < 1e-6) {
        return fail(`on ${label} your db[${l}] is n = ${n} times too small.`,
          'a mean over the samples (the tutorial\'s np.mean) divides by n once more: L is already a mean, so its 1/n is inside dz[l]; add the rows up (Tutorial erratum 4).');
      }
      if (factor !== null && Math.abs(factor + 1) < 1e-6) return fail(`on ${label} your db[${l}] has the opposite sign.`, 'db[l] = 1ᵀ·dz[l], without a minus sign.');
      const w = worstEntry(v, expected);
      return fail(`on ${label} entry ${w.col} of your db[${l}] differs from a finite difference of L by ${percent(w.error)}.`,
        'entry i of db[l] is the sum over the samples s of dz[l]_si.');
    }
  }
  return pass('your db[l] = 1ᵀ·dz[l] matches central differences of L in every layer of both networks.');
}

/** The learner's function of {@link verifyInputGradient}. */
export type InputGradient = (dz: Matrix[], W: Matrix[], l: number) => Matrix;

/**
 * Exercise: da[l−1] = dz[l]·W[l]ᵀ (n x n_{l−1}), checked against central differences of L with
 * respect to the activations a[l−1] (layers l..L run forward from them) for every layer of two
 * networks. Recognises W[l] without its transpose (which fits in the square layer 2), the
 * transposed result W[l]·dz[l]ᵀ, a wrong layer's W and a sign error.
 */
export function verifyInputGradient(fn: InputGradient): Verdict {
  const where = 'verifyInputGradient';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (dz, W, l) => Matrix; received ${typeof fn}`);
  for (const c of cases(where)) {
    for (let l = c.net.L; l >= 1; l--) {
      const nIn = c.net.layers[l - 1];
      const nOut = c.net.layers[l];
      const n = c.X.rows;
      const expected = numericalInputGradient(c, l);
      const label = `layer ${l} of ${c.label}`;
      const got = callLearner(() => fn(copies(c.dz), copies(c.W), l));
      if (!got.ok) {
        return fail(`on ${label} your function threw: ${got.error}.`,
          /matmul/.test(got.error)
            ? 'dz[l] is n x n_l and W[l] is n_{l−1} x n_l: their inner dimensions agree only with W[l] transposed, dz[l]·W[l]ᵀ (dz[l].matmulT(W[l])).'
            : 'da[l−1] = dz[l]·W[l]ᵀ, an n x n_{l−1} Matrix.');
      }
      const v = got.value;
      if (!(v instanceof Matrix)) return fail(`on ${label} your function returned ${describeAnswer(v)}, not a Matrix.`, 'return da[l−1], a Matrix of a[l−1]\'s shape.');
      if (isTransposedShape(v, n, nIn)) {
        return fail(`on ${label} your da[${l - 1}] is ${v.rows}x${v.cols}, the transpose of a[${l - 1}]'s shape ${n}x${nIn}.`,
          'W[l]·dz[l]ᵀ is the column form (W_kᵀ·∂L/∂z_k) with the samples as columns; in the row form, one sample per row, da[l−1] = dz[l]·W[l]ᵀ.');
      }
      if (v.rows !== n || v.cols !== nIn) {
        return fail(`on ${label} your da[${l - 1}] is ${v.rows}x${v.cols}; it must have a[${l - 1}]'s shape, ${n}x${nIn}.`,
          `da[l−1] = dz[l]·W[l]ᵀ: (n x n_l)·(n_l x n_{l−1}); check that you used W[l] of this layer, not W[l ± 1].`);
      }
      if (matches(v, expected)) continue;
      if (nIn === nOut && matches(v, c.dz[l].matmul(c.W[l]), 1e-9)) {
        return fail(`on ${label} your da[${l - 1}] has the right shape but uses W[${l}] untransposed (layer ${l} is square, so the product fits).`,
          'z[l] = a[l−1]·W[l], so ∂z[l]/∂a[l−1] is W[l] read backwards: da[l−1] = dz[l]·W[l]ᵀ (matmulT).');
      }
      const factor = commonFactor(v, expected);
      if (factor !== null && Math.abs(factor + 1) < 1e-6) return fail(`on ${label} your da[${l - 1}] has the opposite sign.`, 'da[l−1] = dz[l]·W[l]ᵀ, without a minus sign.');
      const w = worstEntry(v, expected);
      return fail(`on ${label} entry (${w.row}, ${w.col}) of your da[${l - 1}] differs from a finite difference of L by ${percent(w.error)}.`,
        'entry (s, j) sums dz[l]_si · W[l]_ji over the units i of layer l.');
    }
  }
  return pass('your da[l−1] = dz[l]·W[l]ᵀ matches central differences of L with respect to a[l−1] in every layer of both networks.');
}
