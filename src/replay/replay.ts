/**
 * The tutorial's numpy program (section 5), replayed line for line: same data, same initial weights,
 * same arithmetic — including its mistakes — and the same printed output. The published run
 * (`Before training - loss value [[693.62972747]] accuracy 0.5` … `Iteration 149 - loss value
 * [[683.6170298]] accuracy 0.614`) comes out character for character.
 *
 * The numbers in the comments refer to the list of known errors in the tutorial (seed README).
 */
import { Dataset, makeCircles } from '../data/datasets';
import { Matrix } from '../core/matrix';
import { NumpyRandomState } from './numpy-random';

/** Options of the tutorial's program; every one defaults to the published value. */
export interface ReplayOptions {
  /** Seed of `np.random.seed(dataSeed)` before `make_circles` draws the data. Default 0. */
  dataSeed?: number;
  /** `make_circles(n_samples=…)`: number of points. Default 1000. */
  nSamples?: number;
  /** `make_circles(factor=…)`: inner radius relative to the outer one, in [0, 1). Default 0.5. */
  factor?: number;
  /** `make_circles(noise=…)`: standard deviation of the Gaussian noise, ≥ 0. Default 0.1. */
  noise?: number;
  /** Seed of `initialize(seed)`, which re-seeds numpy before drawing the weights. Default 42. */
  initSeed?: number;
  /** Layer sizes from input to output, 2 inputs (x, y) and 1 output. Default [2, 4, 3, 1]. */
  layers?: number[];
  /** Number of full-batch gradient steps. Default 150. */
  epochs?: number;
  /** Learning rate η of `W -= η·dW`, `b -= η·db`. Default 0.005. */
  learningRate?: number;
}

/** A replayed run: the printed lines and the numbers behind them. */
export interface ReplayRun {
  /** What the program prints: `Before training - …`, then `Iteration 0 - …` to `Iteration epochs−1 - …`. */
  lines: string[];
  /** The printed losses (before training, then one per epoch: the loss of that epoch's forward pass). */
  loss: number[];
  /** The printed accuracies, fraction of samples with (ŷ > 0.5) equal to the label. */
  accuracy: number[];
  /** The options with defaults filled in. */
  options: Required<ReplayOptions>;
  /** The data the network was trained on (`make_circles`' X, and y as an `n x 1` column). */
  data: Dataset;
}

const DEFAULTS: Required<ReplayOptions> = {
  dataSeed: 0,
  nSamples: 1000,
  factor: 0.5,
  noise: 0.1,
  initSeed: 42,
  layers: [2, 4, 3, 1],
  epochs: 150,
  learningRate: 0.005,
};

/** `np.finfo(float).eps`, the floor the tutorial clips probabilities to before taking logs. */
const EPSILON = 2 ** -52;

function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  return typeof value;
}

function resolveOptions(options: ReplayOptions | undefined): Required<ReplayOptions> {
  const where = 'replayTutorial';
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new Error(`${where}: options must be an object like { epochs: 20 } or omitted; received ${describe(options)}`);
  }
  for (const key of Object.keys(options ?? {})) {
    if (!(key in DEFAULTS)) {
      throw new Error(`${where}: unknown option ${JSON.stringify(key)}; expected some of ${Object.keys(DEFAULTS).join(', ')}`);
    }
  }
  const o: Required<ReplayOptions> = { ...DEFAULTS, ...options };
  for (const key of Object.keys(o) as (keyof ReplayOptions)[]) {
    if (o[key] === undefined) (o as Record<string, unknown>)[key] = DEFAULTS[key];
  }
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new Error(`${where}: ${name} must be ${expected}; received ${describe(value)}`);
  };
  const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (!isInt(o.dataSeed, 0, 0xffffffff)) fail('dataSeed', 'an integer in [0, 2**32 - 1] (a numpy seed)', o.dataSeed);
  if (!isInt(o.initSeed, 0, 0xffffffff)) fail('initSeed', 'an integer in [0, 2**32 - 1] (a numpy seed)', o.initSeed);
  if (!isInt(o.nSamples, 1)) fail('nSamples', 'an integer ≥ 1', o.nSamples);
  if (typeof o.factor !== 'number' || !(o.factor >= 0 && o.factor < 1)) fail('factor', 'a number in [0, 1)', o.factor);
  if (typeof o.noise !== 'number' || !(o.noise >= 0 && o.noise < Infinity)) fail('noise', 'a finite number ≥ 0', o.noise);
  if (!isInt(o.epochs, 0)) fail('epochs', 'an integer ≥ 0', o.epochs);
  if (typeof o.learningRate !== 'number' || !(o.learningRate >= 0 && o.learningRate < Infinity)) {
    fail('learningRate', 'a finite number ≥ 0', o.learningRate);
  }
  const layers = o.layers;
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => isInt(n, 1))) {
    fail('layers', 'an array of at least 2 positive integers, like [2, 4, 3, 1]', layers);
  }
  if (layers[0] !== 2) fail('layers[0]', '2 (make_circles gives 2 input features)', layers[0]);
  if (layers[layers.length - 1] !== 1) {
    fail(`layers[${layers.length - 1}]`, '1 (one sigmoid output for the binary label)', layers[layers.length - 1]);
  }
  return { ...o, layers: [...layers] };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-Math.min(Math.max(z, -500), 500)));
