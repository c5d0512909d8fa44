/**
 * Self-check cells: an exercise's answer is compared with an independent oracle (finite
 * differences, a closed form, the library) and one line is printed: PASS, or what is wrong and a
 * hint, never the answer.
 *
 * A check cell (tagged `check`) reads
 * ```ts
 * check('Exercise 5.1', () => verifySigmoidDerivative(dsigmoid));
 * ```
 * where `verify…` is a pure function returning a {@link Verdict} (unit-tested to pass for the
 * solution and to catch the classic mistakes), and `check` prints the line. The printed line is the
 * contract with the grader (`npm run grade`): it starts with {@link PASS_MARK} or {@link FAIL_MARK},
 * then the exercise id and a colon; {@link parseCheckLine} reads it back.
 */

/** The outcome of one verification: passed with what was confirmed, or failed with the problem and a hint. */
export type Verdict =
  | { readonly passed: true; readonly detail: string }
  | { readonly passed: false; readonly problem: string; readonly hint: string };

/** A passing verdict; `detail` says what was confirmed (e.g. "all 201 values within 1e-7 of the finite differences"). */
export function pass(detail: string): Verdict {
  return { passed: true, detail };
}

/**
 * A failing verdict: `problem` says what is wrong, measured ("dW[2] is off by 0.31 at entry (1, 0)"),
 * `hint` points at the likely cause without giving the answer ("compare the sign of your dL/dŷ with
 * the derivation in §3.2").
 */
export function fail(problem: string, hint: string): Verdict {
  return { passed: false, problem, hint };
}

/** The mark that starts a passing check line. */
export const PASS_MARK = '✔ PASS';
/** The mark that starts a failing check line. */
export const FAIL_MARK = '✘ FAIL';

/** One check's result, as printed and as the grader reads it back. */
export interface CheckResult {
  /** The exercise id, e.g. "Exercise 5.1". */
  exercise: string;
  passed: boolean;
  /** What was confirmed (passed) or what is wrong (failed). */
  message: string;
  /** For a failure: where to look. */
  hint?: string;
}

/** The one line printed for a result. */
export function formatCheckLine(result: CheckResult): string {
  return result.passed
    ? `${PASS_MARK}  ${result.exercise}: ${result.message}`
    : `${FAIL_MARK}  ${result.exercise}: ${result.message}${result.hint ? ` Hint: ${result.hint}` : ''}`;
}

const LINE = /^(✔ PASS|✘ FAIL) {2}(.+?): (.*?)(?: Hint: (.*))?$/;

/** Reads a line printed by {@link check} back into a result; null for any other line. */
export function parseCheckLine(line: string): CheckResult | null {
  const m = LINE.exec(line.trimEnd());
  if (m === null) return null;
  const passed = m[1] === PASS_MARK;
  return passed
    ? { exercise: m[2], passed, message: m[4] === undefined ? m[3] : `${m[3]} Hint: ${m[4]}` }
    : { exercise: m[2], passed, message: m[3], ...(m[4] === undefined ? {} : { hint: m[4] }) };
}

/**
 * Runs a verification and evaluates it to one result, never throwing: an error thrown while
 * verifying (typically the learner's own code, such as a student stub's "write your code here",
 * or a value that an earlier cell did not produce) becomes a failure that quotes the error.
 */
export function evaluateCheck(exercise: string, verify: () => Verdict): CheckResult {
  if (typeof exercise !== 'string' || exercise.trim() === '') {
    throw new Error(`check: exercise must be a non-empty string such as 'Exercise 5.1'; received ${
      typeof exercise === 'string' ? 'an empty string' : typeof exercise}`);
  }
  if (typeof verify !== 'function') {
    throw new Error(`check(${exercise}): verify must be a function returning a verdict, e.g. () => verifyX(answer); received ${typeof verify}`);
  }
  let verdict: Verdict;
  try {
    verdict = verify();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      exercise,
      passed: false,
      message: `your code threw an error: ${message}.`,
      hint: 'complete the exercise cell above, run it, then run this check again.',
    };
  }
  if (verdict === null || typeof verdict !== 'object' || typeof verdict.passed !== 'boolean') {
    throw new Error(`check(${exercise}): verify must return pass(…) or fail(…); received ${verdict === null ? 'null' : typeof verdict}`);
  }
  return verdict.passed
    ? { exercise, passed: true, message: verdict.detail }
    : { exercise, passed: false, message: verdict.problem, hint: verdict.hint };
}

/**
 * A self-check: verifies, then prints one line, `✔ PASS  Exercise N: …` or
 * `✘ FAIL  Exercise N: … Hint: …`. Returns nothing, so that tslab prints nothing else.
 * @param exercise the exercise's id as the notebook names it, e.g. "Exercise 5.1"
 * @param verify a function returning `pass(…)` or `fail(…)`, usually `() => verifyX(answer)`
 */
export function check(exercise: string, verify: () => Verdict): void {
  console.log(formatCheckLine(evaluateCheck(exercise, verify)));
}
