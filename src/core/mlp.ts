import {
  Activation, activationRange, activations as activationsByName, checkActivation, hasOwnName, sigmoid, softmax,
} from './activations';
import { Loss, binaryCrossEntropy, categoricalCrossEntropy, checkLoss, correctPredictions, losses as lossesByName } from './losses';
import { Matrix, describeValue, matmulInto, matmulTInto, sumColumnsInto, tmatmulInto } from './matrix';
import { LIMITS, NonFiniteError, checkLimit } from './limits';
import { activationGradientInto, addBiasAndActivate } from '../kernels/activation-loops';
import { lossGradientInto } from '../kernels/loss-loops';
import { wasmKernelStats, workspaceForBatch } from '../kernels/wasm';
import { observeFit } from './observe';
import { RandomSource, Seed, checkRandomSource, checkSeed, resolveRandom, shuffleInPlace } from './random';

/**
 * How initial weights are drawn:
 * - `'normal'`: every W[l] and b[l] entry from N(0, σ²) with σ = `sigma` (0.1), the tutorial's scheme,
 *   drawn layer by layer, W[l] then b[l], row by row;
 * - `'xavier'`: W[l] from N(0, 2/(n_{l-1} + n_l)) (Glorot), b[l] = 0;
 * - `'he'`: W[l] from N(0, 2/n_{l-1}), b[l] = 0, suited to ReLU layers.
 */
export type InitScheme = 'normal' | 'xavier' | 'he';

/** Options of `new MLP(...)`. Exactly one of `seed` or `random` gives the initial weights. */
export interface MLPOptions {
  /**
   * Layer sizes [n_0, n_1, …, n_L]: n_0 inputs, n_L outputs; positive integers, at least two, with at
   * most `LIMITS.parameters` (10,000,000) parameters Σ_l (n_{l−1} + 1)·n_l in all.
   */
  layers: number[];
  /**
   * One activation per layer l = 1..L (so `layers.length − 1` of them): a[l] = f_l(z[l]). `softmax`
   * needs a layer of at least 2 units.
   */
  activations: Activation[];
  /**
   * The loss L(y, ŷ), a mean over samples. A cross-entropy needs an output activation with values in
   * [0, 1]: `sigmoid` (or `softmax`) with `binaryCrossEntropy`, `softmax` (or `sigmoid`) with
   * `categoricalCrossEntropy` (which also needs n_L ≥ 2 classes).
   */
  loss: Loss;
  /** Seed for the initial weights (a string or number). */
  seed?: Seed;
  /** A random source for the initial weights, instead of `seed` (e.g. `new NumpyRandomState(42)`). */
  random?: RandomSource;
  /** Initialisation scheme; default `'normal'` (the tutorial's N(0, 0.1²)). */
  init?: InitScheme;
  /** σ of the `'normal'` scheme; default 0.1. */
  sigma?: number;
}

/** What `fit` passes to `onEpoch` after each epoch (the entries of `FitHistory` for this epoch). */
export interface EpochInfo {
  /** Epoch number, from 0. */
  epoch: number;
  /** `FitHistory.loss[epoch]`. */
  loss: number;
  /** `FitHistory.accuracy[epoch]`. */
  accuracy: number;
  /** `FitHistory.valLoss[epoch]`, when `fit` was given `validation`. */
  valLoss?: number;
  /** `FitHistory.valAccuracy[epoch]`, when `fit` was given `validation`. */
  valAccuracy?: number;
  /** The network, after this epoch's updates. */
  net: MLP;
}

/**
 * The update rule of `fit`, with PyTorch's definitions (`torch.optim.SGD`, `SGD(momentum=β)`, `Adam`).
 * For each parameter θ (every W[l] and b[l]) with gradient g = dL/dθ (plus λ·W[l] under `l2`), step
 * size η, and t = 1, 2, … counting the steps (mini-batches) of this `fit` call:
 * - `{ name: 'sgd' }` (the default): θ ← θ − η·g;
 * - `{ name: 'momentum', beta }` (β in [0, 1), default 0.9): v ← β·v + g, θ ← θ − η·v, v starting at 0;
 * - `{ name: 'adam', beta1, beta2, epsilon }` (β₁ default 0.9, β₂ default 0.999, both in [0, 1);
 *   ε > 0, default 1e-8): m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², then with the bias
 *   corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ: θ ← θ − (η/c₁)·m / (√v/√c₂ + ε) (that is,
 *   θ ← θ − η·m̂/(√v̂ + ε) with m̂ = m/c₁, v̂ = v/c₂, evaluated in PyTorch's order); m, v start at 0.
 * The state (v, m, t) lives on the network, like one PyTorch optimizer object kept across calls: a
 * `fit` whose optimizer (name and hyper-parameters) equals the previous `fit`'s continues its state,
 * so `fit(X, y, {epochs: a + b})` and `fit` for a epochs then for b epochs take the same steps (full
 * batch; give mini-batches one `random` source for both calls to continue the shuffles too). A `fit`
 * with another optimizer starts from zero state, as do `resetOptimizer()` and a manual `update(η)`;
 * after editing W[l], b[l] by hand, call `resetOptimizer()` yourself.
 */
export type OptimizerOptions =
  | { name: 'sgd' }
  | { name: 'momentum'; beta?: number }
  | { name: 'adam'; beta1?: number; beta2?: number; epsilon?: number };

/**
 * Options of `MLP.fit`. Every option is checked, and an unknown key is an error.
 *
 * An epoch is one pass over the n training samples. With `batchSize` B < n, the samples of each epoch
 * are visited in a new random order, in ⌈n/B⌉ mini-batches of B samples (the last one holds the
 * n − B·⌊(n−1)/B⌋ that remain), each followed by one optimizer step; with B ≥ n (the default) every
 * epoch is one step on the full batch, in the samples' own order, with no random draws.
 */
export interface FitOptions {
  /** Number of epochs, a non-negative integer. */
  epochs: number;
  /** Step size η > 0 (see `OptimizerOptions`). */
  learningRate: number;
  /**
   * Samples per step, an integer ≥ 1; default: all n (full-batch gradient descent). Each epoch the
   * order of the samples is the permutation that `shuffleInPlace(random, [0, 1, …, n − 1])` gives
   * (a fresh shuffle of the identity each epoch), cut into consecutive batches.
   */
  batchSize?: number;
  /** Seed of the shuffles of `batchSize` (a string or number); default 0. Unused with the full batch. */
  seed?: Seed;
  /** A random source for the shuffles, instead of `seed`. */
  random?: RandomSource;
  /** The update rule; default `{ name: 'sgd' }`. */
  optimizer?: OptimizerOptions;
  /**
   * L2 regularisation strength λ ≥ 0 (default 0): adds (λ/2)·Σ_l ‖W[l]‖² (squared entries of the
   * weights, biases excluded) to the loss and so λ·W[l] to dW[l], at every step. `FitHistory.loss`
   * and `valLoss` include the penalty.
   */
  l2?: number;
  /**
   * Held-out data `{ X, y }` (the same columns as the training data): after each epoch, `fit` measures
   * the loss and accuracy on it (see `FitHistory`).
   */
  validation?: { X: Matrix; y: Matrix };
  /** Called after every epoch; returning `false` stops training early. */
  onEpoch?: (info: EpochInfo) => void | boolean;
}

