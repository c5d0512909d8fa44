/**
 * The self-checks of notebook 03 (back-propagation by hand): ∂L/∂Ŷ of a batch, the sigmoid's
 * derivative, one layer's backward step and the whole backward pass, all in the tutorial's unit-by-
 * unit layout (dw[i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ). Every oracle is a central finite difference; the checks
 * recognise the classic mistakes (the tutorial's sign of ∂L/∂ŷ, a missing 1/n, the doubled sigmoid
 * derivative, a[l] instead of a[l−1], a transposed W, a missing f') and never print the answer.
 */
import type { Activation } from '../../core/activations';
import { identity, sigmoid, tanh } from '../../core/activations';
import { numericalDerivative } from '../../core/gradcheck';
import { meanSquaredError } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { pass, fail, type Verdict } from '../check';
import {
  allClose, caseRandom, describeError, describeValue, isIndexError, randomGrid, randomList, readNumbers,
  thrownMessage, uniformList, worstEntry,
} from './learner';

const SIGN_HINT = 'differentiate (y − ŷ)² with respect to ŷ: the chain rule brings in the inner derivative ∂(y − ŷ)/∂ŷ = −1, which the tutorial drops (Tutorial erratum).';

/** The learner's function of {@link verifyLossGradient}: dL/dŶ for L = (1/n) Σ_s Σ_i (y_si − ŷ_si)². */
export type LossGradient = (Y: Matrix, Yhat: Matrix) => Matrix;

function batchLoss(Y: Matrix, Yhat: Matrix): number {
  let s = 0;
  for (let r = 0; r < Y.rows; r++) for (let i = 0; i < Y.cols; i++) s += (Y.get(r, i) - Yhat.get(r, i)) ** 2;
  return s / Y.rows;
}

/**
 * Exercise: dL/dŶ of the batch loss L = (1/n) Σ_s Σ_i (y_si − ŷ_si)², a matrix of Ŷ's shape.
 * Compares each entry with a central finite difference of L (to 1e-6) on a 1 x 3, a 5 x 2 and a
 * 3 x 4 batch. On failure it recognises: the tutorial's sign, a missing 1/n, a division by every
 * entry (n·n_L), a missing factor 2, the transposed shape.
 * @param dL_dYhat the learner's function (Y, Yhat) ↦ dL/dŶ (n x n_L)
 */
