// The WebAssembly kernels of the library: matrix products, and the element-wise steps of a layer,
// with 128-bit SIMD (two float64 lanes per instruction, f64x2).
//
// This is AssemblyScript (a TypeScript-like language that compiles to wasm), not TypeScript: `usize`
// is a byte address in the module's linear memory, `v128` a SIMD register of two f64 values, and
// `load<f64>(p)` / `v128.load(p)` read memory at byte address p. `npm run build` compiles it
// (scripts/build-wasm.mjs) into src/kernels/wasm-binary.ts, which embeds the bytes, and
// src/kernels/wasm.ts loads them and calls these functions. All matrices are float64, row-major, and
// live in the memory that the loader passes in (the module imports it as env.memory and never grows
// it). Sizes are in elements, addresses in bytes.
//
// The plain-TypeScript code (src/core/matrix.ts, src/core/activations.ts, src/core/losses.ts) is the reference and
// the fallback: the element-wise functions here do the same operations in the same order, so they
// give the same bits; the products add the same terms in the same order within blocks of 256 terms,
// so they agree up to rounding. test/unit/kernels.test.ts checks both.
//
// ---------------------------------------------------------------------------------------------
// Matrix products: C (n x m) = op(A) (n x k) · op(B) (k x m), where op(X) is X or Xᵀ.
//
// The method is the classic one of BLAS libraries (Goto, BLIS), kept small. The product is split
// into blocks of KC terms of the sum and NC columns (so that the pieces in use stay in the L1/L2
// caches). For each block, the KC x NC piece of op(B) is first copied ("packed") into a contiguous
// buffer of 4-column panels, so that the innermost loop reads it sequentially. The innermost loop,
// the "micro-kernel", computes a 4 x 4 tile of C: it holds the tile in eight f64x2 registers and,
// for each of the KC terms, multiplies 4 values of op(A) (each broadcast to both lanes) by the 4
// packed values of op(B) (two registers). When there are 4 panels or more, the 4 x KC values of
// op(A) that a row of tiles reads are packed too, term by term (they then feed every panel from one
// contiguous buffer); otherwise, and for the last 1 to 3 rows, op(A) is read in place, through strides.
// ---------------------------------------------------------------------------------------------

/** Rows of C per micro-kernel tile. */
const MR = 4;
/** Columns of C per micro-kernel tile (two f64x2 registers). */
const NR = 4;
/** Terms of the sum per block: an A micro-panel (MR x KC) plus a B panel (KC x NR) is 16 KiB, in L1. */
const KC = 256;
/** Columns per block: a packed KC x NC block of B is 512 KiB, in L2. */
const NC = 256;

/** Bytes of packing buffer that `gemm` needs: one KC x NC block of op(B), and one MR x KC micro-panel of op(A). */
export const PACK_BYTES: i32 = (KC * NC + MR * KC) * 8;

/**
 * C ← op(A)·op(B), or C ← C + op(A)·op(B) when `accumulate` is 1.
 *
 * op(A) is n x k: element (i, p) is at a + 8·(i·lda + p), or at a + 8·(p·lda + i) when transA is 1.
 * op(B) is k x m: element (p, j) is at b + 8·(p·ldb + j), or at b + 8·(j·ldb + p) when transB is 1.
 * C is n x m with element (i, j) at c + 8·(i·ldc + j). `pack` is a scratch buffer of PACK_BYTES
 * bytes, 16-byte aligned, that overlaps none of A, B, C. C must not overlap A or B.
 */
export function gemm(
  transA: i32, transB: i32, n: i32, m: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  pack: usize, accumulate: i32,
): void {
  if (n <= 0 || m <= 0) return;
  const ldcBytes = <usize>ldc << 3;
  if (k <= 0) {
    // An empty sum: C ← 0 (or C unchanged when accumulating).
    if (accumulate == 0) for (let i = 0; i < n; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>m << 3);
    return;
  }
  // Byte steps through op(A): from one row of op(A) to the next, and from one term p to the next.
  const aRowStep: usize = transA ? 8 : <usize>lda << 3;
  const aTermStep: usize = transA ? <usize>lda << 3 : 8;
  for (let j0 = 0; j0 < m; j0 += NC) {
    const nc = min(NC, m - j0);
    const panels = (nc + NR - 1) / NR;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packB(pack, b, ldb, transB, p0, kc, j0, nc);
      // The first block of terms writes C; the later ones add to it.
      const add = accumulate != 0 || p0 > 0;
      const aBlock = a + <usize>p0 * aTermStep;
      const panelBytes = <usize>kc * NR * 8;
      let i = 0;
      if (panels >= 4) {
        // Full tiles of 4 rows: their 4 x kc values of op(A), packed term by term, feed every panel.
        // (With fewer panels the copy costs more than the strided reads it saves.)
        const packA = pack + <usize>KC * NC * 8;
        for (; i + MR <= n; i += MR) {
          const ai = aBlock + <usize>i * aRowStep;
          const ci = c + <usize>i * ldcBytes + (<usize>j0 << 3);
          packA4(packA, ai, aRowStep, aTermStep, kc);
          for (let jp = 0; jp < panels; jp++) {
            const cols = min(NR, nc - jp * NR);
            kernelPacked(kc, packA, pack + <usize>jp * panelBytes, ci + <usize>(jp * NR * 8), ldcBytes, cols, add);
          }
        }
      } else {
        for (; i + MR <= n; i += MR) {
          const ai = aBlock + <usize>i * aRowStep;
          const ci = c + <usize>i * ldcBytes + (<usize>j0 << 3);
          for (let jp = 0; jp < panels; jp++) {
            const cols = min(NR, nc - jp * NR);
            kernel4x4(kc, ai, aRowStep, aTermStep, pack + <usize>jp * panelBytes, ci + <usize>(jp * NR * 8), ldcBytes, MR, cols, add);
          }
        }
      }
      if (i < n) {
        // The last 1 to 3 rows: the tile recomputes its last real row in place of the missing
        // ones (so that it reads nothing outside A) and stores only the real ones.
        const ai = aBlock + <usize>i * aRowStep;
        const ci = c + <usize>i * ldcBytes + (<usize>j0 << 3);
        for (let jp = 0; jp < panels; jp++) {
          const cols = min(NR, nc - jp * NR);
          kernel4x4(kc, ai, aRowStep, aTermStep, pack + <usize>jp * panelBytes, ci + <usize>(jp * NR * 8), ldcBytes, n - i, cols, add);
        }
      }
    }
  }
}

