import { Matrix } from './matrix';

/**
 * Activation functions a = f(z) of a layer, as in a[l] = f_l(z[l]) for the `n x n_l` matrices z[l]
 * and a[l] (one sample per row). Two kinds:
 *
 * - element-wise (`ElementwiseActivation`: identity, sigmoid, tanh, relu, leakyRelu): a_ij = f(z_ij),
 *   stored with the derivative f'(z) with respect to the total input z; back-propagation multiplies
 *   entry by entry, dz = da ⊙ f'(z);
 * - row-wise (`RowwiseActivation`: softmax): each row a_i of a depends on the whole row z_i, so f has
 *   a Jacobian J(z_i) = ∂a_i/∂z_i (`n_l x n_l` per sample) instead of a derivative per entry, and
 *   back-propagation computes the Jacobian-vector product dz_i = J(z_i)ᵀ·da_i, row by row.
 *
 * `Activation` is either. Every activation has `f`, `df` and `dfFromOutput`, so that code written for
 * the element-wise ones (`net.activations[l - 1].df(z)`) compiles for any network; a row-wise
 * activation's `f`, `df`, `dfFromOutput` throw an Error that says to use its matrix methods.
 */
export interface ElementwiseActivation {
  /** The export's name ("sigmoid", "leakyRelu", …); `MLP.toJSON` stores it. */
  readonly name: string;
  /** `'elementwise'` (the built-ins say so; an activation without `kind` is element-wise too). */
  readonly kind?: 'elementwise';
  /**
   * [lower, upper]: bounds of the values f takes (±Infinity when unbounded), e.g. [0, 1] for sigmoid.
   * The MLP uses it to refuse a cross-entropy loss on an output that can leave [0, 1]. Optional for
   * custom activations (the MLP then evaluates f at a few points to find out).
   */
  readonly range?: readonly [number, number];
  /** f(z), the activation of one unit. */
  f(z: number): number;
  /** f'(z) = df/dz, the derivative with respect to the total input z. */
  df(z: number): number;
  /**
   * f'(z) given both z and a = f(z): the same number as `df(z)`, computed from whichever is cheaper
   * (sigmoid and tanh reuse a). The MLP's backward pass calls this.
   */
  dfFromOutput(z: number, a: number): number;
}

/** A row-wise activation: a_i = f(z_i) for each row (sample) i, with the Jacobian-vector product for back-propagation. */
export interface RowwiseActivation {
  /** The export's name ("softmax"); `MLP.toJSON` stores it. */
  readonly name: string;
  /** `'rowwise'`: the MLP calls `forwardInto` and `backwardInto` instead of f and f'. */
  readonly kind: 'rowwise';
  /** [lower, upper]: bounds of the values of every entry of f(z_i), e.g. [0, 1] for softmax. */
  readonly range?: readonly [number, number];
  /** a ← f(z), row by row (z, a: `n x k`, distinct storage). */
  forwardInto(a: Matrix, z: Matrix): void;
  /**
   * dz ← the Jacobian-vector product, row by row: dz_i = J(z_i)ᵀ·da_i, where J(z_i)_jk = ∂a_ij/∂z_ik
   * and a = f(z) (all `n x k`; dz distinct from the others).
   */
  backwardInto(dz: Matrix, da: Matrix, z: Matrix, a: Matrix): void;
  /** Throws: a row-wise activation has no value per entry (use `forwardInto`). */
  f(z: number): number;
  /** Throws: a row-wise activation has no derivative per entry (use `backwardInto`). */
  df(z: number): number;
  /** Throws: a row-wise activation has no derivative per entry (use `backwardInto`). */
  dfFromOutput(z: number, a: number): number;
}

/** An activation of a layer: element-wise (f, f') or row-wise (softmax). */
export type Activation = ElementwiseActivation | RowwiseActivation;

/** Identity f(z) = z, f'(z) = 1: the output layer of a regression network. */
export const identity: ElementwiseActivation = {
  name: 'identity',
  kind: 'elementwise',
  range: [-Infinity, Infinity],
  f: (z) => z,
  df: () => 1,
  dfFromOutput: () => 1,
};

