/**
 * A dense matrix of float64 values, row-major, one sample per row.
 *
 * Shapes are written `rows x cols`. Every operation checks shapes and throws an Error that names the
 * operation and both shapes. Operations return new matrices; the few that write into an existing
 * matrix end in `Into` or `InPlace` and say so.
 */

import { checkLimit } from './limits';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** How many rows and columns `toString()` shows before it elides the middle with `…`. */
const PREVIEW_ROWS = 8;
const PREVIEW_COLS = 8;

function describeShape(m: { rows: number; cols: number }): string {
  return `${m.rows}x${m.cols}`;
}

function shapeError(op: string, expected: string, a: Matrix, b: Matrix): Error {
  return new Error(
    `${op}: shapes do not match: ${expected}; received ${describeShape(a)} and ${describeShape(b)}`,
  );
}

function checkDimension(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`new Matrix: ${name} must be a non-negative integer; received ${String(value)}`);
  }
  return value;
}

/** What a value is, for error messages: a number itself, "null", "an array", "a 2x3 Matrix", `string "x"`, or its typeof. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Matrix) return `a ${describeShape(v)} Matrix`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return `boolean ${String(v)}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return typeof v;
}

/** Throws unless `b` is a Matrix: the other operand of `op`. */
function checkOperand(op: string, b: unknown): Matrix {
  if (!(b instanceof Matrix)) throw new Error(`${op}: the other operand must be a Matrix; received ${describeValue(b)}`);
  return b;
}

/** Throws unless `value` is a number (NaN and ±Infinity are numbers and allowed; a string is not). */
function checkNumber(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new Error(`${op}: ${name} must be a number; received ${describeValue(value)}`);
  return value;
}

let allocations = 0;

/**
 * How many Matrix objects have been constructed so far in this process. The benchmark and tests read
 * it to show that a training epoch allocates no new matrices once warmed up.
 */
export function matrixAllocationCount(): number {
  return allocations;
}

/** A `rows x cols` matrix of float64 values stored row-major in a `Float64Array`. */
export class Matrix {
  /** Number of rows (samples, in a batch). */
  readonly rows: number;
  /** Number of columns (features or units). */
  readonly cols: number;
  /** Row-major storage: entry (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;

  /**
   * A `rows x cols` matrix. Without `data` it is filled with zeros; with `data`, the array is used
   * as is (not copied) and must have length `rows * cols`.
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    allocations++;
    this.rows = checkDimension('rows', rows);
    this.cols = checkDimension('cols', cols);
    if (data === undefined) {
      checkLimit('new Matrix', `a ${rows}x${cols} matrix`, rows * cols, 'matrixEntries');
      this.data = new Float64Array(rows * cols);
    } else {
      if (!(data instanceof Float64Array) || data.length !== rows * cols) {
        throw new Error(
          `new Matrix: data must be a Float64Array of length rows * cols = ${rows * cols}; received ` +
            (data instanceof Float64Array ? `length ${data.length}` : typeof data),
        );
      }
      this.data = data;
    }
  }

  /** The `rows x cols` zero matrix. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /** A `rows x cols` matrix with every entry equal to `value` (a number). */
  static filled(rows: number, cols: number, value: number): Matrix {
    checkNumber('Matrix.filled', 'value', value);
    const m = new Matrix(rows, cols);
    m.data.fill(value);
    return m;
  }