/**
 * Per-epoch history from `fit`, entry e for epoch e:
 * - `loss[e]`: the training objective J = L(y, ŷ) + (λ/2)·Σ_l ‖W[l]‖², measured on each step's
 *   batch during its forward pass (before that step's update), averaged over the epoch's batches
 *   weighted by their sizes: Σ_b n_b·J_b / n. With the full batch it is the loss of the epoch's one
 *   forward pass, before its update;
 * - `accuracy[e]`: the fraction of the n samples classified correctly (see `accuracy`) by the forward
 *   pass of the step that contained them, likewise;
 * - `valLoss[e]`, `valAccuracy[e]` (only with `validation`): J and the accuracy on the validation
 *   set, measured after the epoch's last update, with the parameters that epoch ends with.
 */
export interface FitHistory {
  loss: number[];
  accuracy: number[];
  valLoss?: number[];
  valAccuracy?: number[];
}

/** The JSON form of an MLP: W[k] and b[k] belong to layer k + 1. */
export interface MLPJSON {
  layers: number[];
  /** Activation names, as exported ("relu", "sigmoid", "softmax", …), one per layer 1..L. */
  activations: string[];
  /** Loss name, as exported ("binaryCrossEntropy", "categoricalCrossEntropy" or "meanSquaredError"). */
  loss: string;
  /** W[k] is n_k x n_{k+1}, as rows. */
  W: number[][][];
  /** b[k] holds the n_{k+1} biases of layer k + 1. */
  b: number[][];
}

/** One parameter tensor with its gradient, as `MLP.parameters()` lists them. */
export interface Parameter {
  /** "W[l]" or "b[l]". */
  name: string;
  /** Layer l, 1..L. */
  layer: number;
  /** The parameter itself (changing its entries changes the network). */
  value: Matrix;
  /** Its gradient dL/d(value) from the last `backward`, same shape. */
  grad: Matrix;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** `fromJSON`'s weights, handed to the constructor under a key no caller can write. */
const PRESET = Symbol('preset weights');
interface PresetOptions extends MLPOptions {
  [PRESET]?: { W: number[][][]; b: number[][] };
}

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function checkMatrix(where: string, name: string, m: unknown): Matrix {
  if (!(m instanceof Matrix)) {
    fail(where, `${name} must be a Matrix (e.g. Matrix.from(rows)); received ${m === null ? 'null' : typeof m}`);
  }
  return m;
}

function checkFinite(where: string, name: string, m: Matrix): void {
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) {
      fail(where, `${name} must hold finite numbers; received ${m.data[i]} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}`);
    }
  }
}

/** Σ_l (n_{l−1} + 1)·n_l for layer sizes that are already checked. */
function countParameters(layers: readonly number[]): number {
  let count = 0;
  for (let l = 1; l < layers.length; l++) count += (layers[l - 1] + 1) * layers[l];
  return count;
}

function showLayers(layers: readonly number[]): string {
  return layers.length <= 12 ? `[${layers.join(', ')}]` : `[${layers.slice(0, 6).join(', ')}, …, ${layers.slice(-3).join(', ')}] (${layers.length} sizes)`;
}

/** Checks layer sizes and the parameter limit; `name` is how the message calls them ("layers", "json.layers"). */
function checkLayers(where: string, name: string, layers: unknown): number[] {
  if (!Array.isArray(layers) || layers.length < 2) {
    fail(where, `${name} must be an array of at least two layer sizes [n_0, …, n_L]; received ${
      Array.isArray(layers) ? showLayers(layers) : String(layers)}`);
  }
  for (let l = 0; l < layers.length; l++) {
    const n = layers[l];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      fail(where, `${name}[${l}] must be a positive integer; received ${String(n)} in ${showLayers(layers)}`);
    }
  }
  const sizes = layers as number[];
  checkLimit(where, `a network with ${name} ${showLayers(sizes)} (Σ_l (n_{l−1} + 1)·n_l parameters)`, countParameters(sizes), 'parameters');
  return sizes;
}

function showRange([lo, hi]: readonly [number, number]): string {
  const show = (v: number): string => (v === Infinity ? '∞' : v === -Infinity ? '−∞' : String(v));
  return `${lo === -Infinity ? '(' : '['}${show(lo)}, ${show(hi)}${hi === Infinity ? ')' : ']'}`;
}

/**
 * Throws unless the activations suit the layers and the loss: softmax needs at least 2 units; a loss
 * with an `outputRange` (the cross-entropies) needs an output activation whose range lies inside it;
 * categorical cross-entropy needs n_L ≥ 2 classes. `name` is how the message calls the activations.
 */
function checkArchitecture(where: string, name: string, layers: readonly number[], acts: readonly Activation[], loss: Loss): void {
  const L = layers.length - 1;
  acts.forEach((f, i) => {
    if (f.kind === 'rowwise' && f.name === 'softmax' && layers[i + 1] < 2) {
      fail(where, `${name}[${i}] is softmax on layer ${i + 1} of ${layers[i + 1]} unit: a softmax over one unit is the constant 1 ` +
        `(its gradient is 0); use sigmoid for one output unit (with binaryCrossEntropy), or give the layer ≥ 2 units`);
    }
  });
  const out = acts[L - 1];
  if (loss.outputRange !== undefined) {
    const range = activationRange(out);
    const [lo, hi] = loss.outputRange;
    if (!(range[0] >= lo && range[1] <= hi)) {
      fail(where, `loss ${loss.name} takes ln ŷ, so it needs outputs ŷ in ${showRange(loss.outputRange)}, but the output ` +
        `activation ${name}[${L - 1}] = ${out.name} gives values in ${showRange(range)} (where it leaves ${showRange(loss.outputRange)} ` +
        `the clipped loss is flat and its gradient meaningless); use sigmoid for labels 0/1 with binaryCrossEntropy, or ` +
        `softmax for one-hot classes with categoricalCrossEntropy`);
    }
  }
  if (loss === categoricalCrossEntropy && layers[L] < 2) {
    fail(where, `loss categoricalCrossEntropy needs n_L ≥ 2 output units (one per class); received layers[${L}] = ${layers[L]}; ` +
      `for two classes with one output unit use sigmoid with binaryCrossEntropy`);
  }
}

