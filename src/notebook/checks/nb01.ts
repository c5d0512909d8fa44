/**
 * The self-checks of notebook 01 (total derivatives). Each `verify…` takes the learner's function,
 * compares it with an independent oracle (central finite differences of the composition, or of the
 * loss) and returns `pass(…)` or `fail(problem, hint)`: it recognises the classic mistakes (a
 * missing path, partial derivatives added without their rates, a sign error, the tutorial's sign of
 * ∂L/∂ŷ, the doubled sigmoid derivative, transposed weight indices) and never prints the answer.
 */
import { numericalDerivative } from '../../core/gradcheck';
import { pass, fail, type Verdict } from '../check';
import {
  allClose, caseRandom, describeError, describeValue, isIndexError, randomGrid, randomList, readNumbers,
  thrownMessage, uniformList, worstEntry,
} from './learner';

/** An outer function of named inputs, e.g. f(t, u, v) with p = { t, u, v }. */
export type Outer<P> = (p: P) => number;
/** The inner functions: for each x, the named inputs of the outer function, e.g. x ↦ { t: x², u: e⁻ˣ, v: 3x }. */
export type Inner<P> = (x: number) => P;

/** Options of {@link verifyTotalDerivative} and {@link verifyTotalDifferential}. */
export interface CompositionCheckOptions {
  /** The x values to test at (default: 9 points in [−1.7, 2.4]). */
  xs?: readonly number[];
  /** The composition's name in messages (default "g"). */
  name?: string;
}

const DEFAULT_XS: readonly number[] = [-1.7, -1.2, -0.6, -0.1, 0.3, 0.8, 1.3, 1.9, 2.4];

interface Paths<P> {
  names: Array<keyof P & string>;
  /** F(x) = outer(inner(x)). */
  F: (x: number) => number;
  /** Central-difference F'(x). */
  dF: (x: number) => number;
  /** ∂outer/∂p_k at inner(x), by moving p_k alone. */
  partial: (k: keyof P & string, x: number) => number;
  /** dp_k/dx at x. */
  rate: (k: keyof P & string, x: number) => number;
}

function paths<P extends { [K in keyof P]: number }>(where: string, outer: Outer<P>, inner: Inner<P>, x0: number): Paths<P> {
  if (typeof outer !== 'function' || typeof inner !== 'function') {
    throw new Error(`${where}: outer and inner must be functions (the notebook's composition); received ${typeof outer} and ${typeof inner}`);
  }
  const p0 = inner(x0);
  if (p0 === null || typeof p0 !== 'object') {
    throw new Error(`${where}: inner(x) must return an object of named numbers such as { r, s }; received ${describeValue(p0)}`);
  }
  const names = Object.keys(p0) as Array<keyof P & string>;
  const F = (x: number): number => outer(inner(x));
  return {
    names,
    F,
    dF: (x) => numericalDerivative(F, x),
    partial: (k, x) => {
      const p = inner(x);
      return numericalDerivative((s) => outer({ ...p, [k]: s }), p[k] as number);
    },
    rate: (k, x) => numericalDerivative((s) => inner(s)[k] as number, x),
  };
}

