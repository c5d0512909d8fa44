import { Matrix } from '../core/matrix';
import { RandomSource, Seed, resolveRandom, shuffleInPlace } from '../core/random';

/** A labelled data set: inputs X (`n x d`, one sample per row) and targets y (`n x k`). */
export interface Dataset {
  /** Inputs, `n x d`. */
  X: Matrix;
  /** Targets, `n x k` (`n x 1` labels 0/1 for the binary data sets). */
  y: Matrix;
}

/** Where the randomness comes from: exactly one of `seed` or `random`. */
export interface RandomOptions {
  /** A seed for the library's seeded source (`seededRandom`). */
  seed?: Seed;
  /** Any `RandomSource`, e.g. `new NumpyRandomState(0)` to reproduce scikit-learn's data bit for bit. */
  random?: RandomSource;
}

export interface MakeCirclesOptions extends RandomOptions {
  /** Total number of points n (a positive integer): ⌊n/2⌋ on the outer circle, the rest inside. */
  nSamples: number;
  /** Radius of the inner circle relative to the outer one, in [0, 1). Default 0.8 (scikit-learn's). */
  factor?: number;
  /** Standard deviation of Gaussian noise added to every coordinate, ≥ 0. Default: no noise, no draws. */
  noise?: number;
  /** Shuffle the samples (before the noise is drawn, as scikit-learn does). Default true. */
  shuffle?: boolean;
}

export interface MakeMoonsOptions extends RandomOptions {
  /** Total number of points n (a positive integer): ⌊n/2⌋ on the upper moon, the rest on the lower. */
  nSamples: number;
  /** Standard deviation of Gaussian noise added to every coordinate, ≥ 0. Default: no noise, no draws. */
  noise?: number;
  /** Shuffle the samples (before the noise is drawn, as scikit-learn does). Default true. */
  shuffle?: boolean;
}