export function verifyLossGradient(dL_dYhat: LossGradient): Verdict {
  const where = 'verifyLossGradient';
  if (typeof dL_dYhat !== 'function') throw new Error(`${where}: dL_dYhat must be your function (Y, Yhat) => Matrix; received ${typeof dL_dYhat}`);
  const random = caseRandom(where);
  const shapes: Array<[number, number]> = [[1, 3], [5, 2], [3, 4]];
  for (const [n, k] of shapes) {
    const Y = Matrix.from(Array.from({ length: n }, () => uniformList(random, k, 0, 1).map((v) => (v > 0.5 ? 1 : 0))));
    const Yhat = Matrix.from(Array.from({ length: n }, () => uniformList(random, k, 0.05, 0.95)));
    const label = `a batch of n = ${n} sample${n === 1 ? '' : 's'} with n_L = ${k} outputs`;
    const got = dL_dYhat(Y.clone(), Yhat.clone());
    if (!(got instanceof Matrix)) {
      return fail(`on ${label} your function returned ${describeValue(got)}, not a Matrix.`,
        'return a Matrix of Ŷ\'s shape, e.g. Yhat.map((v, s, i) => …) or new Matrix(n, n_L) filled with set(s, i, …).');
    }
    if (got.rows !== n || got.cols !== k) {
      return fail(`on ${label} your ∂L/∂Ŷ is ${got.rows}x${got.cols}; it must have Ŷ's shape, ${n}x${k}.`,
        got.rows === k && got.cols === n ? 'you transposed it: entry (s, i) belongs to sample s (row) and output i (column).'
          : 'one row per sample, one column per output, like Yhat.');
    }
    const ref = Yhat.map((v, s, i) => numericalDerivative((t) => {
      const P = Yhat.clone();
      P.set(s, i, t);
      return batchLoss(Y, P);
    }, v));
    const g = Array.from(got.data);
    if (allClose(g, Array.from(ref.data))) continue;
    const exact = (c: number, sign = 1): number[] => Array.from(Yhat.data, (v, m) => (sign * c * (v - Y.data[m])));
    const variants: Array<{ value: number[]; problem: string; hint: string }> = [
      { value: exact(2 / n, -1), problem: 'has the opposite sign', hint: SIGN_HINT },
      { value: exact(2), problem: `is n = ${n} times too large`, hint: 'L is a mean over the n samples, so every entry of dL/dŶ carries the factor 1/n (n = Y.rows).' },
      { value: exact(2, -1), problem: `has the opposite sign and is n = ${n} times too large`, hint: `${SIGN_HINT} And L is a mean over the n samples: divide by n.` },
      { value: exact(2 / (n * k)), problem: `is n_L = ${k} times too small`, hint: 'L sums over the outputs and averages over the samples only: divide by n = Y.rows, not by the number of entries.' },
      { value: exact(1 / n), problem: 'is half what it should be', hint: 'the derivative of a square brings down a factor 2.' },
    ];
    for (const m of variants) if (allClose(g, m.value)) return fail(`on ${label} your ∂L/∂Ŷ ${m.problem}.`, m.hint);
    const w = worstEntry(g, Array.from(ref.data));
    return fail(`on ${label} entry (${Math.floor(w.index / k)}, ${w.index % k}) of your ∂L/∂Ŷ differs from a finite difference of L by ${describeError(w.error)}.`,
      'differentiate (1/n) Σ_s Σ_i (y_si − ŷ_si)² with respect to one entry ŷ_si: only one square contains it.');
  }
  return pass('your ∂L/∂Ŷ matches central finite differences of L on batches of 1, 5 and 3 samples.');
}

/**
 * Exercise: the sigmoid's derivative σ'(z) = σ(z)(1 − σ(z)). Compares the learner's function
 * with a central finite difference of σ at 33 points z ∈ [−8, 8] (to 1e-8). On failure it
 * recognises: the tutorial's doubled 2σ(1 − σ), z(1 − z) (σ not applied), σ(z) itself, the wrong sign,
 * σ(z)(1 + σ(z)).
 * @param dsigmoid the learner's function z ↦ σ'(z)
 */
export function verifySigmoidDerivative(dsigmoid: (z: number) => number): Verdict {
  const where = 'verifySigmoidDerivative';
  if (typeof dsigmoid !== 'function') throw new Error(`${where}: dsigmoid must be your function z => σ'(z); received ${typeof dsigmoid}`);
  const s = (z: number): number => 1 / (1 + Math.exp(-z));
  const zs = Array.from({ length: 33 }, (_, k) => -8 + k / 2);
  const got: number[] = [];
  for (const z of zs) {
    const v = dsigmoid(z);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return fail(`your σ'(${z}) is ${describeValue(v)}.`, 'return one finite number for every z; compute σ(z) first (sigmoid.f(z)).');
    }
    got.push(v);
  }
  const ref = zs.map((z) => numericalDerivative(s, z));
  if (allClose(got, ref, 1e-8)) return pass(`σ'(z) matches a central finite difference of σ at ${zs.length} points z in [−8, 8].`);
  const variants: Array<{ value: number[]; problem: string; hint: string }> = [
    { value: zs.map((z) => 2 * s(z) * (1 - s(z))), problem: 'is twice too large',
      hint: "that is the tutorial's dsigmoid, 2σ(1 − σ) (Tutorial erratum): differentiate 1/(1 + e^(−z)) with the chain rule and write the result with σ(z); no factor 2 appears." },
    { value: zs.map((z) => z * (1 - z)), problem: 'uses z where σ(z) belongs',
      hint: "the formula s(1 − s) needs s = σ(z), the sigmoid's output, not its input z." },
    { value: zs.map(s), problem: 'is σ(z) itself', hint: 'return the slope of σ, not σ: differentiate 1/(1 + e^(−z)) with the chain rule.' },
    { value: zs.map((z) => -s(z) * (1 - s(z))), problem: 'has the wrong sign', hint: 'σ is increasing, so σ\'(z) > 0 for every z.' },
    { value: zs.map((z) => s(z) * (1 + s(z))), problem: 'has a wrong sign inside', hint: 'differentiate 1/(1 + e^(−z)) with the chain rule and write the result in terms of σ(z).' },
  ];
  for (const m of variants) if (allClose(got, m.value, 1e-8)) return fail(`your σ'(z) ${m.problem}.`, m.hint);
  const w = worstEntry(got, ref);
  return fail(`your σ'(z) differs from the slope of σ by ${describeError(w.error)} at z = ${zs[w.index]}.`,
    "differentiate 1/(1 + e^(−z)) with the chain rule, then write e^(−z) / (1 + e^(−z))² with s = σ(z) (e^(−z) = (1 − s)/s).");
}

