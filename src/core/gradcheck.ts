import { Matrix, describeValue } from './matrix';
import { MLP } from './mlp';
import { Seed, seededRandom, shuffleInPlace } from './random';

/** Options of `gradientCheck` and `numericalDerivative`. */
export interface GradientCheckOptions {
  /** Step h of the finite differences; default 1e-3 for order 4, 1e-5 for order 2. */
  epsilon?: number;
  /**
   * Order of the central difference: 2 for (f(θ+h) − f(θ−h)) / 2h (error O(h²)), or 4 for
   * (−f(θ+2h) + 8f(θ+h) − 8f(θ−h) + f(θ−2h)) / 12h (error O(h⁴)). Default: 4 for smooth networks;
   * 2 (with its smaller step) for networks with relu or leakyRelu layers, where a larger step is more
   * likely to carry some sample's z across the kink at 0.
   */
  order?: 2 | 4;
  /** Check at most this many entries per tensor, chosen at random (default 1000: every entry of small nets). */
  maxPerTensor?: number;
  /** Seed that picks the sampled entries of large tensors; default 0. */
  seed?: Seed;
  /**
   * The absolute floor of the relative error's denominator (`gradientCheck` only), ≥ 0; default
   * {@link GRADIENT_CHECK_FLOOR} (1e-6). See `TensorCheck.maxRelativeError`.
   */
  floor?: number;
}

/**
 * The default `floor` of `gradientCheck`: 1e-6. A central difference of losses carries a round-off
 * error of about ε_mach·|L|/h (≈ 1e-11 for L ≈ 1 and h = 1e-5) besides its truncation error, so a
 * gradient entry that is truly 0 comes out as ±1e-11 or so; divided by itself that would read as a
 * relative error of 1. Measured against at least 1e-6 it reads as ≈ 1e-5, while a wrong gradient of
 * any size that matters (≥ 1e-6) still shows a relative error near its true one.
 */
export const GRADIENT_CHECK_FLOOR = 1e-6;

/** The comparison for one parameter tensor, W[l] or b[l]. */
export interface TensorCheck {
  /** "W[l]" or "b[l]". */
  name: string;
  /** [rows, cols] of the tensor. */
  shape: [number, number];
  /** How many entries were compared. */
  checked: number;
  /** max |analytic − numerical| over the checked entries. */
  maxAbsoluteError: number;
  /**
   * max |analytic − numerical| / max(max|analytic|, max|numerical|, floor): the error relative to the
   * size of this tensor's gradient, with an absolute floor (`GradientCheckOptions.floor`, default
   * 1e-6) so that a tensor whose true gradient is 0 (or tiny) is judged by its absolute error rather
   * than by the round-off of the finite difference divided by itself (0 when every entry agrees exactly).
   */
  maxRelativeError: number;
  /** The checked entries: flat row-major index, back-propagated (analytic) and finite-difference values. */
  entries: { index: number; analytic: number; numerical: number }[];
}

/** The result of `gradientCheck`: one `TensorCheck` per W[l] and b[l], and the worst errors overall. */
export interface GradientCheckResult {
  tensors: TensorCheck[];
  /** Largest `maxAbsoluteError` over the tensors. */
  maxAbsoluteError: number;
  /** Largest `maxRelativeError` over the tensors. */
  maxRelativeError: number;
}

const OPTION_KEYS = ['epsilon', 'order', 'maxPerTensor', 'seed', 'floor'];

function checkOptions(where: string, options: unknown, keys: readonly string[]): GradientCheckOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${where}: options must be an object { ${keys.join(', ')} } (all optional); received ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new Error(`${where}: unknown option '${key}'; the known ones are ${keys.join(', ')}`);
  }
  return options as GradientCheckOptions;
}

function resolveStep(where: string, options: GradientCheckOptions, defaultOrder: 2 | 4 = 4): { h: number; order: 2 | 4 } {
  const order = options.order ?? defaultOrder;
  if (order !== 2 && order !== 4) throw new Error(`${where}: order must be 2 or 4; received ${String(order)}`);
  const h = options.epsilon ?? (order === 4 ? 1e-3 : 1e-5);
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) {
    throw new Error(`${where}: epsilon must be a finite number > 0; received ${String(h)}`);
  }
  return { h, order };
}

/**
 * The central finite-difference estimate of df/dθ at θ = x for a scalar function f (see
 * `GradientCheckOptions.order`).
 */