/**
 * Copies op(B)[p0 .. p0+kc, j0 .. j0+nc] into `dst` as ⌈nc/4⌉ panels, one after another; a panel holds
 * kc rows of 4 consecutive columns (row p of the panel at dst + panel·kc·32 + p·32). Columns past
 * the end of B are filled with zeros, so that every panel is a full 4 columns wide.
 */
function packB(dst: usize, b: usize, ldb: i32, transB: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  const ldbBytes = <usize>ldb << 3;
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const j = j0 + jp;
    if (transB == 0) {
      // Row p of op(B) is a row of B: 4 consecutive values.
      let src = b + <usize>p0 * ldbBytes + (<usize>j << 3);
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldbBytes;
          dst += 32;
        }
      } else {
        // The last, narrower panel: 1 to 3 real columns, then zeros.
        const zero = f64x2.splat(0);
        for (let p = 0; p < kc; p++) {
          const x0 = load<f64>(src);
          if (cols == 1) {
            v128.store(dst, f64x2.replace_lane(zero, 0, x0));
            v128.store(dst, zero, 16);
          } else {
            v128.store(dst, v128.load(src));
            v128.store(dst, cols == 3 ? f64x2.replace_lane(zero, 0, load<f64>(src, 16)) : zero, 16);
          }
          src += ldbBytes;
          dst += 32;
        }
      }
    } else {
      // Column j of op(B) is row j of B: gather one value from each of 4 rows of B.
      const src = b + <usize>j * ldbBytes + (<usize>p0 << 3);
      for (let p = 0; p < kc; p++) {
        const s = src + (<usize>p << 3);
        for (let q = 0; q < NR; q++) store<f64>(dst + (<usize>q << 3), q < cols ? load<f64>(s + <usize>q * ldbBytes) : 0);
        dst += 32;
      }
    }
  }
}

/**
 * The micro-kernel: the 4 x 4 tile C[i..i+4, j..j+4] of Σ_p op(A)[i+r, p] · panel[p, c] over kc
 * terms, of which the first `rows` rows and `cols` columns are stored: written to C, or added to it
 * when `add`. `a` addresses op(A)[i, p0].
 */
// @ts-ignore: decorator
@inline
function kernel4x4(
  kc: i32, a: usize, aRowStep: usize, aTermStep: usize, panel: usize, c: usize, ldcBytes: usize,
  rows: i32, cols: i32, add: bool,
): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let a0 = a;
  let a1 = rows > 1 ? a0 + aRowStep : a0;
  let a2 = rows > 2 ? a1 + aRowStep : a1;
  let a3 = rows > 3 ? a2 + aRowStep : a2;
  let pb = panel;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load64_splat(a0);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(a1);
    c10 = f64x2.add(c10, f64x2.mul(x, b0));
    c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(a2);
    c20 = f64x2.add(c20, f64x2.mul(x, b0));
    c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(a3);
    c30 = f64x2.add(c30, f64x2.mul(x, b0));
    c31 = f64x2.add(c31, f64x2.mul(x, b1));
    a0 += aTermStep;
    a1 += aTermStep;
    a2 += aTermStep;
    a3 += aTermStep;
    pb += 32;
  }
  storeRow(c, c00, c01, cols, add);
  if (rows > 1) storeRow(c + ldcBytes, c10, c11, cols, add);
  if (rows > 2) storeRow(c + 2 * ldcBytes, c20, c21, cols, add);
  if (rows > 3) storeRow(c + 3 * ldcBytes, c30, c31, cols, add);
}

/**
 * Copies the 4 x kc values of op(A) from row `a` on (rows `rowStep` bytes apart, terms `termStep`
 * apart) into `dst`, term by term: the 4 values of term p at dst + 32·p.
 */
function packA4(dst: usize, a: usize, rowStep: usize, termStep: usize, kc: i32): void {
  if (rowStep == 8) {
    // transA: the 4 values of term p are adjacent
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(a));
      v128.store(dst, v128.load(a, 16), 16);
      a += termStep;
      dst += 32;
    }
  } else {
    const a1 = a + rowStep, a2 = a1 + rowStep, a3 = a2 + rowStep;
    let p = 0;
    for (; p + 2 <= kc; p += 2) {
      const o = <usize>p << 3;
      const r0 = v128.load(a + o), r1 = v128.load(a1 + o), r2 = v128.load(a2 + o), r3 = v128.load(a3 + o);
      v128.store(dst, f64x2.shuffle(r0, r1, 0, 2));
      v128.store(dst, f64x2.shuffle(r2, r3, 0, 2), 16);
      v128.store(dst, f64x2.shuffle(r0, r1, 1, 3), 32);
      v128.store(dst, f64x2.shuffle(r2, r3, 1, 3), 48);
      dst += 64;
    }
    if (p < kc) {
      const o = <usize>p << 3;
      store<f64>(dst, load<f64>(a + o)); store<f64>(dst, load<f64>(a1 + o), 8);
      store<f64>(dst, load<f64>(a2 + o), 16); store<f64>(dst, load<f64>(a3 + o), 24);
    }
  }
}

/**
 * The micro-kernel on a packed micro-panel of op(A) (`pa`, from `packA4`): the 4 x 4 tile of
 * Σ_p op(A)[i+r, p] · panel[p, c] over kc terms, of which the first `cols` columns are stored
 * (written to C, or added to it when `add`). The same additions in the same order as `kernel4x4`.
 */