const relu = (z: number): number => (z > 0 || Number.isNaN(z) ? z : 0); // np.maximum(0, z) keeps NaN
const drelu = (z: number): number => (z > 0 ? 1 : 0);
// Error 1: the sigmoid's derivative is s(1 − s); the tutorial's dsigmoid returns twice that.
const dsigmoid = (z: number): number => {
  const s = sigmoid(z);
  return 2 * s * (1 - s);
};
const clipEps = (p: number): number => (p < EPSILON ? EPSILON : p); // ndarray.clip(eps): NaN stays NaN

/**
 * The tutorial's `cross_entropy(y, yhat)`: −(yᵀ·log ŷ + (1 − y)ᵀ·log(1 − ŷ)) / y.shape[1]. Error 4:
 * y is n x 1, so y.shape[1] = 1 and this is the sum over the samples, not the mean (693.63 = 1000 ln 2).
 */
function crossEntropy(y: Matrix, yhat: Matrix): number {
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < y.rows; i++) {
    pos += y.data[i] * Math.log(clipEps(yhat.data[i]));
    neg += (1 - y.data[i]) * Math.log(clipEps(1 - yhat.data[i]));
  }
  return -(pos + neg) / y.cols;
}

/** sklearn's accuracy_score(y, ŷ > 0.5). */
function accuracy(y: Matrix, yhat: Matrix): number {
  let right = 0;
  for (let i = 0; i < y.rows; i++) if (y.data[i] === (yhat.data[i] > 0.5 ? 1 : 0)) right++;
  return right / y.rows;
}

/**
 * Runs the tutorial's program with the given options (defaults: the published run) and returns its
 * printed lines together with the losses, accuracies and data behind them.
 */
export function replayTutorialRun(options?: ReplayOptions): ReplayRun {
  const o = resolveOptions(options);
  // np.random.seed(dataSeed); make_circles(...) with no random_state draws from that global state.
  const data = makeCircles({
    nSamples: o.nSamples, factor: o.factor, noise: o.noise, random: new NumpyRandomState(o.dataSeed),
  });
  const { X, y } = data;

  // initialize(seed): error 7, it re-seeds numpy; per layer, W = randn(in, out)·0.1 then b = randn(1, out)·0.1.
  const rs = new NumpyRandomState(o.initSeed);
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let l = 1; l < o.layers.length; l++) {
    W[l] = rs.randn(o.layers[l - 1], o.layers[l]).scale(0.1);
    b[l] = rs.randn(1, o.layers[l]).scale(0.1);
  }
  const L = o.layers.length - 1; // index of the output layer
  const z: Matrix[] = [];
  const a: Matrix[] = [X];
  // Error 6: row vectors, one sample per row: z = a·W + b (the text's matrix section writes z = W a + b).
  const forward = (): Matrix => {
    for (let l = 1; l <= L; l++) {
      z[l] = a[l - 1].matmul(W[l]).addRowVector(b[l]);
      a[l] = z[l].map(l === L ? sigmoid : relu);
    }
    return a[L];
  };
  const backward = (yhat: Matrix): { dW: Matrix[]; db: Matrix[] } => {
    const dW: Matrix[] = [];
    const db: Matrix[] = [];
    // d_cross_entropy: −y/ŷ + (1 − y)/(1 − ŷ), the derivative of the summed loss (not divided by n: error 4).
    let da = yhat.map((p, i) => -(y.data[i] / clipEps(p)) + (1 - y.data[i]) / clipEps(1 - p));
    for (let l = L; l >= 1; l--) {
      const dz = da.mul(z[l].map(l === L ? dsigmoid : drelu));
      dW[l] = a[l - 1].tmatmul(dz); // error 2 fixed in the code: a[l−1]ᵀ·dz, a sum over the samples
      db[l] = dz.sumColumns().map((s) => s / dz.rows); // np.mean over samples: error 4, a factor n apart from dW
      da = dz.matmulT(W[l]);
    }
    return { dW, db };
  };

  const lines: string[] = [];
  const loss: number[] = [];
  const acc: number[] = [];
  const report = (label: string, yhat: Matrix): void => {
    const value = crossEntropy(y, yhat);
    const fraction = accuracy(y, yhat);
    loss.push(value);
    acc.push(fraction);
    lines.push(`${label} - loss value [[${formatNumpyFloat(value)}]] accuracy ${formatPythonFloat(fraction)}`);
  };
  report('Before training', forward());
  for (let n = 0; n < o.epochs; n++) {
    const yhat = forward();
    const { dW, db } = backward(yhat);
    for (let l = 1; l <= L; l++) {
      W[l] = W[l].sub(dW[l].scale(o.learningRate)); // error 5: with the summed gradient, η = 0.005 diverges
      b[l] = b[l].sub(db[l].scale(o.learningRate));
    }
    report(`Iteration ${n}`, yhat); // the loss of this epoch's forward pass, before the update
  }
  return { lines, loss, accuracy: acc, options: o, data };
}

