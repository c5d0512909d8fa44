// Matrix-product kernels compiled to WebAssembly with 128-bit SIMD (two float64 lanes, f64x2).
//
// This is AssemblyScript (a TypeScript-like language that compiles to wasm), not TypeScript: `usize`
// is a byte address in the module's linear memory, `v128` a SIMD register of two f64 values, and
// `load<f64>(p)` / `v128.load(p)` read memory at byte address p. `npm run build` compiles it
// (scripts/build-wasm.mjs) into src/kernels/gemm-wasm.ts, which embeds the bytes; src/kernels/wasm.ts
// loads them. The plain-TypeScript kernels in src/matrix.ts compute the same products and are the
// reference: every function here must agree with them up to rounding (the order of the additions
// differs), which test/unit/kernels.test.ts checks.
//
// All matrices are float64, row-major, and live in the memory that the loader passes in (the module
// imports it as env.memory and never grows it). Sizes are in elements, addresses in bytes.
//
// The method is the classic one of BLAS libraries (Goto, BLIS), kept small:
//   C (n x m) = op(A) (n x k) · op(B) (k x m), where op(X) is X or Xᵀ,
// is split into blocks of KC terms of the sum (so that the pieces in use stay in the L1/L2 caches)
// and NC columns. For each block, the KC x NC piece of op(B) is first copied ("packed") into a
// contiguous buffer of 4-column panels, so that the innermost loop reads it sequentially. The
// innermost loop, the "micro-kernel", computes a 4 x 4 tile of C: it holds the tile in eight f64x2
// registers and, for each of the KC terms, multiplies 4 values of op(A) (each broadcast to both
// lanes) by the 4 packed values of op(B) (two registers). op(A) is read in place, through strides.

/** Rows of C per micro-kernel tile. */
const MR = 4;
/** Columns of C per micro-kernel tile (two f64x2 registers). */
const NR = 4;
/** Terms of the sum per block: an A micro-panel (MR x KC) plus a B panel (KC x NR) is 16 KiB, in L1. */
const KC = 256;
/** Columns per block: a packed KC x NC block of B is 512 KiB, in L2. */
const NC = 256;

/** Bytes of packing buffer that `gemm` needs: one KC x NC block of op(B). */
export const PACK_BYTES: i32 = KC * NC * 8;

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
      for (; i + MR <= n; i += MR) {
        const ai = aBlock + <usize>i * aRowStep;
        const ci = c + <usize>i * ldcBytes + (<usize>j0 << 3);
        for (let jp = 0; jp < panels; jp++) {
          const cols = min(NR, nc - jp * NR);
          kernel4x4(kc, ai, aRowStep, aTermStep, pack + <usize>jp * panelBytes, ci + <usize>(jp * NR * 8), ldcBytes, cols, add);
        }
      }
      // The last n mod 4 rows, one at a time.
      for (; i < n; i++) {
        const ai = aBlock + <usize>i * aRowStep;
        const ci = c + <usize>i * ldcBytes + (<usize>j0 << 3);
        for (let jp = 0; jp < panels; jp++) {
          const cols = min(NR, nc - jp * NR);
          kernel1x4(kc, ai, aTermStep, pack + <usize>jp * panelBytes, ci + <usize>(jp * NR * 8), cols, add);
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
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < NR; q++) store<f64>(dst + (<usize>q << 3), q < cols ? load<f64>(src + (<usize>q << 3)) : 0);
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
 * The micro-kernel: the 4 x 4 tile C[i..i+4, j..j+4] (its first `cols` columns stored) of
 * Σ_p op(A)[i+r, p] · panel[p, c] over kc terms. `a` addresses op(A)[i, p0]; the tile is written to
 * C (or added to it when `add`).
 */
// @ts-ignore: decorator
@inline
function kernel4x4(
  kc: i32, a: usize, aRowStep: usize, aTermStep: usize, panel: usize, c: usize, ldcBytes: usize, cols: i32, add: bool,
): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let a0 = a;
  let a1 = a0 + aRowStep;
  let a2 = a1 + aRowStep;
  let a3 = a2 + aRowStep;
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
  storeRow(c + ldcBytes, c10, c11, cols, add);
  storeRow(c + 2 * ldcBytes, c20, c21, cols, add);
  storeRow(c + 3 * ldcBytes, c30, c31, cols, add);
}

/** The micro-kernel for a single row of C: C[i, j..j+4] over kc terms. */
// @ts-ignore: decorator
@inline
function kernel1x4(kc: i32, a: usize, aTermStep: usize, panel: usize, c: usize, cols: i32, add: bool): void {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
  let pa = a;
  let pb = panel;
  for (let p = 0; p < kc; p++) {
    const x = v128.load64_splat(pa);
    c0 = f64x2.add(c0, f64x2.mul(x, v128.load(pb)));
    c1 = f64x2.add(c1, f64x2.mul(x, v128.load(pb, 16)));
    pa += aTermStep;
    pb += 32;
  }
  storeRow(c, c0, c1, cols, add);
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