/** The batch buffers for n samples: a[0] and y copies, z[l], a[l], dz[l], da[l] (da[0] too). */
interface Buffers {
  readonly n: number;
  /** True when they live in a wasm workspace: X and y are then copied in, so that the kernels use them in place. */
  readonly resident: boolean;
  /** n x n_0: where X (or a batch of its rows) is copied. */
  readonly x: Matrix;
  /** n x n_L: where y (or a batch of its rows) is copied. */
  readonly y: Matrix;
  readonly z: Matrix[];
  readonly a: Matrix[];
  readonly dz: Matrix[];
  readonly da: Matrix[];
}

/** The same buffers' first r rows, sharing their storage (for the last, smaller mini-batch). */
function firstRows(b: Buffers, r: number): Buffers {
  const view = (m: Matrix): Matrix => new Matrix(r, m.cols, m.data.subarray(0, r * m.cols));
  const views = (ms: Matrix[]): Matrix[] => ms.map((m) => (m === undefined ? m : view(m)));
  return { n: r, resident: b.resident, x: view(b.x), y: view(b.y), z: views(b.z), a: views(b.a), dz: views(b.dz), da: views(b.da) };
}

/** Copies rows order[start .. start + rows) of src (`? x cols`) into dst's first rows. */
function gatherRows(dst: Float64Array, src: Float64Array, cols: number, order: number[], start: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const s = order[start + r] * cols;
    const d = r * cols;
    for (let j = 0; j < cols; j++) dst[d + j] = src[s + j];
  }
}

/**
 * A multilayer perceptron trained by gradient descent, written with the tutorial's symbols. Layer
 * l = 1..L has n_l units; a batch holds one sample per row:
 *
 *   a[0] = X (n x n_0),   z[l] = a[l−1]·W[l] + b[l] (n x n_l),   a[l] = f_l(z[l]),   ŷ = a[L];
 *
 * W[l] is n_{l−1} x n_l and b[l] is 1 x n_l. Back-propagation fills, for l = L..1,
 *
 *   dz[l] = da[l] ⊙ f_l'(z[l]),   dW[l] = a[l−1]ᵀ·dz[l],   db[l] = 1ᵀ·dz[l],   da[l−1] = dz[l]·W[l]ᵀ,
 *
 * starting from da[L] = dL/dŷ (for a row-wise f_l such as softmax, dz[l] is the Jacobian-vector
 * product row by row); every dX[l] has the shape of X[l]. Index 0 of W, b, z, dW, db, dz is unused
 * (an empty slot), as in the tutorial's code.
 */
export class MLP {
  /** Layer sizes [n_0, …, n_L]. */
  readonly layers: readonly number[];
  /** Activations f_1..f_L (index l − 1 for layer l). */
  readonly activations: readonly Activation[];
  /** The loss L(y, ŷ). */
  readonly loss: Loss;
  /** W[l], n_{l−1} x n_l, for l = 1..L. */
  readonly W: Matrix[];
  /** b[l], 1 x n_l, for l = 1..L. */
  readonly b: Matrix[];
  /** z[l] = a[l−1]·W[l] + b[l] from the last `forward` (n x n_l). */
  readonly z: Matrix[] = [];
  /** a[l] = f_l(z[l]) from the last `forward`; a[0] = X (its copy in wasm memory where the kernels use one, else X itself), a[L] = ŷ. */
  readonly a: Matrix[] = [];
  /** dz[l] = dL/dz[l] from the last `backward`. */
  readonly dz: Matrix[] = [];
  /**
   * da[l] = dL/da[l] from the last `backward`; da[L] = dL/dŷ (from `loss.df`, with its clipping of ŷ),
   * da[0] = dL/dX.
   */
  readonly da: Matrix[] = [];
  /** dW[l] = dL/dW[l] from the last `backward`, shape of W[l]. */
  readonly dW: Matrix[];
  /** db[l] = dL/db[l] from the last `backward`, shape of b[l]. */
  readonly db: Matrix[];

  /** Rows of the batch that z, a, dz, da hold (0: none yet). */
  private batch = 0;
  /** The buffers of the current batch size, if any. */
  private buffers: Buffers | null = null;
  /** The buffers of the last validation set `fit` measured (reused by the next fit on as many samples). */
  private validationBuffers: Buffers | null = null;
  /** The optimizer state of the last `fit`, continued by the next `fit` with the same optimizer. */
  private optimizerState: { key: string; update: (eta: number) => void } | null = null;
  private hasForward = false;
  private hasBackward = false;
  /** True when dz[L] = (ŷ − y)/n: sigmoid with binary cross-entropy, or softmax with categorical cross-entropy. */
  private readonly fused: boolean;

  /**
   * A new network with initial weights drawn from `seed` or `random` (see `InitScheme`). Checks
   * every option, and the size limit (`LIMITS.parameters`) before allocating anything.
   * @example new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 42 })
   */
  constructor(options: MLPOptions) {
    const where = 'new MLP';
    if (options === null || typeof options !== 'object') {
      fail(where, `options must be an object { layers, activations, loss, seed }; received ${String(options)}`);
    }
    const layers = checkLayers(where, 'layers', options.layers);
    const L = layers.length - 1;
    if (!Array.isArray(options.activations) || options.activations.length !== L) {
      fail(where, `activations must hold one activation per layer after the input, layers.length − 1 = ${L}; received ${
        Array.isArray(options.activations) ? options.activations.length : String(options.activations)}`);
    }
    const acts = options.activations.map((f, i) => checkActivation(f, `${where}: activations[${i}]`));
    const loss = checkLoss(options.loss, `${where}: loss`);
    checkArchitecture(where, 'activations', layers, acts, loss);
    this.activations = Object.freeze(acts);
    this.loss = loss;
    this.layers = Object.freeze(layers.slice());
    const output = acts[L - 1];
    this.fused = (output === sigmoid && loss === binaryCrossEntropy) || (output === softmax && loss === categoricalCrossEntropy);

    const preset = (options as PresetOptions)[PRESET];
    const init = options.init ?? 'normal';
    if (init !== 'normal' && init !== 'xavier' && init !== 'he') {
      fail(where, `init must be 'normal', 'xavier' or 'he'; received ${String(init)}`);
    }
    const sigma = options.sigma ?? 0.1;
    if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) {
      fail(where, `sigma must be a finite number ≥ 0; received ${String(sigma)}`);
    }
    const random = preset === undefined ? resolveRandom(options, where) : null;