  /** The `n x n` identity matrix I. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /**
   * A matrix from an array of rows, `rows[i][j]` becoming entry (i, j). Rows must be non-empty,
   * all of one length, and hold finite or non-finite numbers (no strings or holes).
   */
  static from(rows: ReadonlyArray<ReadonlyArray<number>>): Matrix {
    if (!Array.isArray(rows) || rows.length === 0) {
      throw new Error(`Matrix.from: rows must be a non-empty array of number arrays; received ${
        Array.isArray(rows) ? 'an empty array' : typeof rows}`);
    }
    const first = rows[0];
    if (!Array.isArray(first) || first.length === 0) {
      throw new Error(`Matrix.from: rows[0] must be a non-empty array of numbers; received ${
        Array.isArray(first) ? 'an empty array' : typeof first}`);
    }
    const cols = first.length;
    const m = new Matrix(rows.length, cols);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!Array.isArray(row) || row.length !== cols) {
        throw new Error(`Matrix.from: ragged rows: expected every row to have ${cols} entries like rows[0]; ` +
          `rows[${i}] has ${Array.isArray(row) ? row.length : typeof row}`);
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new Error(`Matrix.from: rows[${i}][${j}] must be a number; received ${describeValue(v)}`);
        }
        m.data[i * cols + j] = v;
      }
    }
    return m;
  }

  /** A `1 x n` row vector from `values`. */
  static rowVector(values: ReadonlyArray<number>): Matrix {
    return Matrix.from([values]);
  }

  /** A `n x 1` column vector from `values`. */
  static columnVector(values: ReadonlyArray<number>): Matrix {
    if (!Array.isArray(values) || values.length === 0) {
      throw new Error(`Matrix.columnVector: values must be a non-empty array of numbers; received ${
        Array.isArray(values) ? 'an empty array' : typeof values}`);
    }
    return Matrix.from(values.map((v) => [v]));
  }

  /** `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Number of entries, `rows * cols`. */
  get size(): number {
    return this.data.length;
  }

  /** Entry (i, j), zero-based. */
  get(i: number, j: number): number {
    this.checkIndex('get', i, j);
    return this.data[i * this.cols + j];
  }

  /** Writes `value` (a number) at (i, j), zero-based, in place. */
  set(i: number, j: number, value: number): void {
    this.checkIndex('set', i, j);
    checkNumber('set', 'value', value);
    this.data[i * this.cols + j] = value;
  }

  private checkIndex(op: string, i: number, j: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows || !Number.isInteger(j) || j < 0 || j >= this.cols) {
      throw new Error(`${op}: index (${i}, ${j}) is outside the ${describeShape(this)} matrix`);
    }
  }

  /** Row i as a plain array. */
  row(i: number): number[] {
    this.checkIndex('row', i, 0);
    return Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols));
  }

  /** Column j as a plain array. */
  column(j: number): number[] {
    this.checkIndex('column', 0, j);
    const out = new Array<number>(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }

  /** The entries as an array of rows (a copy). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(this.row(i));
    return out;
  }

  /** A copy with its own storage. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** True when `other` has the same shape and every entry is equal (`===`, so NaN ≠ NaN). */
  equals(other: Matrix): boolean {
    checkOperand('equals', other);
    if (this.rows !== other.rows || this.cols !== other.cols) return false;
    for (let i = 0; i < this.data.length; i++) if (this.data[i] !== other.data[i]) return false;
    return true;
  }

  /** Largest |A_ij − B_ij| over all entries; shapes must match. */
  maxAbsDiff(other: Matrix): number {
    checkOperand('maxAbsDiff', other);
    requireSameShape('maxAbsDiff', this, other);
    let m = 0;
    for (let i = 0; i < this.data.length; i++) m = Math.max(m, Math.abs(this.data[i] - other.data[i]));
    return m;
  }

  /** The transpose Aᵀ, `cols x rows`. Products with a transposed factor do not need it: see `tmatmul`, `matmulT`. */
  transpose(): Matrix {
    const out = new Matrix(this.cols, this.rows);
    transposeInto(out.data, this.data, this.rows, this.cols);
    return out;
  }

  /** The matrix product A·B: `(n x p)·(p x q) -> n x q`. */
  matmul(b: Matrix): Matrix {
    checkOperand('matmul A·B', b);
    if (this.cols !== b.rows) throw shapeError('matmul A·B', 'A.cols must equal B.rows', this, b);
    const out = new Matrix(this.rows, b.cols);
    matmulInto(out, this, b);
    return out;
  }

  /** The product Aᵀ·B without forming Aᵀ: `(n x p)ᵀ·(n x q) -> p x q` (as in dW[l] = a[l-1]ᵀ·dz[l]). */
  tmatmul(b: Matrix): Matrix {
    checkOperand('tmatmul Aᵀ·B', b);
    if (this.rows !== b.rows) throw shapeError('tmatmul Aᵀ·B', 'A.rows must equal B.rows', this, b);
    const out = new Matrix(this.cols, b.cols);
    tmatmulInto(out, this, b);
    return out;
  }

  /** The product A·Bᵀ without forming Bᵀ: `(n x q)·(p x q)ᵀ -> n x p` (as in da[l-1] = dz[l]·W[l]ᵀ). */
  matmulT(b: Matrix): Matrix {
    checkOperand('matmulT A·Bᵀ', b);
    if (this.cols !== b.cols) throw shapeError('matmulT A·Bᵀ', 'A.cols must equal B.cols', this, b);
    const out = new Matrix(this.rows, b.rows);
    matmulTInto(out, this, b);
    return out;
  }

  /** Entry-wise sum A + B; shapes must match. */
  add(b: Matrix): Matrix {
    return zipWith('add', this, b, (x, y) => x + y);
  }

  /** Entry-wise difference A − B; shapes must match. */
  sub(b: Matrix): Matrix {
    return zipWith('sub', this, b, (x, y) => x - y);
  }

  /** Entry-wise (Hadamard) product A ⊙ B; shapes must match. */
  mul(b: Matrix): Matrix {
    return zipWith('mul', this, b, (x, y) => x * y);
  }

  /** Entry-wise quotient A ⊘ B; shapes must match. */
  div(b: Matrix): Matrix {
    return zipWith('div', this, b, (x, y) => x / y);
  }

  /** s·A, every entry times the scalar s (a finite number). */
  scale(s: number): Matrix {
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new Error(`scale: s must be a finite number; received ${describeValue(s)}`);
    }
    return this.map((x) => x * s);
  }

  /**
   * A + 1·b: adds the `1 x cols` row vector b to every row (broadcast), as in z[l] = a[l-1]·W[l] + b[l].
   */
  addRowVector(b: Matrix): Matrix {
    checkOperand('addRowVector', b);
    if (b.rows !== 1 || b.cols !== this.cols) {
      throw shapeError('addRowVector', `b must be 1x${this.cols} (one row, A.cols columns)`, this, b);
    }
    const out = this.clone();
    addRowVectorInPlace(out, b);
    return out;
  }

  /** f applied to every entry: (f(A))_ij = f(A_ij, i, j); f must return numbers. */
  map(f: (value: number, i: number, j: number) => number): Matrix {
    if (typeof f !== 'function') {
      throw new Error(`map: f must be a function (value, i, j) => number; received ${describeValue(f)}`);
    }
    const out = new Matrix(this.rows, this.cols);
    const c = this.cols;
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < c; j++) {
        const v = f(this.data[i * c + j], i, j);
        if (typeof v !== 'number') {
          throw new Error(`map: f must return a number; received ${describeValue(v)} at (${i}, ${j})`);
        }
        out.data[i * c + j] = v;
      }
    }
    return out;
  }

  /** Column sums 1ᵀ·A, a `1 x cols` row vector (as in db[l] = Σ over samples of dz[l]). */
  sumColumns(): Matrix {
    const out = new Matrix(1, this.cols);
    sumColumnsInto(out.data, this.data, this.rows, this.cols);
    return out;
  }

  /** Column means (1/rows)·1ᵀ·A, a `1 x cols` row vector. */
  meanColumns(): Matrix {
    if (this.rows === 0) throw new Error('meanColumns: the matrix has no rows');
    return this.sumColumns().scale(1 / this.rows);
  }

  /** Row sums A·1, a `rows x 1` column vector. */
  sumRows(): Matrix {
    const out = new Matrix(this.rows, 1);
    const c = this.cols;
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let j = 0; j < c; j++) s += this.data[i * c + j];
      out.data[i] = s;
    }
    return out;
  }

  /** Σ_ij A_ij. */
  sum(): number {
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s += this.data[i];
    return s;
  }

  /** Mean of all entries. */
  mean(): number {
    if (this.data.length === 0) throw new Error('mean: the matrix is empty');
    return this.sum() / this.data.length;
  }

  /** True when every entry is finite (no NaN, no ±Infinity). */
  isFinite(): boolean {
    for (let i = 0; i < this.data.length; i++) if (!Number.isFinite(this.data[i])) return false;
    return true;
  }

  /** Shape plus a grid of entries, eliding the middle rows and columns of a large matrix with `…`. */
  toString(digits = 4): string {
    const rowIdx = previewIndices(this.rows, PREVIEW_ROWS);
    const colIdx = previewIndices(this.cols, PREVIEW_COLS);
    const cells = rowIdx.map((i) =>
      colIdx.map((j) => (i < 0 || j < 0 ? '…' : formatNumber(this.data[i * this.cols + j], digits))),
    );
    const widths = colIdx.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
    const lines = cells.map((r) => '  [' + r.map((s, c) => s.padStart(widths[c])).join('  ') + ']');
    return `Matrix ${describeShape(this)}\n${lines.join('\n')}`;
  }

  /** Node's `util.inspect` (and so tslab's cell output) shows `toString()`. */
  [inspectSymbol](): string {
    return this.toString();
  }
}

