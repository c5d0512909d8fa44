/**
 * The natural logarithm exactly as glibc computes it on x86-64, so that numpy's legacy Gaussian
 * draws (which call the C library's `log`) can be reproduced bit for bit.
 *
 * `Math.log` is accurate to within 1 ulp but is not glibc's `log`: over 2·10⁶ of numpy's Gaussian draws
 * about 3% came out one or two ulps apart. glibc ≥ 2.28 uses ARM's optimized-routines algorithm (a
 * 128-entry table and two polynomials, error < 0.52 ulp), and on a CPU with FMA and AVX2 its `log`
 * resolves to a build whose multiply-adds are fused. `glibcLog` follows that build operation by
 * operation (checked against the instructions of glibc 2.36's `__log_fma`), with an exact software
 * `fma`. On machines where glibc picks its SSE2 build, or with another C library (macOS, Windows),
 * numpy's own results can differ from these in rare last-bit cases.
 */
import { A, B, INVC_LOGC, LN2_HI, LN2_LO } from './glibc-log-table';

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's constant for splitting a double into 26 + 27 bits
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/** x rounded to odd: x itself if representable, else whichever neighbour has an odd last bit. */
function roundToOdd(sum: number, err: number): number {
  bits[0] = sum;
  if (err === 0 || (words[LO] & 1) === 1) return sum;
  // sum is even and the exact value lies beyond it in err's direction: step one ulp that way.
  const awayFromZero = (err > 0) === (sum > 0);
  if (awayFromZero) {
    words[LO] = (words[LO] + 1) >>> 0;
    if (words[LO] === 0) words[HI] += 1;
  } else {
    if (words[LO] === 0) words[HI] -= 1;
    words[LO] = (words[LO] - 1) >>> 0;
  }
  return bits[0];
}

/**
 * The fused multiply-add a·b + c with a single rounding, as the FMA instruction computes it, emulated
 * with error-free transformations and rounding to odd (Boldo & Melquiond, "Emulation of FMA and
 * correctly rounded sums", IEEE Trans. Computers 57(4), 2008). Exact when |a|, |b|, |c| < 2⁹⁹⁵ and the
 * product a·b is 0 (a or b zero) or of magnitude in (2⁻⁹⁰⁰, 2⁹⁹⁵), so that no step overflows or
 * underflows — which covers every call `glibcLog` makes; otherwise it returns the unfused `a * b + c`.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  const inRange = Math.abs(a) < 2 ** 995 && Math.abs(b) < 2 ** 995 && ap < 2 ** 995 && Math.abs(c) < 2 ** 995 &&
    (p === 0 ? a === 0 || b === 0 : ap > 2 ** -900);
  if (!inRange) return p + c;
  // p + e = a·b exactly (Dekker's product with Veltkamp's split)
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // s + u = p + c exactly (Knuth's TwoSum)
  const s = p + c;
  const sb = s - p;
  const u = (p - (s - sb)) + (c - sb);
  // v = u + e rounded to odd, then one rounding to nearest of s + v
  const v = u + e;
  const vb = v - u;
  const verr = (u - (v - vb)) + (e - vb);
  return s + roundToOdd(v, verr);
}

const LOWEST_NORMAL = 2.2250738585072014e-308;
const NEAR_ONE_LO = 1 - 2 ** -4; // [NEAR_ONE_LO, NEAR_ONE_HI): log(1 + r) by a polynomial in r = x − 1
const NEAR_ONE_HI = 1 + 0x109 / 2 ** 12;

/**
 * ln(x), bit for bit as glibc 2.28+ computes it in its FMA build (x86-64 with FMA and AVX2): the value
 * numpy's legacy `standard_normal` feeds into its polar Box–Muller step. log(0) = −∞, log(x < 0) = NaN.
 */
export function glibcLog(x: number): number {
  if (x >= NEAR_ONE_LO && x < NEAR_ONE_HI) {
    if (x === 1) return 0;
    // log(1 + r) = r − r²/2 + r³·P(r); r²/2 is split so that r − r²/2 is summed exactly.
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const q1 = fma(r2, B[3], fma(r, B[2], B[1]));
    const q2 = fma(r2, B[6], fma(r, B[5], B[4]));
    let q3 = fma(r2, B[9], fma(r, B[8], B[7]));
    q3 = fma(r3, B[10], q3);
    const poly = fma(fma(q3, r3, q2), r3, q1);
    const w = r * 2 ** 27;
    const rhi = r + w - w; // the high 26 bits of r: rhi² and rhi²·B0 are exact
    const rlo = r - rhi;
    const hi = r + rhi * rhi * B[0];
    const lo = fma(B[0] * rlo, rhi + r, r - hi + rhi * rhi * B[0]);
    return hi + fma(poly, r3, lo);
  }
  let k = 0;
  let xs = x;
  if (!(x >= LOWEST_NORMAL && x < Infinity)) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return Infinity;
    if (!(x > 0)) return NaN; // negative or NaN
    xs = x * 2 ** 52; // subnormal: scale into the normal range
    k = -52;
  }
  // x = 2^k·z with z in [0.6875, 1.375); the table entry i has c ≈ z (and the split is on the bits).
  bits[0] = xs;
  const tmpHi = (words[HI] - 0x3fe60000) | 0; // high word of bits(x) − bits(0.6875)
  const i = (tmpHi >>> 13) & 127;
  const kx = tmpHi >> 20;
  k += kx;
  words[HI] -= kx * 2 ** 20;
  const z = bits[0];
  const invc = INVC_LOGC[2 * i];
  const logc = INVC_LOGC[2 * i + 1];
  // log(x) = k·ln2 + log(c) + log1p(r), r = z/c − 1 = z·invc − 1 (fused: exact to one rounding)
  const r = fma(z, invc, -1);
  const w = fma(k, LN2_HI, logc);
  const hi = w + r;
  const lo = fma(k, LN2_LO, w - hi + r);
  const r2 = r * r;
  const p = fma(fma(r, A[4], A[3]), r2, fma(r, A[2], A[1]));
  return fma(r * r2, p, fma(r2, A[0], lo)) + hi;
}
