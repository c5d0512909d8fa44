/**
 * THE TRAINING ADAPTER: the one place where the live trainer meets the library's training API.
 *
 * Everything the trainer does to a network (build it for a data set, train it for a few epochs,
 * say which data sets, batch sizes, optimisers and penalties it can offer) goes through this file.
 *
 * The library's `fit` trains with mini-batches (`batchSize`, shuffled by a `random` source), the
 * optimisers SGD, momentum and Adam (whose state `fit` keeps on the network and continues in the
 * next `fit` with the same optimiser), an L2 penalty (`l2`), on the data sets of `DATASET_NAMES`;
 * two classes take one sigmoid output with binary cross-entropy, k > 2 classes k softmax outputs
 * with categorical cross-entropy. The trainer calls `train` once per animation frame (a few epochs
 * each time); because the run holds ONE shuffling source for all its `fit` calls and `fit` continues
 * the optimiser's state, training in chunks takes exactly the steps of one long `fit`, bit for bit.
 */
import { Activation, activations as activationsByName, sigmoid, softmax } from '../../core/activations';
import { binaryCrossEntropy, categoricalCrossEntropy, Loss } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { FitHistory, FitOptions, MLP } from '../../core/mlp';
import { seededRandom } from '../../core/random';
import { DATASET_NAMES, DatasetName } from '../../data/datasets';
import type { OptimizerSetting, PlaygroundSettings } from './settings';

/** What this version of the library can train, for the trainer's controls to offer. */
export interface TrainingCapabilities {
  /** Data sets offered by the "Data set" control. */
  datasets: readonly DatasetName[];
  /** Optimiser names offered by the "Optimiser" control. */
  optimizers: ReadonlyArray<OptimizerSetting['name']>;
  /** Whether mini-batches (a numeric `batchSize`) can be trained; otherwise only 'full'. */
  miniBatches: boolean;
  /** Whether an L2 penalty λ > 0 can be trained. */
  l2: boolean;
}

/** Every data set, the three optimisers, mini-batches and L2. */
export const TRAINING_CAPABILITIES: Readonly<TrainingCapabilities> = Object.freeze({
  datasets: DATASET_NAMES,
  optimizers: Object.freeze(['sgd', 'momentum', 'adam'] as const),
  miniBatches: true,
  l2: true,
});

/**
 * Throws unless `capabilities` (by default this library's) can train these settings; the message
 * names the setting and what is offered, so that a notebook asking for more fails clearly.
 */
export function checkTrainable(settings: PlaygroundSettings, capabilities: TrainingCapabilities = TRAINING_CAPABILITIES): void {
  if (!capabilities.datasets.includes(settings.dataset)) {
    throw new Error(`playground: dataset '${settings.dataset}' is not among the data sets offered (${capabilities.datasets.join(', ')})`);
  }
  if (!capabilities.optimizers.includes(settings.optimizer.name)) {
    throw new Error(`playground: optimizer '${settings.optimizer.name}' is not offered; the optimisers are ` +
      `${capabilities.optimizers.map((n) => `'${n}'`).join(', ')}`);
  }
  if (settings.batchSize !== 'full' && !capabilities.miniBatches) {
    throw new Error(`playground: batchSize ${settings.batchSize} is not offered (one full-batch step per epoch only); use batchSize: 'full'`);
  }
  if (settings.l2 !== 0 && !capabilities.l2) {
    throw new Error(`playground: l2 ${settings.l2} is not offered; use l2: 0`);
  }
}

/**
 * The output layer for k output units: one sigmoid unit with binary cross-entropy (two classes,
 * labels 0/1), or k ≥ 2 softmax units with categorical cross-entropy (one-hot labels), so that in
 * both cases dz[L] = (ŷ − y)/n.
 */
export function outputLayer(k: number): { activation: Activation; loss: Loss } {
  if (!Number.isInteger(k) || k < 1) throw new Error(`playground: the number of output units must be a positive integer; received ${String(k)}`);
  return k === 1 ? { activation: sigmoid, loss: binaryCrossEntropy } : { activation: softmax, loss: categoricalCrossEntropy };
}

/** A network and the way it is trained, for one run of the trainer. */
export interface TrainingRun {
  /** The network being trained (the trainer reads its W[l], b[l] and predictions). */
  readonly net: MLP;
  /**
   * Trains for `epochs` more epochs on (X, y) with the run's settings and returns the per-epoch
   * history of this call (see `FitHistory`). Consecutive calls continue one run: the optimiser's
   * state and the mini-batch shuffles go on where the last call stopped, so any split of N epochs
   * into calls gives the weights of one `fit` of N epochs. Throws (from `fit`) if training diverges.
   */
  train(X: Matrix, y: Matrix, epochs: number): FitHistory;
  /** Changes the step size η for the next `train` calls (the trainer's "Learning rate" control). */
  setLearningRate(learningRate: number): void;
}

/** The seed offset of a run's mini-batch shuffles: data `seed`, weights `seed + 1`, split `seed + 2`, batches `seed + 3`. */
export const BATCH_SEED_OFFSET = 3;

/**
 * The options of `fit` that a run of these settings passes (besides `epochs`, `learningRate` and
 * its shuffling source): `batchSize` (left out for 'full'), `optimizer`, `l2`.
 */
export function fitOptionsFor(settings: PlaygroundSettings): Pick<FitOptions, 'batchSize' | 'optimizer' | 'l2'> {
  return {
    ...(settings.batchSize === 'full' ? {} : { batchSize: settings.batchSize }),
    optimizer: { ...settings.optimizer },
    l2: settings.l2,
  };
}

/**
 * A fresh network for the settings on a data set with `inputs` columns and `outputs` output units
 * (hidden layers use the settings' activation, the output layer {@link outputLayer}), weights drawn
 * from `seed + 1` with the settings' `init`, and its trainer, whose mini-batches are shuffled by one
 * source seeded with `seed + 3` for the whole run.
 */
export function createTrainingRun(settings: PlaygroundSettings, inputs: number, outputs: number): TrainingRun {
  checkTrainable(settings);
  const out = outputLayer(outputs);
  const f = activationsByName[settings.activation];
  const net = new MLP({
    layers: [inputs, ...settings.hidden, outputs],
    activations: [...settings.hidden.map(() => f), out.activation],
    loss: out.loss,
    seed: settings.seed + 1,
    init: settings.init,
  });
  let learningRate = settings.learningRate;
  const random = seededRandom(settings.seed + BATCH_SEED_OFFSET);
  const options = fitOptionsFor(settings);
  return {
    net,
    train(X: Matrix, y: Matrix, epochs: number): FitHistory {
      return net.fit(X, y, { epochs, learningRate, random, ...options });
    },
    setLearningRate(eta: number): void {
      if (typeof eta !== 'number' || !Number.isFinite(eta) || eta <= 0) {
        throw new Error(`playground: learningRate must be a finite number > 0; received ${String(eta)}`);
      }
      learningRate = eta;
    },
  };
}
