/**
 * The self-checks of notebook 01 pass on the solutions and catch the classic mistakes with a hint;
 * a stubbed answer ("write your code here") becomes a failing check line that quotes it.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sigmoid } from '../../src/core/activations';
import { evaluateCheck } from '../../src/notebook/check';
import { assertFails, assertPasses } from '../support/verdicts';
import {
  verifyHiddenOutputGradient, verifyTotalDerivative, verifyTotalDifferential, type LastLayerExample,
} from '../../src/notebook/checks/nb01';

/** Asserts a failing verdict whose problem and hint match the patterns. */

// The exercise's composition: g(r, s) = r e^s with r(x) = x³, s(x) = sin x.
interface RS { r: number; s: number }
const g = (p: RS): number => p.r * Math.exp(p.s);
const innerG = (x: number): RS => ({ r: x ** 3, s: Math.sin(x) });
const solution = (x: number): number => {
  const p = innerG(x);
  return Math.exp(p.s) * 3 * x * x + p.r * Math.exp(p.s) * Math.cos(x);
};

const stub = (): never => {
  throw new Error('Exercise 1.1: write your code here');
};

test('verifyTotalDerivative: the solution passes; a general composition of three inputs too', () => {
  assertPasses(verifyTotalDerivative(solution, g, innerG));
  interface TUV { t: number; u: number; v: number }
  const f = (p: TUV): number => p.t * p.u + Math.sin(p.v);
  const inner = (x: number): TUV => ({ t: x * x, u: Math.exp(-x), v: 3 * x });
  const dF = (x: number): number => Math.exp(-x) * 2 * x - x * x * Math.exp(-x) + 3 * Math.cos(3 * x);
  assertPasses(verifyTotalDerivative(dF, f, inner, { name: 'f' }));
  assertFails(verifyTotalDerivative((x) => 3 * Math.cos(3 * x), f, inner, { name: 'f' }), /only the path through v/);
});

test('verifyTotalDerivative: classic mistakes fail with a hint', () => {
  const partialsOnly = (x: number): number => Math.exp(Math.sin(x)) + x ** 3 * Math.exp(Math.sin(x));
  assertFails(verifyTotalDerivative(partialsOnly, g, innerG), /sum of the partial derivatives/, /rate/);
  const missingS = (x: number): number => Math.exp(Math.sin(x)) * 3 * x * x;
  assertFails(verifyTotalDerivative(missingS, g, innerG), /misses the path through s/, /∂g\/∂s/);
  const wrongSignS = (x: number): number => Math.exp(Math.sin(x)) * (3 * x * x - x ** 3 * Math.cos(x));
  assertFails(verifyTotalDerivative(wrongSignS, g, innerG), /wrong sign on the path through s/);
  assertFails(verifyTotalDerivative((x) => -solution(x), g, innerG), /wrong sign at every point/);
  assertFails(verifyTotalDerivative(() => NaN, g, innerG), /returned NaN at x = /);
  assertFails(verifyTotalDerivative((x) => solution(x) + 0.1 * x, g, innerG), /differs from a finite difference of g/, /one product/);
  // The message never contains the right value.
  const v = verifyTotalDerivative(missingS, g, innerG);
  assert.ok(!v.passed && !v.problem.includes(solution(-1.7).toFixed(3)));
});

test('verifyTotalDerivative: a stub becomes a failing check that quotes it', () => {
  const r = evaluateCheck('Exercise 1.1', () => verifyTotalDerivative(stub, g, innerG));
  assert.equal(r.passed, false);
  assert.match(r.message, /Exercise 1\.1: write your code here/);
  assert.throws(() => verifyTotalDerivative(42 as unknown as (x: number) => number, g, innerG), /dg_dx must be your function/);
});

