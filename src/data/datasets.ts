import { checkLimit } from '../core/limits';
import { Matrix, describeValue } from '../core/matrix';
import { RandomSource, Seed, resolveRandom, shuffleInPlace } from '../core/random';

/**
 * A labelled data set: inputs X (`n x d`, one sample per row) and targets y (`n x k`).
 *
 * The five generators (`makeCircles`, `makeMoons`, `makeXor`, `makeGaussians`, `makeSpiral`) all
 * draw points in the plane (d = 2) on one scale, about [−1, 1]² before noise (the moons reach
 * [−1, 2] x [−0.5, 1]), so that one chart range and one learning rate suit them all. With two
 * classes y is `n x 1`, labels 0/1 (for sigmoid with binary cross-entropy); with k > 2 classes
 * (`makeSpiral`'s `nClasses`) y is one-hot, `n x k`, every row summing to 1 (for softmax with
 * categorical cross-entropy). Each generator shuffles the points, then adds the noise, and draws
 * everything from its `seed` or `random`: the same seed gives the same bytes.
 */
export interface Dataset {
  /** Inputs, `n x d`. */
  X: Matrix;
  /** Targets, `n x k`: `n x 1` labels 0/1 for two classes, one-hot rows for more. */
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

/** nSamples, checked: an integer ≥ 1 within `LIMITS.samples`. */
function checkSamples(where: string, value: unknown): number {
  const n = checkCount(where, 'nSamples', value);
  checkLimit(where, 'nSamples', n, 'samples');
  return n;
}

function checkOptionsObject(where: string, options: unknown, like: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${where}: options must be an object like ${like}; received ${describeValue(options)}`);
  }
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
  return assemble(xs, ys, (i) => (i < nFirst ? 0 : 1), 2, random, shuffle, noise);
}

/**
 * The data set of the points (xs[i], ys[i]) with classes label(i) in 0..k−1: the points permuted by
 * one shuffle of the indices 0..n−1 (when `shuffle`), then N(0, noise²) added to X row by row (when
 * noise is given). y is `n x 1` labels for k = 2, one-hot `n x k` for k > 2.
 */
function assemble(
  xs: number[], ys: number[], label: (i: number) => number, k: number, random: RandomSource, shuffle: boolean,
  noise: number | undefined,
): Dataset {
  const n = xs.length;
  const order = Array.from({ length: n }, (_, i) => i);
  if (shuffle) shuffleInPlace(random, order);
  const X = new Matrix(n, 2);
  const y = new Matrix(n, k === 2 ? 1 : k);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    X.data[2 * r] = xs[i];
    X.data[2 * r + 1] = ys[i];
    if (k === 2) y.data[r] = label(i);
    else y.data[r * k + label(i)] = 1;
  }
  if (noise !== undefined) {
    for (let j = 0; j < 2 * n; j++) X.data[j] += noise * random.normal();
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
  checkOptionsObject(where, options, '{ nSamples, factor, noise, seed }');
  const n = checkSamples(where, options.nSamples);
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
  checkOptionsObject(where, options, '{ nSamples, noise, seed }');
  const n = checkSamples(where, options.nSamples);
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

/** Options of `makeXor`. */
export interface MakeXorOptions extends RandomOptions {
  /** Total number of points n (a positive integer): ⌊n/2⌋ labelled 0, the rest 1. */
  nSamples: number;
  /** Standard deviation of Gaussian noise added to every coordinate, ≥ 0. Default: no noise, no draws. */
  noise?: number;
}

/**
 * The XOR problem in the plane: points uniform in the square [−1, 1]², labelled by whether their two
 * coordinates have different signs — (x₁ > 0) XOR (x₂ > 0), so class 0 fills the quadrants I and
 * III and class 1 the quadrants II and IV. ⌊n/2⌋ points are drawn in class 0, the rest in class 1
 * (for each point: x₁ = 2u − 1, then |x₂| = u′, u and u′ uniform in [0, 1), with the sign of x₂ that
 * puts it in its class's quadrants); then shuffled, then noisy (the labels stay those of the clean
 * points, so noise blurs the axes).
 *
 * @returns X: `n x 2` coordinates, y: `n x 1` labels in {0, 1}.
 * @example makeXor({ nSamples: 400, noise: 0.05, seed: 1 })
 */
export function makeXor(options: MakeXorOptions): Dataset {
  const where = 'makeXor';
  checkOptionsObject(where, options, '{ nSamples, noise, seed }');
  const n = checkSamples(where, options.nSamples);
  const noise = checkNoise(where, options.noise);
  const random = resolveRandom(options, where);
  const nFirst = Math.floor(n / 2);
  const xs = new Array<number>(n);
  const ys = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x1 = 2 * random.uniform() - 1;
    const magnitude = random.uniform();
    const sameSign = i < nFirst;
    xs[i] = x1;
    ys[i] = (x1 >= 0) === sameSign ? magnitude : -magnitude;
  }
  return assemble(xs, ys, (i) => (i < nFirst ? 0 : 1), 2, random, true, noise);
}

/** Options of `makeGaussians`. */
export interface MakeGaussiansOptions extends RandomOptions {
  /** Total number of points n (a positive integer): ⌊n/2⌋ in the blob of class 0, the rest in class 1's. */
  nSamples: number;
  /** Standard deviation σ of each blob along each coordinate, ≥ 0. Default {@link GAUSSIANS_NOISE} (0.3). */
  noise?: number;
}

/** The default spread σ of `makeGaussians`' blobs. */
export const GAUSSIANS_NOISE = 0.3;

/**
 * Two Gaussian blobs ("gaussians"), the linearly separable warm-up: ⌊n/2⌋ points around the centre
 * (−0.5, −0.5) labelled 0, the rest around (0.5, 0.5) labelled 1, each point its centre plus
 * N(0, σ²) on each coordinate with σ = `noise` (default 0.3). Shuffled, then the Gaussian part drawn,
 * as in the other generators.
 *
 * @returns X: `n x 2` coordinates, y: `n x 1` labels in {0, 1}.
 * @example makeGaussians({ nSamples: 200, seed: 3 })
 */
export function makeGaussians(options: MakeGaussiansOptions): Dataset {
  const where = 'makeGaussians';
  checkOptionsObject(where, options, '{ nSamples, noise, seed }');
  const n = checkSamples(where, options.nSamples);
  const noise = checkNoise(where, options.noise) ?? GAUSSIANS_NOISE;
  const random = resolveRandom(options, where);
  const nFirst = Math.floor(n / 2);
  const centre = Array.from({ length: n }, (_, i) => (i < nFirst ? -0.5 : 0.5));
  return assemble(centre, centre.slice(), (i) => (i < nFirst ? 0 : 1), 2, random, true, noise);
}

/** Options of `makeSpiral`. */
export interface MakeSpiralOptions extends RandomOptions {
  /** Total number of points n, an integer ≥ nClasses: class c gets ⌊(c + 1)·n/k⌋ − ⌊c·n/k⌋ of them. */
  nSamples: number;
  /** Number of classes (arms) k, an integer ≥ 2; default 2. */
  nClasses?: number;
  /** Standard deviation of Gaussian noise added to every coordinate, ≥ 0. Default: no noise, no draws. */
  noise?: number;
}

/** How far each arm of `makeSpiral` turns around the origin, in revolutions. */
export const SPIRAL_TURNS = 1;

/**
 * Interleaved spirals, one arm per class: the m points of class c (c = 0..k−1) lie at radii
 * r_i = (i + 1)/m (i = 0..m−1, so out to radius 1) and angles θ_i = 2π·c/k + 2π·r_i (each arm turns
 * once around the origin, `SPIRAL_TURNS`), at (r_i cos θ_i, r_i sin θ_i). Class c gets
 * ⌊(c + 1)·n/k⌋ − ⌊c·n/k⌋ points (⌊n/2⌋ in class 0 for two classes, like the other generators).
 * Shuffled, then noisy.
 *
 * @returns X: `n x 2` coordinates; y: `n x 1` labels 0/1 for k = 2, one-hot `n x k` for k > 2.
 * @example makeSpiral({ nSamples: 600, nClasses: 3, noise: 0.05, seed: 0 })
 */
export function makeSpiral(options: MakeSpiralOptions): Dataset {
  const where = 'makeSpiral';
  checkOptionsObject(where, options, '{ nSamples, nClasses, noise, seed }');
  const n = checkSamples(where, options.nSamples);
  const k = options.nClasses === undefined ? 2 : checkCount(where, 'nClasses', options.nClasses, 2);
  if (k > n) throw new Error(`${where}: nClasses must be at most nSamples = ${n} (every class needs a point); received ${k}`);
  const noise = checkNoise(where, options.noise);
  const random = resolveRandom(options, where);
  const xs = new Array<number>(n);
  const ys = new Array<number>(n);
  const labels = new Array<number>(n);
  let at = 0;
  for (let c = 0; c < k; c++) {
    const m = Math.floor(((c + 1) * n) / k) - Math.floor((c * n) / k);
    for (let i = 0; i < m; i++, at++) {
      const r = (i + 1) / m;
      const theta = (2 * Math.PI * c) / k + 2 * Math.PI * SPIRAL_TURNS * r;
      xs[at] = r * Math.cos(theta);
      ys[at] = r * Math.sin(theta);
      labels[at] = c;
    }
  }
  return assemble(xs, ys, (i) => labels[i], k, random, true, noise);
}

/**
 * One-hot encoding: the `n x k` matrix Y with Y_ij = 1 when labels[i] = j, else 0 (each row sums to
 * 1), the targets of `categoricalCrossEntropy`. `labels`: n class labels, integers in 0..k−1, as an
 * array or an `n x 1` Matrix; k: the number of classes, an integer ≥ 1.
 * @example oneHot([2, 0, 1], 3) // rows [0, 0, 1], [1, 0, 0], [0, 1, 0]
 */
export function oneHot(labels: Matrix | ReadonlyArray<number>, k: number): Matrix {
  const where = 'oneHot';
  let values: ArrayLike<number>;
  if (labels instanceof Matrix) {
    if (labels.cols !== 1) throw new Error(`${where}: labels must be an n x 1 Matrix (or an array) of class labels; received ${labels.rows}x${labels.cols}`);
    values = labels.data;
  } else if (Array.isArray(labels)) {
    values = labels;
  } else {
    throw new Error(`${where}: labels must be an array or an n x 1 Matrix of class labels; received ${describeValue(labels)}`);
  }
  checkCount(where, 'k', k, 1);
  if (values.length === 0) throw new Error(`${where}: labels must hold at least one label; received none`);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= k) {
      throw new Error(`${where}: labels[${i}] must be an integer class label in 0..${k - 1}; received ${describeValue(v)}`);
    }
  }
  const Y = new Matrix(values.length, k);
  for (let i = 0; i < values.length; i++) Y.data[i * k + values[i]] = 1;
  return Y;
}

/** The names `makeDataset` knows, one per generator of this module. */
export const DATASET_NAMES = ['circles', 'moons', 'xor', 'gaussians', 'spiral'] as const;

/** A data set's name, as the notebooks' `dataset` setting holds it. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Options of `makeDataset`: what every generator shares. */
export interface MakeDatasetOptions extends RandomOptions {
  /** Total number of points n, a positive integer. */
  nSamples: number;
  /**
   * Standard deviation of the Gaussian noise on every coordinate, ≥ 0. Default: none (for
   * 'gaussians', the blobs' spread σ, default 0.3).
   */
  noise?: number;
  /** Number of classes, for 'spiral' (default 2); the other data sets have 2 (giving 2 is allowed). */
  nClasses?: number;
}

/**
 * The generator called `name` with the shared options: `'circles'` is `makeCircles` with the
 * tutorial's factor 0.5, `'moons'` is `makeMoons`, `'xor'` is `makeXor`, `'gaussians'` is
 * `makeGaussians`, `'spiral'` is `makeSpiral` (with `nClasses`). Every data set is 2-D (X is
 * `n x 2`, on the common scale described at `Dataset`); y is `n x 1` labels 0/1, or one-hot `n x k`
 * for a spiral of k > 2 classes.
 * @example makeDataset('moons', { nSamples: 500, noise: 0.2, seed: 1 })
 * @example makeDataset('spiral', { nSamples: 600, nClasses: 3, noise: 0.05, seed: 1 })
 */
export function makeDataset(name: DatasetName, options: MakeDatasetOptions): Dataset {
  const where = 'makeDataset';
  if (typeof name !== 'string' || !(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new Error(`${where}: name must be one of ${DATASET_NAMES.map((n) => `'${n}'`).join(', ')}; received ${
      typeof name === 'string' ? `'${name}'` : String(name)}`);
  }
  checkOptionsObject(where, options, '{ nSamples, noise, seed }');
  const { nSamples, noise, seed, random, nClasses } = options;
  for (const key of Object.keys(options)) {
    if (!['nSamples', 'noise', 'seed', 'random', 'nClasses'].includes(key)) {
      throw new Error(`${where}: unknown option '${key}'; the known ones are nSamples, noise, seed, random, nClasses`);
    }
  }
  if (name !== 'spiral' && nClasses !== undefined && nClasses !== 2) {
    throw new Error(`${where}: nClasses applies to 'spiral' only ('${name}' has 2 classes); received ${describeValue(nClasses)}`);
  }
  const common = { nSamples, noise, seed, random };
  switch (name) {
    case 'circles':
      return makeCircles({ ...common, factor: 0.5 });
    case 'moons':
      return makeMoons(common);
    case 'xor':
      return makeXor(common);
    case 'gaussians':
      return makeGaussians(common);
    case 'spiral':
      return makeSpiral({ ...common, nClasses });
  }
}