function formatNumber(v: number, digits: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return v.toFixed(digits);
}

/** Indices to show for a dimension of size n, with -1 standing for the elided middle. */
function previewIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [
    ...Array.from({ length: head }, (_, i) => i),
    -1,
    ...Array.from({ length: tail }, (_, i) => n - tail + i),
  ];
}

function requireSameShape(op: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw shapeError(op, 'both must have the same shape', a, b);
}

function zipWith(op: string, a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  checkOperand(op, b);
  requireSameShape(op, a, b);
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = f(a.data[i], b.data[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kernels that write into preallocated storage. The MLP's training loop uses these so that an
// epoch allocates nothing once its buffers exist. Callers check shapes; `out` must not alias inputs.
//
// Each matrix product (A·B, Aᵀ·B, A·Bᵀ) has two implementations:
//  - the TypeScript loops below: the reference, the fallback where WebAssembly is missing, and what
//    tiny products use (under ~1000 multiply-adds, or with operands in ordinary arrays that would
//    cost as much to copy into wasm memory as to multiply). A product with a sum of k ≤ 4 terms gets
//    unrolled loops; larger ones a loop that computes a block of the result at a time, so that each
//    loaded value feeds several sums.
//  - WebAssembly SIMD kernels (./kernels/wasm.ts, source assembly/kernels.ts) for the rest, among
//    them every product on the MLP's batch buffers, which live in wasm memory: dedicated loops for
//    the thin products (a dimension of 1 or 2: a network's first layer on 2 inputs, its last with 1
//    output, and their transposed products in back-propagation), and a blocked product for the
//    others. Large products are shared between two threads where Node allows it
//    (`setKernelThreads`), with the same bits as one thread. The thin loops, and the blocked one
//    when k ≤ 256, add each entry's terms in order from p = 0, like the A·B and A·Bᵀ loops here, so
//    they give the same bits; the blocked one adds longer sums in blocks of 256 terms, and
//    `gemmTN` below adds two terms at a time, so those agree up to rounding (relative 1e-12, checked
//    by the unit tests): compare results of the two paths with a tolerance.
// `sumColumnsInto` and `addRowVectorInPlace` also use the wasm kernels when their matrix lives in
// wasm memory; those give the same bits as the loops here.
// ---------------------------------------------------------------------------------------------

export { kernelThreads, setKernelThreads } from '../kernels/threads';
import { WasmActivation, wasmAddBiasActivate, wasmGemm, wasmSumColumns } from '../kernels/wasm';

/** out ← Aᵀ for an `r x c` row-major A (out is `c x r`). */
export function transposeInto(out: Float64Array, a: Float64Array, r: number, c: number): void {
  for (let i = 0; i < r; i++) {
    const ri = i * c;
    for (let j = 0; j < c; j++) out[j * r + i] = a[ri + j];
  }
}

/** out ← 1ᵀ·A, the column sums of an `r x c` matrix (out has length c). */
export function sumColumnsInto(out: Float64Array, a: Float64Array, r: number, c: number): void {
  if (out.length === c && a.length === r * c && wasmSumColumns(out, a, r, c)) return;
  out.fill(0, 0, c);
  for (let i = 0; i < r; i++) {
    const ri = i * c;
    for (let j = 0; j < c; j++) out[j] += a[ri + j];
  }
}

/** A ← A + 1·b in place: adds the `1 x cols` row vector b to every row of A. */
export function addRowVectorInPlace(a: Matrix, b: Matrix): void {
  if (wasmAddBiasActivate(a.data, null, b.data, a.rows, a.cols, WasmActivation.Identity)) return;
  const c = a.cols;
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < a.rows; i++) {
    const ri = i * c;
    for (let j = 0; j < c; j++) ad[ri + j] += bd[j];
  }
}

/** Reusable scratch for a transposed operand, grown on demand and never shrunk. */
let scratch = new Float64Array(0);
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/**
 * C ← A·Bᵀ for row-major A (`n x k`) and B (`m x k`), C `n x m`: every entry is a dot product of two
 * contiguous rows, summed from p = 0 up. Rows are taken in blocks of 2 x 4 so that each loaded
 * value feeds several sums.
 */
function gemmNT(c: Float64Array, a: Float64Array, b: Float64Array, n: number, m: number, k: number): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const y0 = b[b0 + p];
        const y1 = b[b1 + p];
        const y2 = b[b2 + p];
        const y3 = b[b3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const c0 = i * m + j;
      const c1 = c0 + m;
      c[c0] = s00; c[c0 + 1] = s01; c[c0 + 2] = s02; c[c0 + 3] = s03;
      c[c1] = s10; c[c1 + 1] = s11; c[c1 + 2] = s12; c[c1 + 3] = s13;
    }
    for (; j < m; j++) {
      const b0 = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[b0 + p];
        s0 += a[a0 + p] * y;
        s1 += a[a1 + p] * y;
      }
      c[i * m + j] = s0;
      c[(i + 1) * m + j] = s1;
    }
  }
  for (; i < n; i++) {
    const a0 = i * k;
    for (let j = 0; j < m; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[i * m + j] = s;
    }
  }
}

