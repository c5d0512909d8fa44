/**
 * The live trainer's engine, without any drawing: the data set and its train/test split, the
 * network, training a few epochs at a time, the training and test losses, and what the pictures
 * need (ŷ and every unit's output over the plane, dead units, the loss curves). The page's UI
 * (./browser) drives it once per animation frame; notebooks and tests can drive it directly, and
 * get the same numbers: a run depends on its settings and seed only, not on how its epochs are split
 * between frames.
 */
import { NonFiniteError } from '../../core/limits';
import { accuracy } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { makeDataset, trainTestSplit } from '../../data/datasets';
import { classLabels, PlaneGrid, planeGrid } from '../charts';
import { createTrainingRun, TrainingRun } from './adapter';
import { fmt, layersName } from '../describe';
import { OPTIMIZER_DEFAULTS, OptimizerSetting, PlaygroundOptions, PlaygroundSettings, playgroundSettings } from './settings';
import { appendDecimated, deadUnits, deadUnitsIn, NetworkProbe, UnitGrids, UnitId, unitGridsOn } from './views';

/** The data of one run: the whole set and its split. */
export interface PlaygroundData {
  /** All n samples (`n x 2`) and targets (`n x 1` labels 0/1 for two classes, one-hot `n x k` for k > 2). */
  X: Matrix;
  y: Matrix;
  /** The training part (what the network is fitted to) and the held-out test part. */
  XTrain: Matrix;
  yTrain: Matrix;
  XTest: Matrix;
  yTest: Matrix;
  /** The number of classes k (2, or the spiral's nClasses). */
  classes: number;
  /** The class of each training and test sample, 0..k−1 (`classLabels` of yTrain, yTest). */
  trainLabels: number[];
  testLabels: number[];
}

/** One point of the trainer's loss curves: both losses on the weights after `epoch` epochs. */
export interface CurvePoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

/** What the trainer shows after a frame: the epoch count and both losses on the current weights. */
export interface TrainerStatus {
  /** Epochs trained so far (one pass over the training set each: one step, or one per mini-batch). */
  epoch: number;
  /** L on the training set with the current weights (the data loss, without the L2 penalty). */
  trainLoss: number;
  /** L on the test set with the current weights (without the L2 penalty). */
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Why training stopped by itself (divergence, maxEpochs), or null. */
  stopped: string | null;
}

/**
 * The data set, drawn with `seed` (the spiral with its `nClasses`), split with `seed + 2` (the
 * weights use `seed + 1`, the mini-batches `seed + 3`).
 */
export function playgroundData(settings: PlaygroundSettings): PlaygroundData {
  const { X, y } = makeDataset(settings.dataset, {
    nSamples: settings.nSamples, noise: settings.noise, seed: settings.seed,
    ...(settings.dataset === 'spiral' ? { nClasses: settings.nClasses } : {}),
  });
  const split = trainTestSplit(X, y, { testFraction: settings.testFraction, seed: settings.seed + 2 });
  return {
    X, y, ...split, classes: Math.max(2, y.cols), trainLabels: classLabels(split.yTrain), testLabels: classLabels(split.yTest),
  };
}

/**
 * The fields whose change needs new data, a new network, or neither (applied to the running network).
 * A new optimiser (or β, β₁, β₂, ε), batch size or L2 penalty restarts the run from epoch 0 with the
 * same initial weights: so two optimisers compare from one start, and the settings on screen replay
 * what is shown. A new learning rate goes on from the current weights.
 */
const DATA_KEYS: ReadonlyArray<keyof PlaygroundSettings> = ['dataset', 'nClasses', 'nSamples', 'noise', 'testFraction', 'seed'];
const NETWORK_KEYS: ReadonlyArray<keyof PlaygroundSettings> = ['hidden', 'activation', 'init', 'batchSize', 'optimizer', 'l2'];

/** True for the errors by which `fit` reports that training diverged (a non-finite ŷ, loss or parameter). */
export function isDivergence(e: unknown): boolean {
  return e instanceof NonFiniteError || (e instanceof Error && /training diverged/.test(e.message));
}

