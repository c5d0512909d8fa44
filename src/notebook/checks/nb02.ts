/**
 * The self-checks of notebook 02 (the network as equations): one layer's forward pass unit by unit,
 * the whole forward pass, and the loss of a batch. The oracles are the library's matrix forward
 * pass (`Matrix.matmul`, `MLP.forward`) and a plain loop for the loss; the checks recognise the
 * classic mistakes (a transposed W, a missing bias or activation, a layer reading the wrong layer's
 * output, the activation of the wrong layer, a missing 1/n) and never print the answer.
 */
import type { Activation } from '../../core/activations';
import { identity, relu, sigmoid, tanh } from '../../core/activations';
import { meanSquaredError } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { pass, fail, type Verdict } from '../check';
import {
  allClose, caseRandom, close, describeError, describeValue, isIndexError, randomGrid, randomList, readNumbers,
  thrownMessage, uniformList, worstEntry,
} from './learner';

/** The learner's function of {@link verifyLayerForward}: a[l]ᵢ = f(Σ_j w⁽ˡ⁾ᵢⱼ a[l−1]ⱼ + b⁽ˡ⁾ᵢ) for every unit i. */
export type LayerForward = (aPrev: number[], W: Matrix, b: Matrix, f: Activation) => number[];

const TRANSPOSE_HINT = 'W[l] is stored input-by-output (n_{l−1} rows, n_l columns): the weight from input j to unit i is W.get(j, i).';

/** z and a of one layer by the library's matrix product (the oracle), with switchable classic mistakes. */
function layerByMatrix(aPrev: readonly number[], W: Matrix, b: Matrix, f: Activation,
  v: { transposed?: boolean; noBias?: boolean; noActivation?: boolean; biasAfter?: boolean } = {}): number[] {
  const Wm = v.transposed ? W.transpose() : W;
  if (Wm.rows !== aPrev.length) return [];
  const z0 = Matrix.from([aPrev.slice()]).matmul(Wm);
  const z = v.noBias || v.biasAfter ? z0 : z0.addRowVector(b);
  const a = v.noActivation ? z : z.map((t) => f.f(t));
  return (v.biasAfter ? a.addRowVector(b) : a).row(0);
}

/**
 * Exercise: one layer's forward pass unit by unit, a[l]ᵢ = f(Σ_j w⁽ˡ⁾ᵢⱼ a[l−1]ⱼ + b⁽ˡ⁾ᵢ) with
 * w⁽ˡ⁾ᵢⱼ = W.get(j, i). Compares the learner's function with the library's a[l−1]·W[l] + b[l]
 * (to 1e-6) on four seeded layers: 3 → 4 tanh, 4 → 2 sigmoid, 3 → 3 identity, 2 → 3 relu, all with
 * non-zero biases. On failure it recognises: a transposed W (an index error or swapped values), a
 * missing bias, a missing activation, the bias added after the activation, a wrong number of outputs.
 * @param layerForward the learner's function (aPrev, W, b, f) ↦ a
 */