/** The names of the inputs in a message: "r" or "r and s". */
function inputList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Exercise: the total derivative dg/dx of a composition g(p(x), q(x), …), written as a sum over
 * paths. Compares the learner's `dg_dx(x)` at several x with a central finite difference of the
 * composition x ↦ outer(inner(x)) (order 4, h = 1e-3), to 1e-6. On failure it recognises: a missing
 * path, only one path, the partial derivatives added without their rates, the rates added without
 * their partials, one path (or every path) with the wrong sign.
 * @param dg_dx the learner's total derivative, x ↦ dg/dx
 * @param outer the outer function of named inputs (the notebook's `g`)
 * @param inner x ↦ its named inputs (the notebook's `innerG`)
 */
export function verifyTotalDerivative<P extends { [K in keyof P]: number }>(
  dg_dx: (x: number) => number, outer: Outer<P>, inner: Inner<P>, options: CompositionCheckOptions = {},
): Verdict {
  const where = 'verifyTotalDerivative';
  if (typeof dg_dx !== 'function') throw new Error(`${where}: dg_dx must be your function x => dg/dx; received ${typeof dg_dx}`);
  const xs = options.xs ?? DEFAULT_XS;
  const name = options.name ?? 'g';
  const P = paths(where, outer, inner, xs[0]);
  const got: number[] = [];
  for (const x of xs) {
    const v = dg_dx(x);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return fail(`your function returned ${describeValue(v)} at x = ${x}.`,
        `it must return one number: the sum, over the inputs ${inputList(P.names)} of ${name}, of (partial derivative) · (rate).`);
    }
    got.push(v);
  }
  const ref = xs.map(P.dF);
  if (allClose(got, ref)) {
    return pass(`d${name}/dx matches a central finite difference of ${name}(x) at all ${xs.length} points (to 1e-6).`);
  }
  const term = (k: keyof P & string, x: number): number => P.partial(k, x) * P.rate(k, x);
  const candidates: Array<{ value: number[]; problem: string; hint: string }> = [
    { value: ref.map((r) => -r), problem: 'has the wrong sign at every point.',
      hint: 'check the signs of your partial derivatives and rates (the derivative of e^(−x), for instance, is −e^(−x)).' },
    { value: xs.map((x) => P.names.reduce((s, k) => s + P.partial(k, x), 0)),
      problem: 'equals the sum of the partial derivatives alone.',
      hint: `each partial derivative ∂${name}/∂p must be multiplied by the rate dp/dx of its input p: the total derivative is a sum of products.` },
    { value: xs.map((x) => P.names.reduce((s, k) => s + P.rate(k, x), 0)),
      problem: 'equals the sum of the rates alone.',
      hint: `multiply each rate dp/dx by the partial derivative ∂${name}/∂p of ${name} with respect to that input.` },
  ];
  for (const k of P.names) {
    candidates.push({ value: xs.map((x, i) => ref[i] - term(k, x)), problem: `misses the path through ${k}.`,
      hint: `${name} depends on x through each of ${inputList(P.names)}: add one product ∂${name}/∂${k} · d${k}/dx for the path through ${k}.` });
    candidates.push({ value: xs.map((x, i) => ref[i] - 2 * term(k, x)), problem: `has the wrong sign on the path through ${k}.`,
      hint: `recompute ∂${name}/∂${k} and d${k}/dx, and check the sign of each.` });
    if (P.names.length > 2) {
      candidates.push({ value: xs.map((x) => term(k, x)), problem: `holds only the path through ${k}.`,
        hint: `add the products of the other paths too (${inputList(P.names.filter((n) => n !== k))}).` });
    }
  }
  for (const c of candidates) if (allClose(got, c.value, 1e-5)) return fail(`your d${name}/dx ${c.problem}`, c.hint);
  const w = worstEntry(got, ref);
  return fail(`your d${name}/dx differs from a finite difference of ${name}(x) by ${describeError(w.error)} at x = ${xs[w.index]}.`,
    `write one product ∂${name}/∂p · dp/dx for each input p (${inputList(P.names)}), evaluated at the same x, and add them.`);
}

/** Options of {@link verifyTotalDifferential}. */
export interface TotalDifferentialCheckOptions extends CompositionCheckOptions {
  /** The steps dx to test (default 0.1, 0.01, 0.001). */
  steps?: readonly number[];
}

/**
 * Exercise: the total differential dg = Σ_p ∂g/∂p · dp with dp = (dp/dx)·dx, the linear part of the
 * change of g. Compares the learner's `dg(x, dx)` with F'(x)·dx (F' by central differences of the
 * composition) at several x and steps dx, to a relative 1e-6. On failure it recognises: the actual
 * change Δg = g(x + dx) − g(x) instead of the differential, a result that is not proportional to dx
 * (actual increments of the inputs instead of their differentials), a missing factor dx, a missing
 * path, a sign error.
 * @param dg the learner's total differential, (x, dx) ↦ dg
 * @param outer the outer function of named inputs
 * @param inner x ↦ its named inputs
 */
export function verifyTotalDifferential<P extends { [K in keyof P]: number }>(
  dg: (x: number, dx: number) => number, outer: Outer<P>, inner: Inner<P>, options: TotalDifferentialCheckOptions = {},
): Verdict {
  const where = 'verifyTotalDifferential';
  if (typeof dg !== 'function') throw new Error(`${where}: dg must be your function (x, dx) => dg; received ${typeof dg}`);
  const xs = options.xs ?? [-0.8, 0.4, 1.1, 1.7];
  const steps = options.steps ?? [0.1, 0.01, 0.001];
  const name = options.name ?? 'g';
  const P = paths(where, outer, inner, xs[0]);
  const cases = xs.flatMap((x) => steps.map((dx) => ({ x, dx })));
  const got: number[] = [];
  for (const c of cases) {
    const v = dg(c.x, c.dx);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return fail(`your function returned ${describeValue(v)} at x = ${c.x}, dx = ${c.dx}.`,
        `it must return one number: Σ ∂${name}/∂p · dp over the inputs ${inputList(P.names)}, with dp = (dp/dx) · dx.`);
    }
    got.push(v);
  }
  const ref = cases.map((c) => P.dF(c.x) * c.dx);
  const relClose = (a: readonly number[], b: readonly number[], tol: number): boolean =>
    a.every((v, k) => Math.abs(v - b[k]) <= tol * Math.abs(b[k]) + 1e-13);
  if (relClose(got, ref, 1e-6)) {
    return pass(`d${name} = (d${name}/dx)·dx at ${xs.length} points x and ${steps.length} steps dx each (to a relative 1e-6).`);
  }
  const actual = cases.map((c) => P.F(c.x + c.dx) - P.F(c.x));
  if (relClose(got, actual, 1e-9)) {
    return fail(`your d${name} is the actual change Δ${name} = ${name}(x + dx) − ${name}(x), not the total differential.`,
      `the differential is the linear part of that change: Σ ∂${name}/∂p · dp with dp = (dp/dx) · dx; it doubles exactly when dx doubles.`);
  }
  const slope = cases.map((c) => P.dF(c.x));
  if (relClose(got, slope, 1e-6)) {
    return fail(`your d${name} does not change with dx: it is the derivative d${name}/dx itself.`,
      `multiply each rate by the step: dp = (dp/dx) · dx.`);
  }
  for (const x of xs) {
    const small = dg(x, 1e-3);
    const double = dg(x, 2e-3);
    if (Math.abs(double - 2 * small) > 1e-6 * Math.abs(double) + 1e-13) {
      return fail(`your d${name} is not proportional to dx (at x = ${x}, doubling dx does not double it).`,
        `use the differentials of the inputs, dp = (dp/dx) · dx, not their actual increments p(x + dx) − p(x).`);
    }
  }
  if (relClose(got, ref.map((r) => -r), 1e-6)) {
    return fail(`your d${name} has the wrong sign.`, 'check the signs of your partial derivatives and rates.');
  }
  for (const k of P.names) {
    const missing = cases.map((c, i) => ref[i] - P.partial(k, c.x) * P.rate(k, c.x) * c.dx);
    if (relClose(got, missing, 1e-5)) {
      return fail(`your d${name} misses the term of ${k}.`, `add ∂${name}/∂${k} · d${k}, with d${k} = (d${k}/dx) · dx.`);
    }
  }
  const w = worstEntry(got.map((g, k) => g / cases[k].dx), ref.map((r, k) => r / cases[k].dx));
  return fail(`your d${name} / dx differs from d${name}/dx by ${describeError(w.error)} at x = ${cases[w.index].x}, dx = ${cases[w.index].dx}.`,
    `add one term ∂${name}/∂p · dp per input p (${inputList(P.names)}), each partial derivative evaluated at x.`);
}

