import { Matrix } from './matrix';

/**
 * A loss L(y, ŷ) over a batch of n samples (one per row of y and ŷ, both `n x k`), defined as the
 * mean over samples of a per-sample loss that is summed over the k output units, and its derivative
 * dL/dŷ (`n x k`), consistent with that mean (so it carries the factor 1/n).
 */
export interface Loss {
  /** The export's name ("meanSquaredError", "binaryCrossEntropy", "categoricalCrossEntropy"); `MLP.toJSON` stores it. */
  readonly name: string;
  /**
   * [lower, upper]: the values ŷ must stay within for the loss to be defined (the cross-entropies take
   * ln ŷ: [0, 1]); absent when any real ŷ will do. `new MLP` refuses an output activation whose range
   * is not inside it.
   */
  readonly outputRange?: readonly [number, number];
  /** L(y, ŷ), a number: the mean over the n samples. */
  f(y: Matrix, yhat: Matrix): number;
  /** dL/dŷ, an `n x k` matrix (a new one). */
  df(y: Matrix, yhat: Matrix): Matrix;
  /** dL/dŷ written into `out` (`n x k`, preallocated): the allocation-free form used in training. */
  dfInto(out: Matrix, y: Matrix, yhat: Matrix): void;
  /** Throws unless every target in y is valid for this loss (e.g. labels in [0, 1]); `name` names the parameter. */
  checkTargets(y: Matrix, name: string): void;
}

function checkPair(where: string, y: Matrix, yhat: Matrix): void {
  if (!(y instanceof Matrix) || !(yhat instanceof Matrix)) {
    throw new Error(`${where}: y and yhat must be Matrix values; received ${typeof y} and ${typeof yhat}`);
  }
  if (y.rows !== yhat.rows || y.cols !== yhat.cols) {
    throw new Error(`${where}: y and yhat must have the same shape; received y ${y.rows}x${y.cols} and yhat ${yhat.rows}x${yhat.cols}`);
  }
  if (y.rows === 0) throw new Error(`${where}: y must have at least one row (sample); received 0 rows`);
}

function checkFiniteTargets(y: Matrix, name: string): void {
  for (let i = 0; i < y.data.length; i++) {
    if (!Number.isFinite(y.data[i])) {
      throw new Error(`${name} must hold finite numbers; received ${y.data[i]} at row ${Math.floor(i / y.cols)}, column ${i % y.cols}`);
    }
  }
}

/**
 * Mean squared error, the tutorial's per-sample loss Σ_i (y_i − ŷ_i)² averaged over the n samples:
 *
 *   L = (1/n) Σ_s Σ_i (y_si − ŷ_si)²,   dL/dŷ_si = 2 (ŷ_si − y_si) / n.
 *
 * (The tutorial writes 2(y_i − ŷ_i): the sign is wrong.)
 */
export const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  f(y, yhat) {
    checkPair('meanSquaredError', y, yhat);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) {
      const d = y.data[i] - yhat.data[i];
      s += d * d;
    }
    return s / y.rows;
  },
  df(y, yhat) {
    checkPair('meanSquaredError.df', y, yhat);
    const out = new Matrix(y.rows, y.cols);
    meanSquaredError.dfInto(out, y, yhat);
    return out;
  },
  dfInto(out, y, yhat) {
    const c = 2 / y.rows;
    for (let i = 0; i < y.data.length; i++) out.data[i] = c * (yhat.data[i] - y.data[i]);
  },
  checkTargets: checkFiniteTargets,
};

/**
 * ŷ is kept inside [BCE_EPSILON, 1 − BCE_EPSILON] when binary cross-entropy takes its logarithms (and
 * at least BCE_EPSILON when categorical cross-entropy does), so that the loss and its derivative stay
 * finite when a sigmoid or softmax output saturates to exactly 0 or 1.
 */
export const BCE_EPSILON = 1e-15;

function clipProbability(p: number): number {
  return p < BCE_EPSILON ? BCE_EPSILON : p > 1 - BCE_EPSILON ? 1 - BCE_EPSILON : p;
}