/**
 * The tutorial's program run with the given options (defaults: the published run), as the lines it
 * prints: `Before training - loss value [[693.62972747]] accuracy 0.5`, then one line per epoch.
 */
export function replayTutorial(options?: ReplayOptions): string[] {
  return replayTutorialRun(options).lines;
}

// ---------------------------------------------------------------------------------------------
// Printing floats as numpy and Python do.

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** |v| as an exact decimal: digits (no leading or trailing zeros) × 10^exp. v finite, non-zero. */
function exactDecimal(v: number): { digits: bigint; exp: number } {
  f64[0] = Math.abs(v);
  const raw = u64[0];
  const biased = Number(raw >> 52n);
  let mant = raw & ((1n << 52n) - 1n);
  if (biased > 0) mant |= 1n << 52n;
  const e2 = (biased > 0 ? biased : 1) - 1075; // |v| = mant·2^e2
  let digits = e2 >= 0 ? mant << BigInt(e2) : mant * 5n ** BigInt(-e2);
  let exp = e2 >= 0 ? 0 : e2; // m·2^−k = m·5^k·10^−k
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp++;
  }
  return { digits, exp };
}

/** |v| rounded half to even to a multiple of 10^q, as an integer count of 10^q. */
function roundExact(v: number, q: number): bigint {
  const { digits, exp } = exactDecimal(v);
  if (exp >= q) return digits * 10n ** BigInt(exp - q);
  const unit = 10n ** BigInt(q - exp);
  const quotient = digits / unit;
  const twice = 2n * (digits % unit);
  return twice > unit || (twice === unit && quotient % 2n === 1n) ? quotient + 1n : quotient;
}

/** The shortest decimal that reads back as |v| (what Python's repr and JS print): digits × 10^exp. */
function shortest(v: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(v).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  return { digits, exp: Number(e) - (digits.length - 1) };
}

/** digits × 10^exp written positionally, e.g. ('5', −1) → '0.5', ('12', 1) → '120'. frac = the part after '.'. */
function positional(digits: string, exp: number): { int: string; frac: string } {
  if (exp >= 0) return { int: digits + '0'.repeat(exp), frac: '' };
  const padded = digits.padStart(-exp + 1, '0');
  return { int: padded.slice(0, exp), frac: padded.slice(exp) };
}

function exponentSuffix(e: number): string {
  return `e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/**
 * One float64 as numpy prints it inside an array with the default print options (precision 8,
 * floatmode 'maxprec', no suppression): `str(np.array([[v]]))` is `[[${formatNumpyFloat(v)}]]`.
 * Positional for 10⁻⁴ ≤ |v| < 10⁸ (and 0): the shortest round-trip digits if they need at most 8 after
 * the point, else the exact value rounded half-to-even to 8, trailing zeros trimmed but the point kept
 * (`693.62972747`, `0.5`, `1.`, `-0.`). Otherwise scientific with at most 9 significant digits the
 * same way (`1.e-05`, `1.23456789e+08`). `nan`, `inf`, `-inf`.
 */
export function formatNumpyFloat(value: number): string {
  if (typeof value !== 'number') throw new Error(`formatNumpyFloat: value must be a number; received ${describe(value)}`);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const abs = Math.abs(value);
  if (abs === 0) return `${sign}0.`;
  const short = shortest(abs);
  if (abs >= 1e8 || abs < 1e-4) {
    let digits = short.digits;
    let e = short.exp + digits.length - 1; // abs = d.ddd × 10^e
    if (digits.length > 9) {
      digits = roundExact(abs, e - 8).toString();
      if (digits.length > 9) e += 1; // rounded up to 10^9: one more digit before the point
      digits = digits.replace(/0+$/, '') || '0';
    }
    return `${sign}${digits[0]}.${digits.slice(1)}${exponentSuffix(e)}`;
  }
  if (-short.exp <= 8) {
    const { int, frac } = positional(short.digits, short.exp);
    return `${sign}${int}.${frac}`;
  }
  const { int, frac } = positional(roundExact(abs, -8).toString(), -8);
  return `${sign}${int}.${frac.replace(/0+$/, '')}`;
}

/**
 * Python's `repr(float)` (and numpy 1.24's `str(np.float64)`), e.g. `0.5`, `1.0`, `0.818`, `1e-05`,
 * `1e+16`: the shortest digits that read back as `value`; positional when 10⁻⁴ ≤ |v| < 10¹⁶ (with `.0`
 * after an integer), scientific otherwise. `nan`, `inf`, `-inf`.
 */
export function formatPythonFloat(value: number): string {
  if (typeof value !== 'number') throw new Error(`formatPythonFloat: value must be a number; received ${describe(value)}`);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return `${sign}0.0`;
  const { digits, exp } = shortest(value);
  const pointAt = digits.length + exp; // abs = 0.digits × 10^pointAt
  if (pointAt < -3 || pointAt > 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}${exponentSuffix(pointAt - 1)}`;
  }
  const { int, frac } = positional(digits, exp);
  return `${sign}${int}.${frac || '0'}`;
}