// @ts-ignore: decorator
@inline
function kernelPacked(kc: i32, pa: usize, panel: usize, c: usize, ldcBytes: usize, cols: i32, add: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let pb = panel;
  const end = pa + (<usize>kc << 5);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const x0 = v128.load64_splat(pa);
    const x1 = v128.load64_splat(pa, 8);
    const x2 = v128.load64_splat(pa, 16);
    const x3 = v128.load64_splat(pa, 24);
    c00 = f64x2.add(c00, f64x2.mul(x0, b0));
    c01 = f64x2.add(c01, f64x2.mul(x0, b1));
    c10 = f64x2.add(c10, f64x2.mul(x1, b0));
    c11 = f64x2.add(c11, f64x2.mul(x1, b1));
    c20 = f64x2.add(c20, f64x2.mul(x2, b0));
    c21 = f64x2.add(c21, f64x2.mul(x2, b1));
    c30 = f64x2.add(c30, f64x2.mul(x3, b0));
    c31 = f64x2.add(c31, f64x2.mul(x3, b1));
    pa += 32;
    pb += 32;
  }
  storeRow(c, c00, c01, cols, add);
  storeRow(c + ldcBytes, c10, c11, cols, add);
  storeRow(c + 2 * ldcBytes, c20, c21, cols, add);
  storeRow(c + 3 * ldcBytes, c30, c31, cols, add);
}


/** Writes (or adds) the first `cols` of the 4 values (lo, hi) to C at address c. */
// @ts-ignore: decorator
@inline
function storeRow(c: usize, lo: v128, hi: v128, cols: i32, add: bool): void {
  if (cols == 4) {
    if (add) {
      lo = f64x2.add(lo, v128.load(c));
      hi = f64x2.add(hi, v128.load(c, 16));
    }
    v128.store(c, lo);
    v128.store(c, hi, 16);
  } else {
    storeLane(c, f64x2.extract_lane(lo, 0), add);
    if (cols > 1) storeLane(c + 8, f64x2.extract_lane(lo, 1), add);
    if (cols > 2) storeLane(c + 16, f64x2.extract_lane(hi, 0), add);
  }
}

// @ts-ignore: decorator
@inline
function storeLane(c: usize, v: f64, add: bool): void {
  store<f64>(c, add ? load<f64>(c) + v : v);
}

// ---------------------------------------------------------------------------------------------
// Thin products: a dimension of 1 or 2 (the first and last layers of a network with 1-2 inputs or
// outputs, and their transposed products in back-propagation). The blocked `gemm` above would
// spend most of its time padding 4 x 4 tiles and packing; these loops instead keep a few sums in
// registers and stream through the large operand once. Each entry's sum is added up term by term,
// from p = 0 up, starting from +0 (or from C's value when accumulating): the order of the textbook
// triple loop, whatever k is, so these give its bits exactly.
//
// Two shapes of loop cover the thin cases, C with 1-2 columns or 1-2 rows (`product` maps each case
// onto one of them, possibly with the roles of the rows and columns of C exchanged through the
// output steps). (A short sum, k ≤ 2, is left to `gemm`: its time goes into writing C.)
// - `dot`: out[i, j] = Σ_p x[i, p]·y_j[p] for many rows i and 1 or 2 columns j, where each row of x
//   is contiguous. Two rows go in the two lanes of a register, so four registers hold 8 rows.
// - `axpy`: out[r, j] = Σ_p s_r[p]·z[p, j], where each row of z is contiguous: 2 rows r x 8
//   columns j of sums in eight registers, each term adds s_r[p] times 8 consecutive values of z.
// ---------------------------------------------------------------------------------------------

/** Which loop computes a product (`productKind`). */
const GEMM: i32 = 0;
/** C has 1-2 columns and op(A) = A: `dot` with x = A. */
const DOT: i32 = 1;
/** C has 1-2 rows and op(B) = Bᵀ: `dot` with x = B, C written transposed. */
const DOT_T: i32 = 2;
/** C has 1-2 rows and op(B) = B: `axpy` with z = B. */
const AXPY: i32 = 3;
/** C has 1-2 columns and op(A) = Aᵀ: `axpy` with z = A, C written transposed. */
const AXPY_T: i32 = 4;

/** Terms of the sum per block of `axpy`, so that the block of z stays in the L2 cache across column tiles. */
const KB = 256;

/**
 * The loop that computes op(A)·op(B) for C n x m with a sum of k terms: one of GEMM, DOT, DOT_T,
 * AXPY, AXPY_T. Callers choose it once for the whole product and pass it to every `product` call
 * on its pieces (pieces of rows, columns or terms), so that all pieces add their terms alike.
 */
export function productKind(transA: i32, transB: i32, n: i32, m: i32, k: i32): i32 {
  // (A short sum, k ≤ 2, with n, m > 2 is an outer product whose time goes into writing C: the
  // 4 x 4 tiles of `gemm` do that best.)
  if (m <= 2) return transA ? AXPY_T : DOT;
  if (n <= 2) return transB ? DOT_T : AXPY;
  return GEMM;
}

/**
 * Piece `chunk` of `chunks` of C ← op(A)·op(B) (or C ← C + op(A)·op(B) when `accumulate` is 1),
 * computed by the loop `kind` (from `productKind`); arguments as for `gemm`. The pieces split C
 * into blocks of rows or of columns, disjoint, which together cover C; each entry is computed
 * whole by one piece, in the same order whatever the number of pieces, so two threads that share
 * the pieces give the bits of one thread doing them all. `pack` is this thread's scratch buffer of
 * PACK_BYTES bytes.
 */