function checkCount(where: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${min}; received ${String(value)}`);
  }
  return value;
}

function checkNoise(where: string, noise: unknown): number | undefined {
  if (noise === undefined) return undefined;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new Error(`${where}: noise must be a finite number ≥ 0; received ${String(noise)}`);
  }
  return noise;
}

/** n evenly spaced values from start to stop, as numpy's linspace computes them (i·step + start). */
function linspace(start: number, stop: number, n: number, endpoint: boolean): number[] {
  const div = endpoint ? n - 1 : n;
  const delta = stop - start;
  const out = new Array<number>(n);
  const step = delta / div;
  for (let i = 0; i < n; i++) {
    if (div === 0) out[i] = i * delta + start;
    else out[i] = step !== 0 ? i * step + start : (i / div) * delta + start;
  }
  if (endpoint && n > 1) out[n - 1] = stop;
  return out;
}

/**
 * Two 2-D point clouds, then shuffle and noise in scikit-learn's order: the samples are permuted with
 * one shuffle of the indices 0..n−1, then N(0, noise²) is added to X row by row.
 */
function finish(
  where: string,
  xs: number[],
  ys: number[],
  nFirst: number,
  options: { shuffle?: boolean; noise?: number; seed?: Seed; random?: RandomSource },
): Dataset {
  const noise = checkNoise(where, options.noise);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`${where}: shuffle must be a boolean; received ${typeof shuffle}`);
  const random = resolveRandom(options, where);
  const n = xs.length;
  const order = Array.from({ length: n }, (_, i) => i);
  if (shuffle) shuffleInPlace(random, order);
  const X = new Matrix(n, 2);
  const y = new Matrix(n, 1);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    X.data[2 * r] = xs[i];
    X.data[2 * r + 1] = ys[i];
    y.data[r] = i < nFirst ? 0 : 1;
  }
  if (noise !== undefined) {
    for (let k = 0; k < 2 * n; k++) X.data[k] += noise * random.normal();
  }
  return { X, y };
}

/**
 * Two concentric circles in the plane, the binary classification problem of the tutorial, with
 * scikit-learn's `make_circles` semantics: ⌊n/2⌋ points evenly spaced on the unit circle (label 0),
 * the other n − ⌊n/2⌋ on a circle of radius `factor` (label 1); shuffled, then noisy.
 *
 * @returns X: `n x 2` coordinates, y: `n x 1` labels in {0, 1}.
 * @example makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, seed: 0 })
 */
export function makeCircles(options: MakeCirclesOptions): Dataset {
  const where = 'makeCircles';
  if (options === null || typeof options !== 'object') {
    throw new Error(`${where}: options must be an object like { nSamples, factor, noise, seed }; received ${String(options)}`);
  }
  const n = checkCount(where, 'nSamples', options.nSamples);
  const factor = options.factor ?? 0.8;
  if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
    throw new Error(`${where}: factor must be a number in [0, 1); received ${String(factor)}`);
  }
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const tOut = linspace(0, 2 * Math.PI, nOut, false);
  const tIn = linspace(0, 2 * Math.PI, nIn, false);
  const xs = [...tOut.map(Math.cos), ...tIn.map((t) => Math.cos(t) * factor)];
  const ys = [...tOut.map(Math.sin), ...tIn.map((t) => Math.sin(t) * factor)];
  return finish(where, xs, ys, nOut, options);
}

/**
 * Two interleaving half circles ("moons"), with scikit-learn's `make_moons` semantics: ⌊n/2⌋ points on
 * the upper arc (cos t, sin t), t ∈ [0, π] (label 0), the rest on the lower arc (1 − cos t, 0.5 − sin t)
 * (label 1); shuffled, then noisy.
 *
 * @returns X: `n x 2` coordinates, y: `n x 1` labels in {0, 1}.
 */
export function makeMoons(options: MakeMoonsOptions): Dataset {
  const where = 'makeMoons';
  if (options === null || typeof options !== 'object') {
    throw new Error(`${where}: options must be an object like { nSamples, noise, seed }; received ${String(options)}`);
  }
  const n = checkCount(where, 'nSamples', options.nSamples);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const tOut = linspace(0, Math.PI, nOut, true);
  const tIn = linspace(0, Math.PI, nIn, true);
  const xs = [...tOut.map(Math.cos), ...tIn.map((t) => 1 - Math.cos(t))];
  const ys = [...tOut.map(Math.sin), ...tIn.map((t) => 1 - Math.sin(t) - 0.5)];
  return finish(where, xs, ys, nOut, options);
}

export interface TrainTestSplitOptions extends RandomOptions {
  /** Fraction of the samples held out for testing, in (0, 1). Default 0.25. */
  testFraction?: number;
}

/**
 * Splits a data set into a training and a test part after a random permutation of the rows:
 * the test part has round(n · testFraction) rows (at least 1), the training part the rest.
 */
export function trainTestSplit(
  X: Matrix,
  y: Matrix,
  options: TrainTestSplitOptions,
): { XTrain: Matrix; yTrain: Matrix; XTest: Matrix; yTest: Matrix } {
  const where = 'trainTestSplit';
  if (!(X instanceof Matrix)) throw new Error(`${where}: X must be a Matrix; received ${typeof X}`);
  if (!(y instanceof Matrix)) throw new Error(`${where}: y must be a Matrix; received ${typeof y}`);
  if (y.rows !== X.rows) {
    throw new Error(`${where}: y must have one row per row of X (${X.rows}); received ${y.rows}x${y.cols}`);
  }
  if (X.rows < 2) throw new Error(`${where}: X must have at least 2 rows to split; received ${X.rows}`);
  const fraction = options?.testFraction ?? 0.25;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new Error(`${where}: testFraction must be a number in (0, 1); received ${String(fraction)}`);
  }
  const random = resolveRandom(options ?? {}, where);
  const n = X.rows;
  const nTest = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(random, order);
  const take = (m: Matrix, idx: number[]): Matrix => {
    const out = new Matrix(idx.length, m.cols);
    idx.forEach((src, r) => out.data.set(m.data.subarray(src * m.cols, (src + 1) * m.cols), r * m.cols));
    return out;
  };
  const testIdx = order.slice(0, nTest);
  const trainIdx = order.slice(nTest);
  return { XTrain: take(X, trainIdx), yTrain: take(y, trainIdx), XTest: take(X, testIdx), yTest: take(y, testIdx) };
}

/** The names `makeDataset` knows, one per generator of this module. */
export const DATASET_NAMES = ['circles', 'moons'] as const;

/** A data set's name, as the notebooks' `dataset` setting holds it. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Options of `makeDataset`: what every generator shares. */
export interface MakeDatasetOptions extends RandomOptions {
  /** Total number of points n, a positive integer. */
  nSamples: number;
  /** Standard deviation of the Gaussian noise on every coordinate, ≥ 0. Default: none. */
  noise?: number;
}

/**
 * The generator called `name` with the shared options: `'circles'` is `makeCircles` with the
 * tutorial's factor 0.5, `'moons'` is `makeMoons`. Every data set is 2-D (X is `n x 2`); y is
 * `n x 1` labels 0/1.
 * @example makeDataset('moons', { nSamples: 500, noise: 0.2, seed: 1 })
 */
export function makeDataset(name: DatasetName, options: MakeDatasetOptions): Dataset {
  const where = 'makeDataset';
  if (typeof name !== 'string' || !(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new Error(`${where}: name must be one of ${DATASET_NAMES.map((n) => `'${n}'`).join(', ')}; received ${
      typeof name === 'string' ? `'${name}'` : String(name)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new Error(`${where}: options must be an object like { nSamples, noise, seed }; received ${String(options)}`);
  }
  const { nSamples, noise, seed, random } = options;
  const common = { nSamples, noise, seed, random };
  switch (name) {
    case 'circles':
      return makeCircles({ ...common, factor: 0.5 });
    case 'moons':
      return makeMoons(common);
  }
}