export function numericalDerivative(f: (x: number) => number, x: number, options: GradientCheckOptions = {}): number {
  const where = 'numericalDerivative';
  if (typeof f !== 'function') throw new Error(`${where}: f must be a function (x: number) => number; received ${describeValue(f)}`);
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${where}: x must be a finite number; received ${describeValue(x)}`);
  const { h, order } = resolveStep(where, checkOptions(where, options, OPTION_KEYS));
  if (order === 2) return (f(x + h) - f(x - h)) / (2 * h);
  // Differences first, so that a function that does not change gives exactly 0.
  return (8 * (f(x + h) - f(x - h)) - (f(x + 2 * h) - f(x - 2 * h))) / (12 * h);
}

/**
 * Checks back-propagation against central finite differences: runs `net.forward(X)` and
 * `net.backward(y)` for the analytic dW[l], db[l], then perturbs each checked parameter θ by ±h
 * (and ±2h for order 4), re-evaluating L(y, ŷ) on X each time, and compares. Parameters are restored
 * exactly, and the net's z, a, dz, da, dW, db end as after `backward(y)`. Works for every network
 * `new MLP` builds, row-wise softmax and categorical cross-entropy included. Each tensor's relative
 * error is measured against the size of its gradient with an absolute floor (`floor`, default 1e-6;
 * see `TensorCheck.maxRelativeError`), so that a gradient that is truly 0 does not read as failed.
 *
 * A ReLU kink closer to some z than the largest step (h, or 2h for order 4) makes the finite difference (not back-propagation) wrong.
 */
export function gradientCheck(net: MLP, X: Matrix, y: Matrix, options: GradientCheckOptions = {}): GradientCheckResult {
  const where = 'gradientCheck';
  if (!(net instanceof MLP)) throw new Error(`${where}: net must be an MLP; received ${describeValue(net)}`);
  if (!(X instanceof Matrix)) throw new Error(`${where}: X must be a Matrix (n x ${net.layers[0]}); received ${describeValue(X)}`);
  if (!(y instanceof Matrix)) throw new Error(`${where}: y must be a Matrix (n x ${net.layers[net.L]}); received ${describeValue(y)}`);
  options = checkOptions(where, options, OPTION_KEYS);
  const floor = options.floor ?? GRADIENT_CHECK_FLOOR;
  if (typeof floor !== 'number' || !Number.isFinite(floor) || floor < 0) {
    throw new Error(`${where}: floor must be a finite number ≥ 0; received ${describeValue(floor)}`);
  }
  const kinked = net.activations.some((f) => f.name === 'relu' || f.name === 'leakyRelu');
  const { h, order } = resolveStep(where, options, kinked ? 2 : 4);
  const maxPerTensor = options.maxPerTensor ?? 1000;
  if (!Number.isInteger(maxPerTensor) || maxPerTensor < 1) {
    throw new Error(`${where}: maxPerTensor must be a positive integer; received ${String(maxPerTensor)}`);
  }
  const random = seededRandom(options.seed ?? 0);

  net.forward(X);
  net.backward(y);
  const tensors: TensorCheck[] = [];
  for (const p of net.parameters()) {
    const analyticAll = p.grad.data.slice();
    const size = p.value.size;
    let indices = Array.from({ length: size }, (_, i) => i);
    if (size > maxPerTensor) {
      shuffleInPlace(random, indices);
      indices = indices.slice(0, maxPerTensor).sort((u, v) => u - v);
    }
    const entries = indices.map((index) => {
      const original = p.value.data[index];
      const lossAt = (theta: number): number => {
        p.value.data[index] = theta;
        return net.lossOn(X, y);
      };
      const numerical = numericalDerivative(lossAt, original, { epsilon: h, order });
      p.value.data[index] = original;
      return { index, analytic: analyticAll[index], numerical };
    });
    let maxAbs = 0;
    let scale = 0;
    for (const e of entries) {
      maxAbs = Math.max(maxAbs, Math.abs(e.analytic - e.numerical));
      scale = Math.max(scale, Math.abs(e.analytic), Math.abs(e.numerical));
    }
    tensors.push({
      name: p.name,
      shape: p.value.shape,
      checked: entries.length,
      maxAbsoluteError: maxAbs,
      maxRelativeError: maxAbs === 0 ? 0 : maxAbs / Math.max(scale, floor),
      entries,
    });
  }
  return {
    tensors,
    maxAbsoluteError: Math.max(...tensors.map((t) => t.maxAbsoluteError)),
    maxRelativeError: Math.max(...tensors.map((t) => t.maxRelativeError)),
  };
}

/**
 * One row of a gradient comparison table, as the notebooks print it: is the computed derivative
 * bit-identical to the reference, is it within the tolerance, and by how much do they differ.
 */
export interface Comparison {
  /** What was compared, e.g. "dW[2]". */
  name: string;
  /** Every entry bit-identical (===): the same floating-point number, not merely close. */
  exact: boolean;
  /** maxDiff ≤ tolerance · max(1, max|reference|): equal up to the tolerance (absolute for small values, relative for large). */
  approximate: boolean;
  /** max |computed − reference| over the entries. */
  maxDiff: number;
  /** max over the entries of |computed − reference| / max(|reference|, 1e-300): the largest relative difference (Infinity where a reference entry is 0 and the computed one is not). */
  maxRelativeDiff: number;
  /** The tolerance `approximate` used. */
  tolerance: number;
}

type Numbers = Matrix | ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>> | number;

function flatten(where: string, v: Numbers): number[] {
  if (typeof v === 'number') return [v];
  if (v instanceof Matrix) return Array.from(v.data);
  if (Array.isArray(v)) {
    return (v as ReadonlyArray<number | ReadonlyArray<number>>).flatMap((x) => (typeof x === 'number' ? [x] : Array.from(x)));
  }
  throw new Error(`${where}: expected a Matrix, a number array or a number; received ${v === null ? 'null' : typeof v}`);
}

/** The default tolerance of `compareGradients`. */
export const COMPARE_TOLERANCE = 1e-7;

/**
 * Compares a computed derivative with a reference one (e.g. back-propagation against finite
 * differences, or hand-written loops against the library), entry by entry: both must have the same
 * number of entries. `tolerance` defaults to {@link COMPARE_TOLERANCE} (1e-7): central differences
 * agree with exact derivatives to about 1e-8 or better, so a correct derivative passes and a wrong
 * one (off by a sign, a factor or a term) fails by orders of magnitude.
 */
export function compareGradients(name: string, computed: Numbers, reference: Numbers, tolerance = COMPARE_TOLERANCE): Comparison {
  const where = `compareGradients(${name})`;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) {
    throw new Error(`${where}: tolerance must be a number ≥ 0; received ${String(tolerance)}`);
  }
  const c = flatten(where, computed);
  const r = flatten(where, reference);
  if (c.length !== r.length) {
    throw new Error(`${where}: computed and reference must have the same number of entries; received ${c.length} and ${r.length}`);
  }
  let maxDiff = 0;
  let maxRelativeDiff = 0;
  let exact = true;
  let scale = 1;
  let nan = false;
  for (let i = 0; i < c.length; i++) {
    if (!Object.is(c[i], r[i]) && c[i] !== r[i]) exact = false;
    const d = Math.abs(c[i] - r[i]);
    if (Number.isNaN(d)) nan = true;
    maxDiff = Math.max(maxDiff, d);
    if (d > 0) maxRelativeDiff = Math.max(maxRelativeDiff, d / Math.max(Math.abs(r[i]), 1e-300));
    scale = Math.max(scale, Math.abs(r[i]));
  }
  if (nan) {
    maxDiff = NaN;
    maxRelativeDiff = NaN;
    exact = false;
  }
  return { name, exact, approximate: maxDiff <= tolerance * scale, maxDiff, maxRelativeDiff, tolerance };
}

function formatDiff(v: number): string {
  return v === 0 ? '0' : v.toExponential(2);
}

/**
 * The comparisons as an aligned text table, columns name | bit-identical | approximate | maxdiff |
 * max rel. diff, under a line that states what "approximate" means with the tolerance used, so the
 * table can be read where it is printed: "bit-identical: false" with "approximate: true" is a
 * correct derivative whose last digits differ by rounding.
 */
export function comparisonTable(rows: ReadonlyArray<Comparison>): string {
  if (!Array.isArray(rows)) throw new Error(`comparisonTable: rows must be an array of compareGradients(…) results; received ${typeof rows}`);
  const header = ['name', 'bit-identical', 'approximate', 'maxdiff', 'max rel. diff'];
  const body = rows.map((r) => [r.name, String(r.exact), String(r.approximate), formatDiff(r.maxDiff), formatDiff(r.maxRelativeDiff)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((s, i) => s.padEnd(widths[i])).join(' | ');
  const tolerances = Array.from(new Set(rows.map((r) => r.tolerance)));
  const legend = `approximate: maxdiff ≤ tol · max(1, max|reference|), tol = ${tolerances.map((t) => t.toExponential(0)).join(' / ') || COMPARE_TOLERANCE.toExponential(0)}; ` +
    'bit-identical: every entry the same float64';
  return [legend, line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
