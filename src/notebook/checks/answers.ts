/**
 * Reading a learner's answers for the `verify…` functions of notebooks 04-06: calling the learner's
 * code (a student stub's "write your code here" passes through to `check`, which quotes it), reading
 * a returned Matrix with its expected shape, comparing it with an oracle, naming the worst entry,
 * and recognising an answer that is a known wrong variant (a factor, a sign, a transpose).
 * Nothing here prints.
 */
import { Matrix } from '../../core/matrix';
import { seededRandom, type RandomSource } from '../../core/random';

/** The default tolerance: |got − expected| ≤ tol · max(1, max|expected|) over the entries. */
export const ANSWER_TOLERANCE = 1e-6;

/** True for the student build's stub error ("Exercise N.k: write your code here"). */
export function isStub(e: unknown): boolean {
  return e instanceof Error && /write your code here/i.test(e.message);
}

/** The message of an error the learner's code threw. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "4x3" for a Matrix; "undefined", "a number", "an array of 3" for anything else. */
export function describeAnswer(v: unknown): string {
  if (v instanceof Matrix) return `a ${v.rows}x${v.cols} Matrix`;
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : `the number ${v}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `a ${typeof v}`;
}

/** The outcome of calling the learner's code: its value, or the error it threw (never a stub's: that is re-thrown). */
export type Called<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Calls the learner's code. A stub's error is re-thrown, so that `check` prints it with its hint;
 * any other error is returned as text for a failure message.
 */
export function callLearner<T>(run: () => T): Called<T> {
  try {
    return { ok: true, value: run() };
  } catch (e) {
    if (isStub(e)) throw e;
    return { ok: false, error: errorText(e) };
  }
}

/** A seeded source for one verify function's test cases (the same cases every run). */
export function caseRandom(name: string): RandomSource {
  return seededRandom(`nb2-check:${name}`);
}

/** A `rows x cols` Matrix of N(0, scale²) draws. */
export function randomMatrix(random: RandomSource, rows: number, cols: number, scale = 1): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = scale * random.normal();
  return m;
}

/** A `rows x cols` Matrix of labels 0/1. */
export function randomLabels(random: RandomSource, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = random.uniform() < 0.5 ? 0 : 1;
  return m;
}

/** Max over entries of |got − expected| / max(1, max|expected|), and where; Infinity for a non-finite entry. */
export function worstEntry(got: Matrix, expected: Matrix): { error: number; row: number; col: number } {
  let scale = 1;
  for (const v of expected.data) scale = Math.max(scale, Math.abs(v));
  let error = 0;
  let at = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const d = Number.isFinite(got.data[i]) ? Math.abs(got.data[i] - expected.data[i]) / scale : Infinity;
    if (d > error || (d === Infinity && error !== Infinity)) {
      error = d;
      at = i;
    }
  }
  return { error, row: Math.floor(at / expected.cols), col: at % expected.cols };
}

/** True when `got` has `expected`'s shape and every entry is within `tol` (see {@link worstEntry}). */
export function matches(got: Matrix, expected: Matrix, tol = ANSWER_TOLERANCE): boolean {
  return got.rows === expected.rows && got.cols === expected.cols && worstEntry(got, expected).error <= tol;
}

/**
 * If `got` equals c · `expected` for one number c (to `tol`), returns c; else null. Recognises "twice
 * the gradient", "n times too large", "the opposite sign". Null when `expected` is all zeros.
 */
export function commonFactor(got: Matrix, expected: Matrix, tol = 1e-6): number | null {
  if (got.rows !== expected.rows || got.cols !== expected.cols) return null;
  let k = -1;
  let best = 0;
  for (let i = 0; i < expected.data.length; i++) {
    if (Math.abs(expected.data[i]) > best) {
      best = Math.abs(expected.data[i]);
      k = i;
    }
  }
  if (k < 0 || best === 0 || !Number.isFinite(got.data[k])) return null;
  const c = got.data[k] / expected.data[k];
  return matches(got, expected.scale(c), tol) ? c : null;
}

/** "12%", "3.1e-4": a relative error for a message (never the value itself). */
export function percent(error: number): string {
  if (!Number.isFinite(error)) return 'a non-finite amount';
  return error >= 0.01 ? `${Number((100 * error).toPrecision(2))}%` : error.toExponential(1);
}

/** A factor for a message: "2", "1000", "−1", "1/6". */
export function factorText(c: number): string {
  if (Math.abs(c) < 0.999 && Math.abs(c) > 0) {
    const inv = 1 / c;
    if (Math.abs(inv - Math.round(inv)) < 1e-6) return `1/${Math.round(inv)}`.replace('1/-', '−1/');
  }
  const r = Math.round(c);
  return (Math.abs(c - r) < 1e-6 ? String(r) : c.toPrecision(3)).replace('-', '−');
}

/** Reads a learner's Matrix answer: null when it is a Matrix of the expected shape, else a problem sentence. */
export function shapeProblem(value: unknown, what: string, rows: number, cols: number): string | null {
  if (!(value instanceof Matrix)) return `${what} is ${describeAnswer(value)}, not a Matrix.`;
  if (value.rows !== rows || value.cols !== cols) return `${what} is ${value.rows}x${value.cols}; it must be ${rows}x${cols}.`;
  return null;
}

/** True when `m` (a Matrix) has the transposed shape of rows x cols (and is not square). */
export function isTransposedShape(m: unknown, rows: number, cols: number): boolean {
  return m instanceof Matrix && rows !== cols && m.rows === cols && m.cols === rows;
}

/** A Matrix that a learner's function may change without changing the oracle's copy. */
export function copies(list: Matrix[]): Matrix[] {
  return list.map((m) => (m instanceof Matrix ? m.clone() : m));
}

/** The activations as Matrix functions, entry by entry, for the learner's matrix-level code. */
export function entrywise(f: (v: number) => number): (z: Matrix) => Matrix {
  return (z: Matrix) => z.map((v) => f(v));
}
