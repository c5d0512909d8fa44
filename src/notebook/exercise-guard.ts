/**
 * Cells that run the learner's own code. In a notebook where the learner builds something in
 * exercises (a network class, its activations, its loss) and later cells use it, a student copy
 * whose solutions are still stubs (`throw new Error("Exercise 5.3: write your code here")`) would
 * stop at the first such cell. {@link afterExercises} runs the cell's body; when the body reaches a
 * stub, it prints which exercise to complete instead of failing, so that the notebook still runs
 * to the end and every check cell reports. Any other error is thrown as usual.
 */

/** The message of a student build's stub: "Exercise 5.3: write your code here". */
const STUB = /\b(Exercise \d+\.\d+): write your code here\b/;
/** The text of a `need(…)` error (src/notebook/need.ts): a result an earlier cell did not produce. */
const MISSING = /which has not run successfully in this kernel session/;

/** The mark that starts the line {@link afterExercises} prints for a skipped cell. */
export const WAITING_MARK = '○ WAITING';

/** The exercises whose stubs an {@link afterExercises} cell met in this kernel session, in order. */
const pending: string[] = [];

/** The exercise a stub error names ("Exercise 5.3"), or null for any other error. */
export function stubExercise(error: unknown): string | null {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const m = STUB.exec(message);
  return m === null ? null : m[1];
}

/** The line printed for a cell that waits for an exercise. */
export function waitingLine(exercise: string, because?: string): string {
  return because === undefined
    ? `${WAITING_MARK}  This cell runs your code from ${exercise}, which is not written yet. ` +
        `Complete ${exercise}, run its check, then run this cell again.`
    : `${WAITING_MARK}  This cell needs ${because}, which an earlier cell could not make because ${exercise} is not written yet. ` +
        `Complete ${exercise}, then run the cells from there down to this one.`;
}

/**
 * Runs a cell's body that uses the learner's exercise code and returns its value. If the body
 * throws a student stub's error ("Exercise N.k: write your code here"), prints
 * `○ WAITING  This cell runs your code from Exercise N.k, …` and returns undefined. If it throws a
 * `need(…)` error (a result missing because an earlier such cell was skipped) while an exercise is
 * still pending, prints the same kind of line naming that exercise. Every other error is re-thrown.
 * @param body the cell's code, e.g. `() => { const run = train(model); … return run; }`
 * @example const run = afterExercises(() => trainMyMLP(settings, data));
 */
export function afterExercises<T>(body: () => T): T | undefined {
  if (typeof body !== 'function') {
    throw new Error(`afterExercises: body must be a function () => …, the cell's code; received ${typeof body}`);
  }
  try {
    const value = body();
    return value;
  } catch (e) {
    const exercise = stubExercise(e);
    if (exercise !== null) {
      if (!pending.includes(exercise)) pending.push(exercise);
      console.log(waitingLine(exercise));
      return undefined;
    }
    const message = e instanceof Error ? e.message : '';
    if (MISSING.test(message) && pending.length > 0) {
      const what = /: (\S+) is (?:undefined|null): it is made by/.exec(message);
      console.log(waitingLine(pending[0], what ? what[1] : 'a result of an earlier cell'));
      return undefined;
    }
    throw e;
  }
}

/** Forgets the exercises met so far (for tests; a kernel restart does the same). */
export function resetPendingExercises(): void {
  pending.length = 0;
}