/** What the forward pass kept for one layer l (one sample): its input a[l−1], its z[l] and a[l] = f(z[l]). */
export interface LayerCache {
  /** a[l−1]: the layer's input (n_{l−1} numbers). */
  aPrev: number[];
  /** z[l] (n_l numbers). */
  z: number[];
  /** a[l] = f(z[l]) (n_l numbers). */
  a: number[];
}

/** What one layer's backward step returns, in the tutorial's layout. */
export interface LayerGradients {
  /** dw[i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ: n_l rows (units i of layer l), n_{l−1} columns (inputs j). */
  dw: number[][];
  /** db[i] = ∂L/∂b⁽ˡ⁾ᵢ (n_l numbers). */
  db: number[];
  /** daPrev[j] = ∂L/∂a[l−1]ⱼ (n_{l−1} numbers), handed back to layer l − 1. */
  daPrev: number[];
}

/** The learner's function of {@link verifyLayerBackward}. */
export type LayerBackward = (daL: number[], cache: LayerCache, W: Matrix, f: Activation) => LayerGradients;

const TRANSPOSE_HINT = 'W is stored input-by-output: w⁽ˡ⁾ᵢⱼ (from input j to unit i) is W.get(j, i).';

/** One layer's gradients by the chain rule, with switchable classic mistakes (the candidates of the diagnosis). */
function layerGradients(daL: readonly number[], c: LayerCache, W: Matrix, f: Activation, v: {
  sign?: number; noPrime?: boolean; primeOfA?: boolean; doubledSigmoid?: boolean; ownOutput?: boolean; transposed?: boolean; onlyOwn?: boolean;
} = {}): { dw: number[][]; db: number[]; daPrev: number[] } {
  const nOut = c.z.length;
  const nIn = c.aPrev.length;
  const g = c.z.map((z, i) => {
    let d = v.noPrime ? 1 : v.primeOfA ? f.df(c.a[i]) : f.df(z);
    if (v.doubledSigmoid) d *= 2;
    return (v.sign ?? 1) * daL[i] * d;
  });
  const dw = g.map((gi) => Array.from({ length: nIn }, (_, j) => gi * (v.ownOutput ? (c.a[j] ?? NaN) : c.aPrev[j])));
  const daPrev = Array.from({ length: nIn }, (_, j) => {
    let s = 0;
    for (let i = 0; i < nOut; i++) {
      if (v.onlyOwn && i !== j) continue;
      const w = v.transposed ? (i < W.rows && j < W.cols ? W.get(i, j) : NaN) : W.get(j, i);
      s += g[i] * w;
    }
    return s;
  });
  return { dw, db: g, daPrev };
}

