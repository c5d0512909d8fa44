/**
 * Assertions on the verdicts of the exercise checks (src/notebook/checks/nbNN.ts), shared by the
 * test/unit/checks-nbNN tests: a solution passes; a classic mistake fails with the expected problem
 * and a hint; a stubbed exercise (what the student build holds) fails quoting the stub's message.
 */
import { strict as assert } from 'node:assert';
import { evaluateCheck, type Verdict } from '../../src/notebook/check';

/** Asserts that `v` is a pass (the failure's problem and hint are the assertion message). */
export function assertPasses(v: Verdict): void {
  assert.equal(v.passed, true, v.passed ? '' : `${v.problem} Hint: ${v.hint}`);
}

/** Asserts that `v` is a failure whose problem matches `problem` (and hint `hint`), with a hint of some length. */
export function assertFails(v: Verdict, problem: RegExp, hint?: RegExp): void {
  assert.equal(v.passed, false, `expected a failure, got a pass: ${v.passed ? v.detail : ''}`);
  if (v.passed) return;
  assert.match(v.problem, problem);
  if (hint) assert.match(v.hint, hint);
  assert.ok(v.hint.length > 10, 'a failure carries a hint');
}

/** The stub a student build puts in place of a solution: it throws "Exercise N.k: write your code here". */
export function stub(exercise: string): () => never {
  return () => {
    throw new Error(`${exercise}: write your code here`);
  };
}

/** Asserts that the check of `exercise` fails on a stubbed answer, quoting the stub's message, with a hint. */
export function assertStubFails(exercise: string, verify: () => Verdict): void {
  const r = evaluateCheck(exercise, verify);
  assert.equal(r.passed, false);
  assert.match(r.message, new RegExp(`${exercise}: write your code here`));
  assert.ok((r.hint ?? '').length > 0);
}