/**
 * Logistic sigmoid σ(z) = 1 / (1 + e^(−z)), with σ'(z) = σ(z)(1 − σ(z)).
 * Computed without overflow for any z: for z < 0 as e^z / (1 + e^z), so σ(±1e4) is exactly 1 or 0
 * with no NaN and no clipping.
 */
export const sigmoid: ElementwiseActivation = {
  name: 'sigmoid',
  kind: 'elementwise',
  range: [0, 1],
  f: (z) => {
    if (z >= 0) return 1 / (1 + Math.exp(-z));
    const e = Math.exp(z);
    return e / (1 + e);
  },
  df: (z) => {
    const s = sigmoid.f(z);
    return s * (1 - s);
  },
  dfFromOutput: (_z, a) => a * (1 - a),
};

/** Hyperbolic tangent f(z) = tanh z, with f'(z) = 1 − tanh² z. */
export const tanh: ElementwiseActivation = {
  name: 'tanh',
  kind: 'elementwise',
  range: [-1, 1],
  f: (z) => Math.tanh(z),
  df: (z) => {
    const t = Math.tanh(z);
    return 1 - t * t;
  },
  dfFromOutput: (_z, a) => 1 - a * a,
};

/** Rectified linear unit f(z) = max(0, z), with f'(z) = 1 for z > 0 and 0 otherwise (0 at the kink z = 0). */
export const relu: ElementwiseActivation = {
  name: 'relu',
  kind: 'elementwise',
  range: [0, Infinity],
  f: (z) => (z > 0 ? z : 0),
  df: (z) => (z > 0 ? 1 : 0),
  dfFromOutput: (z) => (z > 0 ? 1 : 0),
};

/** The slope of `leakyRelu` for z ≤ 0. */
export const LEAKY_RELU_SLOPE = 0.01;