export function product(
  kind: i32, transA: i32, transB: i32, n: i32, m: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  pack: usize, accumulate: i32, chunk: i32, chunks: i32,
): void {
  if (n <= 0 || m <= 0) return;
  const ldaBytes = <usize>lda << 3;
  const ldbBytes = <usize>ldb << 3;
  const ldcBytes = <usize>ldc << 3;
  if (kind == GEMM) {
    if (n >= m) {
      // Blocks of rows of C (and of op(A)).
      const i0 = pieceStart(n, 4, chunk, chunks);
      const i1 = pieceStart(n, 4, chunk + 1, chunks);
      if (i1 <= i0) return;
      const aRowStep: usize = transA ? 8 : ldaBytes;
      gemm(transA, transB, i1 - i0, m, k, a + <usize>i0 * aRowStep, lda, b, ldb, c + <usize>i0 * ldcBytes, ldc, pack, accumulate);
    } else {
      // Blocks of columns of C (and of op(B)).
      const j0 = pieceStart(m, 4, chunk, chunks);
      const j1 = pieceStart(m, 4, chunk + 1, chunks);
      if (j1 <= j0) return;
      const bColStep: usize = transB ? ldbBytes : 8;
      gemm(transA, transB, n, j1 - j0, k, a, lda, b + <usize>j0 * bColStep, ldb, c + (<usize>j0 << 3), ldc, pack, accumulate);
    }
    return;
  }
  // op(A)[i, p] is at a + i·aRow + p·aTerm; op(B)[p, j] at b + p·bTerm + j·bCol.
  const aRow: usize = transA ? 8 : ldaBytes;
  const aTerm: usize = transA ? ldaBytes : 8;
  const bTerm: usize = transB ? 8 : ldbBytes;
  const bCol: usize = transB ? ldbBytes : 8;
  if (kind == DOT) {
    // out = C; x = A (rows i contiguous); y_j = column j of op(B).
    const i0 = pieceStart(n, 8, chunk, chunks);
    const i1 = pieceStart(n, 8, chunk + 1, chunks);
    dot(c + <usize>i0 * ldcBytes, ldcBytes, 8, a + <usize>i0 * aRow, aRow, b, bCol, bTerm, i1 - i0, m, k, accumulate);
  } else if (kind == DOT_T) {
    // out = Cᵀ (row j of out is column j of C); x = B (row j of B is column j of op(B)); y_r = row r of op(A).
    const j0 = pieceStart(m, 8, chunk, chunks);
    const j1 = pieceStart(m, 8, chunk + 1, chunks);
    dot(c + (<usize>j0 << 3), 8, ldcBytes, b + <usize>j0 * bCol, bCol, a, aRow, aTerm, j1 - j0, n, k, accumulate);
  } else if (kind == AXPY) {
    // out = C (1-2 rows, split by columns); s_r = row r of op(A); z = B (op(B) = B here).
    const j0 = pieceStart(m, 8, chunk, chunks);
    const j1 = pieceStart(m, 8, chunk + 1, chunks);
    axpy(c + (<usize>j0 << 3), ldcBytes, 8, a, aRow, aTerm, b + (<usize>j0 << 3), ldbBytes, n, j1 - j0, k, accumulate);
  } else {
    // AXPY_T: out = Cᵀ; s_j = column j of op(B); z = A (k x n, row p holds op(A)[0..n, p]).
    const i0 = pieceStart(n, 8, chunk, chunks);
    const i1 = pieceStart(n, 8, chunk + 1, chunks);
    axpy(c + <usize>i0 * ldcBytes, 8, ldcBytes, b, bCol, bTerm, a + (<usize>i0 << 3), ldaBytes, m, i1 - i0, k, accumulate);
  }
}

/** Where piece `chunk` of `chunks` starts in a dimension of `total`, cut into whole units of `unit` (the end: total). */
// @ts-ignore: decorator
@inline
function pieceStart(total: i32, unit: i32, chunk: i32, chunks: i32): i32 {
  const units = (<i64>total + unit - 1) / unit;
  const start = <i32>((<i64>chunk * units) / <i64>chunks) * unit;
  return min(start, total);
}

/** A pair of entries (i, j), (i + 1, j) of out, `outRow` bytes apart: one load when they are adjacent. */
// @ts-ignore: decorator
@inline
function loadPair(at: usize, outRow: usize): v128 {
  if (outRow == 8) return v128.load(at);
  return f64x2.replace_lane(f64x2.splat(load<f64>(at)), 1, load<f64>(at + outRow));
}

// @ts-ignore: decorator
@inline
function storePair(at: usize, outRow: usize, v: v128): void {
  if (outRow == 8) {
    v128.store(at, v);
  } else {
    store<f64>(at, f64x2.extract_lane(v, 0));
    store<f64>(at + outRow, f64x2.extract_lane(v, 1));
  }
}

/**
 * out[i, j] ← Σ_p x[i, p]·y_j[p] (or out[i, j] + Σ… when `accumulate`), for i < rows and j < cols
 * (1 or 2), over p = 0..k−1 in order. Row i of x starts at x + i·xRow, its terms 8 bytes apart;
 * y_j[p] is at y + j·yCol + p·yTerm; out[i, j] at out + i·outRow + j·outCol.
 */
function dot(
  out: usize, outRow: usize, outCol: usize, x: usize, xRow: usize, y: usize, yCol: usize, yTerm: usize,
  rows: i32, cols: i32, k: i32, accumulate: i32,
): void {
  if (rows <= 0) return;
  if (cols == 2) dotRows(out, outRow, outCol, x, xRow, y, yCol, yTerm, rows, k, accumulate, true);
  else dotRows(out, outRow, outCol, x, xRow, y, yCol, yTerm, rows, k, accumulate, false);
}