    this.W = new Array<Matrix>(L + 1);
    this.b = new Array<Matrix>(L + 1);
    this.dW = new Array<Matrix>(L + 1);
    this.db = new Array<Matrix>(L + 1);
    for (let l = 1; l <= L; l++) {
      const nIn = layers[l - 1];
      const nOut = layers[l];
      const W = new Matrix(nIn, nOut);
      const b = new Matrix(1, nOut);
      if (preset !== undefined) {
        const rows = preset.W[l - 1];
        for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) W.data[i * nOut + j] = rows[i][j];
        b.data.set(preset.b[l - 1]);
      } else if (random !== null) {
        const std = init === 'normal' ? sigma : init === 'xavier' ? Math.sqrt(2 / (nIn + nOut)) : Math.sqrt(2 / nIn);
        for (let i = 0; i < W.data.length; i++) W.data[i] = random.normal() * std;
        if (init === 'normal') for (let i = 0; i < b.data.length; i++) b.data[i] = random.normal() * std;
      }
      this.W[l] = W;
      this.b[l] = b;
      this.dW[l] = new Matrix(nIn, nOut);
      this.db[l] = new Matrix(1, nOut);
    }
  }

  /** Number of weight layers L (= layers.length − 1). */
  get L(): number {
    return this.layers.length - 1;
  }

  /** Total number of parameters, Σ_l (n_{l−1} + 1)·n_l. */
  get parameterCount(): number {
    return countParameters(this.layers);
  }

  /** W[1], b[1], …, W[L], b[L] with their gradients dW[l], db[l]. */
  parameters(): Parameter[] {
    const out: Parameter[] = [];
    for (let l = 1; l <= this.L; l++) {
      out.push({ name: `W[${l}]`, layer: l, value: this.W[l], grad: this.dW[l] });
      out.push({ name: `b[${l}]`, layer: l, value: this.b[l], grad: this.db[l] });
    }
    return out;
  }

  private checkInput(where: string, X: unknown, name = 'X'): Matrix {
    const m = checkMatrix(where, name, X);
    if (m.cols !== this.layers[0] || m.rows < 1) {
      fail(where, `${name} must be n x ${this.layers[0]} (n ≥ 1 samples as rows, layers[0] = ${this.layers[0]} columns); received ${m.rows}x${m.cols}`);
    }
    checkFinite(where, name, m);
    return m;
  }

  private checkTargets(where: string, y: unknown, n: number, name = 'y', xName = 'X'): Matrix {
    const m = checkMatrix(where, name, y);
    const k = this.layers[this.L];
    if (m.rows !== n || m.cols !== k) {
      fail(where, `${name} must be ${n}x${k} (one row per sample of ${xName}, layers[L] = ${k} columns); received ${m.rows}x${m.cols}`);
    }
    checkFinite(where, name, m);
    this.loss.checkTargets(m, `${where}: ${name}`);
    return m;
  }

  /**
   * Allocates the batch buffers for n samples. Where WebAssembly is available they live in a wasm
   * memory of their own (a `KernelWorkspace`, see src/kernels/wasm.ts), together with room for a
   * copy of X and of y, so that the SIMD kernels work on all of them in place; they are ordinary
   * zero-filled Matrix objects either way. Checks `LIMITS.batchEntries` first.
   */
  private allocateBuffers(where: string, n: number): Buffers {
    const layers = this.layers;
    const L = this.L;
    let perSample = 2 * layers[0] + layers[L];
    for (let l = 1; l <= L; l++) perSample += 4 * layers[l];
    checkLimit(where, `the buffers z[l], a[l], dz[l], da[l] (and copies of X, y) for a batch of ${n} samples ` +
      `(${perSample} values per sample; use fit's batchSize, or predict in parts)`, n * perSample, 'batchEntries');
    const workspace = workspaceForBatch(layers, n, n * (layers[0] + layers[L]), 2);
    const buffer = (rows: number, cols: number): Matrix =>
      workspace === null ? new Matrix(rows, cols) : new Matrix(rows, cols, workspace.alloc(rows * cols));
    const z: Matrix[] = [];
    const a: Matrix[] = [];
    const dz: Matrix[] = [];
    const da: Matrix[] = [];
    for (let l = 1; l <= L; l++) {
      z[l] = buffer(n, layers[l]);
      a[l] = buffer(n, layers[l]);
      dz[l] = buffer(n, layers[l]);
      da[l] = buffer(n, layers[l]);
    }
    da[0] = buffer(n, layers[0]);
    return { n, resident: workspace !== null, x: buffer(n, layers[0]), y: buffer(n, layers[L]), z, a, dz, da };
  }

  /** Makes z, a, dz, da the buffers for a batch of n samples (allocated once per batch size). */
  private ensureBuffers(where: string, n: number): Buffers {
    if (this.buffers === null || this.buffers.n !== n) this.buffers = this.allocateBuffers(where, n);
    this.point(this.buffers);
    return this.buffers;
  }

  /** Points the public z, a, dz, da at `b` (no allocation). */
  private point(b: Buffers): void {
    for (let l = 1; l <= this.L; l++) {
      this.z[l] = b.z[l];
      this.a[l] = b.a[l];
      this.dz[l] = b.dz[l];
      this.da[l] = b.da[l];
    }
    this.da[0] = b.da[0];
    this.batch = b.n;
  }

  /** a[0] for X: its copy in the buffers when they live in wasm memory (one copy, counted), else X itself. */
  private stageInput(b: Buffers, X: Matrix): Matrix {
    if (!b.resident) return X;
    b.x.data.set(X.data);
    wasmKernelStats.copiedValues += X.data.length;
    return b.x;
  }

  /** The forward pass into given buffers: z[l] = a[l−1]·W[l] + b[l], a[l] = f_l(z[l]). */
  private propagate(X: Matrix, z: Matrix[], a: Matrix[]): void {
    a[0] = X;
    for (let l = 1; l <= this.L; l++) {
      matmulInto(z[l], a[l - 1], this.W[l]); // z[l] = a[l−1]·W[l]
      addBiasAndActivate(z[l], a[l], this.b[l], this.activations[l - 1]); // z[l] += b[l]; a[l] = f_l(z[l])
    }
  }

  /**
   * Throws a `NonFiniteError` naming the first layer whose z[l] (else a[l]) holds a NaN or ±Infinity,
   * after a forward pass whose ŷ = a[L] is not finite. `context` and `hint` finish the message.
   */
  private reportNonFinite(where: string, z: Matrix[], a: Matrix[], context: string, hint: string): never {
    for (let l = 1; l <= this.L; l++) {
      for (const [m, quantity, formula] of [
        [z[l], `z[${l}]`, `a[${l - 1}]·W[${l}] + b[${l}]`],
        [a[l], `a[${l}]`, `${this.activations[l - 1].name}(z[${l}])`],
      ] as const) {
        const d = m.data;
        for (let i = 0; i < d.length; i++) {
          if (!Number.isFinite(d[i])) {
            const row = Math.floor(i / m.cols);
            const column = i % m.cols;
            const what = Number.isNaN(d[i]) ? 'became NaN' : `overflowed to ${d[i]}`;
            throw new NonFiniteError(`${where}: ŷ is not finite: ${quantity} = ${formula} (layer ${l}) ${what} at row ${row}, ` +
              `column ${column}${context}, NaN or infinite where every earlier z and a is finite; ${hint}`,
            { quantity, layer: l, row, column, value: d[i] });
          }
        }
      }
    }
    throw new NonFiniteError(`${where}: ŷ is not finite${context}; ${hint}`);
  }

  /**
   * Forward pass on X (`n x n_0`): keeps z[l] and a[l] for every layer and returns a copy of
   * ŷ = a[L] (`n x n_L`). a[0] is X: a copy of it in wasm memory where the kernels use one (made once),
   * else X itself, so do not change X between `forward` and `backward` (which uses a[0] for
   * dW[1] = a[0]ᵀ·dz[1]). Throws a `NonFiniteError` naming the layer and
   * the quantity (z[l] or a[l]) when ŷ is not finite (an overflow inside the network).
   */
  forward(X: Matrix): Matrix {
    const where = 'MLP.forward';
    const input = this.checkInput(where, X);
    const buffers = this.ensureBuffers(where, input.rows);
    this.hasForward = false;
    this.hasBackward = false;
    this.propagate(this.stageInput(buffers, input), this.z, this.a);
    if (!this.a[this.L].isFinite()) {
      this.reportNonFinite(where, this.z, this.a, '', 'the input X or the weights W[l], b[l] are too large (or not finite)');
    }
    this.hasForward = true;
    return this.a[this.L].clone();
  }

  /**
   * ŷ for X without touching the network's stored z, a (for plotting and evaluation).
   * Returns a new `n x n_L` matrix; throws a `NonFiniteError` like `forward` when ŷ is not finite.
   */
  predict(X: Matrix): Matrix {
    const where = 'MLP.predict';
    const input = this.checkInput(where, X);
    const z: Matrix[] = [];
    const a: Matrix[] = [];
    for (let l = 1; l <= this.L; l++) {
      z[l] = new Matrix(input.rows, this.layers[l]);
      a[l] = new Matrix(input.rows, this.layers[l]);
    }
    this.propagate(input, z, a);
    if (!a[this.L].isFinite()) {
      this.reportNonFinite(where, z, a, '', 'the input X or the weights W[l], b[l] are too large (or not finite)');
    }
    return a[this.L];
  }

  /** L(y, ŷ) for the network's prediction on X, without touching its stored state (no L2 penalty). */
  lossOn(X: Matrix, y: Matrix): number {
    const yhat = this.predict(X);
    return this.loss.f(this.checkTargets('MLP.lossOn', y, yhat.rows), yhat);
  }

  /**
   * Back-propagation for targets y (`n x n_L`, the batch of the last `forward`): fills da[L] = dL/dŷ,
   * then for l = L..1 dz[l], dW[l], db[l] and da[l−1], all before any parameter changes. With a sigmoid
   * output and binary cross-entropy, or a softmax output and categorical cross-entropy, dz[L] is
   * computed as (ŷ − y)/n, the chain rule simplified, which stays exact when ŷ saturates.
   */
  backward(y: Matrix): void {
    const where = 'MLP.backward';
    if (!this.hasForward) fail(where, 'call forward(X) first: backward uses the z[l], a[l] of the last forward pass');
    const target = this.checkTargets(where, y, this.batch);
    this.backpropagate(target, true);
    this.hasBackward = true;
  }

  /** Back-propagation; `inputGradient` false skips da[0] = dL/dX, which no parameter update needs. */
  private backpropagate(y: Matrix, inputGradient: boolean): void {
    const L = this.L;
    const yhat = this.a[L];
    lossGradientInto(this.loss, this.da[L], y, yhat); // da[L] = dL/dŷ, as this.loss.dfInto computes it
    for (let l = L; l >= 1; l--) {
      const dz = this.dz[l].data;
      if (l === L && this.fused) {
        const inv = 1 / y.rows;
        for (let i = 0; i < dz.length; i++) dz[i] = (yhat.data[i] - y.data[i]) * inv;
      } else {
        // dz[l] = da[l] ⊙ f_l'(z[l]), or the Jacobian-vector product of a row-wise f_l
        activationGradientInto(this.dz[l], this.da[l], this.z[l], this.a[l], this.activations[l - 1]);
      }
      tmatmulInto(this.dW[l], this.a[l - 1], this.dz[l]);
      sumColumnsInto(this.db[l].data, dz, y.rows, this.layers[l]);
      if (l > 1 || inputGradient) matmulTInto(this.da[l - 1], this.dz[l], this.W[l]);
    }
  }

  /** One gradient-descent step: W[l] ← W[l] − η·dW[l], b[l] ← b[l] − η·db[l], for every layer. */
  update(learningRate: number): void {
    const where = 'MLP.update';
    checkLearningRate(where, learningRate);
    if (!this.hasBackward) fail(where, 'call backward(y) first: update steps along the dW[l], db[l] it computes');
    this.optimizerState = null;
    this.step(learningRate);
  }

  private step(eta: number): void {
    for (let l = 1; l <= this.L; l++) {
      const W = this.W[l].data;
      const dW = this.dW[l].data;
      for (let i = 0; i < W.length; i++) W[i] -= eta * dW[i];
      const b = this.b[l].data;
      const db = this.db[l].data;
      for (let i = 0; i < b.length; i++) b[i] -= eta * db[i];
    }
  }

  private parametersFinite(): boolean {
    for (let l = 1; l <= this.L; l++) if (!this.W[l].isFinite() || !this.b[l].isFinite()) return false;
    return true;
  }

  /** Σ_l ‖W[l]‖², the sum of the squared weights (biases excluded). */
  private squaredWeights(): number {
    let s = 0;
    for (let l = 1; l <= this.L; l++) {
      const W = this.W[l].data;
      for (let i = 0; i < W.length; i++) s += W[i] * W[i];
    }
    return s;
  }

  /** dW[l] ← dW[l] + λ·W[l] for every layer: the gradient of (λ/2)·Σ_l ‖W[l]‖². */
  private addL2Gradient(lambda: number): void {
    for (let l = 1; l <= this.L; l++) {
      const W = this.W[l].data;
      const dW = this.dW[l].data;
      for (let i = 0; i < W.length; i++) dW[i] += lambda * W[i];
    }
  }

  /**
   * Forgets the optimizer state (momentum's v; Adam's m, v and step count t) that `fit` keeps for the
   * next `fit` with the same optimizer (see `OptimizerOptions`): the next `fit` starts from zero state.
   */
  resetOptimizer(): void {
    this.optimizerState = null;
  }

  /** The update rule of `fit` for this network, with its state allocated now (see `OptimizerOptions`). */
  private makeOptimizer(spec: ParsedOptimizer): (eta: number) => void {
    if (spec.name === 'sgd') return (eta) => this.step(eta);
    const params: Float64Array[] = [];
    const grads: Float64Array[] = [];
    for (let l = 1; l <= this.L; l++) {
      params.push(this.W[l].data, this.b[l].data);
      grads.push(this.dW[l].data, this.db[l].data);
    }
    if (spec.name === 'momentum') {
      const beta = spec.beta;
      const velocity = params.map((p) => new Float64Array(p.length));
      return (eta) => {
        for (let t = 0; t < params.length; t++) {
          const p = params[t];
          const g = grads[t];
          const v = velocity[t];
          for (let i = 0; i < p.length; i++) {
            v[i] = beta * v[i] + g[i]; // v ← β·v + g
            p[i] -= eta * v[i]; // θ ← θ − η·v
          }
        }
      };
    }
    const { beta1, beta2, epsilon } = spec;
    const first = params.map((p) => new Float64Array(p.length));
    const second = params.map((p) => new Float64Array(p.length));
    let steps = 0;
    return (eta) => {
      steps++;
      const c1 = 1 - Math.pow(beta1, steps);
      const c2 = 1 - Math.pow(beta2, steps);
      const stepSize = eta / c1;
      const c2Sqrt = Math.sqrt(c2);
      for (let t = 0; t < params.length; t++) {
        const p = params[t];
        const g = grads[t];
        const m = first[t];
        const v = second[t];
        for (let i = 0; i < p.length; i++) {
          const gi = g[i];
          m[i] = beta1 * m[i] + (1 - beta1) * gi; // m ← β₁·m + (1 − β₁)·g
          v[i] = v[i] * beta2 + (1 - beta2) * gi * gi; // v ← β₂·v + (1 − β₂)·g²
          p[i] -= stepSize * (m[i] / (Math.sqrt(v[i]) / c2Sqrt + epsilon)); // θ ← θ − (η/c₁)·m/(√v/√c₂ + ε)
        }
      }
    };
  }

  /**
   * Trains the network: `epochs` passes over (X, y), each made of steps — forward on a batch, its
   * loss and accuracy, backward, the L2 gradient λ·W[l] if `l2` > 0, one `optimizer` update — on the
   * full batch by default or on shuffled mini-batches of `batchSize` (see `FitOptions`); after each
   * epoch, measures `validation` if given, then calls `onEpoch`. Returns the `FitHistory`, whose
   * entries are defined there. With the defaults (full batch, SGD, no L2) each epoch is exactly
   * forward(X), backward(y), update(η).
   *
   * X and y are copied once into the memory the kernels work in and stay there for all epochs (with
   * mini-batches, each batch's rows are copied in). fit does not compute da[0] = dL/dX, which no
   * update needs (`backward` does). After fit, z, a, dz, da, dW, db hold the last step's batch.
   *
   * Stops with an Error naming the epoch if the loss, ŷ (a `NonFiniteError` naming the layer) or a
   * parameter becomes NaN or infinite. Allocates no matrices per epoch or per step once the buffers
   * and the optimizer's state exist.
   */
  fit(X: Matrix, y: Matrix, options: FitOptions): FitHistory {
    const where = 'MLP.fit';
    const input = this.checkInput(where, X);
    const target = this.checkTargets(where, y, input.rows);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      fail(where, `options must be an object { epochs, learningRate, … }; received ${describeValue(options)}`);
    }
    checkKeys(where, 'option', options, FIT_OPTION_KEYS);
    const { epochs, learningRate, onEpoch } = options;
    if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
      fail(where, `epochs must be a non-negative integer; received ${String(epochs)}`);
    }
    checkLearningRate(where, learningRate);
    if (onEpoch !== undefined && typeof onEpoch !== 'function') {
      fail(where, `onEpoch must be a function; received ${typeof onEpoch}`);
    }
    const n = input.rows;
    let batchSize = n;
    if (options.batchSize !== undefined) {
      const B = options.batchSize;
      if (typeof B !== 'number' || !Number.isInteger(B) || B < 1) {
        fail(where, `batchSize must be an integer ≥ 1 (samples per step; ≥ n = ${n} means the full batch); received ${describeValue(B)}`);
      }
      batchSize = Math.min(B, n);
    }
    // The shuffles' source: checked now, created only when there are mini-batches to shuffle.
    const randomOptions = { seed: options.random === undefined ? options.seed ?? 0 : options.seed, random: options.random };
    if (batchSize === n) checkRandomOptions(where, randomOptions);
    const optimizer = parseOptimizer(where, options.optimizer);
    const l2 = options.l2 ?? 0;
    if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) {
      fail(where, `l2 must be a finite number ≥ 0 (the λ of (λ/2)·Σ_l ‖W[l]‖²); received ${describeValue(l2)}`);
    }
    let valX: Matrix | null = null;
    let valY: Matrix | null = null;
    if (options.validation !== undefined) {
      const v = options.validation;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        fail(where, `validation must be an object { X, y } of held-out data; received ${describeValue(v)}`);
      }
      checkKeys(where, 'key of validation', v, ['X', 'y']);
      valX = this.checkInput(where, v.X, 'validation.X');
      valY = this.checkTargets(where, v.y, valX.rows, 'validation.y', 'validation.X');
    }

    const L = this.L;
    const miniBatches = batchSize < n;
    const random = miniBatches ? resolveRandom(randomOptions, where) : null;
    const stepsPerEpoch = Math.ceil(n / batchSize);
    const main = this.ensureBuffers(where, batchSize);
    const remainder = n - batchSize * (stepsPerEpoch - 1);
    const last = remainder === batchSize ? main : firstRows(main, remainder);
    const order: number[] = miniBatches ? Array.from({ length: n }, (_, i) => i) : [];
    // The full batch: X and y copied in once, for every epoch.
    let xs = input;
    let ys = target;
    if (!miniBatches && main.resident) {
      xs = this.stageInput(main, input);
      main.y.data.set(target.data);
      wasmKernelStats.copiedValues += target.data.length;
      ys = main.y;
    }
    let validation: { X: Matrix; y: Matrix; buffers: Buffers } | null = null;
    if (valX !== null && valY !== null) {
      if (this.validationBuffers === null || this.validationBuffers.n !== valX.rows) {
        this.validationBuffers = this.allocateBuffers(where, valX.rows);
      }
      const buffers = this.validationBuffers;
      let vx = valX;
      let vy = valY;
      if (buffers.resident) {
        vx = this.stageInput(buffers, valX);
        buffers.y.data.set(valY.data);
        wasmKernelStats.copiedValues += valY.data.length;
        vy = buffers.y;
      }
      validation = { X: vx, y: vy, buffers };
    }
    const optimizerKey = JSON.stringify(optimizer);
    if (this.optimizerState === null || this.optimizerState.key !== optimizerKey) {
      this.optimizerState = { key: optimizerKey, update: this.makeOptimizer(optimizer) };
    }
    const update = this.optimizerState.update;

    const history: FitHistory = validation === null ? { loss: [], accuracy: [] } : { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
    const observer = observeFit({
      network: this.toString(), layers: this.layers, epochs, learningRate, samples: n,
      batchSize, optimizer: optimizer.name, l2, validationSamples: valX === null ? 0 : valX.rows,
    });
    let stoppedEarly = false;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        if (random !== null) {
          for (let i = 0; i < n; i++) order[i] = i;
          shuffleInPlace(random, order);
        }
        let epochLoss = 0;
        let correct = 0;
        for (let step = 0, start = 0; step < stepsPerEpoch; step++, start += batchSize) {
          const buffers = step === stepsPerEpoch - 1 ? last : main;
          const rows = buffers.n;
          if (miniBatches) {
            gatherRows(buffers.x.data, input.data, input.cols, order, start, rows);
            gatherRows(buffers.y.data, target.data, target.cols, order, start, rows);
            if (buffers.resident) wasmKernelStats.copiedValues += rows * (input.cols + target.cols);
            xs = buffers.x;
            ys = buffers.y;
            this.point(buffers);
          }
          this.hasBackward = false;
          this.propagate(xs, this.z, this.a);
          const yhat = this.a[L];
          if (!yhat.isFinite()) {
            this.hasForward = false;
            this.reportNonFinite(where, this.z, this.a, ` in the forward pass of ${stepLabel(epoch, step, stepsPerEpoch)} (learningRate ${learningRate})`,
              'training diverged; try a smaller learningRate');
          }
          this.hasForward = true;
          let loss = this.loss.f(ys, yhat);
          if (l2 > 0) loss += 0.5 * l2 * this.squaredWeights();
          if (!Number.isFinite(loss)) {
            fail(where, `the loss became ${loss} at ${stepLabel(epoch, step, stepsPerEpoch)} (learningRate ${learningRate}): training diverged; try a smaller learningRate`);
          }
          if (stepsPerEpoch === 1) epochLoss = loss;
          else epochLoss += loss * rows;
          correct += correctPredictions(ys, yhat);
          this.backpropagate(ys, false);
          if (l2 > 0) this.addL2Gradient(l2);
          this.hasBackward = true;
          update(learningRate);
          if (!this.parametersFinite()) {
            fail(where, `a weight or bias became NaN or infinite in the update of ${stepLabel(epoch, step, stepsPerEpoch)} (learningRate ${learningRate}): training diverged; try a smaller learningRate`);
          }
        }
        if (stepsPerEpoch > 1) epochLoss /= n;
        const acc = correct / n;
        history.loss.push(epochLoss);
        history.accuracy.push(acc);
        let valLoss = 0;
        let valAccuracy = 0;
        if (validation !== null) {
          const v = validation;
          this.propagate(v.X, v.buffers.z, v.buffers.a);
          const vhat = v.buffers.a[L];
          if (!vhat.isFinite()) {
            this.reportNonFinite(where, v.buffers.z, v.buffers.a, ` on validation.X after epoch ${epoch} (learningRate ${learningRate})`,
              'training diverged; try a smaller learningRate');
          }
          valLoss = this.loss.f(v.y, vhat) + (l2 > 0 ? 0.5 * l2 * this.squaredWeights() : 0);
          valAccuracy = correctPredictions(v.y, vhat) / v.y.rows;
          (history.valLoss as number[]).push(valLoss);
          (history.valAccuracy as number[]).push(valAccuracy);
        }
        if (observer !== undefined) {
          observer.epoch(validation === null ? { epoch, epochs, loss: epochLoss, accuracy: acc }
            : { epoch, epochs, loss: epochLoss, accuracy: acc, valLoss, valAccuracy });
        }
        if (onEpoch !== undefined) {
          const info: EpochInfo = validation === null ? { epoch, loss: epochLoss, accuracy: acc, net: this }
            : { epoch, loss: epochLoss, accuracy: acc, valLoss, valAccuracy, net: this };
          if (onEpoch(info) === false) {
            stoppedEarly = true;
            break;
          }
        }
      }
    } catch (e) {
      if (observer !== undefined) {
        observer.end({ epochsRun: history.loss.length, epochs, stoppedEarly, error: e as Error });
      }
      throw e;
    }
    if (observer !== undefined) observer.end({ epochsRun: history.loss.length, epochs, stoppedEarly });
    return history;
  }

  /** A plain-JSON copy of the architecture and parameters; `MLP.fromJSON` restores it exactly. */
  toJSON(): MLPJSON {
    const W: number[][][] = [];
    const b: number[][] = [];
    for (let l = 1; l <= this.L; l++) {
      W.push(this.W[l].toArray());
      b.push(Array.from(this.b[l].data));
    }
    return {
      layers: this.layers.slice(),
      activations: this.activations.map((f) => f.name),
      loss: this.loss.name,
      W,
      b,
    };
  }

  /**
   * The network that `toJSON` described, with bit-identical parameters. Validates the whole document
   * first — the layer sizes and the parameter limit (`LIMITS.parameters`), the activation and loss
   * names (own keys of `activations` and `losses`), their fit (as `new MLP` does), the shape of every
   * W[k] and b[k] row by row, and that every entry is a finite number — and only then builds the
   * network (drawing no random weights). Each error names the field.
   */
  static fromJSON(json: MLPJSON): MLP {
    const where = 'MLP.fromJSON';
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      fail(where, `json must be an object { layers, activations, loss, W, b }; received ${describeValue(json)}`);
    }
    for (const key of ['layers', 'activations', 'loss', 'W', 'b'] as const) {
      if (json[key] === undefined) fail(where, `json.${key} is missing`);
    }
    const layers = checkLayers(where, 'json.layers', json.layers);
    const L = layers.length - 1;
    if (!Array.isArray(json.activations)) {
      fail(where, `json.activations must be an array of names; received ${describeValue(json.activations)}`);
    }
    if (json.activations.length !== L) {
      fail(where, `json.activations must hold one activation per layer after the input, layers.length − 1 = ${L}; received ${json.activations.length}`);
    }
    const acts = json.activations.map((name, i) => {
      if (!hasOwnName(activationsByName, name)) {
        fail(where, `json.activations[${i}] must be one of ${Object.keys(activationsByName).join(', ')}; received ${showJSON(name)}`);
      }
      return activationsByName[name];
    });
    if (!hasOwnName(lossesByName, json.loss)) {
      fail(where, `json.loss must be one of ${Object.keys(lossesByName).join(', ')}; received ${showJSON(json.loss)}`);
    }
    const loss = lossesByName[json.loss];
    checkArchitecture(where, 'json.activations', layers, acts, loss);
    if (!Array.isArray(json.W) || json.W.length !== L) {
      fail(where, `json.W must hold ${L} weight matrices (one per layer); received ${Array.isArray(json.W) ? json.W.length : describeValue(json.W)}`);
    }
    if (!Array.isArray(json.b) || json.b.length !== L) {
      fail(where, `json.b must hold ${L} bias vectors (one per layer); received ${Array.isArray(json.b) ? json.b.length : describeValue(json.b)}`);
    }
    for (let l = 1; l <= L; l++) {
      const nIn = layers[l - 1];
      const nOut = layers[l];
      const rows: unknown = json.W[l - 1];
      const shape = `json.W[${l - 1}] (W[${l}]) must be ${nIn}x${nOut} for layers [${layers.join(', ')}]`;
      if (!Array.isArray(rows)) fail(where, `${shape}; received ${describeValue(rows)}`);
      const notRow = rows.findIndex((r) => !Array.isArray(r));
      if (notRow >= 0) fail(where, `${shape}; received ${describeValue(rows[notRow])} as row ${notRow} of ${rows.length}`);
      const width = rows.length > 0 ? (rows[0] as unknown[]).length : 0;
      const ragged = rows.findIndex((r) => (r as unknown[]).length !== width);
      if (ragged >= 0) {
        fail(where, `${shape}; received ragged rows: row 0 has ${width} entries, row ${ragged} has ${(rows[ragged] as unknown[]).length}`);
      }
      if (rows.length !== nIn || width !== nOut) fail(where, `${shape}; received ${rows.length}x${width}`);
      for (let i = 0; i < nIn; i++) {
        const row = rows[i] as unknown[];
        for (let j = 0; j < nOut; j++) {
          const v: unknown = row[j];
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            fail(where, `json.W[${l - 1}] must hold finite numbers; received ${describeValue(v)} at row ${i}, column ${j} (entry (${i}, ${j}) of W[${l}])`);
          }
        }
      }
      const bias: unknown = json.b[l - 1];
      if (!Array.isArray(bias) || bias.length !== nOut) {
        fail(where, `json.b[${l - 1}] (b[${l}]) must hold ${nOut} numbers; received ${
          Array.isArray(bias) ? `an array of length ${bias.length}` : describeValue(bias)}`);
      }
      for (let j = 0; j < nOut; j++) {
        const v: unknown = bias[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          fail(where, `json.b[${l - 1}] must hold finite numbers; received ${describeValue(v)} at index ${j} (entry ${j} of b[${l}])`);
        }
      }
    }
    const options: PresetOptions = { layers, activations: acts, loss, [PRESET]: { W: json.W, b: json.b } };
    try {
      return new MLP(options);
    } catch (e) {
      fail(where, (e as Error).message.replace(/^new MLP: /, ''));
    }
  }

  /** A one-line description: architecture, activations, loss and parameter count. */
  toString(): string {
    return `MLP ${this.layers.join('-')} (${this.activations.map((f) => f.name).join(', ')}; loss ${this.loss.name}; ` +
      `${this.parameterCount} parameters)`;
  }

  /** Node's `util.inspect` (and so tslab's cell output) shows `toString()` rather than every buffer. */
  [inspectSymbol](): string {
    return this.toString();
  }
}