/** Reads a learner's dw: n_l rows of n_{l−1} numbers, or a problem sentence. */
function readGrid(value: unknown, rows: number, cols: number, what: string): number[][] | string {
  if (!Array.isArray(value)) return `${what} must be an array of ${rows} rows; received ${describeValue(value)}.`;
  if (value.length === cols && cols !== rows && value.every((r) => Array.isArray(r) && r.length === rows)) {
    return `${what} is ${cols}x${rows}, the shape of W (the library's layout); it must be ${rows}x${cols}: dw[i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ, row i = unit of this layer, column j = input.`;
  }
  if (value.length !== rows) return `${what} has ${value.length} rows; it needs n_l = ${rows} (one per unit i of the layer).`;
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const r = readNumbers(value[i], cols, `${what}[${i}]`, `one entry per input j, n_{l−1} = ${cols}`);
    if (typeof r === 'string') return r;
    out.push(r);
  }
  return out;
}

interface LayerCase { daL: number[]; cache: LayerCache; W: Matrix; b: number[]; f: Activation; label: string }

function layerCases(): LayerCase[] {
  const random = caseRandom('verifyLayerBackward');
  const shapes: Array<[number, number, Activation]> = [[3, 4, tanh], [4, 2, sigmoid], [2, 2, sigmoid], [3, 3, tanh]];
  return shapes.map(([nIn, nOut, f]) => {
    const aPrev = uniformList(random, nIn, -0.9, 0.9);
    const W = Matrix.from(randomGrid(random, nIn, nOut, 0.9));
    const b = randomList(random, nOut, 0.5);
    const z = Array.from({ length: nOut }, (_, i) => aPrev.reduce((s, a, j) => s + W.get(j, i) * a, b[i]));
    return { daL: randomList(random, nOut), cache: { aPrev, z, a: z.map((t) => f.f(t)) }, W, b, f,
      label: `a layer of ${nOut} ${f.name} units reading ${nIn} inputs` };
  });
}

/**
 * Exercise: one layer's backward step. Given ∂L/∂a[l] (`daL`), the layer's cache (a[l−1], z[l],
 * a[l]), W[l] and f_l, return dw[i][j] = ∂L/∂a[l]ᵢ · f'(z[l]ᵢ) · a[l−1]ⱼ, db[i] = ∂L/∂a[l]ᵢ · f'(z[l]ᵢ)
 * and daPrev[j] = Σᵢ ∂L/∂a[l]ᵢ · f'(z[l]ᵢ) · w⁽ˡ⁾ᵢⱼ. The oracle is a central finite difference of the
 * scalar Σᵢ daLᵢ · f(z[l]ᵢ), recomputed from a[l−1], W and b, whose gradient is exactly that step; four
 * seeded layers (3 → 4 tanh, 4 → 2 sigmoid, 2 → 2 sigmoid, 3 → 3 tanh), to 1e-6. On failure it says
 * which of db, dw, daPrev is wrong and recognises: a sign error, a missing f', f' taken at a instead of
 * z, the doubled sigmoid derivative, a[l] instead of a[l−1] in dw, a transposed W in daPrev, a
 * missing sum over i, dw in the library's (transposed) layout.
 * @param layerBackward the learner's function (daL, cache, W, f) ↦ { dw, db, daPrev }
 */
