import { Matrix } from '../core/matrix';
import { RandomSource, polarBoxMuller } from '../core/random';
import { glibcLog } from './glibc-log';

/** MT19937 parameters (Matsumoto & Nishimura 1998), as numpy's `mt19937.c` uses them. */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  return typeof value;
}

function checkCount(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${where}: ${name} must be a non-negative integer; received ${describe(value)}`);
  }
  return value;
}

/**
 * numpy's legacy random generator, `np.random.RandomState(seed)` (what `np.random.seed(seed)` sets up
 * for the global `np.random.*` functions), reproduced draw for draw: the same Mersenne Twister state,
 * the same uint32 stream, the same doubles, the same Gaussian draws (including the cached second value
 * of each pair) and the same shuffles. With it, `makeCircles` and the tutorial's `initialize` see the
 * numbers the tutorial's numpy program saw.
 *
 * Only the methods the tutorial needs are implemented; each names the numpy function it mirrors.
 *
 * @example
 * const rs = new NumpyRandomState(42);   // np.random.seed(42)
 * rs.randn(2, 4);                         // np.random.randn(2, 4)
 */
export class NumpyRandomState implements RandomSource {
  private readonly mt = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /**
   * The state `np.random.seed(seed)` / `RandomState(seed)` sets for an integer seed: numpy ≥ 1.17's
   * `_legacy_seeding` calls `mt19937_seed(state, seed)`, Knuth's linear recurrence
   * `mt[i] = 1812433253·(mt[i−1] ⊕ (mt[i−1] >> 30)) + i` (mod 2³²) from `mt[0] = seed` (the reference
   * `init_genrand`, not `init_by_array`), and clears the cached Gaussian.
   *
   * @param seed an integer in [0, 2³² − 1], the range numpy accepts.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`NumpyRandomState: seed must be an integer in [0, 2**32 - 1] = [0, 4294967295], ` +
        `as numpy's RandomState(seed) requires; received ${describe(seed)}`);
    }
    const mt = this.mt;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  /** Regenerates the 624 words of state (the "twist"). */
  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** The next raw 32-bit output of the generator, an integer in [0, 2³² − 1] (numpy's `mt19937_next32`). */
  nextUint32(): number {
    if (this.pos === N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits, numpy's `random_sample()` / `rand()`: two uint32
   * draws a and b give ((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³.
   */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `n` uniform draws, numpy's `random_sample(n)` (the same values as n calls of `uniform()`). */
  randomSample(n: number): Float64Array {
    const out = new Float64Array(checkCount('randomSample', 'n', n));
    for (let i = 0; i < out.length; i++) out[i] = this.uniform();
    return out;
  }

  /**
   * A standard normal draw, numpy's legacy `standard_normal()` / `randn()` (`legacy_gauss`): the polar
   * Box–Muller method draws x1, x2 uniform in (−1, 1) until 0 < r² = x1² + x2² < 1, returns
   * x2·√(−2 ln r² / r²) and keeps x1·√(−2 ln r² / r²) for the next call. The kept value survives other
   * kinds of draws (uniforms, shuffles) in between, as in numpy; only re-seeding clears it. The
   * logarithm is glibc's (`glibcLog`): with `Math.log`, about 3% of the draws would be an ulp off.
   */
  normal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    const pair = polarBoxMuller(() => this.uniform(), glibcLog);
    this.gauss = pair.next;
    this.hasGauss = true;
    return pair.now;
  }

  /**
   * A `rows x cols` matrix of standard normal draws filled row by row, numpy's `randn(rows, cols)`
   * (the same values as rows·cols calls of `normal()`).
   */
  randn(rows: number, cols: number): Matrix {
    const m = new Matrix(checkCount('randn', 'rows', rows), checkCount('randn', 'cols', cols));
    for (let i = 0; i < m.data.length; i++) m.data[i] = this.normal();
    return m;
  }

  /**
   * A uniform integer in [0, max], numpy's `random_interval(max)`: masked rejection sampling, drawing
   * uint32s `& mask` (mask = the smallest 2^k − 1 ≥ max) until one is ≤ max; for max > 2³² − 1 it draws
   * 64-bit words (first uint32 high, second low) instead.
   *
   * @param max an integer in [0, 2⁵³ − 1].
   */
  randomInterval(max: number): number {
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) {
      throw new Error(`randomInterval: max must be an integer in [0, 2**53 - 1]; received ${describe(max)}`);
    }
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      let mask = max;
      mask |= mask >>> 1;
      mask |= mask >>> 2;
      mask |= mask >>> 4;
      mask |= mask >>> 8;
      mask |= mask >>> 16;
      mask >>>= 0;
      let value: number;
      do value = (this.nextUint32() & mask) >>> 0; while (value > max);
      return value;
    }
    // 64-bit branch: mask = 2^k − 1 with k the bit length of max (k ≤ 53), split into high/low words.
    const high = Math.floor(max / TWO_32);
    let maskHigh = 1;
    while (maskHigh < high) maskHigh = maskHigh * 2 + 1;
    let value: number;
    do {
      const h = this.nextUint32() & maskHigh;
      value = h * TWO_32 + this.nextUint32();
    } while (value > max);
    return value;
  }

  /**
   * Permutes `values` in place as numpy's legacy `RandomState.shuffle` permutes a 1-d array: for i from
   * n − 1 down to 1, swap entries i and `randomInterval(i)`.
   */
  shuffle(values: number[]): void {
    if (!Array.isArray(values)) throw new Error(`shuffle: values must be an array of numbers; received ${describe(values)}`);
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