// @ts-ignore: decorator
@inline
function dotRows(
  out: usize, outRow: usize, outCol: usize, x: usize, xRow: usize, y: usize, yCol: usize, yTerm: usize,
  rows: i32, k: i32, accumulate: i32, two: bool,
): void {
  const pairs = k & ~1;
  let i = 0;
  // 8 rows at a time: rows i + 2q and i + 2q + 1 share register q (lanes 0 and 1).
  for (; i + 8 <= rows; i += 8) {
    const o = out + <usize>i * outRow;
    const x0 = x + <usize>i * xRow;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let t0 = f64x2.splat(0), t1 = f64x2.splat(0), t2 = f64x2.splat(0), t3 = f64x2.splat(0);
    if (accumulate) {
      s0 = loadPair(o, outRow); s1 = loadPair(o + 2 * outRow, outRow);
      s2 = loadPair(o + 4 * outRow, outRow); s3 = loadPair(o + 6 * outRow, outRow);
      if (two) {
        t0 = loadPair(o + outCol, outRow); t1 = loadPair(o + outCol + 2 * outRow, outRow);
        t2 = loadPair(o + outCol + 4 * outRow, outRow); t3 = loadPair(o + outCol + 6 * outRow, outRow);
      }
    }
    let p = 0;
    let yp = y;
    for (; p < pairs; p += 2) {
      const at = x0 + (<usize>p << 3);
      const r0 = v128.load(at), r1 = v128.load(at + xRow);
      const r2 = v128.load(at + 2 * xRow), r3 = v128.load(at + 3 * xRow);
      const r4 = v128.load(at + 4 * xRow), r5 = v128.load(at + 5 * xRow);
      const r6 = v128.load(at + 6 * xRow), r7 = v128.load(at + 7 * xRow);
      // term p of the 8 rows (lo), then term p + 1 (hi)
      const lo0 = f64x2.shuffle(r0, r1, 0, 2), hi0 = f64x2.shuffle(r0, r1, 1, 3);
      const lo1 = f64x2.shuffle(r2, r3, 0, 2), hi1 = f64x2.shuffle(r2, r3, 1, 3);
      const lo2 = f64x2.shuffle(r4, r5, 0, 2), hi2 = f64x2.shuffle(r4, r5, 1, 3);
      const lo3 = f64x2.shuffle(r6, r7, 0, 2), hi3 = f64x2.shuffle(r6, r7, 1, 3);
      const w = v128.load64_splat(yp);
      const wn = v128.load64_splat(yp + yTerm);
      s0 = f64x2.add(f64x2.add(s0, f64x2.mul(lo0, w)), f64x2.mul(hi0, wn));
      s1 = f64x2.add(f64x2.add(s1, f64x2.mul(lo1, w)), f64x2.mul(hi1, wn));
      s2 = f64x2.add(f64x2.add(s2, f64x2.mul(lo2, w)), f64x2.mul(hi2, wn));
      s3 = f64x2.add(f64x2.add(s3, f64x2.mul(lo3, w)), f64x2.mul(hi3, wn));
      if (two) {
        const v = v128.load64_splat(yp + yCol);
        const vn = v128.load64_splat(yp + yCol + yTerm);
        t0 = f64x2.add(f64x2.add(t0, f64x2.mul(lo0, v)), f64x2.mul(hi0, vn));
        t1 = f64x2.add(f64x2.add(t1, f64x2.mul(lo1, v)), f64x2.mul(hi1, vn));
        t2 = f64x2.add(f64x2.add(t2, f64x2.mul(lo2, v)), f64x2.mul(hi2, vn));
        t3 = f64x2.add(f64x2.add(t3, f64x2.mul(lo3, v)), f64x2.mul(hi3, vn));
      }
      yp += 2 * yTerm;
    }
    if (p < k) {
      // the last term of an odd sum
      const at = x0 + (<usize>p << 3);
      const l0 = f64x2.replace_lane(f64x2.splat(load<f64>(at)), 1, load<f64>(at + xRow));
      const l1 = f64x2.replace_lane(f64x2.splat(load<f64>(at + 2 * xRow)), 1, load<f64>(at + 3 * xRow));
      const l2 = f64x2.replace_lane(f64x2.splat(load<f64>(at + 4 * xRow)), 1, load<f64>(at + 5 * xRow));
      const l3 = f64x2.replace_lane(f64x2.splat(load<f64>(at + 6 * xRow)), 1, load<f64>(at + 7 * xRow));
      const w = v128.load64_splat(yp);
      s0 = f64x2.add(s0, f64x2.mul(l0, w));
      s1 = f64x2.add(s1, f64x2.mul(l1, w));
      s2 = f64x2.add(s2, f64x2.mul(l2, w));
      s3 = f64x2.add(s3, f64x2.mul(l3, w));
      if (two) {
        const v = v128.load64_splat(yp + yCol);
        t0 = f64x2.add(t0, f64x2.mul(l0, v));
        t1 = f64x2.add(t1, f64x2.mul(l1, v));
        t2 = f64x2.add(t2, f64x2.mul(l2, v));
        t3 = f64x2.add(t3, f64x2.mul(l3, v));
      }
    }
    storePair(o, outRow, s0); storePair(o + 2 * outRow, outRow, s1);
    storePair(o + 4 * outRow, outRow, s2); storePair(o + 6 * outRow, outRow, s3);
    if (two) {
      storePair(o + outCol, outRow, t0); storePair(o + outCol + 2 * outRow, outRow, t1);
      storePair(o + outCol + 4 * outRow, outRow, t2); storePair(o + outCol + 6 * outRow, outRow, t3);
    }
  }
  // The last 0-7 rows, one at a time.
  for (; i < rows; i++) {
    const o = out + <usize>i * outRow;
    const xi = x + <usize>i * xRow;
    let s: f64 = accumulate ? load<f64>(o) : 0;
    let t: f64 = accumulate && two ? load<f64>(o + outCol) : 0;
    let yp = y;
    for (let p = 0; p < k; p++) {
      const v = load<f64>(xi + (<usize>p << 3));
      s += v * load<f64>(yp);
      if (two) t += v * load<f64>(yp + yCol);
      yp += yTerm;
    }
    store<f64>(o, s);
    if (two) store<f64>(o + outCol, t);
  }
}

/**
 * out[r, j] ← Σ_p s_r[p]·z[p, j] (or out[r, j] + Σ… when `accumulate`), for r < rows, j < cols,
 * over p = 0..k−1 in order. s_r[p] is at s + r·sRow + p·sTerm; row p of z starts at z + p·zRow, its
 * values 8 bytes apart; out[r, j] is at out + r·outRow + j·outCol. Long sums go in blocks of KB
 * terms (the running sums are stored into out between blocks, which keeps the order of the terms).
 */
function axpy(
  out: usize, outRow: usize, outCol: usize, s: usize, sRow: usize, sTerm: usize, z: usize, zRow: usize,
  rows: i32, cols: i32, k: i32, accumulate: i32,
): void {
  if (rows <= 0 || cols <= 0) return;
  if (k <= 0) {
    if (!accumulate) {
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) store<f64>(out + <usize>r * outRow + <usize>j * outCol, 0);
    }
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KB) {
    const kb = min(KB, k - p0);
    const add = accumulate != 0 || p0 > 0;
    const sb = s + <usize>p0 * sTerm;
    const zb = z + <usize>p0 * zRow;
    let r = 0;
    for (; r + 2 <= rows; r += 2) axpyBlock(out + <usize>r * outRow, outRow, outCol, sb + <usize>r * sRow, sRow, sTerm, zb, zRow, cols, kb, add, true);
    if (r < rows) axpyBlock(out + <usize>r * outRow, outRow, outCol, sb + <usize>r * sRow, sRow, sTerm, zb, zRow, cols, kb, add, false);
  }
}