/** The numbers of a last layer in the tutorial's order: w[i][j] goes from hidden unit j to output i. */
export interface LastLayerExample {
  /** a[L−1]: the hidden outputs feeding the last layer (n_{L−1} numbers). */
  a: readonly number[];
  /** w[i][j] = w⁽ᴸ⁾ᵢⱼ, from hidden unit j to output i: n_L rows of n_{L−1} numbers. */
  w: ReadonlyArray<ReadonlyArray<number>>;
  /** b[i] = b⁽ᴸ⁾ᵢ (n_L numbers). */
  b: readonly number[];
  /** The targets yᵢ (n_L numbers). */
  y: readonly number[];
}

/** The learner's function of {@link verifyHiddenOutputGradient}: ∂L/∂a_j for every hidden output j. */
export type HiddenOutputGradient = (a: number[], w: number[][], b: number[], y: number[]) => number[];

const sigma = (z: number): number => 1 / (1 + Math.exp(-z));

function lastLayerLoss(c: LastLayerExample, a: readonly number[]): number {
  let L = 0;
  for (let i = 0; i < c.w.length; i++) {
    let z = c.b[i];
    for (let j = 0; j < a.length; j++) z += c.w[i][j] * a[j];
    L += (c.y[i] - sigma(z)) ** 2;
  }
  return L;
}

