/**
 * The live trainer's engine, without any drawing: the data set and its train/test split, the
 * network, training a few epochs at a time, the training and test losses, and what the pictures
 * need (ŷ and every unit's output over the plane, dead units, the loss curves). The page's UI
 * (./browser) drives it once per animation frame; notebooks and tests can drive it directly, and
 * get the same numbers: a run depends on its settings and seed only, not on how its epochs are split
 * between frames.
 */
import { accuracy } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { makeDataset, trainTestSplit } from '../../data/datasets';
import { PlaneGrid, planeGrid } from '../charts';
import { createTrainingRun, TrainingRun } from './adapter';
import { PlaygroundOptions, PlaygroundSettings, playgroundSettings } from './settings';
import { appendDecimated, deadUnits, NetworkProbe, UnitGrids, UnitId, unitGridsOn } from './views';

/** The data of one run: the whole set and its split. */
export interface PlaygroundData {
  /** All n samples (`n x 2`) and labels (`n x 1`). */
  X: Matrix;
  y: Matrix;
  /** The training part (what the network is fitted to) and the held-out test part. */
  XTrain: Matrix;
  yTrain: Matrix;
  XTest: Matrix;
  yTest: Matrix;
}

/** One point of the trainer's loss curves: both losses on the weights after `epoch` epochs. */
export interface CurvePoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

/** What the trainer shows after a frame: the epoch count and both losses on the current weights. */
export interface TrainerStatus {
  /** Epochs trained so far (each one full-batch gradient step today). */
  epoch: number;
  /** L on the training set with the current weights. */
  trainLoss: number;
  /** L on the test set with the current weights. */
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Why training stopped by itself (divergence, maxEpochs), or null. */
  stopped: string | null;
}

/** The data set, drawn with `seed`, split with `seed + 2` (the weights use `seed + 1`). */
export function playgroundData(settings: PlaygroundSettings): PlaygroundData {
  const { X, y } = makeDataset(settings.dataset, { nSamples: settings.nSamples, noise: settings.noise, seed: settings.seed });
  const split = trainTestSplit(X, y, { testFraction: settings.testFraction, seed: settings.seed + 2 });
  return { X, y, ...split };
}

/** The fields whose change needs new data, a new network, or neither (applied to the running network). */
const DATA_KEYS: ReadonlyArray<keyof PlaygroundSettings> = ['dataset', 'nSamples', 'noise', 'testFraction', 'seed'];
const NETWORK_KEYS: ReadonlyArray<keyof PlaygroundSettings> = ['hidden', 'activation', 'init', 'batchSize', 'optimizer', 'l2'];

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
  private planeGridCache!: PlaneGrid;
  private epochs = 0;
  private stoppedBecause: string | null = null;
  private stopKind: 'diverged' | 'limit' | null = null;
  /** Both losses after every frame (`record()`), thinned to at most {@link CURVE_POINTS}. */
  readonly curve: CurvePoint[] = [];

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
    this.current = next;
    if (needData) {
      this.newData();
      return 'data';
    }
    if (needNetwork) {
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

  /**
   * Trains `epochs` more epochs (fewer when `maxEpochs` comes first) and returns how many ran.
   * A divergence (`fit` throws) stops the run with a message instead of throwing.
   */
  train(epochs: number): number {
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`PlaygroundTrainer.train: epochs must be a non-negative integer; received ${String(epochs)}`);
    if (this.stoppedBecause !== null) return 0;
    const limit = this.current.maxEpochs;
    const k = limit === null ? epochs : Math.min(epochs, limit - this.epochs);
    if (k <= 0) return 0;
    try {
      this.run.train(this.dataset.XTrain, this.dataset.yTrain, k);
      this.epochs += k;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const at = /epoch (\d+)/.exec(message);
      const epoch = at === null ? this.epochs : this.epochs + Number(at[1]);
      this.epochs = epoch;
      this.stop('diverged', `Training diverged at epoch ${epoch} (learning rate ${this.current.learningRate}): ` +
        'lower the learning rate and press Reset.');
      return 0;
    }
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

  /** Epoch count, both losses and accuracies on the current weights, and why the run stopped if it did. */
  status(): TrainerStatus {
    const d = this.dataset;
    const net = this.run.net;
    const yhatTrain = this.dataProbe.run(net, d.XTrain).a[net.L];
    const trainLoss = net.loss.f(d.yTrain, yhatTrain);
    const trainAccuracy = accuracy(d.yTrain, yhatTrain);
    const yhatTest = net.predict(d.XTest);
    return {
      epoch: this.epochs,
      trainLoss,
      testLoss: net.loss.f(d.yTest, yhatTest),
      trainAccuracy,
      testAccuracy: accuracy(d.yTest, yhatTest),
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

  /** The hidden units that are dead on the training set (see `deadUnits`). */
  deadUnits(): UnitId[] {
    return deadUnits(this.run.net, this.dataset.XTrain, this.dataProbe);
  }
}
