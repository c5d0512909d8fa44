/**
 * From a notebook's settings cell to data, a network and the words that describe the run. The
 * `parameters` cell of a training notebook declares the knobs one by one
 * (`const dataset: DatasetName = 'circles'; const hidden: number[] = [4, 3]; …`); a cell below
 * gathers them with {@link experiment}, and everything after it (data, network, chart titles,
 * printed lines) follows from that one object, so any edit of the settings carries through.
 */
import { Activation, activations as activationsByName, sigmoid, softmax } from '../core/activations';
import { binaryCrossEntropy, categoricalCrossEntropy } from '../core/losses';
import { InitScheme, MLP } from '../core/mlp';
import { DATASET_NAMES, Dataset, DatasetName, makeDataset } from '../data/datasets';
import { fmt, layersName } from './describe';

/** The names of the activations a hidden layer may use (the library's built-in element-wise ones). */
export type HiddenActivationName = 'relu' | 'tanh' | 'sigmoid' | 'leakyRelu' | 'identity';

/** The knobs of a training experiment, as a settings cell names them. */
export interface ExperimentSettings {
  /** Which data set (`makeDataset`'s names). */
  dataset: DatasetName;
  /** Number of samples n. */
  nSamples: number;
  /** Standard deviation of the data's Gaussian noise, ≥ 0. */
  noise: number;
  /** Hidden layer sizes n_1 … n_{L−1}, e.g. [4, 3]; the input and output sizes follow the data. */
  hidden: number[];
  /** The hidden layers' activation. */
  activation: HiddenActivationName;
  /** η > 0. */
  learningRate: number;
  /** Epochs of gradient descent, a non-negative integer. */
  epochs: number;
  /** One seed for the data (drawn with `seed`) and the initial weights (drawn with `seed + 1`). */
  seed: number;
  /** Initialisation scheme; default 'normal' (the tutorial's N(0, 0.1²)). */
  init?: InitScheme;
  /** Number of classes of the 'spiral' data set (default 2; the other data sets have 2). */
  nClasses?: number;
}

const HIDDEN_ACTIVATIONS: readonly HiddenActivationName[] = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'identity'];

function bad(name: string, expected: string, value: unknown): never {
  const shown = Array.isArray(value) ? `[${value.map(String).join(', ')}]` : typeof value === 'string' ? `'${value}'` : String(value);
  throw new Error(`experiment: ${name} must be ${expected}; received ${shown}`);
}

/**
 * Checks the settings and returns a frozen copy (so that later cells cannot change them by
 * accident). Each error names the setting, what it must be and what it is.
 */
export function experiment(settings: ExperimentSettings): Readonly<ExperimentSettings> {
  if (settings === null || typeof settings !== 'object') bad('settings', 'an object { dataset, nSamples, noise, hidden, activation, learningRate, epochs, seed }', settings);
  const s = settings;
  if (!(DATASET_NAMES as readonly string[]).includes(s.dataset)) bad('dataset', `one of ${DATASET_NAMES.map((n) => `'${n}'`).join(', ')}`, s.dataset);
  if (!Number.isInteger(s.nSamples) || s.nSamples < 2) bad('nSamples', 'an integer ≥ 2', s.nSamples);
  if (typeof s.noise !== 'number' || !Number.isFinite(s.noise) || s.noise < 0) bad('noise', 'a finite number ≥ 0', s.noise);
  if (!Array.isArray(s.hidden) || s.hidden.some((n) => !Number.isInteger(n) || n < 1)) {
    bad('hidden', 'an array of positive integers (hidden layer sizes, e.g. [4, 3]; [] for none)', s.hidden);
  }
  if (!HIDDEN_ACTIVATIONS.includes(s.activation)) bad('activation', `one of ${HIDDEN_ACTIVATIONS.map((n) => `'${n}'`).join(', ')}`, s.activation);
  if (typeof s.learningRate !== 'number' || !Number.isFinite(s.learningRate) || s.learningRate <= 0) bad('learningRate', 'a finite number > 0', s.learningRate);
  if (!Number.isInteger(s.epochs) || s.epochs < 0) bad('epochs', 'a non-negative integer', s.epochs);
  if (!Number.isInteger(s.seed)) bad('seed', 'an integer', s.seed);
  if (s.init !== undefined && s.init !== 'normal' && s.init !== 'xavier' && s.init !== 'he') bad('init', "'normal', 'xavier' or 'he'", s.init);
  if (s.nClasses !== undefined && (!Number.isInteger(s.nClasses) || s.nClasses < 2)) bad('nClasses', 'an integer ≥ 2', s.nClasses);
  if (s.nClasses !== undefined && s.nClasses !== 2 && s.dataset !== 'spiral') {
    bad('nClasses', `2 for '${s.dataset}' (only 'spiral' has more classes)`, s.nClasses);
  }
  return Object.freeze({ ...s, hidden: Object.freeze(s.hidden.slice()) as number[] });
}

