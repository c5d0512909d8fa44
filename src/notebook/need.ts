/**
 * Guards for notebook helpers whose input comes from an earlier cell. When that cell failed or has
 * not run, the learner should read which result is missing and what to run, not a TypeError from
 * deep inside a helper.
 */

/**
 * Returns `value` when it is defined (not undefined or null); otherwise throws an Error that names
 * the missing result and the cell that makes it.
 * @param value the result an earlier cell should have produced
 * @param name its name in the notebook, e.g. "history"
 * @param madeBy the cell or section that makes it, e.g. "the training cell (§5.4)"
 * @param where the helper that needs it, e.g. "lossChart"
 * @example need(history, 'history', 'the training cell (§5.4)', 'lossChart')
 */
export function need<T>(value: T | undefined | null, name: string, madeBy: string, where: string): T {
  if (value === undefined || value === null) {
    throw new Error(`${where}: ${name} is ${value === null ? 'null' : 'undefined'}: it is made by ${madeBy}, ` +
      `which has not run successfully in this kernel session. Run that cell (and the cells above it), then this one.`);
  }
  return value;
}
