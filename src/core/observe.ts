/**
 * A hook through which an environment watches `MLP.fit` run, without the math core knowing what
 * watches it. The notebook helpers (`src/notebook`) register an observer that draws a live loss
 * curve when a fit runs longer than about a second; outside notebooks nothing is registered and
 * `fit` only pays one null check per epoch.
 */

/** What `fit` reports when it starts. */
export interface FitStart {
  /** The network, as `String(net)` prints it, e.g. "MLP 2-4-3-1 (relu, relu, sigmoid; …)". */
  network: string;
  /** Layer sizes [n_0, …, n_L]. */
  layers: readonly number[];
  /** Epochs asked for. */
  epochs: number;
  /** η. */
  learningRate: number;
  /** Samples in the training set. */
  samples: number;
  /** Samples per step (n for the full batch). */
  batchSize?: number;
  /** The optimizer's name: 'sgd', 'momentum' or 'adam'. */
  optimizer?: string;
  /** The L2 strength λ (0: none). */
  l2?: number;
  /** Samples in the validation set (0: no validation). */
  validationSamples?: number;
}

/** What `fit` reports after each epoch. */
export interface FitEpoch {
  /** Epoch number, from 0. */
  epoch: number;
  /** Epochs asked for. */
  epochs: number;
  /** L on this epoch (as recorded in the history). */
  loss: number;
  /** Accuracy on this epoch (as recorded in the history). */
  accuracy: number;
  /** Validation loss (as recorded in the history), when `fit` was given validation data. */
  valLoss?: number;
  /** Validation accuracy (as recorded in the history), when `fit` was given validation data. */
  valAccuracy?: number;
}

/** What `fit` reports when it ends, normally, stopped early by `onEpoch`, or by an error. */
export interface FitEnd {
  /** Epochs run. */
  epochsRun: number;
  /** Epochs asked for. */
  epochs: number;
  /** True when `onEpoch` returned false. */
  stoppedEarly: boolean;
  /** The error `fit` is about to throw (e.g. divergence), if any. */
  error?: Error;
}

/** One run of `fit`, as seen by an observer. */
export interface FitRunObserver {
  epoch(info: FitEpoch): void;
  end(info: FitEnd): void;
}

/** An environment's watcher of `fit`: `start` returns the watcher of this run, or undefined to skip it. */
export interface FitObserver {
  start(info: FitStart): FitRunObserver | undefined;
}

let current: FitObserver | null = null;

/**
 * Registers the observer of every later `fit` (null removes it) and returns the previous one.
 * An observer that throws is removed, so that watching can never break training.
 */
export function setFitObserver(observer: FitObserver | null): FitObserver | null {
  if (observer !== null && (typeof observer !== 'object' || typeof observer.start !== 'function')) {
    throw new Error(`setFitObserver: observer must be an object with a start(info) method, or null; received ${
      observer === null ? 'null' : typeof observer}`);
  }
  const previous = current;
  current = observer;
  return previous;
}

/** @internal The watcher of a run that is starting (used by `MLP.fit`); never throws. */
export function observeFit(info: FitStart): FitRunObserver | undefined {
  if (current === null) return undefined;
  try {
    const run = current.start(info);
    return run === undefined ? undefined : guarded(run);
  } catch {
    current = null;
    return undefined;
  }
}

function guarded(run: FitRunObserver): FitRunObserver {
  let broken = false;
  return {
    epoch(info) {
      if (broken) return;
      try {
        run.epoch(info);
      } catch {
        broken = true;
      }
    },
    end(info) {
      if (broken) return;
      try {
        run.end(info);
      } catch {
        broken = true;
      }
    },
  };
}