function showJSON(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** "epoch 3", or "epoch 3 (step 2 of 8)" with mini-batches: where fit was when it failed. */
function stepLabel(epoch: number, step: number, steps: number): string {
  return steps === 1 ? `epoch ${epoch}` : `epoch ${epoch} (step ${step + 1} of ${steps})`;
}

/** Checks `{ seed, random }` as `resolveRandom` would, without creating the source. */
function checkRandomOptions(where: string, options: { seed?: Seed; random?: RandomSource }): void {
  if (options.seed !== undefined && options.random !== undefined) fail(where, 'give either seed or random, not both');
  if (options.random !== undefined) checkRandomSource(options.random, `${where}: random`);
  else checkSeed(options.seed, `${where}: seed`);
}

function checkLearningRate(where: string, learningRate: unknown): void {
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) {
    fail(where, `learningRate must be a finite number > 0; received ${String(learningRate)}`);
  }
}

const FIT_OPTION_KEYS = ['epochs', 'learningRate', 'batchSize', 'seed', 'random', 'optimizer', 'l2', 'validation', 'onEpoch'];

/** Edit distance between a and b (for "did you mean" in messages). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return d[b.length];
}

/** Throws on a key of `object` that is not in `known`, suggesting the nearest known one. */
function checkKeys(where: string, what: string, object: object, known: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const near = known.filter((k) => { const d = editDistance(key, k); return d <= 2 && d < key.length / 2; });
    fail(where, `unknown ${what} '${key}'${near.length > 0 ? ` (did you mean '${near[0]}'?)` : ''}; the known ones are ${known.join(', ')}`);
  }
}

