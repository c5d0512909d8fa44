/** The self-checks of notebook 04: pass on the solution, fail with a useful hint on a stub and on each classic mistake. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Matrix } from '../../src/core/matrix';
import { assertFails, assertStubFails, stub } from '../support/verdicts';
import {
  verifyBiasGradient, verifyColumnWeightGradient, verifyInputGradient, verifyWeightGradient,
} from '../../src/notebook/checks/nb04';

test('Exercise 4.1 (column form ∂L/∂W_k): the solution passes', () => {
  const v = verifyColumnWeightGradient((dLdz, a, k) => dLdz.matmul(a[k - 1].transpose()));
  assert.equal(v.passed, true, v.passed ? '' : `${v.problem} ${v.hint}`);
});

test('Exercise 4.1: stub, the tutorial\'s formula, a_k, the transposed result and a sign are caught', () => {
  assertStubFails('Exercise 4.1', () => verifyColumnWeightGradient(stub('Exercise 4.1')));
  // (∂L/∂z_k)ᵀ·a_{k−1}: not defined for n_k ≠ n_{k−1}
  assertFails(verifyColumnWeightGradient((dLdz, a, k) => dLdz.transpose().matmul(a[k - 1])), /threw/, /transpose on a/);
  // the tutorial's full formula (∂L/∂z_k)ᵀ·a_k: a 1 x 1 number
  assertFails(verifyColumnWeightGradient((dLdz, a, k) => dLdz.transpose().matmul(a[k])), /1x1/, /inner product/);
  assertFails(verifyColumnWeightGradient((dLdz, a, k) => dLdz.matmul(a[k].transpose())), /2x2|uses a_/, /erratum 2/);
  assertFails(verifyColumnWeightGradient((dLdz, a, k) => a[k - 1].matmul(dLdz.transpose())), /transpose of W_3/, /row form/);
  assertFails(verifyColumnWeightGradient((dLdz, a, k) => dLdz.matmul(a[k - 1].transpose()).scale(-1)), /opposite sign/, /no minus sign/);
  assert.throws(() => verifyColumnWeightGradient(42 as unknown as () => Matrix), /verifyColumnWeightGradient: fn must be your function/);
});

test('Exercise 4.2 (dW[l] = a[l−1]ᵀ·dz[l]): the solution passes; the classic mistakes are caught', () => {
  const ok = verifyWeightGradient((a, dz, l) => a[l - 1].tmatmul(dz[l]));
  assert.equal(ok.passed, true, ok.passed ? '' : `${ok.problem} ${ok.hint}`);
  assertStubFails('Exercise 4.2', () => verifyWeightGradient(stub('Exercise 4.2')));
  // a[l] instead of a[l−1]: wrong shape in layer 3 (2x2), caught with the erratum
  assertFails(verifyWeightGradient((a, dz, l) => a[l].tmatmul(dz[l])), /W\[3\]|a\[3\]|uses a\[/, /erratum 2/);
  // only where shapes fit (the square layer 2): the values are caught too
  assertFails(verifyWeightGradient((a, dz, l) => (l === 2 ? a[l] : a[l - 1]).tmatmul(dz[l])), /uses a\[2\]/, /erratum 2/);
  assertFails(verifyWeightGradient((a, dz, l) => dz[l].tmatmul(a[l - 1])), /transpose of W\[3\]/, /transpose goes on a\[l−1\]/);
  assertFails(verifyWeightGradient((a, dz, l) => a[l - 1].tmatmul(dz[l]).scale(1 / a[0].rows)), /n = 5 times too small/, /already inside dz/);
  assertFails(verifyWeightGradient((a, dz, l) => Matrix.from([a[l - 1].row(0)]).tmatmul(Matrix.from([dz[l].row(0)]))), /first sample/, /sum of the n per-sample/);
  assertFails(verifyWeightGradient((a, dz, l) => a[l - 1].tmatmul(dz[l]).scale(-1)), /opposite sign/, /without a minus/);
});

test('Exercise 4.3 (db[l] = 1ᵀ·dz[l]): the solution passes; the classic mistakes are caught', () => {
  const ok = verifyBiasGradient((dz, l) => dz[l].sumColumns());
  assert.equal(ok.passed, true, ok.passed ? '' : `${ok.problem} ${ok.hint}`);
  assertStubFails('Exercise 4.3', () => verifyBiasGradient(stub('Exercise 4.3')));
  assertFails(verifyBiasGradient((dz, l) => dz[l].meanColumns()), /times too small/, /np\.mean.*erratum 4/);
  assertFails(verifyBiasGradient((dz, l) => dz[l].sumRows()), /one number per sample/, /column sums/);
  assertFails(verifyBiasGradient((dz, l) => dz[l]), /shape of dz/, /add up the n rows/);
  assertFails(verifyBiasGradient((dz, l) => Matrix.from([dz[l].row(0)])), /first sample/, /sum all rows/);
  assertFails(verifyBiasGradient((dz, l) => dz[l].sumColumns().scale(-1)), /opposite sign/, /without a minus/);
});

test('Exercise 4.4 (da[l−1] = dz[l]·W[l]ᵀ): the solution passes; the classic mistakes are caught', () => {
  const ok = verifyInputGradient((dz, W, l) => dz[l].matmulT(W[l]));
  assert.equal(ok.passed, true, ok.passed ? '' : `${ok.problem} ${ok.hint}`);
  assertStubFails('Exercise 4.4', () => verifyInputGradient(stub('Exercise 4.4')));
  // untransposed W: throws in the non-square layer 3 …
  assertFails(verifyInputGradient((dz, W, l) => dz[l].matmul(W[l])), /threw/, /W\[l\] transposed/);
  // … and gives wrong values in the square layer 2
  assertFails(verifyInputGradient((dz, W, l) => (l === 2 ? dz[l].matmul(W[l]) : dz[l].matmulT(W[l]))), /untransposed/, /matmulT/);
  assertFails(verifyInputGradient((dz, W, l) => W[l].matmul(dz[l].transpose())), /transpose of a\[2\]/, /one sample per row/);
  assertFails(verifyInputGradient((dz, W, l) => dz[l].matmulT(W[l]).scale(-1)), /opposite sign/, /without a minus/);
  assertFails(verifyInputGradient((dz, W, l) => (l === 3 ? dz[l].matmulT(W[l]) : dz[l].matmulT(W[l + 1]))), /threw|must have a\[/, /./);
});