export function verifyLayerForward(layerForward: LayerForward): Verdict {
  const where = 'verifyLayerForward';
  if (typeof layerForward !== 'function') throw new Error(`${where}: layerForward must be your function (aPrev, W, b, f) => number[]; received ${typeof layerForward}`);
  const random = caseRandom(where);
  const shapes: Array<[number, number, Activation]> = [[3, 4, tanh], [4, 2, sigmoid], [3, 3, identity], [2, 3, relu]];
  for (const [nIn, nOut, f] of shapes) {
    const aPrev = randomList(random, nIn);
    const W = Matrix.from(randomGrid(random, nIn, nOut, 0.9));
    const b = Matrix.from([randomList(random, nOut, 0.6)]);
    const label = `a layer of ${nOut} ${f.name} units reading ${nIn} inputs`;
    let raw: unknown;
    try {
      raw = layerForward(aPrev.slice(), W.clone(), b.clone(), f);
    } catch (e) {
      if (isIndexError(e)) return fail(`on ${label} (W is ${nIn}x${nOut}) your function threw "${thrownMessage(e)}".`, TRANSPOSE_HINT);
      throw e;
    }
    const got = readNumbers(raw, nOut, 'your a', `one output per unit i`);
    if (typeof got === 'string') {
      return fail(`on ${label}: ${got}`, /not a finite number/.test(got) ? `check every index: ${TRANSPOSE_HINT}`
        : `loop i over the ${nOut} units (the columns of W) and, inside, j over the ${nIn} inputs (the rows of W).`);
    }
    const ref = layerByMatrix(aPrev, W, b, f);
    if (allClose(got, ref)) continue;
    const variants = [
      { v: { transposed: true }, problem: 'reads W with swapped indices', hint: TRANSPOSE_HINT },
      { v: { noBias: true }, problem: 'leaves out the bias', hint: 'add b⁽ˡ⁾ᵢ = b.get(0, i) to the weighted sum before applying f.' },
      { v: { noActivation: true }, problem: 'returns the pre-activation z, not a = f(z)', hint: 'apply the activation: f.f(z).' },
      { v: { biasAfter: true }, problem: 'adds the bias after the activation', hint: 'the bias belongs inside: f(Σ_j w a + b).' },
    ];
    for (const m of variants) {
      const value = layerByMatrix(aPrev, W, b, f, m.v);
      if (value.length === got.length && allClose(got, value)) return fail(`on ${label} your a ${m.problem}.`, m.hint);
    }
    const w = worstEntry(got, ref);
    return fail(`on ${label} your a${w.index + 1} differs from a[l−1]·W[l] + b[l] (then f) by ${describeError(w.error)}.`,
      `unit i computes f(Σ_j W.get(j, i) · aPrev[j] + b.get(0, i)).`);
  }
  return pass(`your layer matches the library's a[l−1]·W[l] + b[l] on ${shapes.length} layers (3→4 tanh, 4→2 sigmoid, 3→3 identity, 2→3 relu).`);
}

/** The learner's function of {@link verifyForwardPass}: [a[0], a[1], …, a[L]] for one sample x. */
export type ForwardPass = (x: number[], net: MLP) => number[][];

function describeNet(net: MLP): string {
  return `the ${net.layers.join('-')} network (${net.activations.map((f) => f.name).join(', ')})`;
}

/**
 * Exercise: the whole forward pass for one sample, returning [a[0] = x, a[1], …, a[L]]. Compares
 * with `MLP.forward` (to 1e-6) on the given network and sample and on two seeded networks of other
 * shapes (2-3-3-1 relu/tanh/sigmoid, 4-5-2 sigmoid/tanh, with non-zero biases). On failure it names
 * the first wrong layer and recognises: a missing a[0], a layer that applies the activation of the
 * next layer (net.activations[l] for f_l), a layer that reads the wrong layer's output, a missing
 * bias or activation, a transposed W.
 * @param forward the learner's function (x, net) ↦ [a[0], …, a[L]]
 * @param net the notebook's network (tested first; not modified)
 * @param x the notebook's sample, n_0 numbers
 */
