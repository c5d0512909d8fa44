import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Matrix } from '../../src';

/** The textbook triple loop, an independent oracle for the optimised products. */
function naiveProduct(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}
const transpose = (a: number[][]): number[][] => a[0].map((_, j) => a.map((r) => r[j]));
function randomRows(r: number, c: number, seed: number): number[][] {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return Array.from({ length: r }, () => Array.from({ length: c }, next));
}
function assertClose(actual: number[][], expected: number[][], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) <= tol, `(${i},${j}): ${v} vs ${expected[i][j]}`)));
}

test('Matrix.from / toArray round-trip, shape, get', () => {
  const m = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(m.shape, [2, 3]);
  assert.equal(m.rows, 2);
  assert.equal(m.cols, 3);
  assert.equal(m.get(1, 2), 6);
  assert.deepEqual(m.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(m.transpose().toArray(), [[1, 4], [2, 5], [3, 6]]);
});

test('products match the naive triple loop on many shapes, including transposed variants', () => {
  for (const [n, k, m] of [[1, 1, 1], [2, 3, 4], [5, 1, 7], [7, 9, 3], [16, 8, 5], [33, 17, 9], [3, 64, 65]]) {
    const a = randomRows(n, k, n * 31 + k);
    const b = randomRows(k, m, m * 17 + k);
    const expected = naiveProduct(a, b);
    assertClose(Matrix.from(a).matmul(Matrix.from(b)).toArray(), expected);
    assertClose(Matrix.from(transpose(a)).tmatmul(Matrix.from(b)).toArray(), expected);
    assertClose(Matrix.from(a).matmulT(Matrix.from(transpose(b))).toArray(), expected);
  }
});

test('a 2x2 product computed by hand', () => {
  const p = Matrix.from([[1, 2], [3, 4]]).matmul(Matrix.from([[5, 6], [7, 8]]));
  assert.deepEqual(p.toArray(), [[19, 22], [43, 50]]);
});

test('element-wise ops, broadcast, sums and means', () => {
  const a = Matrix.from([[1, 2], [3, 4]]);
  const b = Matrix.from([[10, 20], [30, 40]]);
  assert.deepEqual(a.add(b).toArray(), [[11, 22], [33, 44]]);
  assert.deepEqual(b.sub(a).toArray(), [[9, 18], [27, 36]]);
  assert.deepEqual(a.mul(b).toArray(), [[10, 40], [90, 160]]);
  assert.deepEqual(b.div(a).toArray(), [[10, 10], [10, 10]]);
  assert.deepEqual(a.scale(-2).toArray(), [[-2, -4], [-6, -8]]);
  assert.deepEqual(a.addRowVector(Matrix.rowVector([100, 200])).toArray(), [[101, 202], [103, 204]]);
  assert.deepEqual(a.map((v, i, j) => v * 10 + i - j).toArray(), [[10, 19], [31, 40]]);
  assert.deepEqual(a.sumColumns().toArray(), [[4, 6]]);
  assert.deepEqual(a.meanColumns().toArray(), [[2, 3]]);
  assert.deepEqual(a.sumRows().toArray(), [[3], [7]]);
  assert.equal(a.sum(), 10);
  assert.equal(a.mean(), 2.5);
  // operations return new matrices and leave their inputs alone
  assert.deepEqual(a.toArray(), [[1, 2], [3, 4]]);
});

test('mismatched shapes throw with the operation and both shapes', () => {
  const a = Matrix.zeros(2, 3);
  const b = Matrix.zeros(2, 2);
  assert.throws(() => a.matmul(b), /matmul A·B.*2x3 and 2x2/);
  assert.throws(() => a.tmatmul(Matrix.zeros(3, 1)), /tmatmul.*2x3 and 3x1/);
  assert.throws(() => a.matmulT(b), /matmulT.*2x3 and 2x2/);
  assert.throws(() => a.add(b), /add.*2x3 and 2x2/);
  assert.throws(() => a.sub(b), /sub.*2x3 and 2x2/);
  assert.throws(() => a.mul(b), /mul.*2x3 and 2x2/);
  assert.throws(() => a.addRowVector(Matrix.zeros(1, 2)), /addRowVector.*1x3.*2x3 and 1x2/);
});

test('Matrix.from rejects ragged, empty and non-numeric rows', () => {
  assert.throws(() => Matrix.from([]), /Matrix.from: rows must be a non-empty array.*empty array/);
  assert.throws(() => Matrix.from([[]]), /rows\[0\] must be a non-empty array/);
  assert.throws(() => Matrix.from([[1, 2], [3]]), /ragged rows.*2 entries.*rows\[1\] has 1/);
  assert.throws(() => Matrix.from([[1, 'x' as unknown as number]]), /rows\[0\]\[1\] must be a number; received string/);
  assert.throws(() => new Matrix(-1, 2), /rows must be a non-negative integer; received -1/);
  assert.throws(() => Matrix.zeros(2, 2).get(2, 0), /index \(2, 0\) is outside the 2x2 matrix/);
});

test('a matrix prints its shape and a truncated grid', () => {
  const small = inspect(Matrix.from([[1, 0.5], [-2, 1e-5]]));
  assert.match(small, /^Matrix 2x2\n/);
  assert.match(small, /0\.5000/);
  assert.match(small, /1\.000e-5/);
  const big = Matrix.zeros(100, 50).map((_, i, j) => i * 1000 + j);
  const text = big.toString();
  assert.match(text, /^Matrix 100x50/);
  assert.ok(text.split('\n').length === 1 + 9, 'header + 8 rows + one elision row');
  assert.match(text, /…/);
  assert.match(text, /99049/); // the last entry is shown
});
