import { Activation, activations as activationsByName, checkActivation, sigmoid } from './activations';
import { Loss, accuracy, binaryCrossEntropy, checkLoss, losses as lossesByName } from './losses';
import { Matrix, matmulInto, matmulTInto, sumColumnsInto, tmatmulInto } from './matrix';
import { activationGradientInto, addBiasAndActivate } from '../kernels/activation-loops';
import { lossGradientInto } from '../kernels/loss-loops';
import { workspaceForBatch } from '../kernels/wasm';
import { observeFit } from './observe';
import { RandomSource, Seed, resolveRandom } from './random';

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
  /** Layer sizes [n_0, n_1, …, n_L]: n_0 inputs, n_L outputs; positive integers, at least two. */
  layers: number[];
  /** One activation per layer l = 1..L (so `layers.length − 1` of them): a[l] = f_l(z[l]). */
  activations: Activation[];
  /** The loss L(y, ŷ), a mean over samples. */
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

/** What `fit` passes to `onEpoch` after each epoch. */
export interface EpochInfo {
  /** Epoch number, from 0. */
  epoch: number;
  /** L on this epoch's forward pass (before its update). */
  loss: number;
  /** Accuracy on this epoch's forward pass (before its update). */
  accuracy: number;
  /** The network, after this epoch's update. */
  net: MLP;
}

/** Options of `MLP.fit`. */
export interface FitOptions {
  /** Number of full-batch gradient-descent epochs, a non-negative integer. */
  epochs: number;
  /** Step size η > 0 in W[l] ← W[l] − η·dW[l], b[l] ← b[l] − η·db[l]. */
  learningRate: number;
  /** Called after every epoch; returning `false` stops training early. */
  onEpoch?: (info: EpochInfo) => void | boolean;
}

/** Per-epoch history from `fit`: entry e is measured on epoch e's forward pass, before its update. */
export interface FitHistory {
  loss: number[];
  accuracy: number[];
}

/** The JSON form of an MLP: W[k] and b[k] belong to layer k + 1. */
export interface MLPJSON {
  layers: number[];
  /** Activation names, as exported ("relu", "sigmoid", …), one per layer 1..L. */
  activations: string[];
  /** Loss name, as exported ("binaryCrossEntropy" or "meanSquaredError"). */
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

/**
 * A multilayer perceptron trained by full-batch gradient descent, written with the tutorial's
 * symbols. Layer l = 1..L has n_l units; a batch holds one sample per row:
 *
 *   a[0] = X (n x n_0),   z[l] = a[l−1]·W[l] + b[l] (n x n_l),   a[l] = f_l(z[l]),   ŷ = a[L];
 *
 * W[l] is n_{l−1} x n_l and b[l] is 1 x n_l. Back-propagation fills, for l = L..1,
 *
 *   dz[l] = da[l] ⊙ f_l'(z[l]),   dW[l] = a[l−1]ᵀ·dz[l],   db[l] = 1ᵀ·dz[l],   da[l−1] = dz[l]·W[l]ᵀ,
 *
 * starting from da[L] = dL/dŷ; every dX[l] has the shape of X[l]. Index 0 of W, b, z, dW, db, dz is
 * unused (an empty slot), as in the tutorial's code.
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
  /** a[l] = f_l(z[l]) from the last `forward`; a[0] = X, a[L] = ŷ. */
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

  /** Batch size the z/a/dz/da buffers are allocated for (0: none yet). */
  private batch = 0;
  private hasForward = false;
  private hasBackward = false;

  /**
   * A new network with initial weights drawn from `seed` or `random` (see `InitScheme`).
   * @example new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 42 })
   */
  constructor(options: MLPOptions) {
    const where = 'new MLP';
    if (options === null || typeof options !== 'object') {
      fail(where, `options must be an object { layers, activations, loss, seed }; received ${String(options)}`);
    }
    const layers = options.layers;
    if (!Array.isArray(layers) || layers.length < 2) {
      fail(where, `layers must be an array of at least two layer sizes [n_0, …, n_L]; received ${
        Array.isArray(layers) ? `[${layers.join(', ')}]` : String(layers)}`);
    }
    layers.forEach((n, l) => {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
        fail(where, `layers[${l}] must be a positive integer; received ${String(n)} in [${layers.join(', ')}]`);
      }
    });
    const L = layers.length - 1;
    if (!Array.isArray(options.activations) || options.activations.length !== L) {
      fail(where, `activations must hold one activation per layer after the input, layers.length − 1 = ${L}; received ${
        Array.isArray(options.activations) ? options.activations.length : String(options.activations)}`);
    }
    this.activations = Object.freeze(options.activations.map((f, i) => checkActivation(f, `${where}: activations[${i}]`)));
    this.loss = checkLoss(options.loss, `${where}: loss`);
    this.layers = Object.freeze(layers.slice());