/**
 * C ← A·B for row-major A (`n x k`) and B (`k x m`) with a short sum, k ≤ 4 (as in the tutorial's
 * 2-4-3-1 network): the k values of a row of A are held in variables and the sum is written out,
 * from p = 0 up like `gemmNT`'s, so both give the same bits.
 */
function gemmSmallK(c: Float64Array, a: Float64Array, b: Float64Array, n: number, m: number, k: number): void {
  if (k === 1) {
    for (let i = 0, ci = 0; i < n; i++, ci += m) {
      const x0 = a[i];
      for (let j = 0; j < m; j++) c[ci + j] = 0 + x0 * b[j];
    }
  } else if (k === 2) {
    for (let i = 0, ai = 0, ci = 0; i < n; i++, ai += 2, ci += m) {
      const x0 = a[ai];
      const x1 = a[ai + 1];
      for (let j = 0; j < m; j++) c[ci + j] = 0 + x0 * b[j] + x1 * b[m + j];
    }
  } else if (k === 3) {
    const m2 = 2 * m;
    for (let i = 0, ai = 0, ci = 0; i < n; i++, ai += 3, ci += m) {
      const x0 = a[ai];
      const x1 = a[ai + 1];
      const x2 = a[ai + 2];
      for (let j = 0; j < m; j++) c[ci + j] = 0 + x0 * b[j] + x1 * b[m + j] + x2 * b[m2 + j];
    }
  } else if (k === 4) {
    const m2 = 2 * m;
    const m3 = 3 * m;
    for (let i = 0, ai = 0, ci = 0; i < n; i++, ai += 4, ci += m) {
      const x0 = a[ai];
      const x1 = a[ai + 1];
      const x2 = a[ai + 2];
      const x3 = a[ai + 3];
      for (let j = 0; j < m; j++) c[ci + j] = 0 + x0 * b[j] + x1 * b[m + j] + x2 * b[m2 + j] + x3 * b[m3 + j];
    }
  } else {
    c.fill(0, 0, n * m); // k = 0: empty sums
  }
}