/** One block of `axpy` for rows r and r + 1 (`two`) or row r alone: all columns, kb terms. */
// @ts-ignore: decorator
@inline
function axpyBlock(
  out: usize, outRow: usize, outCol: usize, s: usize, sRow: usize, sTerm: usize, z: usize, zRow: usize,
  cols: i32, kb: i32, add: bool, two: bool,
): void {
  const out1 = out + outRow;
  let j = 0;
  for (; j + 8 <= cols; j += 8) {
    const o = out + <usize>j * outCol;
    const o1 = out1 + <usize>j * outCol;
    let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
    let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
    if (add) {
      c0 = loadPair(o, outCol); c1 = loadPair(o + 2 * outCol, outCol);
      c2 = loadPair(o + 4 * outCol, outCol); c3 = loadPair(o + 6 * outCol, outCol);
      if (two) {
        d0 = loadPair(o1, outCol); d1 = loadPair(o1 + 2 * outCol, outCol);
        d2 = loadPair(o1 + 4 * outCol, outCol); d3 = loadPair(o1 + 6 * outCol, outCol);
      }
    }
    let zp = z + (<usize>j << 3);
    let sp = s;
    for (let p = 0; p < kb; p++) {
      const z0 = v128.load(zp), z1 = v128.load(zp, 16), z2 = v128.load(zp, 32), z3 = v128.load(zp, 48);
      const w = v128.load64_splat(sp);
      c0 = f64x2.add(c0, f64x2.mul(w, z0));
      c1 = f64x2.add(c1, f64x2.mul(w, z1));
      c2 = f64x2.add(c2, f64x2.mul(w, z2));
      c3 = f64x2.add(c3, f64x2.mul(w, z3));
      if (two) {
        const v = v128.load64_splat(sp + sRow);
        d0 = f64x2.add(d0, f64x2.mul(v, z0));
        d1 = f64x2.add(d1, f64x2.mul(v, z1));
        d2 = f64x2.add(d2, f64x2.mul(v, z2));
        d3 = f64x2.add(d3, f64x2.mul(v, z3));
      }
      zp += zRow;
      sp += sTerm;
    }
    storePair(o, outCol, c0); storePair(o + 2 * outCol, outCol, c1);
    storePair(o + 4 * outCol, outCol, c2); storePair(o + 6 * outCol, outCol, c3);
    if (two) {
      storePair(o1, outCol, d0); storePair(o1 + 2 * outCol, outCol, d1);
      storePair(o1 + 4 * outCol, outCol, d2); storePair(o1 + 6 * outCol, outCol, d3);
    }
  }
  for (; j + 2 <= cols; j += 2) {
    const o = out + <usize>j * outCol;
    const o1 = out1 + <usize>j * outCol;
    let c0 = add ? loadPair(o, outCol) : f64x2.splat(0);
    let d0 = add && two ? loadPair(o1, outCol) : f64x2.splat(0);
    let zp = z + (<usize>j << 3);
    let sp = s;
    for (let p = 0; p < kb; p++) {
      const z0 = v128.load(zp);
      c0 = f64x2.add(c0, f64x2.mul(v128.load64_splat(sp), z0));
      if (two) d0 = f64x2.add(d0, f64x2.mul(v128.load64_splat(sp + sRow), z0));
      zp += zRow;
      sp += sTerm;
    }
    storePair(o, outCol, c0);
    if (two) storePair(o1, outCol, d0);
  }
  if (j < cols) {
    const o = out + <usize>j * outCol;
    const o1 = out1 + <usize>j * outCol;
    let c: f64 = add ? load<f64>(o) : 0;
    let d: f64 = add && two ? load<f64>(o1) : 0;
    let zp = z + (<usize>j << 3);
    let sp = s;
    for (let p = 0; p < kb; p++) {
      const v = load<f64>(zp);
      c += load<f64>(sp) * v;
      if (two) d += load<f64>(sp + sRow) * v;
      zp += zRow;
      sp += sTerm;
    }
    store<f64>(o, c);
    if (two) store<f64>(o1, d);
  }
}

// ---------------------------------------------------------------------------------------------
// Element-wise steps of a layer, two entries per instruction. Each computes exactly what the
// TypeScript loops in src/kernels/activation-loops.ts and src/core/matrix.ts compute (same operations in
// the same order), so the results are the same bits.
// ---------------------------------------------------------------------------------------------

/** What `addBiasActivate` applies after adding the bias. */
const IDENTITY = 0;
const RELU = 1;
const SIGMOID = 2;

/**
 * z ← z + 1·b (the 1 x k bias row b added to each of the n rows of the n x k matrix z), then
 * a ← f(z) entry by entry, for f = identity (a untouched), relu (as `z > 0 ? z : 0`, so NaN and −0
 * give +0) or σ (`sigmoidPair`). The n·k entries are taken as one flat sequence, two at a time: the
 * bias of entry (i, j) is b[j], so the pairs of biases repeat every k entries (k even) or 2k (k odd,
 * where a pair can straddle two rows). `pattern` (scratch for 2k values) receives b twice over.
 */
export function addBiasActivate(z: usize, a: usize, b: usize, pattern: usize, n: i32, k: i32, f: i32): void {
  const kBytes = <usize>k << 3;
  memory.copy(pattern, b, kBytes);
  memory.copy(pattern + kBytes, b, kBytes);
  const period: usize = k & 1 ? 2 * kBytes : kBytes;
  const total = <usize>n * <usize>k;
  const end = (total & ~1) << 3;
  if (f == RELU) biasLoop(z, a, pattern, period, end, RELU);
  else if (f == SIGMOID) biasLoop(z, a, pattern, period, end, SIGMOID);
  else biasLoop(z, a, pattern, period, end, IDENTITY);
  if (total & 1) {
    // An odd count: the last entry, (n − 1, k − 1), alone.
    const at = end;
    const v = load<f64>(z + at) + load<f64>(b + kBytes - 8);
    store<f64>(z + at, v);
    if (f == RELU) store<f64>(a + at, v > 0 ? v : 0);
    else if (f == SIGMOID) store<f64>(a + at, sigmoidScalar(v));
  }
}