export function verifyForwardPass(forward: ForwardPass, net: MLP, x: readonly number[]): Verdict {
  const where = 'verifyForwardPass';
  if (typeof forward !== 'function') throw new Error(`${where}: forward must be your function (x, net) => number[][]; received ${typeof forward}`);
  if (!(net instanceof MLP)) throw new Error(`${where}: net must be the notebook's MLP; received ${describeValue(net)}`);
  if (!Array.isArray(x) || x.length !== net.layers[0]) {
    throw new Error(`${where}: x must be an array of ${net.layers[0]} numbers (one sample); received ${describeValue(x)}`);
  }
  const random = caseRandom(where);
  const cases: Array<{ net: MLP; x: number[]; label: string }> = [
    { net: MLP.fromJSON(net.toJSON()), x: x.slice(), label: `the notebook's ${net.layers.join('-')} network (${net.activations.map((f) => f.name).join(', ')})` },
    { net: new MLP({ layers: [2, 3, 3, 1], activations: [relu, tanh, sigmoid], loss: meanSquaredError, seed: 'check:forward-1', sigma: 0.8 }),
      x: randomList(random, 2), label: '' },
    { net: new MLP({ layers: [4, 5, 2], activations: [sigmoid, tanh], loss: meanSquaredError, seed: 'check:forward-2', sigma: 0.8 }),
      x: randomList(random, 4), label: '' },
  ];
  for (const c of cases) {
    const label = c.label || describeNet(c.net);
    const L = c.net.L;
    const oracle = MLP.fromJSON(c.net.toJSON());
    oracle.forward(Matrix.from([c.x]));
    const ref = Array.from({ length: L + 1 }, (_, l) => oracle.a[l].row(0));
    let raw: unknown;
    try {
      raw = forward(c.x.slice(), MLP.fromJSON(c.net.toJSON()));
    } catch (e) {
      if (isIndexError(e)) {
        return fail(`on ${label} your function threw "${thrownMessage(e)}".`,
          `layer l reads the n_{l−1} outputs of layer l − 1 with W[l] (n_{l−1} x n_l): ${TRANSPOSE_HINT}`);
      }
      if (e instanceof TypeError && /reading 'f'|\.f is not a function/.test(e.message)) {
        return fail(`on ${label} your function threw "${e.message}".`,
          'net.activations holds f_1, …, f_L at indices 0 … L − 1: layer l uses net.activations[l − 1].');
      }
      throw e;
    }
    if (!Array.isArray(raw) || raw.length !== L + 1) {
      return fail(`on ${label} your function returned ${describeValue(raw)}; it needs L + 1 = ${L + 1} arrays, a[0] … a[${L}].`,
        'start the list with a[0] = x, then append the output of each layer l = 1 … L.');
    }
    for (let l = 0; l <= L; l++) {
      const got = readNumbers(raw[l], c.net.layers[l], `your a[${l}]`, `n_${l} = ${c.net.layers[l]} units`);
      if (typeof got === 'string') {
        return fail(`on ${label}: ${got}`, l === 0 ? 'a[0] is the input x itself.'
          : /not a finite number/.test(got)
            ? `an index is probably out of range (undefined gives NaN): layer ${l} reads a[${l - 1}] (${c.net.layers[l - 1]} numbers) through W[${l}] (${c.net.layers[l - 1]}x${c.net.layers[l]}).`
            : `a[${l}] has one entry per unit of layer ${l}: loop i over the columns of W[${l}].`);
      }
      if (allClose(got, ref[l])) continue;
      if (l === 0) return fail(`on ${label} your a[0] is not the input x.`, 'a[0] is x itself, copied unchanged.');
      const W = c.net.W[l];
      const b = c.net.b[l];
      const f = c.net.activations[l - 1];
      const variants: Array<{ value: number[]; problem: string; hint: string }> = [];
      if (l < L) {
        variants.push({ value: layerByMatrix(ref[l - 1], W, b, c.net.activations[l]), problem: `applies the activation of layer ${l + 1}`,
          hint: `net.activations[l − 1] is f_l: layer ${l} uses net.activations[${l - 1}] (${f.name}).` });
      }
      for (let k = 0; k < l - 1; k++) {
        variants.push({ value: layerByMatrix(ref[k], W, b, f), problem: `is computed from a[${k}] instead of a[${l - 1}]`,
          hint: `layer l reads the output of the layer just before it, a[l − 1].` });
      }
      variants.push(
        { value: layerByMatrix(ref[l - 1], W, b, f, { noBias: true }), problem: 'leaves out the bias', hint: `add b[${l}].get(0, i) before applying f.` },
        { value: layerByMatrix(ref[l - 1], W, b, f, { noActivation: true }), problem: 'is z, not f(z)', hint: `apply f_${l} = net.activations[${l - 1}] to each z.` },
        { value: layerByMatrix(ref[l - 1], W, b, f, { transposed: true }), problem: 'reads W with swapped indices', hint: TRANSPOSE_HINT },
      );
      for (const m of variants) {
        if (m.value.length === got.length && allClose(got, m.value)) return fail(`on ${label} your a[${l}] ${m.problem}.`, m.hint);
      }
      const w = worstEntry(got, ref[l]);
      return fail(`on ${label} your a[${l}] is wrong (a[0] … a[${l - 1}] are right): unit ${w.index + 1} is off by ${describeError(w.error)}.`,
        `layer ${l} computes f_${l}(Σ_j W[${l}].get(j, i) · a[${l - 1}][j] + b[${l}].get(0, i)) with f_${l} = net.activations[${l - 1}].`);
    }
  }
  return pass(`your forward pass matches MLP.forward on ${cases.map((c) => c.label || describeNet(c.net)).join('; ')}.`);
}

