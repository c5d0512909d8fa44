import seedrandom from 'seedrandom';
import { NonFiniteError } from './limits';

/**
 * A source of random numbers. Everything random in the library (initial weights, data sets,
 * splits, sampled gradient checks) draws from one of these, passed in by the caller: nothing
 * reads a global generator. Implement it to plug in another generator.
 */
export interface RandomSource {
  /** A uniform draw from [0, 1). */
  uniform(): number;
  /** A draw from the standard normal distribution N(0, 1). */
  normal(): number;
  /**
   * Optional: permutes `values` in place. A source that mirrors another library's shuffle
   * (numpy's, say) provides it; without it `shuffleInPlace` runs a Fisher–Yates shuffle on `uniform()`.
   */
  shuffle?(values: number[]): void;
}

/** A seed: any string or finite number; the same seed gives the same sequence of draws. */
export type Seed = string | number;

/** Throws unless `seed` is a string or a finite number; `name` is the parameter's name in the message. */
export function checkSeed(seed: unknown, name = 'seed'): Seed {
  if (typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))) return seed;
  throw new Error(`${name} must be a string or a finite number; received ${
    typeof seed === 'number' ? String(seed) : seed === null ? 'null' : typeof seed}`);
}

/**
 * A seeded `RandomSource` built on seedrandom (ARC4): `uniform()` returns 53-bit doubles in [0, 1),
 * `normal()` uses the polar Box–Muller method, keeping the second value of each pair for the next call.
 */
export function seededRandom(seed: Seed): RandomSource {
  checkSeed(seed);
  const prng = seedrandom(String(seed));
  let spare: number | null = null;
  return {
    uniform: () => prng.double(),
    normal: () => {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      const pair = polarBoxMuller(() => prng.double(), Math.log);
      spare = pair.next;
      return pair.now;
    },
  };
}

/**
 * Two independent N(0, 1) draws by the polar Box–Muller method: draw x1, x2 uniform in (−1, 1) until
 * 0 < r² = x1² + x2² < 1; with f = √(−2 ln r² / r²), `now` = f·x2 is returned at once and `next` = f·x1
 * is kept for the following call (numpy's legacy order). `log` is the logarithm to use.
 */
export function polarBoxMuller(uniform: () => number, log: (x: number) => number): { now: number; next: number } {
  let x1: number, x2: number, r2: number;
  do {
    x1 = 2 * uniform() - 1;
    x2 = 2 * uniform() - 1;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1 || r2 === 0);
  const f = Math.sqrt((-2 * log(r2)) / r2);
  return { now: f * x2, next: f * x1 };
}

/** Checks that `random` looks like a `RandomSource`; `name` is the parameter's name in the message. */
export function checkRandomSource(random: unknown, name = 'random'): RandomSource {
  const r = random as Partial<RandomSource> | null;
  if (r === null || typeof r !== 'object' || typeof r.uniform !== 'function' || typeof r.normal !== 'function') {
    throw new Error(`${name} must be a RandomSource with uniform() and normal() methods; received ${
      r === null ? 'null' : typeof r}`);
  }
  return r as RandomSource;
}

/**
 * `random` with every draw checked: `uniform()` must return a number in [0, 1) and `normal()` a finite
 * number, else the draw throws (a `NonFiniteError` for NaN or ±Infinity) naming `where`, the method
 * and the draw's number, instead of letting a NaN flow silently into weights or data. The draws are
 * `random`'s own, unchanged, and its `shuffle` (if any) is kept.
 */
export function checkedRandomSource(random: RandomSource, where: string): RandomSource {
  let draws = 0;
  const bad = (method: string, value: unknown, expected: string): never => {
    const message = `${where}: random.${method}() must return ${expected}; received ${
      typeof value === 'number' ? String(value) : typeof value} (draw ${draws})`;
    throw typeof value === 'number' && !Number.isFinite(value) ? new NonFiniteError(message) : new Error(message);
  };
  const checked: RandomSource = {
    uniform() {
      draws++;
      const u = random.uniform();
      if (!(typeof u === 'number' && u >= 0 && u < 1)) bad('uniform', u, 'a number in [0, 1)');
      return u;
    },
    normal() {
      draws++;
      const v = random.normal();
      if (!(typeof v === 'number' && Number.isFinite(v))) bad('normal', v, 'a finite number');
      return v;
    },
  };
  if (typeof random.shuffle === 'function') checked.shuffle = (values) => (random.shuffle as (v: number[]) => void).call(random, values);
  return checked;
}

/**
 * The random source an options object asks for: exactly one of `seed` (a string or number) or
 * `random` (a `RandomSource`, wrapped by `checkedRandomSource` so that a NaN draw throws) must be
 * given. `where` names the function in error messages.
 */
export function resolveRandom(options: { seed?: Seed; random?: RandomSource }, where: string): RandomSource {
  const hasSeed = options.seed !== undefined;
  const hasRandom = options.random !== undefined;
  if (hasSeed && hasRandom) {
    throw new Error(`${where}: give either seed or random, not both`);
  }
  if (hasRandom) return checkedRandomSource(checkRandomSource(options.random, `${where}: random`), where);
  if (hasSeed) return seededRandom(checkSeed(options.seed, `${where}: seed`));
  throw new Error(`${where}: seed is required (a string or number), or pass random, a RandomSource; received neither`);
}

/** Permutes `values` in place with `random.shuffle` if the source has one, else Fisher–Yates. */
export function shuffleInPlace(random: RandomSource, values: number[]): void {
  if (typeof random.shuffle === 'function') {
    random.shuffle(values);
    return;
  }
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