/** The epoch a divergence message of `fit` names ("… at epoch 3 …"), or null. */
function divergedEpoch(e: unknown): number | null {
  const m = /epoch (\d+)/.exec(e instanceof Error ? e.message : String(e));
  return m === null ? null : Number(m[1]);
}

/** A finished run kept beside the current one: what it was and its loss curve. */
export interface PreviousRun {
  /** e.g. "2-8-8-1 tanh, SGD, full batch, η = 0.3". */
  label: string;
  curve: CurvePoint[];
  /** True when it started from the current run's initial weights (the same layers and init; same seed and data). */
  sameStart: boolean;
}

/** "SGD", "momentum β = 0.9", "Adam β₁ = 0.9, β₂ = 0.999, ε = 1e-8". */
export function optimizerLabel(o: OptimizerSetting): string {
  if (o.name === 'momentum') return `momentum β = ${fmt(o.beta ?? OPTIMIZER_DEFAULTS.momentum.beta)}`;
  if (o.name === 'adam') {
    const d = OPTIMIZER_DEFAULTS.adam;
    return `Adam β₁ = ${fmt(o.beta1 ?? d.beta1)}, β₂ = ${fmt(o.beta2 ?? d.beta2)}, ε = ${fmt(o.epsilon ?? d.epsilon)}`;
  }
  return 'SGD';
}

/** A run's network and training in a few words: "2-8-8-1 tanh, Adam β₁ = 0.9, …, batch 32, η = 0.01, λ = 0.001". */
export function runLabel(settings: PlaygroundSettings, layers: readonly number[]): string {
  const s = settings;
  const batch = s.batchSize === 'full' ? 'full batch' : `batch ${s.batchSize}`;
  return `${layersName(layers)}${s.hidden.length > 0 ? ` ${s.activation}` : ''}, ${optimizerLabel(s.optimizer)}, ${batch}, η = ${fmt(s.learningRate)}` +
    (s.l2 > 0 ? `, λ = ${fmt(s.l2)}` : '');
}

/** The longest loss curve kept (older points are thinned, see `appendDecimated`). */
export const CURVE_POINTS = 600;

/**
 * One live training run. `train(k)` trains k more epochs; `status()`, `pictures()`, `curve` say
 * where it stands. `change(options)` applies a control's new value: a new data set or seed makes new
 * data and a new network, a new architecture a new network, a new learning rate applies from the
 * next epoch on; `reset()` starts the same settings again from epoch 0 (the same numbers again).
 */
export class PlaygroundTrainer {
  private current: PlaygroundSettings;
  private dataset!: PlaygroundData;
  private run!: TrainingRun;
  private gridProbe!: NetworkProbe;
  private dataProbe!: NetworkProbe;
  private testProbe!: NetworkProbe;
  private planeGridCache!: PlaneGrid;
  /** W[l], b[l] at the start of the last `train` call: a diverged run goes back to them. */
  private checkpoint: Float64Array[] = [];
  private epochs = 0;
  private stoppedBecause: string | null = null;
  private stopKind: 'diverged' | 'limit' | null = null;
  /** Both losses after every frame (`record()`), thinned to at most {@link CURVE_POINTS}. */
  readonly curve: CurvePoint[] = [];
  /**
   * The run before the last change of the network or its training (optimiser, β, batch size, L2,
   * layers, activation, init), on the same data: to compare two runs from the same start. Null at
   * first and after new data.
   */
  previous: PreviousRun | null = null;
  /** The dead units found by the last `status()`, with the run and epoch they belong to. */
  private deadAt: { run: unknown; epoch: number; units: UnitId[] } | null = null;

  constructor(options: PlaygroundOptions | PlaygroundSettings = {}) {
    this.current = playgroundSettings(options as PlaygroundOptions);
    this.newData();
  }

