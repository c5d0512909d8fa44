/**
 * THE TRAINING ADAPTER: the one place where the live trainer meets the library's training API.
 *
 * Everything the trainer does to a network (build it for a data set, train it for a few epochs,
 * say which data sets, batch sizes, optimisers and penalties it can offer) goes through this file,
 * so that the library's new training options plug in here and nowhere else.
 *
 * TODAY (phase 1) the library trains by full-batch gradient descent (`fit(X, y, { epochs,
 * learningRate })`) on the two-class data sets 'circles' and 'moons', with one sigmoid output and
 * binary cross-entropy. {@link TRAINING_CAPABILITIES} says so, and the trainer's controls offer
 * exactly what it lists.
 *
 * PHASE 2 (when the core's `fit` gains `batchSize`, `optimizer`, `l2`, and the data sets 'xor',
 * 'gaussians', 'spiral' with `softmax` + `categoricalCrossEntropy` for more than two classes):
 *   1. `TRAINING_CAPABILITIES`: list the new batch sizes, optimisers, L2 values and multi-class data;
 *   2. `outputLayer(k)`: softmax with categorical cross-entropy when k > 1;
 *   3. `TrainingRun.train`: pass `batchSize`, `l2` and a persistent optimiser state to `fit` (a
 *      momentum or Adam state must survive the trainer's many short `fit` calls, and so must the
 *      mini-batch shuffling source);
 *   4. `checkTrainable`: drop the refusals below.
 * Nothing else in the trainer changes.
 */
import { Activation, activations as activationsByName, sigmoid } from '../../core/activations';
import { binaryCrossEntropy, Loss } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { FitHistory, MLP } from '../../core/mlp';
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

/** PHASE 2: add 'momentum', 'adam', mini-batches, L2 and the new data sets here. */
export const TRAINING_CAPABILITIES: Readonly<TrainingCapabilities> = Object.freeze({
  datasets: DATASET_NAMES,
  optimizers: ['sgd'] as const,
  miniBatches: false,
  l2: false,
});

/**
 * Throws unless the library can train these settings today; the message names the setting and
 * what this version offers, so a notebook that asks for more fails clearly rather than silently.
 */
export function checkTrainable(settings: PlaygroundSettings, capabilities: TrainingCapabilities = TRAINING_CAPABILITIES): void {
  if (!capabilities.datasets.includes(settings.dataset)) {
    throw new Error(`playground: dataset '${settings.dataset}' is not among this library's data sets (${capabilities.datasets.join(', ')})`);
  }
  if (!capabilities.optimizers.includes(settings.optimizer.name)) {
    throw new Error(`playground: optimizer '${settings.optimizer.name}' cannot be trained by this version of the library; ` +
      `it offers ${capabilities.optimizers.map((n) => `'${n}'`).join(', ')}`);
  }
  if (settings.batchSize !== 'full' && !capabilities.miniBatches) {
    throw new Error(`playground: batchSize ${settings.batchSize} cannot be trained by this version of the library, ` +
      "which takes one full-batch step per epoch; use batchSize: 'full'");
  }
  if (settings.l2 !== 0 && !capabilities.l2) {
    throw new Error(`playground: l2 ${settings.l2} cannot be trained by this version of the library; use l2: 0`);
  }
}

/** The output layer for k output units: one sigmoid unit with binary cross-entropy (two classes). */
export function outputLayer(k: number): { activation: Activation; loss: Loss } {
  if (k === 1) return { activation: sigmoid, loss: binaryCrossEntropy };
  // PHASE 2: k > 1 classes take softmax with categoricalCrossEntropy.
  throw new Error(`playground: ${k} output units (one-hot labels of ${k} classes) need a softmax output, which this version of the library lacks`);
}

/** A network and the way it is trained, for one run of the trainer. */
export interface TrainingRun {
  /** The network being trained (the trainer reads its W[l], b[l] and predictions). */
  readonly net: MLP;
  /**
   * Trains for `epochs` more epochs on (X, y) with the run's settings and returns the per-epoch
   * history of this call (entry e: L and accuracy of epoch e's forward pass, before its update).
   * Throws (from `fit`) if training diverges.
   */
  train(X: Matrix, y: Matrix, epochs: number): FitHistory;
  /** Changes the step size η for the next `train` calls (the trainer's "Learning rate" control). */
  setLearningRate(learningRate: number): void;
}

/**
 * A fresh network for the settings on a data set with `inputs` columns and `outputs` output units
 * (hidden layers use the settings' activation, the output layer {@link outputLayer}), weights drawn
 * from `seed + 1` with the settings' `init`, and its trainer.
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
  return {
    net,
    train(X: Matrix, y: Matrix, epochs: number): FitHistory {
      // PHASE 2: { epochs, learningRate, batchSize, l2, optimizer: <persistent state>, random: <persistent source> }
      return net.fit(X, y, { epochs, learningRate });
    },
    setLearningRate(eta: number): void {
      if (typeof eta !== 'number' || !Number.isFinite(eta) || eta <= 0) {
        throw new Error(`playground: learningRate must be a finite number > 0; received ${String(eta)}`);
      }
      learningRate = eta;
    },
  };
}