export function verifyLayerBackward(layerBackward: LayerBackward): Verdict {
  const where = 'verifyLayerBackward';
  if (typeof layerBackward !== 'function') throw new Error(`${where}: layerBackward must be your function (daL, cache, W, f) => { dw, db, daPrev }; received ${typeof layerBackward}`);
  const cases = layerCases();
  for (const c of cases) {
    const nIn = c.cache.aPrev.length;
    const nOut = c.cache.z.length;
    let raw: unknown;
    try {
      raw = layerBackward(c.daL.slice(), { aPrev: c.cache.aPrev.slice(), z: c.cache.z.slice(), a: c.cache.a.slice() }, c.W.clone(), c.f);
    } catch (e) {
      if (isIndexError(e)) return fail(`on ${c.label} (W is ${nIn}x${nOut}) your function threw "${thrownMessage(e)}".`, TRANSPOSE_HINT);
      throw e;
    }
    if (raw === null || typeof raw !== 'object') {
      return fail(`on ${c.label} your function returned ${describeValue(raw)}.`, 'return an object { dw, db, daPrev }.');
    }
    const r = raw as Partial<LayerGradients>;
    const db = readNumbers(r.db, nOut, 'your db', `one per unit i, n_l = ${nOut}`);
    if (typeof db === 'string') return fail(`on ${c.label}: ${db}`, 'db[i] = ∂L/∂a[l]ᵢ · f\'(z[l]ᵢ), one per unit of this layer.');
    const dw = readGrid(r.dw, nOut, nIn, 'your dw');
    if (typeof dw === 'string') {
      return fail(`on ${c.label}: ${dw}`, /not a finite number/.test(dw)
        ? 'an index is probably out of range (undefined gives NaN): dw[i][j] multiplies by the layer\'s input a[l−1]ⱼ, and cache.aPrev has n_{l−1} entries.'
        : 'dw[i] is a row of n_{l−1} numbers, dw[i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ.');
    }
    const daPrev = readNumbers(r.daPrev, nIn, 'your daPrev', `one per input j, n_{l−1} = ${nIn}`);
    if (typeof daPrev === 'string') {
      return fail(`on ${c.label}: ${daPrev}`, /not a finite number/.test(daPrev) ? `check your indices: ${TRANSPOSE_HINT}`
        : 'daPrev[j] = Σᵢ ∂L/∂z[l]ᵢ · w⁽ˡ⁾ᵢⱼ, one per input j of this layer.');
    }
    // The oracle: finite differences of Φ = Σ_i daL_i f(z_i) recomputed from aPrev, W, b.
    const phi = (aPrev: readonly number[], W: Matrix, b: readonly number[]): number => {
      let s = 0;
      for (let i = 0; i < nOut; i++) {
        let z = b[i];
        for (let j = 0; j < nIn; j++) z += W.get(j, i) * aPrev[j];
        s += c.daL[i] * c.f.f(z);
      }
      return s;
    };
    const refDb = c.b.map((bi, i) => numericalDerivative((t) => phi(c.cache.aPrev, c.W, c.b.map((v, k) => (k === i ? t : v))), bi));
    const refDw = Array.from({ length: nOut }, (_, i) => Array.from({ length: nIn }, (_, j) => numericalDerivative((t) => {
      const Wp = c.W.clone();
      Wp.set(j, i, t);
      return phi(c.cache.aPrev, Wp, c.b);
    }, c.W.get(j, i))));
    const refDa = c.cache.aPrev.map((aj, j) => numericalDerivative((t) => phi(c.cache.aPrev.map((v, k) => (k === j ? t : v)), c.W, c.b), aj));
    const okDb = allClose(db, refDb);
    const okDw = allClose(dw.flat(), refDw.flat());
    const okDa = allClose(daPrev, refDa);
    if (okDb && okDw && okDa) continue;
    const sigmoidLayer = c.f.name === 'sigmoid';
    const variants: Array<{ v: Parameters<typeof layerGradients>[4]; problem: string; hint: string }> = [
      { v: { sign: -1 }, problem: 'has the wrong sign', hint: "db[i] = ∂L/∂a[l]ᵢ · f'(z[l]ᵢ) carries no minus sign of its own: look for a stray one." },
      { v: { noPrime: true }, problem: "misses the activation's derivative f'(z)", hint: "a[l]ᵢ = f(z[l]ᵢ): the chain rule multiplies by f'(z[l]ᵢ) = f.df(z[i])." },
      { v: { primeOfA: true }, problem: "takes f' at a instead of z", hint: "f.df expects the pre-activation: f.df(cache.z[i]), not f.df(cache.a[i])." },
      ...(sigmoidLayer ? [{ v: { doubledSigmoid: true }, problem: 'is twice too large on a sigmoid layer',
        hint: "σ'(z) = σ(z)(1 − σ(z)), not the tutorial's 2σ(z)(1 − σ(z)) (Tutorial erratum)." }] : []),
      { v: { ownOutput: true }, problem: 'multiplies by the layer\'s own output a[l]ⱼ instead of its input a[l−1]ⱼ',
        hint: 'z[l]ᵢ = Σⱼ w⁽ˡ⁾ᵢⱼ a[l−1]ⱼ + b⁽ˡ⁾ᵢ, so ∂z[l]ᵢ/∂w⁽ˡ⁾ᵢⱼ = a[l−1]ⱼ (cache.aPrev[j]): the tutorial\'s matrix form gets this wrong too (Tutorial erratum).' },
      { v: { transposed: true }, problem: 'reads W with swapped indices', hint: TRANSPOSE_HINT },
      { v: { onlyOwn: true }, problem: 'keeps only one term of the sum over i', hint: 'a[l−1]ⱼ feeds every unit i of the layer: add the terms of all units i.' },
    ];
    const parts = [!okDb ? 'db' : '', !okDw ? 'dw' : '', !okDa ? 'daPrev' : ''].filter((p) => p !== '');
    for (const m of variants) {
      const value = layerGradients(c.daL, c.cache, c.W, c.f, m.v);
      const matches = (!okDb ? allClose(db, value.db) : true) && (!okDw ? allClose(dw.flat(), value.dw.flat()) : true)
        && (!okDa ? allClose(daPrev, value.daPrev) : true);
      if (matches) return fail(`on ${c.label} your ${parts.join(' and ')} ${m.problem}.`, m.hint);
    }
    const first = parts[0];
    const w = first === 'db' ? worstEntry(db, refDb) : first === 'dw' ? worstEntry(dw.flat(), refDw.flat()) : worstEntry(daPrev, refDa);
    const at = first === 'dw' ? `[${Math.floor(w.index / nIn)}][${w.index % nIn}]` : `[${w.index}]`;
    const hints: Record<string, string> = {
      db: "db[i] = ∂L/∂a[l]ᵢ · f'(z[l]ᵢ): the gradient at the unit's total input.",
      dw: "dw[i][j] = db[i] · a[l−1]ⱼ.",
      daPrev: 'daPrev[j] = Σᵢ db[i] · w⁽ˡ⁾ᵢⱼ, with w⁽ˡ⁾ᵢⱼ = W.get(j, i).',
    };
    return fail(`on ${c.label} your ${parts.join(' and ')} ${parts.length > 1 ? 'are' : 'is'} wrong: ${first}${at} is off by ${describeError(w.error)}` +
      `${parts.length < 3 ? ` (${['db', 'dw', 'daPrev'].filter((p) => !parts.includes(p)).join(' and ')} ${3 - parts.length > 1 ? 'are' : 'is'} right)` : ''}.`,
      hints[first]);
  }
  return pass(`db, dw and daPrev match central finite differences on ${cases.length} layers (3→4 tanh, 4→2 sigmoid, 2→2 sigmoid, 3→3 tanh).`);
}