/** The path terms ∂L/∂ŷᵢ · ∂ŷᵢ/∂a_j of a last layer, with switchable classic mistakes. */
function pathSum(c: LastLayerExample, j: number, v: { sign?: number; sigmoidFactor?: number; lossFactor?: number;
  transposed?: boolean; onlyOwnPath?: boolean; noSigmoidPrime?: boolean } = {}): number {
  let s = 0;
  for (let i = 0; i < c.w.length; i++) {
    if (v.onlyOwnPath && i !== j) continue;
    let z = c.b[i];
    for (let k = 0; k < c.a.length; k++) z += c.w[i][k] * c.a[k];
    const yh = sigma(z);
    const dL = (v.lossFactor ?? 2) * (v.sign ?? 1) * (yh - c.y[i]);
    const dsig = v.noSigmoidPrime ? 1 : (v.sigmoidFactor ?? 1) * yh * (1 - yh);
    const w = v.transposed ? (c.w[j]?.[i] ?? NaN) : c.w[i][j];
    s += dL * dsig * w;
  }
  return s;
}

function lastLayerCases(example: LastLayerExample | undefined): Array<{ c: LastLayerExample; label: string }> {
  const random = caseRandom('verifyHiddenOutputGradient');
  const make = (nPrev: number, nOut: number): LastLayerExample => ({
    a: uniformList(random, nPrev, 0.05, 0.95),
    w: randomGrid(random, nOut, nPrev, 1.2),
    b: randomList(random, nOut, 0.5),
    y: uniformList(random, nOut, 0, 1).map((v) => (v > 0.5 ? 1 : 0)),
  });
  const out: Array<{ c: LastLayerExample; label: string }> = [];
  if (example) out.push({ c: example, label: "the notebook's numbers" });
  out.push({ c: make(3, 3), label: 'a layer with 3 hidden outputs and 3 outputs' });
  out.push({ c: make(3, 2), label: 'a layer with 3 hidden outputs and 2 outputs' });
  out.push({ c: make(2, 4), label: 'a layer with 2 hidden outputs and 4 outputs' });
  return out;
}

/**
 * Exercise: ∂L/∂a_j for every hidden output a_j feeding a last layer of sigmoid units with the
 * tutorial's loss L = Σᵢ (yᵢ − ŷᵢ)², ŷᵢ = σ(Σ_j w[i][j] a_j + b[i]): a total derivative, summed over
 * the paths through every output. Compares the learner's function with central finite differences
 * of L (to 1e-6) on the notebook's numbers (when given) and on layers of other sizes (3 → 3, 3 → 2,
 * 2 → 4). On failure it recognises: the tutorial's sign of ∂L/∂ŷ, the doubled sigmoid derivative, a
 * missing factor 2, a missing σ', the path through output j only, transposed indices w[j][i].
 * @param dL_da the learner's function (a, w, b, y) ↦ [∂L/∂a_1, …]
 * @param example the notebook's numbers (tested first)
 */