/** Leaky ReLU f(z) = z for z > 0 and 0.01·z otherwise, with f'(z) = 1 or 0.01. */
export const leakyRelu: ElementwiseActivation = {
  name: 'leakyRelu',
  kind: 'elementwise',
  range: [-Infinity, Infinity],
  f: (z) => (z > 0 ? z : LEAKY_RELU_SLOPE * z),
  df: (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
  dfFromOutput: (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
};

function noEntrywiseForm(name: string, method: string): never {
  throw new Error(`${name}.${method}: ${name} is a row-wise activation (each output depends on the whole row z_i), ` +
    `so it has no value or derivative per entry; use ${name}.forwardInto(a, z) for a = ${name}(z) and ` +
    `${name}.backwardInto(dz, da, z, a) for dz_i = J(z_i)ᵀ·da_i`);
}

/**
 * Softmax over each row (sample): a_ij = e^{z_ij} / Σ_k e^{z_ik}, so every row of a is a probability
 * distribution over the n_l units (entries in (0, 1), summing to 1): the output layer of a
 * classifier over n_l ≥ 2 classes, paired with `categoricalCrossEntropy`.
 *
 * Computed as e^{z_ij − m_i} / Σ_k e^{z_ik − m_i} with m_i = max_k z_ik, so no exponential overflows.
 * Its Jacobian is J(z_i)_jk = ∂a_ij/∂z_ik = a_ij (δ_jk − a_ik), and back-propagation takes, per row,
 *
 *   dz_ij = Σ_k J_kj da_ik = a_ij (da_ij − Σ_k a_ik da_ik).
 *
 * With categorical cross-entropy this collapses to dz[L] = (ŷ − y)/n, which the MLP uses directly.
 */
export const softmax: RowwiseActivation = {
  name: 'softmax',
  kind: 'rowwise',
  range: [0, 1],
  forwardInto(a, z) {
    const n = z.rows;
    const k = z.cols;
    const zd = z.data;
    const ad = a.data;
    for (let i = 0; i < n; i++) {
      const r = i * k;
      let m = -Infinity;
      for (let j = 0; j < k; j++) if (zd[r + j] > m) m = zd[r + j];
      if (m === -Infinity) m = 0; // a row of −∞ or NaN only: the result is NaN, which the MLP reports
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const e = Math.exp(zd[r + j] - m);
        ad[r + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < k; j++) ad[r + j] *= inv;
    }
  },
  backwardInto(dz, da, _z, a) {
    const n = a.rows;
    const k = a.cols;
    const ad = a.data;
    const dad = da.data;
    const dzd = dz.data;
    for (let i = 0; i < n; i++) {
      const r = i * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += ad[r + j] * dad[r + j];
      for (let j = 0; j < k; j++) dzd[r + j] = ad[r + j] * (dad[r + j] - s);
    }
  },
  f: () => noEntrywiseForm('softmax', 'f'),
  df: () => noEntrywiseForm('softmax', 'df'),
  dfFromOutput: () => noEntrywiseForm('softmax', 'dfFromOutput'),
};

/** Every built-in activation by its name, as `MLP.fromJSON` looks them up. */
export const activations: Readonly<Record<string, Activation>> = Object.freeze({
  identity,
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  softmax,
});

/** True when `name` is an own key of `table` (so "constructor" or "toString" is not a name). */
export function hasOwnName(table: object, name: unknown): name is string {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name);
}

/** Throws unless `value` is an Activation; `name` is the parameter's name in the message. */
export function checkActivation(value: unknown, name: string): Activation {
  const a = value as Partial<RowwiseActivation> & Partial<ElementwiseActivation> | null;
  const known = `one of ${Object.keys(activations).join(', ')}, an object with name, f, df, dfFromOutput, or a ` +
    `row-wise one with kind 'rowwise', name, forwardInto, backwardInto`;
  if (a === null || typeof a !== 'object') {
    throw new Error(`${name} must be an Activation (${known}); received ${a === null ? 'null' : typeof a}`);
  }
  if (typeof a.name !== 'string') throw new Error(`${name} must be an Activation (${known}); received an object without a name`);
  if (a.kind === 'rowwise') {
    if (typeof a.forwardInto !== 'function' || typeof a.backwardInto !== 'function') {
      throw new Error(`${name} (${a.name}) is row-wise and must have forwardInto(a, z) and backwardInto(dz, da, z, a) methods; received ${
        typeof a.forwardInto !== 'function' ? 'no forwardInto' : 'no backwardInto'}`);
    }
  } else if (a.kind !== undefined && a.kind !== 'elementwise') {
    throw new Error(`${name}.kind must be 'elementwise' or 'rowwise'; received ${JSON.stringify(a.kind)}`);
  } else if (typeof a.f !== 'function' || typeof a.df !== 'function' || typeof a.dfFromOutput !== 'function') {
    throw new Error(`${name} must be an Activation (${known}); received an object without ${
      ['f', 'df', 'dfFromOutput'].filter((m) => typeof (a as Record<string, unknown>)[m] !== 'function').join(', ')}`);
  }
  if (a.range !== undefined && !(Array.isArray(a.range) && a.range.length === 2 && a.range.every((v) => typeof v === 'number') &&
    a.range[0] <= a.range[1])) {
    throw new Error(`${name}.range must be [lower, upper] with lower ≤ upper; received ${JSON.stringify(a.range)}`);
  }
  return a as Activation;
}

/**
 * Bounds [lower, upper] of the values an activation produces: its `range` when it declares one;
 * otherwise found by evaluating it at z = 0, ±0.5, ±1, ±5, ±30, ±1000 (for a row-wise activation,
 * on rows of those values).
 */
export function activationRange(f: Activation): readonly [number, number] {
  if (f.range !== undefined) return f.range;
  const probes = [-1000, -30, -5, -1, -0.5, 0, 0.5, 1, 5, 30, 1000];
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number): void => {
    if (Number.isNaN(v)) {
      lo = -Infinity;
      hi = Infinity;
    } else {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  if (f.kind === 'rowwise') {
    const z = new Matrix(3, probes.length);
    probes.forEach((v, j) => {
      z.data[j] = v;
      z.data[probes.length + j] = -v;
      z.data[2 * probes.length + j] = v / 100;
    });
    const a = new Matrix(3, probes.length);
    f.forwardInto(a, z);
    a.data.forEach(see);
  } else {
    for (const z of probes) see(f.f(z));
  }
  return [lo, hi];
}
