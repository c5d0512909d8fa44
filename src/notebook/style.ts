/**
 * The course's one visual vocabulary: colours and chart labels shared by every notebook, so that
 * red means positive and blue negative everywhere, class 0 and class 1 always look the same, and
 * labels use the symbol table (a[l], z[l], W[l], b[l], dW[l], ŷ) in rendered Unicode, never ASCII
 * stand-ins such as `yhat_1`.
 */

/** Sign colours (weights, gradients, differences): positive red, negative blue, zero white. */
export const SIGN = Object.freeze({ positive: '#b2182b', negative: '#2166ac', zero: '#f7f7f7' });

/**
 * A diverging Plotly colour scale for signed quantities, blue (negative) through white (zero) to red
 * (positive). Use it with a symmetric range: `zmid: 0` (heatmaps) or `cmin: -m, cmax: m`.
 */
export const SIGN_SCALE: Array<[number, string]> = [
  [0, SIGN.negative],
  [0.25, '#92c5de'],
  [0.5, SIGN.zero],
  [0.75, '#f4a582'],
  [1, SIGN.positive],
];

/** Class colours (data points and decision regions): class 0, class 1, class 2, … */
export const CLASS_COLORS: readonly string[] = Object.freeze(['#7b3294', '#1b7837', '#e08214', '#01665e', '#c51b7d']);

/**
 * A Plotly colour scale for ŷ ∈ [0, 1] of a binary classifier: class 0's colour at 0, white at the
 * boundary ŷ = 0.5, class 1's colour at 1 (light, so that points drawn on top stay visible).
 */
export const PROBABILITY_SCALE: Array<[number, string]> = [
  [0, '#c2a5cf'],
  [0.5, '#f7f7f7'],
  [1, '#a6dba0'],
];

/** Line colours for several runs or series on one chart (colour-blind safe, Okabe–Ito). */
export const SERIES_COLORS: readonly string[] = Object.freeze([
  '#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000',
]);

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A non-negative integer in Unicode subscript digits: sub(12) = "₁₂". */
export function sub(n: number): string {
  return String(n).replace(/[0-9]/g, (d) => SUBSCRIPTS[Number(d)]);
}

/** A non-negative integer in Unicode superscript digits: sup(2) = "²". */
export function sup(n: number): string {
  return String(n).replace(/[0-9]/g, (d) => SUPERSCRIPTS[Number(d)]);
}

/**
 * Chart labels in the course's symbols. `sym.W(2)` = "W[2]", `sym.dW(2)` = "dW[2] = ∂L/∂W[2]" when
 * `long`, `sym.yhat(1)` = "ŷ₁", `sym.a(1, 3)` = "a[1]₃" (unit 3 of layer 1).
 */
export const sym = Object.freeze({
  a: (l: number, unit?: number): string => `a[${l}]${unit === undefined ? '' : sub(unit)}`,
  z: (l: number, unit?: number): string => `z[${l}]${unit === undefined ? '' : sub(unit)}`,
  W: (l: number): string => `W[${l}]`,
  b: (l: number): string => `b[${l}]`,
  dW: (l: number, long = false): string => (long ? `dW[${l}] = ∂L/∂W[${l}]` : `dW[${l}]`),
  db: (l: number, long = false): string => (long ? `db[${l}] = ∂L/∂b[${l}]` : `db[${l}]`),
  dz: (l: number): string => `dz[${l}]`,
  da: (l: number): string => `da[${l}]`,
  yhat: (unit?: number): string => `ŷ${unit === undefined ? '' : sub(unit)}`,
  y: (unit?: number): string => `y${unit === undefined ? '' : sub(unit)}`,
  x: (unit?: number): string => `x${unit === undefined ? '' : sub(unit)}`,
  L: 'L',
  eta: 'η',
});