export function verifyHiddenOutputGradient(dL_da: HiddenOutputGradient, example?: LastLayerExample): Verdict {
  const where = 'verifyHiddenOutputGradient';
  if (typeof dL_da !== 'function') throw new Error(`${where}: dL_da must be your function (a, w, b, y) => number[]; received ${typeof dL_da}`);
  const cases = lastLayerCases(example);
  for (const { c, label } of cases) {
    const nPrev = c.a.length;
    let raw: unknown;
    try {
      raw = dL_da(c.a.slice(), c.w.map((r) => r.slice()), c.b.slice(), c.y.slice());
    } catch (e) {
      if (isIndexError(e)) return fail(`on ${label} your function threw "${thrownMessage(e)}".`, 'w[i][j] goes from hidden unit j to output i.');
      throw e;
    }
    const got = readNumbers(raw, nPrev, 'your result', `one ∂L/∂a_j per hidden output j`);
    if (typeof got === 'string') {
      const transposedHint = 'w[i][j] goes from hidden unit j to output i: w has one row per output i and one column per hidden unit j; check the order of your indices.';
      return fail(`on ${label}: ${got}`, /not a finite number/.test(got) ? `an index is probably out of range (undefined gives NaN): ${transposedHint}`
        : `loop over the hidden outputs j = 0 … ${nPrev - 1}, and for each one sum over the outputs i.`);
    }
    const ref = c.a.map((aj, j) => numericalDerivative((t) => lastLayerLoss(c, c.a.map((v, k) => (k === j ? t : v))), aj));
    if (allClose(got, ref)) continue;
    const variants: Array<{ v: Parameters<typeof pathSum>[2]; problem: string; hint: string }> = [
      { v: { sign: -1 }, problem: 'has the opposite sign',
        hint: 'differentiate (yᵢ − ŷᵢ)² with respect to ŷᵢ: the chain rule brings in the inner derivative −1, which the tutorial drops (Tutorial erratum).' },
      { v: { sigmoidFactor: 2 }, problem: 'is twice too large',
        hint: "σ'(z) = σ(z)(1 − σ(z)), not 2σ(z)(1 − σ(z)) (the tutorial's dsigmoid doubles it: Tutorial erratum)." },
      { v: { lossFactor: 1 }, problem: 'is half what it should be',
        hint: 'the derivative of (ŷᵢ − yᵢ)² brings down a factor 2.' },
      { v: { noSigmoidPrime: true }, problem: "misses the sigmoid's derivative",
        hint: "ŷᵢ = σ(zᵢ), so ∂ŷᵢ/∂a_j = σ'(zᵢ) · w[i][j] with σ'(z) = σ(z)(1 − σ(z))." },
      { v: { onlyOwnPath: true }, problem: 'keeps only the path through output j',
        hint: 'a_j feeds every output: sum the path terms over all outputs i.' },
      { v: { transposed: true }, problem: 'reads the weights with swapped indices',
        hint: 'w[i][j] goes from hidden unit j to output i: the first index is the output.' },
    ];
    for (const m of variants) {
      const value = c.a.map((_, j) => pathSum(c, j, m.v));
      if (value.every(Number.isFinite) && allClose(got, value, 1e-6)) return fail(`on ${label} your ∂L/∂a ${m.problem}.`, m.hint);
    }
    const w = worstEntry(got, ref);
    return fail(`on ${label} your ∂L/∂a_${w.index + 1} differs from a finite difference of L by ${describeError(w.error)}.`,
      "sum over the outputs i of ∂L/∂ŷᵢ · σ'(zᵢ) · w[i][j], with zᵢ = Σ_k w[i][k] a_k + b[i].");
  }
  return pass(`∂L/∂a matches central finite differences of L on ${cases.map((c) => c.label).join('; ')}.`);
}

