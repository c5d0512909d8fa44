/**
 * Helpers for the `verify…` functions of the exercises: comparing a learner's numbers with an
 * oracle, naming the worst entry, recognising the classic mistakes, and reading what a learner's
 * function returned. Nothing here prints; the verify functions return `pass(…)` / `fail(…)`.
 */
import { Matrix } from '../../core/matrix';
import { seededRandom, type RandomSource } from '../../core/random';

/** The default tolerance of the checks: |got − expected| ≤ tol · max(1, |expected|). */
export const CHECK_TOLERANCE = 1e-6;

/** True when `got` equals `expected` to `tol` (absolute for |expected| ≤ 1, relative above). */
export function close(got: number, expected: number, tol = CHECK_TOLERANCE): boolean {
  return Number.isFinite(got) && Math.abs(got - expected) <= tol * Math.max(1, Math.abs(expected));
}

/** True when every entry of `got` is {@link close} to the entry of `expected` (same lengths). */
export function allClose(got: ReadonlyArray<number>, expected: ReadonlyArray<number>, tol = CHECK_TOLERANCE): boolean {
  return got.length === expected.length && got.every((g, k) => close(g, expected[k], tol));
}

/** The entry where `got` is furthest from `expected`, and how far (relative to max(1, |expected|)). */
export function worstEntry(got: ReadonlyArray<number>, expected: ReadonlyArray<number>): { index: number; error: number } {
  let index = 0;
  let error = -1;
  got.forEach((g, k) => {
    const e = Number.isFinite(g) ? Math.abs(g - expected[k]) / Math.max(1, Math.abs(expected[k])) : Infinity;
    if (e > error) {
      error = e;
      index = k;
    }
  });
  return { index, error };
}

/** A relative error for a message: "12%", "3.1e-4" (never the value itself). */
export function describeError(error: number): string {
  if (!Number.isFinite(error)) return 'a non-finite amount';
  if (error >= 0.01) return `${Number((100 * error).toPrecision(2))}%`;
  return error.toExponential(1);
}

/** How a value looks in a message: "NaN", "undefined", "a string", "an array of 3". */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Matrix) return `a ${v.rows}x${v.cols} Matrix`;
  return `a ${typeof v}`;
}

/** The first non-finite entry of a list, or null. */
export function firstNonFinite(values: ReadonlyArray<unknown>): { index: number; value: unknown } | null {
  for (let k = 0; k < values.length; k++) {
    if (typeof values[k] !== 'number' || !Number.isFinite(values[k] as number)) return { index: k, value: values[k] };
  }
  return null;
}

/**
 * Reads a learner's list of numbers of an expected length: returns the numbers, or a problem
 * sentence ("returned 3 numbers; a layer of 4 units needs 4").
 */
export function readNumbers(value: unknown, length: number, what: string, expectation: string): number[] | string {
  if (!Array.isArray(value) && !(value instanceof Float64Array)) {
    return `${what} must be an array of ${length} numbers (${expectation}); received ${describeValue(value)}.`;
  }
  const list = Array.from(value as ArrayLike<unknown>);
  if (list.length !== length) {
    return `${what} has ${list.length} entr${list.length === 1 ? 'y' : 'ies'}; it needs ${length} (${expectation}).`;
  }
  const bad = firstNonFinite(list);
  if (bad) return `${what}[${bad.index}] is ${describeValue(bad.value)}, not a finite number.`;
  return list as number[];
}

/** A message fragment for an error a learner's function threw. */
export function thrownMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True for the student build's stub error ("Exercise N.k: write your code here"), which must reach `check` unchanged. */
export function isStubError(e: unknown): boolean {
  return /write your code here/i.test(thrownMessage(e));
}

/** True for the error `Matrix.get`/`set` throw when an index is outside the matrix (a transposed W, typically). */
export function isIndexError(e: unknown): boolean {
  return /index \(-?\d+, -?\d+\) is outside the \d+x\d+ matrix/.test(thrownMessage(e));
}

/** A seeded source for the random test cases of one verify function (same cases every run). */
export function caseRandom(name: string): RandomSource {
  return seededRandom(`check:${name}`);
}

/** `rows x cols` normal draws times `scale`, as nested arrays. */
export function randomGrid(random: RandomSource, rows: number, cols: number, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * random.normal()));
}

/** `n` normal draws times `scale`. */
export function randomList(random: RandomSource, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => scale * random.normal());
}

/** `n` uniform draws in (lo, hi). */
export function uniformList(random: RandomSource, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * random.uniform());
}

/** "3, 2" → "(3, 2)"-style list for messages. */
export function list(values: ReadonlyArray<number>, digits = 3): string {
  return values.map((v) => String(Number(v.toPrecision(digits)))).join(', ');
}