// @ts-ignore: decorator
@inline
function biasLoop(z: usize, a: usize, pattern: usize, period: usize, end: usize, f: i32): void {
  const zero = f64x2.splat(0);
  let q: usize = 0;
  for (let at: usize = 0; at < end; at += 16) {
    const v = f64x2.add(v128.load(z + at), v128.load(pattern + q));
    v128.store(z + at, v);
    if (f == RELU) v128.store(a + at, v128.bitselect(v, zero, f64x2.gt(v, zero)));
    else if (f == SIGMOID) v128.store(a + at, sigmoidPair(v));
    q += 16;
    if (q == period) q = 0;
  }
}

/** dz ← da ⊙ relu'(z) over `len` entries, as `da · (z > 0 ? 1 : 0)`. */
export function reluGradient(dz: usize, da: usize, z: usize, len: i32): void {
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  const pairs = len & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    const at = <usize>i << 3;
    const step = v128.and(f64x2.gt(v128.load(z + at), zero), one); // 1.0 where z > 0, else +0.0
    v128.store(dz + at, f64x2.mul(v128.load(da + at), step));
  }
  if (i < len) {
    const at = <usize>i << 3;
    store<f64>(dz + at, load<f64>(da + at) * (load<f64>(z + at) > 0 ? 1.0 : 0.0));
  }
}

/**
 * out ← 1ᵀ·A, the k column sums of the n x k matrix A, each added up from row 0 on. The rows are
 * taken in chunks of 32 (which stay in L1); within a chunk each group of columns keeps its running
 * sums in registers, so each sum still gets its terms one by one, in row order.
 */
export function sumColumns(out: usize, a: usize, n: i32, k: i32): void {
  sumColumnRange(out, a, n, k, <usize>k << 3);
}

/** The column sums of `k` columns of an n-row matrix whose rows are `rowBytes` apart (a piece of `sumColumns`). */
function sumColumnRange(out: usize, a: usize, n: i32, k: i32, rowBytes: usize): void {
  memory.fill(out, 0, <usize>k << 3);
  for (let i0 = 0; i0 < n; i0 += 32) {
    const rows = min(32, n - i0);
    const chunk = a + <usize>i0 * rowBytes;
    let j = 0;
    for (; j + 4 <= k; j += 4) {
      const o = out + (<usize>j << 3);
      let s0 = v128.load(o), s1 = v128.load(o, 16);
      let p = chunk + (<usize>j << 3);
      for (let i = 0; i < rows; i++) {
        s0 = f64x2.add(s0, v128.load(p));
        s1 = f64x2.add(s1, v128.load(p, 16));
        p += rowBytes;
      }
      v128.store(o, s0);
      v128.store(o, s1, 16);
    }
    for (; j + 2 <= k; j += 2) {
      const o = out + (<usize>j << 3);
      let s = v128.load(o);
      let p = chunk + (<usize>j << 3);
      for (let i = 0; i < rows; i++) {
        s = f64x2.add(s, v128.load(p));
        p += rowBytes;
      }
      v128.store(o, s);
    }
    if (j < k) {
      const o = out + (<usize>j << 3);
      let s = load<f64>(o);
      let p = chunk + (<usize>j << 3);
      for (let i = 0; i < rows; i++) {
        s += load<f64>(p);
        p += rowBytes;
      }
      store<f64>(o, s);
    }
  }
}

/** Element-wise kernels that `elementwise` can compute in pieces (for two threads). */
const BIAS_ACTIVATE = 1;
const RELU_GRADIENT = 2;
const SUM_COLUMNS = 3;

/**
 * Piece `chunk` of `chunks` of an element-wise kernel, so that two threads can share it; the
 * pieces are disjoint and each entry is computed as by the whole call, so the bits are the same.
 * - BIAS_ACTIVATE: `addBiasActivate(p0 = z, p1 = a, p2 = b, scratch, n, k, f)` on blocks of an even
 *   number of rows (so that each piece starts on a pair of entries with bias b[0]);
 *   `scratch` (this thread's, 16·k bytes) takes the pattern;
 * - RELU_GRADIENT: `reluGradient(p0 = dz, p1 = da, p2 = z, n)` on blocks of the n entries;
 * - SUM_COLUMNS: `sumColumns(p0 = out, p1 = a, n, k)` on blocks of columns (each sum still adds
 *   its rows in order).
 */
export function elementwise(
  op: i32, p0: usize, p1: usize, p2: usize, scratch: usize, n: i32, k: i32, f: i32, chunk: i32, chunks: i32,
): void {
  if (op == BIAS_ACTIVATE) {
    const i0 = pieceStart(n, 2, chunk, chunks);
    const i1 = pieceStart(n, 2, chunk + 1, chunks);
    if (i1 <= i0) return;
    const at = <usize>i0 * <usize>k << 3;
    addBiasActivate(p0 + at, p1 + at, p2, scratch, i1 - i0, k, f);
  } else if (op == RELU_GRADIENT) {
    const i0 = pieceStart(n, 2, chunk, chunks);
    const i1 = pieceStart(n, 2, chunk + 1, chunks);
    if (i1 <= i0) return;
    const at = <usize>i0 << 3;
    reluGradient(p0 + at, p1 + at, p2 + at, i1 - i0);
  } else if (op == SUM_COLUMNS) {
    const j0 = pieceStart(k, 4, chunk, chunks);
    const j1 = pieceStart(k, 4, chunk + 1, chunks);
    if (j1 <= j0) return;
    sumColumnRange(p0 + (<usize>j0 << 3), p1 + (<usize>j0 << 3), n, j1 - j0, <usize>k << 3);
  }
}

// ---------------------------------------------------------------------------------------------
// The logistic sigmoid, σ(z) = 1/(1 + e^(−z)), two entries per instruction.
//
// src/core/activations.ts computes σ(z) with Math.exp, as 1/(1 + e^(−z)) for z ≥ 0 and e^z/(1 + e^z)
// for z < 0. To give the same bits here, `exp` below is the algorithm of the engine's Math.exp: V8
// (Node 20) computes it with fdlibm's e_exp.c, ported line by line below (with V8's special case
// exp(1) = e). The TypeScript side checks at start-up that the two agree on a set of test points
// and does not use this kernel if they differ (another engine, or a changed Math.exp); the unit
// tests compare them on many more.
// ---------------------------------------------------------------------------------------------

const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3FE62E42 FEE00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3DEA39EF 35793C76
const INV_LN2: f64 = 1.44269504088896338700e+00; // 0x3FF71547 652B82FE
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;