/** The learner's function of {@link verifyBatchLoss}: L = (1/n) Σ_s Σ_i (y_si − ŷ_si)² for n samples (rows). */
export type BatchLoss = (Y: Matrix, Yhat: Matrix) => number;

function sumSquares(Y: Matrix, Yhat: Matrix): number {
  let s = 0;
  for (let r = 0; r < Y.rows; r++) for (let i = 0; i < Y.cols; i++) s += (Y.get(r, i) - Yhat.get(r, i)) ** 2;
  return s;
}

/**
 * Exercise: the loss of a batch, L = (1/n) Σ_s Σ_i (y_si − ŷ_si)² (one sample per row; the
 * tutorial's per-sample sum of squares, averaged over the n samples). Compares with a plain loop
 * (and checks that `meanSquaredError.f` agrees) on a 1 x 3, a 5 x 2 and a 4 x 3 batch, to 1e-9.
 * On failure it recognises: a missing 1/n (a sum over samples), the mean over all n·n_L entries, half
 * the loss, a square root (an RMS), no squares.
 * @param loss the learner's function (Y, Yhat) ↦ L
 */
export function verifyBatchLoss(loss: BatchLoss): Verdict {
  const where = 'verifyBatchLoss';
  if (typeof loss !== 'function') throw new Error(`${where}: loss must be your function (Y, Yhat) => number; received ${typeof loss}`);
  const random = caseRandom(where);
  const shapes: Array<[number, number]> = [[1, 3], [5, 2], [4, 3]];
  for (const [n, k] of shapes) {
    const Y = Matrix.from(Array.from({ length: n }, () => uniformList(random, k, 0, 1).map((v) => (v > 0.5 ? 1 : 0))));
    const Yhat = Matrix.from(Array.from({ length: n }, () => uniformList(random, k, 0.05, 0.95)));
    const label = `a batch of n = ${n} sample${n === 1 ? '' : 's'} with n_L = ${k} outputs`;
    const got = loss(Y.clone(), Yhat.clone());
    if (typeof got !== 'number' || !Number.isFinite(got)) {
      return fail(`on ${label} your function returned ${describeValue(got)}.`, 'return one number, the loss of the whole batch.');
    }
    const total = sumSquares(Y, Yhat);
    const ref = total / n;
    if (!close(meanSquaredError.f(Y, Yhat), ref, 1e-12)) throw new Error(`${where}: the library's meanSquaredError disagrees with the loop`);
    if (close(got, ref, 1e-9)) continue;
    const signed = (() => {
      let s = 0;
      for (let r = 0; r < n; r++) for (let i = 0; i < k; i++) s += Y.get(r, i) - Yhat.get(r, i);
      return s;
    })();
    const variants: Array<{ value: number; problem: string; hint: string }> = [
      { value: total, problem: `is n = ${n} times too large`,
        hint: 'L is a mean over the samples: divide the sum of squared errors by n, the number of rows (Y.rows).' },
      { value: total / (n * k), problem: `is n_L = ${k} times too small`,
        hint: 'sum the squared errors over the outputs of each sample, and average over the samples only: divide by n = Y.rows, not by the number of entries.' },
      { value: ref / 2, problem: 'is half the loss', hint: 'the tutorial has no factor ½: L = Σᵢ (yᵢ − ŷᵢ)² per sample.' },
      { value: Math.sqrt(ref), problem: 'is a square root of the loss', hint: 'no square root: L is the mean of the sums of squares.' },
      { value: signed / n, problem: 'does not square the errors', hint: 'square each difference (y − ŷ)² before adding.' },
    ];
    if (n > 1 || k > 1) {
      for (const m of variants) if (close(got, m.value, 1e-9)) return fail(`on ${label} your L ${m.problem}.`, m.hint);
    }
    return fail(`on ${label} your L differs from (1/n) Σ_s Σ_i (y_si − ŷ_si)² by ${describeError(Math.abs(got - ref) / Math.max(1, ref))}.`,
      'loop over the rows s and the columns i, add (Y.get(s, i) − Yhat.get(s, i))², then divide by n = Y.rows.');
  }
  return pass(`your L matches (1/n) Σ_s Σ_i (y_si − ŷ_si)² (and meanSquaredError.f) on batches of 1, 5 and 4 samples.`);
}