  /** The settings of the run (a copy). */
  get settings(): PlaygroundSettings {
    return { ...this.current, hidden: this.current.hidden.slice(), optimizer: { ...this.current.optimizer } };
  }

  /** The network being trained. */
  get net(): MLP {
    return this.run.net;
  }

  /** The data set and its split. */
  get data(): PlaygroundData {
    return this.dataset;
  }

  /** Epochs trained so far. */
  get epoch(): number {
    return this.epochs;
  }

  /** The grid of the plane the pictures use (covers every sample, train and test). */
  get grid(): PlaneGrid {
    return this.planeGridCache;
  }

  private newData(): void {
    this.dataset = playgroundData(this.current);
    this.planeGridCache = planeGrid(this.dataset.X, this.current.resolution);
    this.newNetwork();
  }

  private newNetwork(): void {
    this.run = createTrainingRun(this.current, this.dataset.X.cols, this.dataset.y.cols);
    this.gridProbe = new NetworkProbe(this.run.net);
    this.dataProbe = new NetworkProbe(this.run.net);
    this.testProbe = new NetworkProbe(this.run.net);
    this.checkpoint = this.run.net.parameters().map((p) => new Float64Array(p.value.data.length));
    this.epochs = 0;
    this.stop(null);
    this.curve.length = 0;
    this.record();
  }

  /** Starts again from epoch 0 with the same settings: the same data, the same initial weights. */
  reset(): void {
    this.newData();
  }

  /**
   * Applies new values of some settings (checked like `playground(options)`). Returns what had to
   * be rebuilt: 'data' (and the network), 'network', or 'none' (the run goes on).
   */
  change(options: PlaygroundOptions): 'data' | 'network' | 'none' {
    const next = playgroundSettings({ ...this.current, ...options } as PlaygroundOptions);
    const differs = (k: keyof PlaygroundSettings): boolean => JSON.stringify(next[k]) !== JSON.stringify(this.current[k]);
    const needData = DATA_KEYS.some(differs) || differs('resolution');
    const needNetwork = NETWORK_KEYS.some(differs);
    const before: PreviousRun = {
      label: runLabel(this.current, this.run.net.layers), curve: this.curve.slice(),
      sameStart: JSON.stringify(next.hidden) === JSON.stringify(this.current.hidden) && next.init === this.current.init,
    };
    this.current = next;
    if (needData) {
      this.previous = null;
      this.newData();
      return 'data';
    }
    if (needNetwork) {
      if (before.curve.length > 1) this.previous = before;
      this.newNetwork();
      return 'network';
    }
    this.run.setLearningRate(next.learningRate);
    if (this.stopKind === 'limit' && (next.maxEpochs === null || this.epochs < next.maxEpochs)) this.stop(null);
    return 'none';
  }

  private stop(kind: 'diverged' | 'limit' | null, message: string | null = null): void {
    this.stopKind = kind;
    this.stoppedBecause = kind === null ? null : message;
  }

  /** True when training has stopped by itself (divergence or maxEpochs) until reset or changed. */
  get stopped(): boolean {
    return this.stoppedBecause !== null;
  }

  private diverged(epoch: number): void {
    this.stop('diverged', `Training diverged at epoch ${epoch} (learning rate ${this.current.learningRate}): ` +
      'lower the learning rate and press Reset.');
  }