test('verifyTotalDifferential: the solution passes; Δg, missing dx, actual increments, a missing term fail', () => {
  const dg = (x: number, dx: number): number => {
    const p = innerG(x);
    const dr = 3 * x * x * dx;
    const ds = Math.cos(x) * dx;
    return Math.exp(p.s) * dr + p.r * Math.exp(p.s) * ds;
  };
  assertPasses(verifyTotalDifferential(dg, g, innerG));
  assertFails(verifyTotalDifferential((x, dx) => g(innerG(x + dx)) - g(innerG(x)), g, innerG), /actual change/, /linear part/);
  assertFails(verifyTotalDifferential((x) => solution(x), g, innerG), /does not change with dx/, /· dx/);
  const increments = (x: number, dx: number): number => {
    const p = innerG(x);
    const q = innerG(x + dx);
    return Math.exp(p.s) * (q.r - p.r) + p.r * Math.exp(p.s) * (q.s - p.s);
  };
  assertFails(verifyTotalDifferential(increments, g, innerG), /not proportional to dx/, /differentials/);
  const missingR = (x: number, dx: number): number => innerG(x).r * Math.exp(innerG(x).s) * Math.cos(x) * dx;
  assertFails(verifyTotalDifferential(missingR, g, innerG), /misses the term of r/);
  assertFails(verifyTotalDifferential((x, dx) => -dg(x, dx), g, innerG), /wrong sign/);
  const r = evaluateCheck('Exercise 1.2', () => verifyTotalDifferential(() => {
    throw new Error('Exercise 1.2: write your code here');
  }, g, innerG));
  assert.match(r.message, /Exercise 1\.2: write your code here/);
});

// The last layer of section 1.4: two hidden outputs, two sigmoid outputs, L = Σ (y − ŷ)².
const example: LastLayerExample = { a: [0.6, -0.2], w: [[0.8, -0.5], [-1.2, 0.4]], b: [0.1, -0.3], y: [1, 0] };

/** The solution, with switches for the classic mistakes. */
function hidden(o: { tutorialSign?: boolean; doubled?: boolean; transposed?: boolean; ownPath?: boolean; noPrime?: boolean } = {}) {
  return (a: number[], w: number[][], b: number[], y: number[]): number[] =>
    a.map((_, j) => {
      let s = 0;
      for (let i = 0; i < w.length; i++) {
        if (o.ownPath && i !== j) continue;
        let z = b[i];
        for (let k = 0; k < a.length; k++) z += w[i][k] * a[k];
        const yh = sigmoid.f(z);
        const dL = o.tutorialSign ? 2 * (y[i] - yh) : 2 * (yh - y[i]);
        const ds = o.noPrime ? 1 : (o.doubled ? 2 : 1) * yh * (1 - yh);
        s += dL * ds * (o.transposed ? w[j]?.[i] : w[i][j]);
      }
      return s;
    });
}

test('verifyHiddenOutputGradient: the solution passes on the example and on layers of other sizes', () => {
  assertPasses(verifyHiddenOutputGradient(hidden(), example));
  assertPasses(verifyHiddenOutputGradient(hidden()));
});

test('verifyHiddenOutputGradient: the classic mistakes fail with a hint', () => {
  assertFails(verifyHiddenOutputGradient(hidden({ tutorialSign: true }), example), /opposite sign/, /Tutorial erratum/);
  assertFails(verifyHiddenOutputGradient(hidden({ doubled: true }), example), /twice too large/, /σ\(z\)\(1 − σ\(z\)\)/);
  assertFails(verifyHiddenOutputGradient(hidden({ transposed: true }), example), /swapped indices/, /first index is the output/);
  // On a non-square layer the swapped indices read past the array: NaN, with an index hint.
  assertFails(verifyHiddenOutputGradient(hidden({ transposed: true }), { ...example, w: [[0.8, -0.5], [0.4, 1.1]] }), /./);
  const nonSquare: LastLayerExample = { a: [0.2, 0.7, 0.4], w: [[0.3, -0.6, 0.9], [1.1, 0.2, -0.4]], b: [0, 0.2], y: [0, 1] };
  assertFails(verifyHiddenOutputGradient(hidden({ transposed: true }), nonSquare), /not a finite number/, /w\[i\]\[j\] goes from hidden unit j/);
  assertFails(verifyHiddenOutputGradient(hidden({ ownPath: true }), example), /only the path through output j/, /every output/);
  assertFails(verifyHiddenOutputGradient(hidden({ noPrime: true }), example), /misses the sigmoid's derivative/);
  assertFails(verifyHiddenOutputGradient((a) => a.slice(0, 1), example), /1 entry; it needs 2/);
  const r = evaluateCheck('Exercise 1.3', () => verifyHiddenOutputGradient(() => {
    throw new Error('Exercise 1.3: write your code here');
  }, example));
  assert.match(r.message, /Exercise 1\.3: write your code here/);
});