/**
 * C ← Aᵀ·B for row-major A (`n x p`) and B (`n x q`), C `p x q`, as a sum of n rank-one updates
 * (row s of A times row s of B), two samples at a time. C is small (a weight's shape) and stays in cache.
 */
function gemmTN(c: Float64Array, a: Float64Array, b: Float64Array, n: number, p: number, q: number): void {
  c.fill(0, 0, p * q);
  let s = 0;
  for (; s + 1 < n; s += 2) {
    const as0 = s * p;
    const as1 = as0 + p;
    const bs0 = s * q;
    const bs1 = bs0 + q;
    for (let i = 0; i < p; i++) {
      const x0 = a[as0 + i];
      const x1 = a[as1 + i];
      const ci = i * q;
      for (let j = 0; j < q; j++) c[ci + j] += x0 * b[bs0 + j] + x1 * b[bs1 + j];
    }
  }
  for (; s < n; s++) {
    const as0 = s * p;
    const bs0 = s * q;
    for (let i = 0; i < p; i++) {
      const x0 = a[as0 + i];
      const ci = i * q;
      for (let j = 0; j < q; j++) c[ci + j] += x0 * b[bs0 + j];
    }
  }
}

/** out ← A·B (`n x p`·`p x q`), written into a preallocated `n x q` matrix. Shapes are checked. */
export function matmulInto(out: Matrix, a: Matrix, b: Matrix): void {
  if (a.cols !== b.rows || out.rows !== a.rows || out.cols !== b.cols) {
    throw new Error(`matmulInto: expected out ${a.rows}x${b.cols} = A ${describeShape(a)} · B ${describeShape(b)} ` +
      `(A.cols = B.rows); received out ${describeShape(out)}`);
  }
  const n = a.rows, m = b.cols, k = a.cols;
  if (wasmGemm(false, false, n, m, k, a.data, b.data, out.data)) return;
  if (k <= 4) {
    gemmSmallK(out.data, a.data, b.data, n, m, k);
  } else {
    const bt = scratchOf(b.data.length);
    transposeInto(bt, b.data, k, m);
    gemmNT(out.data, a.data, bt, n, m, k);
  }
}

