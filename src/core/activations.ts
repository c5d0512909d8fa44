/**
 * Activation functions a = f(z), each stored with its derivative f'(z) with respect to the total
 * input z (the pre-activation), as in a[l] = f_l(z[l]).
 */
export interface Activation {
  /** The export's name ("sigmoid", "leakyRelu", …); `MLP.toJSON` stores it. */
  readonly name: string;
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

/** Identity f(z) = z, f'(z) = 1: the output layer of a regression network. */
export const identity: Activation = {
  name: 'identity',
  f: (z) => z,
  df: () => 1,
  dfFromOutput: () => 1,
};

/**
 * Logistic sigmoid σ(z) = 1 / (1 + e^(−z)), with σ'(z) = σ(z)(1 − σ(z)).
 * Computed without overflow for any z: for z < 0 as e^z / (1 + e^z), so σ(±1e4) is exactly 1 or 0
 * with no NaN and no clipping.
 */
export const sigmoid: Activation = {
  name: 'sigmoid',
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
export const tanh: Activation = {
  name: 'tanh',
  f: (z) => Math.tanh(z),
  df: (z) => {
    const t = Math.tanh(z);
    return 1 - t * t;
  },
  dfFromOutput: (_z, a) => 1 - a * a,
};

/** Rectified linear unit f(z) = max(0, z), with f'(z) = 1 for z > 0 and 0 otherwise (0 at the kink z = 0). */
export const relu: Activation = {
  name: 'relu',
  f: (z) => (z > 0 ? z : 0),
  df: (z) => (z > 0 ? 1 : 0),
  dfFromOutput: (z) => (z > 0 ? 1 : 0),
};

/** The slope of `leakyRelu` for z ≤ 0. */
export const LEAKY_RELU_SLOPE = 0.01;

/** Leaky ReLU f(z) = z for z > 0 and 0.01·z otherwise, with f'(z) = 1 or 0.01. */
export const leakyRelu: Activation = {
  name: 'leakyRelu',
  f: (z) => (z > 0 ? z : LEAKY_RELU_SLOPE * z),
  df: (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
  dfFromOutput: (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
};

/** Every built-in activation by its name, as `MLP.fromJSON` looks them up. */
export const activations: Readonly<Record<string, Activation>> = Object.freeze({
  identity,
  sigmoid,
  tanh,
  relu,
  leakyRelu,
});

/** Throws unless `value` is an Activation; `name` is the parameter's name in the message. */
export function checkActivation(value: unknown, name: string): Activation {
  const a = value as Partial<Activation> | null;
  if (
    a === null || typeof a !== 'object' || typeof a.name !== 'string' || typeof a.f !== 'function' ||
    typeof a.df !== 'function' || typeof a.dfFromOutput !== 'function'
  ) {
    throw new Error(`${name} must be an Activation (one of ${Object.keys(activations).join(', ')}, or an object ` +
      `with name, f, df, dfFromOutput); received ${a === null ? 'null' : typeof a === 'object' ? 'an object without them' : typeof a}`);
  }
  return a as Activation;
}