/**
 * Binary cross-entropy, the tutorial's per-sample loss −[y ln ŷ + (1 − y) ln(1 − ŷ)] summed over
 * output units and averaged over the n samples:
 *
 *   L = −(1/n) Σ_s Σ_i [y_si ln ŷ_si + (1 − y_si) ln(1 − ŷ_si)],
 *   dL/dŷ_si = (1/n) [−y_si/ŷ_si + (1 − y_si)/(1 − ŷ_si)].
 *
 * Targets must lie in [0, 1]. ŷ is clipped to [1e-15, 1 − 1e-15] inside the logarithms and quotients.
 * With a sigmoid output the chain rule collapses to dL/dz = (ŷ − y)/n, which the MLP uses directly.
 */
export const binaryCrossEntropy: Loss = {
  name: 'binaryCrossEntropy',
  outputRange: [0, 1],
  f(y, yhat) {
    checkPair('binaryCrossEntropy', y, yhat);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i];
      const p = clipProbability(yhat.data[i]);
      // Skip a term whose weight is zero so that 0 · ln(…) never contributes.
      if (t !== 0) s -= t * Math.log(p);
      if (t !== 1) s -= (1 - t) * Math.log(1 - p);
    }
    return s / y.rows;
  },
  df(y, yhat) {
    checkPair('binaryCrossEntropy.df', y, yhat);
    const out = new Matrix(y.rows, y.cols);
    binaryCrossEntropy.dfInto(out, y, yhat);
    return out;
  },
  dfInto(out, y, yhat) {
    const inv = 1 / y.rows;
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i];
      const p = clipProbability(yhat.data[i]);
      out.data[i] = inv * (-t / p + (1 - t) / (1 - p));
    }
  },
  checkTargets(y, name) {
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i];
      if (!(t >= 0 && t <= 1)) {
        throw new Error(`${name} must hold labels in [0, 1] for binaryCrossEntropy; received ${t} at row ` +
          `${Math.floor(i / y.cols)}, column ${i % y.cols}`);
      }
    }
  },
};

/** How far a row of categorical targets may sum from 1 (rounding of soft labels). */
const ROW_SUM_TOLERANCE = 1e-9;

/**
 * Categorical cross-entropy over k ≥ 2 classes, the loss of a softmax classifier: with one-hot
 * targets y (each row has a 1 in the column of its class, or more generally rows of probabilities
 * summing to 1) and predicted probabilities ŷ (`n x k`),
 *
 *   L = −(1/n) Σ_s Σ_j y_sj ln ŷ_sj,   dL/dŷ_sj = −(1/n) y_sj / ŷ_sj.
 *
 * ŷ is clipped below at 1e-15 inside the logarithm and the quotient (a term with y_sj = 0 contributes
 * nothing). With a softmax output the chain rule collapses to dL/dz = (ŷ − y)/n (it uses Σ_j y_sj = 1),
 * which the MLP uses directly. Targets must lie in [0, 1] with every row summing to 1 (within 1e-9).
 */
export const categoricalCrossEntropy: Loss = {
  name: 'categoricalCrossEntropy',
  outputRange: [0, 1],
  f(y, yhat) {
    checkPair('categoricalCrossEntropy', y, yhat);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i];
      if (t === 0) continue;
      const p = yhat.data[i];
      s -= t * Math.log(p < BCE_EPSILON ? BCE_EPSILON : p);
    }
    return s / y.rows;
  },
  df(y, yhat) {
    checkPair('categoricalCrossEntropy.df', y, yhat);
    const out = new Matrix(y.rows, y.cols);
    categoricalCrossEntropy.dfInto(out, y, yhat);
    return out;
  },
  dfInto(out, y, yhat) {
    const inv = 1 / y.rows;
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i];
      const p = yhat.data[i];
      out.data[i] = t === 0 ? 0 : inv * (-t / (p < BCE_EPSILON ? BCE_EPSILON : p));
    }
  },
  checkTargets(y, name) {
    const k = y.cols;
    for (let s = 0; s < y.rows; s++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const t = y.data[s * k + j];
        if (!(t >= 0 && t <= 1)) {
          throw new Error(`${name} must hold class probabilities in [0, 1] for categoricalCrossEntropy (one-hot rows, ` +
            `see oneHot); received ${t} at row ${s}, column ${j}`);
        }
        sum += t;
      }
      if (!(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
        throw new Error(`${name} must have rows that sum to 1 for categoricalCrossEntropy (one-hot rows, see oneHot); ` +
          `received a row sum of ${sum} at row ${s}`);
      }
    }
  },
};