    const init = options.init ?? 'normal';
    if (init !== 'normal' && init !== 'xavier' && init !== 'he') {
      fail(where, `init must be 'normal', 'xavier' or 'he'; received ${String(init)}`);
    }
    const sigma = options.sigma ?? 0.1;
    if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) {
      fail(where, `sigma must be a finite number ≥ 0; received ${String(sigma)}`);
    }
    const random = resolveRandom(options, where);

    this.W = new Array<Matrix>(L + 1);
    this.b = new Array<Matrix>(L + 1);
    this.dW = new Array<Matrix>(L + 1);
    this.db = new Array<Matrix>(L + 1);
    for (let l = 1; l <= L; l++) {
      const nIn = layers[l - 1];
      const nOut = layers[l];
      const W = new Matrix(nIn, nOut);
      const b = new Matrix(1, nOut);
      const std = init === 'normal' ? sigma : init === 'xavier' ? Math.sqrt(2 / (nIn + nOut)) : Math.sqrt(2 / nIn);
      for (let i = 0; i < W.data.length; i++) W.data[i] = random.normal() * std;
      if (init === 'normal') for (let i = 0; i < b.data.length; i++) b.data[i] = random.normal() * std;
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
    let count = 0;
    for (let l = 1; l <= this.L; l++) count += this.W[l].size + this.b[l].size;
    return count;
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

  private checkInput(where: string, X: unknown): Matrix {
    const m = checkMatrix(where, 'X', X);
    if (m.cols !== this.layers[0] || m.rows < 1) {
      fail(where, `X must be n x ${this.layers[0]} (n ≥ 1 samples as rows, layers[0] = ${this.layers[0]} columns); received ${m.rows}x${m.cols}`);
    }
    checkFinite(where, 'X', m);
    return m;
  }

  private checkTargets(where: string, y: unknown, n: number): Matrix {
    const m = checkMatrix(where, 'y', y);
    const k = this.layers[this.L];
    if (m.rows !== n || m.cols !== k) {
      fail(where, `y must be ${n}x${k} (one row per sample of X, layers[L] = ${k} columns); received ${m.rows}x${m.cols}`);
    }
    checkFinite(where, 'y', m);
    this.loss.checkTargets(m, `${where}: y`);
    return m;
  }

  /**
   * Allocates the z, a, dz, da buffers for a batch of n samples (once per batch size: a batch of another
   * size gets new buffers, so keep a `clone()` of a[l] you want to hold on to). Where
   * WebAssembly is available they live in a wasm memory of their own (a `KernelWorkspace`, see
   * src/kernels/wasm.ts), so that the SIMD kernels work on them in place; they are ordinary
   * zero-filled Matrix objects either way.
   */
  private ensureBuffers(n: number): void {
    if (this.batch === n) return;
    const workspace = workspaceForBatch(this.layers, n);
    const buffer = (rows: number, cols: number): Matrix =>
      workspace === null ? new Matrix(rows, cols) : new Matrix(rows, cols, workspace.alloc(rows * cols));
    for (let l = 1; l <= this.L; l++) {
      this.z[l] = buffer(n, this.layers[l]);
      this.a[l] = buffer(n, this.layers[l]);
      this.dz[l] = buffer(n, this.layers[l]);
      this.da[l] = buffer(n, this.layers[l]);
    }
    this.da[0] = buffer(n, this.layers[0]);
    this.batch = n;
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
   * Forward pass on X (`n x n_0`): keeps z[l] and a[l] for every layer and returns a copy of
   * ŷ = a[L] (`n x n_L`).
   */
  forward(X: Matrix): Matrix {
    const input = this.checkInput('MLP.forward', X);
    this.ensureBuffers(input.rows);
    this.propagate(input, this.z, this.a);
    this.hasForward = true;
    this.hasBackward = false;
    return this.a[this.L].clone();
  }

  /**
   * ŷ for X without touching the network's stored z, a (for plotting and evaluation).
   * Returns a new `n x n_L` matrix.
   */
  predict(X: Matrix): Matrix {
    const input = this.checkInput('MLP.predict', X);
    const z: Matrix[] = [];
    const a: Matrix[] = [];
    for (let l = 1; l <= this.L; l++) {
      z[l] = new Matrix(input.rows, this.layers[l]);
      a[l] = new Matrix(input.rows, this.layers[l]);
    }
    this.propagate(input, z, a);
    return a[this.L];
  }

  /** L(y, ŷ) for the network's prediction on X, without touching its stored state. */
  lossOn(X: Matrix, y: Matrix): number {
    const yhat = this.predict(X);
    return this.loss.f(this.checkTargets('MLP.lossOn', y, yhat.rows), yhat);
  }

  /**
   * Back-propagation for targets y (`n x n_L`, the batch of the last `forward`): fills da[L] = dL/dŷ,
   * then for l = L..1 dz[l], dW[l], db[l] and da[l−1], all before any parameter changes. With a sigmoid
   * output and binary cross-entropy, dz[L] is computed as (ŷ − y)/n, the product da[L] ⊙ σ'(z[L])
   * simplified, which stays exact when ŷ saturates.
   */
  backward(y: Matrix): void {
    const where = 'MLP.backward';
    if (!this.hasForward) fail(where, 'call forward(X) first: backward uses the z[l], a[l] of the last forward pass');
    const target = this.checkTargets(where, y, this.batch);
    this.backpropagate(target);
    this.hasBackward = true;
  }

  private backpropagate(y: Matrix): void {
    const L = this.L;
    const yhat = this.a[L];
    lossGradientInto(this.loss, this.da[L], y, yhat); // da[L] = dL/dŷ, as this.loss.dfInto computes it
    for (let l = L; l >= 1; l--) {
      const dz = this.dz[l].data;
      const f = this.activations[l - 1];
      if (l === L && f === sigmoid && this.loss === binaryCrossEntropy) {
        const inv = 1 / y.rows;
        for (let i = 0; i < dz.length; i++) dz[i] = (yhat.data[i] - y.data[i]) * inv;
      } else {
        activationGradientInto(this.dz[l], this.da[l], this.z[l], this.a[l], f); // dz[l] = da[l] ⊙ f_l'(z[l])
      }
      tmatmulInto(this.dW[l], this.a[l - 1], this.dz[l]);
      sumColumnsInto(this.db[l].data, dz, y.rows, this.layers[l]);
      matmulTInto(this.da[l - 1], this.dz[l], this.W[l]);
    }
  }

  /** One gradient-descent step: W[l] ← W[l] − η·dW[l], b[l] ← b[l] − η·db[l], for every layer. */
  update(learningRate: number): void {
    const where = 'MLP.update';
    checkLearningRate(where, learningRate);
    if (!this.hasBackward) fail(where, 'call backward(y) first: update steps along the dW[l], db[l] it computes');
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

  /**
   * Full-batch gradient descent: each epoch runs forward(X), records L and accuracy of that pass,
   * runs backward(y) and update(η). Stops with an Error naming the epoch if the loss or a parameter
   * becomes NaN or infinite. Allocates no matrices per epoch once the buffers exist.
   */
  fit(X: Matrix, y: Matrix, options: FitOptions): FitHistory {
    const where = 'MLP.fit';
    const input = this.checkInput(where, X);
    const target = this.checkTargets(where, y, input.rows);
    if (options === null || typeof options !== 'object') {
      fail(where, `options must be an object { epochs, learningRate, onEpoch? }; received ${String(options)}`);
    }
    const { epochs, learningRate, onEpoch } = options;
    if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
      fail(where, `epochs must be a non-negative integer; received ${String(epochs)}`);
    }
    checkLearningRate(where, learningRate);
    if (onEpoch !== undefined && typeof onEpoch !== 'function') {
      fail(where, `onEpoch must be a function; received ${typeof onEpoch}`);
    }
    this.ensureBuffers(input.rows);
    const history: FitHistory = { loss: [], accuracy: [] };
    const observer = observeFit({
      network: this.toString(), layers: this.layers, epochs, learningRate, samples: input.rows,
    });
    let stoppedEarly = false;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        this.propagate(input, this.z, this.a);
        this.hasForward = true;
        const yhat = this.a[this.L];
        const loss = this.loss.f(target, yhat);
        if (!Number.isFinite(loss)) {
          fail(where, `the loss became ${loss} at epoch ${epoch} (learningRate ${learningRate}): training diverged; try a smaller learningRate`);
        }
        const acc = accuracy(target, yhat);
        history.loss.push(loss);
        history.accuracy.push(acc);
        this.backpropagate(target);
        this.hasBackward = true;
        this.step(learningRate);
        if (!this.parametersFinite()) {
          fail(where, `a weight or bias became NaN or infinite in the update of epoch ${epoch} (learningRate ${learningRate}): training diverged; try a smaller learningRate`);
        }
        if (observer !== undefined) observer.epoch({ epoch, epochs, loss, accuracy: acc });
        if (onEpoch !== undefined && onEpoch({ epoch, loss, accuracy: acc, net: this }) === false) {
          stoppedEarly = true;
          break;
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

  /** The network that `toJSON` described, with bit-identical parameters. Throws on missing or inconsistent fields. */
  static fromJSON(json: MLPJSON): MLP {
    const where = 'MLP.fromJSON';
    if (json === null || typeof json !== 'object') {
      fail(where, `json must be an object { layers, activations, loss, W, b }; received ${json === null ? 'null' : typeof json}`);
    }
    for (const key of ['layers', 'activations', 'loss', 'W', 'b'] as const) {
      if (json[key] === undefined) fail(where, `json.${key} is missing`);
    }
    if (!Array.isArray(json.activations)) fail(where, `json.activations must be an array of names; received ${typeof json.activations}`);
    const acts = json.activations.map((name, i) => {
      const f = typeof name === 'string' ? activationsByName[name] : undefined;
      if (f === undefined) {
        fail(where, `json.activations[${i}] must be one of ${Object.keys(activationsByName).join(', ')}; received ${JSON.stringify(name)}`);
      }
      return f;
    });
    const loss = typeof json.loss === 'string' ? lossesByName[json.loss] : undefined;
    if (loss === undefined) {
      fail(where, `json.loss must be one of ${Object.keys(lossesByName).join(', ')}; received ${JSON.stringify(json.loss)}`);
    }
    let net: MLP;
    try {
      net = new MLP({ layers: json.layers, activations: acts, loss, seed: 0, sigma: 0 });
    } catch (e) {
      fail(where, `json.${(e as Error).message.replace(/^new MLP: /, '')}`);
    }
    const L = net.L;
    if (!Array.isArray(json.W) || json.W.length !== L) {
      fail(where, `json.W must hold ${L} weight matrices (one per layer); received ${Array.isArray(json.W) ? json.W.length : typeof json.W}`);
    }
    if (!Array.isArray(json.b) || json.b.length !== L) {
      fail(where, `json.b must hold ${L} bias vectors (one per layer); received ${Array.isArray(json.b) ? json.b.length : typeof json.b}`);
    }
    for (let l = 1; l <= L; l++) {
      const rows = json.W[l - 1];
      const nIn = net.layers[l - 1];
      const nOut = net.layers[l];
      const shapeOk = Array.isArray(rows) && rows.length === nIn && rows.every((r) => Array.isArray(r) && r.length === nOut);
      if (!shapeOk) {
        fail(where, `json.W[${l - 1}] (W[${l}]) must be ${nIn}x${nOut} for layers [${net.layers.join(', ')}]; received ${describeNested(rows)}`);
      }
      const bias = json.b[l - 1];
      if (!Array.isArray(bias) || bias.length !== nOut) {
        fail(where, `json.b[${l - 1}] (b[${l}]) must hold ${nOut} numbers; received ${describeNested(bias)}`);
      }
      const W = Matrix.from(rows);
      const b = Matrix.rowVector(bias);
      checkFinite(where, `json.W[${l - 1}]`, W);
      checkFinite(where, `json.b[${l - 1}]`, b);
      net.W[l].data.set(W.data);
      net.b[l].data.set(b.data);
    }
    return net;
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

function describeNested(v: unknown): string {
  if (!Array.isArray(v)) return v === null ? 'null' : typeof v;
  if (v.length > 0 && Array.isArray(v[0])) return `${v.length}x${(v[0] as unknown[]).length}`;
  return `an array of length ${v.length}`;
}

function checkLearningRate(where: string, learningRate: unknown): void {
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) {
    fail(where, `learningRate must be a finite number > 0; received ${String(learningRate)}`);
  }
}