/** What the whole backward pass returns, in the tutorial's layout (index 0 unused). */
export interface NetworkGradients {
  /** dw[l][i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ for l = 1..L (n_l x n_{l−1}). */
  dw: number[][][];
  /** db[l][i] = ∂L/∂b⁽ˡ⁾ᵢ for l = 1..L. */
  db: number[][];
}

/** The learner's function of {@link verifyBackprop}: every ∂L/∂w and ∂L/∂b of `net` for one sample (x, y). */
export type Backprop = (net: MLP, x: number[], y: number[]) => NetworkGradients;

/**
 * Exercise: the whole backward pass for one sample, layer by layer from L down to 1, returning
 * dw[l][i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ and db[l][i] in the tutorial's layout. Compares with central finite
 * differences of the network's loss (`net.lossOn`, one sample: L = Σᵢ (yᵢ − ŷᵢ)²), to 1e-6, on the
 * given network and sample and on two seeded networks of other shapes (2-3-3-1 tanh/sigmoid/sigmoid,
 * 4-2-3 sigmoid/identity). The learner's function receives copies. On failure it names the first
 * wrong layer counted from the output and recognises: the tutorial's sign everywhere, a[l] instead of
 * a[l−1], a layer that does not receive ∂L/∂a[l] from the layer after it, dw in the library's layout.
 * @param backprop the learner's function (net, x, y) ↦ { dw, db }
 * @param net the notebook's network (not modified)
 * @param x the notebook's sample (n_0 numbers)
 * @param y its target (n_L numbers)
 */