  /**
   * Trains `epochs` more epochs (fewer when `maxEpochs` comes first) and returns how many ran.
   * A divergence (`fit` throws: ŷ, the loss or a parameter became NaN or infinite) stops the run
   * with a message instead of throwing, and puts back the weights this call started from (the last
   * ones known to train), so the pictures and "Epoch N" show the network just before it blew up.
   */
  train(epochs: number): number {
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`PlaygroundTrainer.train: epochs must be a non-negative integer; received ${String(epochs)}`);
    if (this.stoppedBecause !== null) return 0;
    const limit = this.current.maxEpochs;
    const k = limit === null ? epochs : Math.min(epochs, limit - this.epochs);
    if (k <= 0) return 0;
    const params = this.run.net.parameters();
    params.forEach((p, i) => this.checkpoint[i].set(p.value.data));
    try {
      this.run.train(this.dataset.XTrain, this.dataset.yTrain, k);
    } catch (e) {
      if (!isDivergence(e)) throw e;
      params.forEach((p, i) => p.value.data.set(this.checkpoint[i]));
      this.diverged(this.epochs + (divergedEpoch(e) ?? 0));
      return 0;
    }
    this.epochs += k;
    if (limit !== null && this.epochs >= limit) this.stop('limit', `Stopped after ${limit} epochs (maxEpochs).`);
    return k;
  }

  /**
   * Trains for about `budgetMs` milliseconds of the clock `now` (at least one epoch), in chunks
   * sized from the time the previous chunk took, and returns the epochs run. Used by the 'auto'
   * speed; the numbers after N epochs are the same as with `train(N)`.
   */
  trainFor(budgetMs: number, now: () => number): number {
    const start = now();
    let done = 0;
    let chunk = 1;
    for (;;) {
      const ran = this.train(chunk);
      done += ran;
      if (ran < chunk) return done;
      const elapsed = now() - start;
      const left = budgetMs - elapsed;
      if (left <= 0) return done;
      // The rate so far sizes the next chunk; a coarse clock (browsers round it) can read 0 for a short
      // chunk, so a chunk never more than doubles the epochs done, and the budget is overshot by at most that.
      const next = elapsed > 0 ? Math.floor((0.8 * left * done) / elapsed) : 2 * chunk;
      chunk = Math.max(1, Math.min(next, 2 * done, 10_000));
    }
  }

  /**
   * Epoch count, both losses and accuracies on the current weights, and why the run stopped if it
   * did. Never throws on weights that have blown up: when ŷ on the training set is not finite the
   * losses are NaN and the run is stopped as diverged (the next epoch could not train).
   */
  status(): TrainerStatus {
    const d = this.dataset;
    const net = this.run.net;
    const train = this.dataProbe.run(net, d.XTrain);
    this.deadAt = { run: this.run, epoch: this.epochs, units: deadUnitsIn(net, train.z) };
    const yhatTrain = train.a[net.L];
    const trainLoss = train.finite ? net.loss.f(d.yTrain, yhatTrain) : NaN;
    const trainAccuracy = train.finite ? accuracy(d.yTrain, yhatTrain) : NaN;
    const test = this.testProbe.run(net, d.XTest);
    const yhatTest = test.a[net.L];
    if (!train.finite && this.stoppedBecause === null) this.diverged(this.epochs);
    return {
      epoch: this.epochs,
      trainLoss,
      testLoss: test.finite ? net.loss.f(d.yTest, yhatTest) : NaN,
      trainAccuracy,
      testAccuracy: test.finite ? accuracy(d.yTest, yhatTest) : NaN,
      stopped: this.stoppedBecause,
    };
  }

  /** Adds the current losses to {@link curve} (once per frame) and returns the status. */
  record(): TrainerStatus {
    const s = this.status();
    const last = this.curve[this.curve.length - 1];
    if (last === undefined || last.epoch !== s.epoch) {
      appendDecimated(this.curve, { epoch: s.epoch, trainLoss: s.trainLoss, testLoss: s.testLoss }, CURVE_POINTS);
    }
    return s;
  }

  /** Every unit's output over the plane (layer L: ŷ), for the boundary and the unit pictures. */
  pictures(): UnitGrids {
    return unitGridsOn(this.run.net, this.planeGridCache, this.gridProbe);
  }

  /**
   * The hidden units that are dead on the training set (see `deadUnits`): from the forward pass of
   * the last {@link status} when the weights have not changed since, else from a new one.
   */
  deadUnits(): UnitId[] {
    const at = this.deadAt;
    if (at !== null && at.run === this.run && at.epoch === this.epochs) return at.units;
    return deadUnits(this.run.net, this.dataset.XTrain, this.dataProbe);
  }
}