/** out ← Aᵀ·B (`(n x p)ᵀ`·`n x q`), written into a preallocated `p x q` matrix. Shapes are checked. */
export function tmatmulInto(out: Matrix, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || out.rows !== a.cols || out.cols !== b.cols) {
    throw new Error(`tmatmulInto: expected out ${a.cols}x${b.cols} = A ${describeShape(a)}ᵀ · B ${describeShape(b)} ` +
      `(A.rows = B.rows); received out ${describeShape(out)}`);
  }
  const n = a.cols, m = b.cols, k = a.rows;
  if (wasmGemm(true, false, n, m, k, a.data, b.data, out.data)) return;
  gemmTN(out.data, a.data, b.data, k, n, m);
}

/** out ← A·Bᵀ (`n x q`·`(p x q)ᵀ`), written into a preallocated `n x p` matrix. Shapes are checked. */
export function matmulTInto(out: Matrix, a: Matrix, b: Matrix): void {
  if (a.cols !== b.cols || out.rows !== a.rows || out.cols !== b.rows) {
    throw new Error(`matmulTInto: expected out ${a.rows}x${b.rows} = A ${describeShape(a)} · B ${describeShape(b)}ᵀ ` +
      `(A.cols = B.cols); received out ${describeShape(out)}`);
  }
  const n = a.rows, m = b.rows, k = a.cols;
  if (wasmGemm(false, true, n, m, k, a.data, b.data, out.data)) return;
  if (k <= 4) {
    // Bᵀ is k x m, tiny: transpose it and use the unrolled short-sum loops.
    const bt = scratchOf(b.data.length);
    transposeInto(bt, b.data, m, k);
    gemmSmallK(out.data, a.data, bt, n, m, k);
  } else {
    gemmNT(out.data, a.data, b.data, n, m, k);
  }
}