export function verifyBackprop(backprop: Backprop, net: MLP, x: readonly number[], y: readonly number[]): Verdict {
  const where = 'verifyBackprop';
  if (typeof backprop !== 'function') throw new Error(`${where}: backprop must be your function (net, x, y) => { dw, db }; received ${typeof backprop}`);
  if (!(net instanceof MLP)) throw new Error(`${where}: net must be the notebook's MLP; received ${describeValue(net)}`);
  if (!Array.isArray(x) || x.length !== net.layers[0] || !Array.isArray(y) || y.length !== net.layers[net.L]) {
    throw new Error(`${where}: x must hold ${net.layers[0]} numbers and y ${net.layers[net.L]}; received ${describeValue(x)} and ${describeValue(y)}`);
  }
  const random = caseRandom(where);
  const cases: Array<{ net: MLP; x: number[]; y: number[]; label: string }> = [
    { net: MLP.fromJSON(net.toJSON()), x: x.slice(), y: y.slice(), label: `the notebook's ${net.layers.join('-')} network` },
    { net: new MLP({ layers: [2, 3, 3, 1], activations: [tanh, sigmoid, sigmoid], loss: meanSquaredError, seed: 'check:backprop-1', sigma: 0.9 }),
      x: randomList(random, 2), y: [1], label: 'a 2-3-3-1 network (tanh, sigmoid, sigmoid)' },
    { net: new MLP({ layers: [4, 2, 3], activations: [sigmoid, identity], loss: meanSquaredError, seed: 'check:backprop-2', sigma: 0.9 }),
      x: randomList(random, 4), y: randomList(random, 3), label: 'a 4-2-3 network (sigmoid, identity)' },
  ];
  for (const c of cases) {
    const L = c.net.L;
    const layers = c.net.layers;
    if (c.net.loss.name !== 'meanSquaredError') throw new Error(`${where}: the network must use meanSquaredError; received ${c.net.loss.name}`);
    const X = Matrix.from([c.x]);
    const Y = Matrix.from([c.y]);
    let raw: NetworkGradients;
    try {
      raw = backprop(MLP.fromJSON(c.net.toJSON()), c.x.slice(), c.y.slice());
    } catch (e) {
      if (isIndexError(e)) return fail(`on ${c.label} your function threw "${thrownMessage(e)}".`, TRANSPOSE_HINT);
      throw e;
    }
    if (raw === null || typeof raw !== 'object' || !Array.isArray(raw.dw) || !Array.isArray(raw.db)) {
      return fail(`on ${c.label} your function returned ${describeValue(raw)}.`, 'return { dw, db } with dw[l] and db[l] for l = 1 … L (index 0 unused).');
    }
    if (raw.dw.length !== L + 1 || raw.db.length !== L + 1) {
      return fail(`on ${c.label} your dw has ${raw.dw.length} entries and db ${raw.db.length}; both need L + 1 = ${L + 1} (index 0 unused, then layers 1 … ${L}).`,
        'fill dw[l] and db[l] for l = L down to 1; leave index 0 empty, as the library does.');
    }
    // Finite differences of the loss, layer by layer (the oracle).
    const probe = MLP.fromJSON(c.net.toJSON());
    const fd = (m: Matrix, r: number, k: number): number => {
      const original = m.get(r, k);
      const d = numericalDerivative((t) => {
        m.set(r, k, t);
        return probe.lossOn(X, Y);
      }, original);
      m.set(r, k, original);
      return d;
    };
    // Forward values, for the diagnosis of a[l] instead of a[l − 1].
    const fwd = MLP.fromJSON(c.net.toJSON());
    fwd.forward(X);
    fwd.backward(Y);
    for (let l = L; l >= 1; l--) {
      const dw = readGrid(raw.dw[l], layers[l], layers[l - 1], `your dw[${l}]`);
      if (typeof dw === 'string') return fail(`on ${c.label}: ${dw}`, `dw[${l}][i][j] = ∂L/∂w⁽${l}⁾ᵢⱼ: n_${l} = ${layers[l]} rows, n_${l - 1} = ${layers[l - 1]} columns.`);
      const db = readNumbers(raw.db[l], layers[l], `your db[${l}]`, `one per unit of layer ${l}`);
      if (typeof db === 'string') return fail(`on ${c.label}: ${db}`, `db[${l}][i] = ∂L/∂b⁽${l}⁾ᵢ, one per unit of layer ${l}.`);
      const refDw = Array.from({ length: layers[l] }, (_, i) => Array.from({ length: layers[l - 1] }, (_, j) => fd(probe.W[l], j, i)));
      const refDb = Array.from({ length: layers[l] }, (_, i) => fd(probe.b[l], 0, i));
      if (allClose(dw.flat(), refDw.flat()) && allClose(db, refDb)) continue;
      const above = l === L ? '' : ` (layer${L - l > 1 ? 's' : ''} ${Array.from({ length: L - l }, (_, k) => L - k).reverse().join(', ')} ${L - l > 1 ? 'are' : 'is'} right)`;
      if (allClose(dw.flat(), refDw.flat().map((v) => -v)) && allClose(db, refDb.map((v) => -v))) {
        return fail(`on ${c.label} your gradients of layer ${l} have the opposite sign${above}.`, l === L ? SIGN_HINT : 'check the signs where layer ' + (l + 1) + ' hands ∂L/∂a back.');
      }
      if (layers[l] === layers[l - 1] && allClose(db, refDb)
        && allClose(dw.flat(), refDw[0].map((_, j) => refDw.map((row) => row[j])).flat())) {
        return fail(`on ${c.label} your dw[${l}] is transposed: it holds ∂L/∂w⁽${l}⁾ᵢⱼ at [j][i], the library's layout${above}.`,
          `in the tutorial's layout dw[l][i][j] = ∂L/∂w⁽ˡ⁾ᵢⱼ: row i = unit of layer l, column j = unit of layer l − 1.`);
      }
      const dz = fwd.dz[l].row(0);
      const own = Array.from({ length: layers[l] }, (_, i) => Array.from({ length: layers[l - 1] }, (_, j) => dz[i] * (fwd.a[l].row(0)[j] ?? NaN)));
      if (allClose(db, refDb) && own.flat().every(Number.isFinite) && allClose(dw.flat(), own.flat())) {
        return fail(`on ${c.label} your dw[${l}] multiplies by a[${l}] instead of a[${l - 1}]${above}.`,
          `∂z[l]ᵢ/∂w⁽ˡ⁾ᵢⱼ = a[l−1]ⱼ, the layer's input (the tutorial's matrix form has the same slip: Tutorial erratum).`);
      }
      if (l < L) {
        return fail(`on ${c.label} your layer ${l} is wrong${above}: its gradients are off by ${describeError(worstEntry(dw.flat().concat(db), refDw.flat().concat(refDb)).error)}.`,
          `layer ${l} starts from ∂L/∂a[${l}]ⱼ = Σᵢ ∂L/∂z[${l + 1}]ᵢ · w⁽${l + 1}⁾ᵢⱼ, handed back by layer ${l + 1}, times f'_${l}(z[${l}]) = net.activations[${l - 1}].df.`);
      }
      const w = worstEntry(dw.flat().concat(db), refDw.flat().concat(refDb));
      return fail(`on ${c.label} your output layer ${L} is off by ${describeError(w.error)}.`,
        `start from ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ) and multiply by f'_${L}(z[${L}]ᵢ) for db[${L}], then by a[${L - 1}]ⱼ for dw[${L}].`);
    }
  }
  return pass(`every ∂L/∂w and ∂L/∂b matches central finite differences of L on ${cases.map((c) => c.label).join('; ')}.`);
}
