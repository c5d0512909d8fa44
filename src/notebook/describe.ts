/**
 * Words and numbers computed from a run's settings and results, for chart titles and printed lines,
 * so that they follow every edit of the settings cell and never carry sentinel values.
 */

/** Layer sizes as the course writes a network: [2, 8, 8, 1] → "2-8-8-1". */
export function layersName(layers: readonly number[]): string {
  if (!Array.isArray(layers) || layers.length === 0 || layers.some((n) => typeof n !== 'number')) {
    throw new Error(`layersName: layers must be a non-empty array of layer sizes such as [2, 4, 3, 1]; received ${String(layers)}`);
  }
  return layers.join('-');
}

/**
 * The first epoch at which `values[epoch] ≥ threshold` (or ≤ when `direction` is 'below'), or null
 * when no epoch reaches it: never a sentinel such as −1.
 */
export function firstEpochReaching(values: readonly number[], threshold: number, direction: 'above' | 'below' = 'above'): number | null {
  if (!Array.isArray(values)) throw new Error(`firstEpochReaching: values must be an array of numbers; received ${typeof values}`);
  for (let e = 0; e < values.length; e++) {
    if (direction === 'above' ? values[e] >= threshold : values[e] <= threshold) return e;
  }
  return null;
}

/**
 * A sentence about when a series first reaches a threshold:
 * "accuracy first reached 0.95 at epoch 578" or "accuracy did not reach 0.95 within 300 epochs".
 */
export function reachSentence(what: string, values: readonly number[], threshold: number, direction: 'above' | 'below' = 'above'): string {
  const e = firstEpochReaching(values, threshold, direction);
  return e === null
    ? `${what} did not reach ${threshold} within ${values.length} epoch${values.length === 1 ? '' : 's'}`
    : `${what} first reached ${threshold} at epoch ${e}`;
}

/** A number for prose and titles: up to `digits` significant digits, no trailing zeros, exponent form when tiny or huge. */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}