/** e^x, exactly as fdlibm's e_exp.c (and so V8's Math.exp) computes it. */
export function exp(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = <i32>(hx >> 31); // sign bit of x
  hx &= 0x7FFFFFFF; // high word of |x|
  if (hx >= 0x40862E42) { // |x| ≥ 709.78…: non-finite, overflow or underflow
    if (hx >= 0x7FF00000) {
      if (((hx & 0xFFFFF) | <u32>bits) != 0) return x + x; // NaN
      return xsb == 0 ? x : 0.0; // exp(±∞) = ∞, 0
    }
    if (x > 7.09782712893383973096e+02) return Infinity;
    if (x < -7.45133219101941108420e+02) return 0.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3FD62E42) { // |x| > 0.5·ln 2: reduce x = k·ln 2 + r
    if (hx < 0x3FF0A2B2) { // and |x| < 1.5·ln 2
      if (x == 1.0) return 2.718281828459045; // V8's exp(1) = e
      hi = x - (xsb ? -LN2_HI : LN2_HI);
      lo = xsb ? -LN2_LO : LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INV_LN2 * x + (xsb ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI; // exact
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3E300000) { // |x| < 2^-28
    return 1.0 + x;
  }
  const t = x * x;
  const twopk = reinterpret<f64>(<u64>(<u32>(0x3FF00000 + ((k >= -1021 ? k : k + 1000) << 20))) << 32);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.988465674311579539e307;
    return y * twopk;
  }
  return y * twopk * 9.33263618503218878990e-302;
}

/** σ(v) as src/core/activations.ts computes it, with `exp` above. */
// @ts-ignore: decorator
@inline
function sigmoidScalar(v: f64): f64 {
  if (v >= 0) return 1.0 / (1.0 + exp(-v));
  const e = exp(v);
  return e / (1.0 + e);
}

/**
 * σ of the two entries of v. Both branches of σ need e^(−|v|), which for the entries that matter,
 * 2^-28 ≤ |v| < 700, `exp` computes without special cases: there the two lanes go through the same
 * operations in f64x2 (argument reduction with k = trunc(x/ln 2 − 1/2), or k = 0 when
 * |x| ≤ 0.5·ln 2, which the general formula then reproduces exactly); a pair with a lane outside
 * goes through `sigmoidScalar`.
 */
// @ts-ignore: decorator
@inline
function sigmoidPair(v: v128): v128 {
  const one = f64x2.splat(1);
  const ax = f64x2.abs(v);
  if (!v128.all_true<i64>(v128.and(f64x2.ge(ax, f64x2.splat(3.725290298461914e-9)), f64x2.lt(ax, f64x2.splat(700))))) {
    return f64x2.replace_lane(
      f64x2.splat(sigmoidScalar(f64x2.extract_lane(v, 0))), 1, sigmoidScalar(f64x2.extract_lane(v, 1)));
  }
  const x = f64x2.neg(ax); // −|v| < 0
  // k = 0 where the high word of |x| ≤ 0x3FD62E42 (as fdlibm tests it), else trunc(x/ln 2 − 1/2).
  const high = i64x2.shr_u(ax, 32);
  const reduce = i64x2.gt_s(high, i64x2.splat(0x3FD62E42));
  const kf = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), f64x2.splat(-0.5))), reduce);
  const hi = f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let poly = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  poly = f64x2.add(f64x2.splat(P3), f64x2.mul(t, poly));
  poly = f64x2.add(f64x2.splat(P2), f64x2.mul(t, poly));
  poly = f64x2.add(f64x2.splat(P1), f64x2.mul(t, poly));
  const c = f64x2.sub(r, f64x2.mul(t, poly));
  const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2), c))), hi));
  // 2^k: the exponent field of a float64 is k + 1023.
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(kf));
  const e = f64x2.mul(y, i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52));
  // σ(v) = 1/(1 + e) for v ≥ 0, e/(1 + e) for v < 0.
  const numerator = v128.bitselect(one, e, f64x2.ge(v, f64x2.splat(0)));
  return f64x2.div(numerator, f64x2.add(one, e));
}

/** a ← σ(z) over `len` entries (the start-up check of the TypeScript side uses it). */
export function sigmoid(a: usize, z: usize, len: i32): void {
  const pairs = len & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    const at = <usize>i << 3;
    v128.store(a + at, sigmoidPair(v128.load(z + at)));
  }
  if (i < len) {
    const at = <usize>i << 3;
    store<f64>(a + at, sigmoidScalar(load<f64>(z + at)));
  }
}

// ---------------------------------------------------------------------------------------------
// The gradient of the binary cross-entropy, as src/core/losses.ts computes it (`binaryCrossEntropy.dfInto`),
// with ŷ clipped to [ε, 1 − ε] (ε passed in). Plain arithmetic, so the same bits.
// ---------------------------------------------------------------------------------------------

/** out ← dL/dŷ = inv·(−y/ŷ + (1 − y)/(1 − ŷ)) over `len` entries, ŷ clipped to [ε, 1 − ε], inv = 1/rows. */
export function binaryCrossEntropyGradient(out: usize, y: usize, yhat: usize, len: i32, inv: f64, epsilon: f64): void {
  const one = f64x2.splat(1);
  const scale = f64x2.splat(inv);
  const lo = f64x2.splat(epsilon);
  const hi = f64x2.splat(1 - epsilon);
  const pairs = len & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    const at = <usize>i << 3;
    const t = v128.load(y + at);
    const q = v128.load(yhat + at);
    // p = q < ε ? ε : q > 1 − ε ? 1 − ε : q
    const p = v128.bitselect(hi, v128.bitselect(lo, q, f64x2.lt(q, lo)), f64x2.gt(q, hi));
    const g = f64x2.add(f64x2.div(f64x2.neg(t), p), f64x2.div(f64x2.sub(one, t), f64x2.sub(one, p)));
    v128.store(out + at, f64x2.mul(scale, g));
  }
  if (i < len) {
    const at = <usize>i << 3;
    const t = load<f64>(y + at);
    const q = load<f64>(yhat + at);
    const p = q < epsilon ? epsilon : q > 1 - epsilon ? 1 - epsilon : q;
    store<f64>(out + at, inv * (-t / p + (1 - t) / (1 - p)));
  }
}