/** The data set the settings name, drawn from `seed`. */
export function experimentData(settings: ExperimentSettings): Dataset {
  const s = experiment(settings);
  return makeDataset(s.dataset, {
    nSamples: s.nSamples, noise: s.noise, seed: s.seed, ...(s.dataset === 'spiral' && s.nClasses !== undefined ? { nClasses: s.nClasses } : {}),
  });
}

/** Layer sizes [n_0, …hidden, n_L]: n_0 = X's columns, n_L = y's columns. */
export function experimentLayers(settings: ExperimentSettings, data: Dataset): number[] {
  const s = experiment(settings);
  return [data.X.cols, ...s.hidden, data.y.cols];
}

/** The hidden activation the settings name. */
export function hiddenActivation(settings: ExperimentSettings): Activation {
  return activationsByName[experiment(settings).activation];
}

/**
 * A fresh network for the settings and data: the hidden layers use `activation`; the output layer
 * is sigmoid with binary cross-entropy for one output unit (labels 0/1), softmax with categorical
 * cross-entropy for k ≥ 2 (one-hot y); weights drawn from `seed + 1`.
 */
export function experimentNetwork(settings: ExperimentSettings, data: Dataset): MLP {
  const s = experiment(settings);
  const layers = experimentLayers(s, data);
  const k = layers[layers.length - 1];
  const f = hiddenActivation(s);
  return new MLP({
    layers,
    activations: [...s.hidden.map(() => f), k === 1 ? sigmoid : softmax],
    loss: k === 1 ? binaryCrossEntropy : categoricalCrossEntropy,
    seed: s.seed + 1,
    init: s.init ?? 'normal',
  });
}

/** "2-8-8-1 relu network" (or "2-1 network" without hidden layers). */
export function networkName(settings: ExperimentSettings, data: Dataset): string {
  const s = experiment(settings);
  const layers = experimentLayers(s, data);
  return s.hidden.length === 0 ? `${layersName(layers)} network` : `${layersName(layers)} ${s.activation} network`;
}

/** "moons (n = 1000, noise 0.1)". */
export function datasetName(settings: ExperimentSettings): string {
  const s = experiment(settings);
  const classes = s.dataset === 'spiral' && (s.nClasses ?? 2) !== 2 ? `, ${s.nClasses} classes` : '';
  return `${s.dataset} (n = ${s.nSamples}${classes}, noise ${fmt(s.noise)})`;
}

/** "2-8-8-1 relu network on moons (n = 1000, noise 0.1), seed 7, η = 0.5, 300 epochs": a run's full description. */
export function describeExperiment(settings: ExperimentSettings, data: Dataset): string {
  const s = experiment(settings);
  return `${networkName(s, data)} on ${datasetName(s)}, seed ${s.seed}, η = ${fmt(s.learningRate)}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`;
}