/** Every built-in loss by its name, as `MLP.fromJSON` looks them up. */
export const losses: Readonly<Record<string, Loss>> = Object.freeze({
  meanSquaredError, binaryCrossEntropy, categoricalCrossEntropy,
});

/** Throws unless `value` is a Loss; `name` is the parameter's name in the message. */
export function checkLoss(value: unknown, name: string): Loss {
  const l = value as Partial<Loss> | null;
  if (l === null || typeof l !== 'object' || typeof l.name !== 'string' || typeof l.f !== 'function' ||
      typeof l.df !== 'function' || typeof l.dfInto !== 'function' || typeof l.checkTargets !== 'function') {
    throw new Error(`${name} must be a Loss (${Object.keys(losses).join(', ')}); received ${
      l === null ? 'null' : typeof l === 'object' ? 'an object that is not a Loss' : typeof l}`);
  }
  return l as Loss;
}

/**
 * The number of samples that `accuracy(y, ŷ)` counts as correctly classified (same rules, same checks).
 */
export function correctPredictions(y: Matrix, yhat: Matrix): number {
  if (!(y instanceof Matrix) || !(yhat instanceof Matrix)) {
    throw new Error(`accuracy: y and yhat must be Matrix values; received ${typeof y} and ${typeof yhat}`);
  }
  const n = y.rows;
  const k = yhat.cols;
  if (y.cols === 1 && k > 1 && yhat.rows === n && n > 0) {
    // class labels 0..k−1 against the arg-max of each row of ŷ
    let correct = 0;
    for (let s = 0; s < n; s++) {
      const label = y.data[s];
      if (!(Number.isInteger(label) && label >= 0 && label < k)) {
        throw new Error(`accuracy: y (n x 1 class labels for a ${n}x${k} yhat) must hold integers in 0..${k - 1}; ` +
          `received ${label} at row ${s}`);
      }
      if (argmaxRow(yhat.data, s, k) === label) correct++;
    }
    return correct;
  }
  checkPair('accuracy', y, yhat);
  return countCorrect(y, yhat);
}

/** The column of the largest entry of row s of an `? x k` matrix (the first one on a tie). */
function argmaxRow(d: Float64Array, s: number, k: number): number {
  let best = 0;
  for (let i = 1; i < k; i++) if (d[s * k + i] > d[s * k + best]) best = i;
  return best;
}

/** Correct predictions for y and ŷ of one shape, unchecked. */
function countCorrect(y: Matrix, yhat: Matrix): number {
  const n = y.rows;
  const k = y.cols;
  let correct = 0;
  if (k === 1) {
    for (let s = 0; s < n; s++) if ((yhat.data[s] > 0.5 ? 1 : 0) === y.data[s]) correct++;
  } else {
    for (let s = 0; s < n; s++) if (argmaxRow(y.data, s, k) === argmaxRow(yhat.data, s, k)) correct++;
  }
  return correct;
}

/**
 * Classification accuracy of predictions ŷ (`n x k`) against targets y, the fraction of the n samples
 * classified correctly:
 * - one output unit (y and ŷ `n x 1`, labels 0/1): the fraction with (ŷ > 0.5) = y;
 * - k > 1 classes with one-hot targets (y `n x k`): the fraction whose arg-max of ŷ equals the
 *   arg-max of y;
 * - k > 1 classes with class labels (y `n x 1`, integers 0..k−1): the fraction whose arg-max of ŷ
 *   equals the label.
 */
export function accuracy(y: Matrix, yhat: Matrix): number {
  return correctPredictions(y, yhat) / y.rows;
}