type ParsedOptimizer =
  | { name: 'sgd' }
  | { name: 'momentum'; beta: number }
  | { name: 'adam'; beta1: number; beta2: number; epsilon: number };

/** `fit`'s `optimizer` option, checked, with its defaults filled in. */
function parseOptimizer(where: string, spec: unknown): ParsedOptimizer {
  if (spec === undefined) return { name: 'sgd' };
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    fail(where, `optimizer must be an object { name: 'sgd' }, { name: 'momentum', beta? } or { name: 'adam', beta1?, beta2?, epsilon? }; ` +
      `received ${describeValue(spec)}`);
  }
  const o = spec as Record<string, unknown>;
  const fraction = (key: string, fallback: number): number => {
    const v = o[key] ?? fallback;
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(where, `optimizer.${key} must be a number in [0, 1); received ${describeValue(v)}`);
    return v;
  };
  switch (o.name) {
    case 'sgd':
      checkKeys(where, "key of optimizer { name: 'sgd' }", o, ['name']);
      return { name: 'sgd' };
    case 'momentum':
      checkKeys(where, "key of optimizer { name: 'momentum' }", o, ['name', 'beta']);
      return { name: 'momentum', beta: fraction('beta', 0.9) };
    case 'adam': {
      checkKeys(where, "key of optimizer { name: 'adam' }", o, ['name', 'beta1', 'beta2', 'epsilon']);
      const epsilon = o.epsilon ?? 1e-8;
      if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
        fail(where, `optimizer.epsilon must be a finite number > 0; received ${describeValue(epsilon)}`);
      }
      return { name: 'adam', beta1: fraction('beta1', 0.9), beta2: fraction('beta2', 0.999), epsilon };
    }
    default:
      fail(where, `optimizer.name must be 'sgd', 'momentum' or 'adam'; received ${describeValue(o.name)}`);
  }
}
