/**
 * The settings of a live trainer (`playground(options)`): what a learner can change with the
 * trainer's controls, checked and completed with defaults. Browser-safe: this module runs in the
 * kernel (to check a notebook's options before anything is shown) and in the page (the controls).
 *
 * Seeds: one `seed` gives the data set (drawn with `seed`), the initial weights (`seed + 1`, as
 * `experimentNetwork` does), the train/test split (`seed + 2`) and the order of the mini-batches
 * (`seed + 3`), so the same settings replay the same run, epoch for epoch.
 */
import { DATASET_NAMES, DatasetName } from '../../data/datasets';
import type { InitScheme } from '../../core/mlp';
import type { HiddenActivationName } from '../experiment';
import { CLASS_COLORS } from '../style';

/**
 * An optimiser, as the library's `fit` names it (`OptimizerOptions`). `{ name: 'sgd' }` is plain
 * gradient descent, θ ← θ − η·g; momentum (v ← β·v + g, θ ← θ − η·v) and Adam (m ← β₁·m + (1 − β₁)·g,
 * v ← β₂·v + (1 − β₂)·g², θ ← θ − η·m̂/(√v̂ + ε)) keep a state per parameter between steps. A
 * hyper-parameter left out takes `fit`'s default ({@link OPTIMIZER_DEFAULTS}); the checked settings
 * always carry every one.
 */
export type OptimizerSetting =
  | { name: 'sgd' }
  | { name: 'momentum'; beta?: number }
  | { name: 'adam'; beta1?: number; beta2?: number; epsilon?: number };

/** `fit`'s defaults of the optimisers' hyper-parameters: momentum β = 0.9; Adam β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
export const OPTIMIZER_DEFAULTS = Object.freeze({
  momentum: Object.freeze({ beta: 0.9 }),
  adam: Object.freeze({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
});

/** How many epochs the trainer runs per drawn picture: a count, or `'auto'` (as many as fit in about 10 ms). */
export type EpochsPerFrame = number | 'auto';

/** The options of `playground(options)`; every field has a default (see {@link PLAYGROUND_DEFAULTS}). */
export interface PlaygroundOptions {
  /** The data set (`makeDataset`'s names). */
  dataset?: DatasetName;
  /**
   * Number of classes k of the 'spiral' data set (one arm each), an integer in [2, 5] (one class
   * colour each); the other data sets have 2 classes, and for them this is ignored (held as 2).
   * Two classes train one sigmoid output unit; k > 2 train k softmax outputs.
   */
  nClasses?: number;
  /** Number of samples n before the split, an integer in [10, 5000]. */
  nSamples?: number;
  /** Standard deviation of the data's Gaussian noise, in [0, 1]. */
  noise?: number;
  /** Fraction of the samples held out as the test set, in [0.05, 0.9] (`trainTestSplit`'s testFraction). */
  testFraction?: number;
  /** Hidden layer widths n_1 … n_{L−1}, e.g. [8, 8]; at most 6 layers of at most 32 units; [] for none. */
  hidden?: number[];
  /** The hidden layers' activation f. */
  activation?: HiddenActivationName;
  /** The initial weights' scheme (`new MLP`'s `init`). */
  init?: InitScheme;
  /** Step size η > 0. */
  learningRate?: number;
  /** Samples per gradient step: `'full'` (the whole training set, one step per epoch) or a positive integer. */
  batchSize?: number | 'full';
  /** The optimiser; default `{ name: 'sgd' }`. */
  optimizer?: OptimizerSetting;
  /** L2 penalty λ ≥ 0: (λ/2)·Σ_l ‖W[l]‖² is added to the loss. */
  l2?: number;
  /** One integer seed for the data, the split and the initial weights. */
  seed?: number;
  /** Epochs per drawn picture, a positive integer or 'auto'. */
  epochsPerFrame?: EpochsPerFrame;
  /** Grid points per axis of the decision boundary and the unit pictures, an integer in [8, 120]. */
  resolution?: number;
  /** Start training as soon as the trainer is shown (default false: press Play). */
  autoplay?: boolean;
  /** Stop by itself after this many epochs (a positive integer); default: train until paused. */
  maxEpochs?: number;
}

/** Settings with every field present (what the trainer runs on). */
export interface PlaygroundSettings {
  dataset: DatasetName;
  nClasses: number;
  nSamples: number;
  noise: number;
  testFraction: number;
  hidden: number[];
  activation: HiddenActivationName;
  init: InitScheme;
  learningRate: number;
  batchSize: number | 'full';
  optimizer: OptimizerSetting;
  l2: number;
  seed: number;
  epochsPerFrame: EpochsPerFrame;
  resolution: number;
  autoplay: boolean;
  maxEpochs: number | null;
}

/** The defaults: a 2-8-8-1 tanh network on noisy circles, 20% held out, full-batch SGD with η = 0.3. */
export const PLAYGROUND_DEFAULTS: Readonly<PlaygroundSettings> = Object.freeze({
  dataset: 'circles',
  nClasses: 2,
  nSamples: 500,
  noise: 0.1,
  testFraction: 0.2,
  hidden: [8, 8],
  activation: 'tanh',
  init: 'xavier',
  learningRate: 0.3,
  batchSize: 'full',
  optimizer: { name: 'sgd' },
  l2: 0,
  seed: 1,
  epochsPerFrame: 5,
  resolution: 40,
  autoplay: false,
  maxEpochs: null,
} as PlaygroundSettings);

/** The hidden activations a learner can pick. */
export const PLAYGROUND_ACTIVATIONS: readonly HiddenActivationName[] = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'identity'];

/** The limits of the settings (so that a learner's typo cannot freeze the page). */
export const PLAYGROUND_LIMITS = Object.freeze({
  nSamples: [10, 5000] as const,
  nClasses: [2, CLASS_COLORS.length] as const,
  noise: [0, 1] as const,
  testFraction: [0.05, 0.9] as const,
  hiddenLayers: 6,
  hiddenWidth: 32,
  resolution: [8, 120] as const,
  epochsPerFrame: 1000,
});

const KNOWN_KEYS: ReadonlyArray<keyof PlaygroundOptions> = [
  'dataset', 'nClasses', 'nSamples', 'noise', 'testFraction', 'hidden', 'activation', 'init', 'learningRate', 'batchSize',
  'optimizer', 'l2', 'seed', 'epochsPerFrame', 'resolution', 'autoplay', 'maxEpochs',
];

function shown(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function bad(name: string, expected: string, value: unknown): never {
  throw new Error(`playground: ${name} must be ${expected}; received ${shown(value)}`);
}

function inRange(name: string, value: unknown, [lo, hi]: readonly [number, number], integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi || (integer && !Number.isInteger(value))) {
    bad(name, `${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]`, value);
  }
  return value;
}

function checkOptimizer(value: unknown): OptimizerSetting {
  const o = value as { name?: unknown } | null;
  if (o === null || typeof o !== 'object' || typeof o.name !== 'string') {
    bad('optimizer', "an object { name: 'sgd' | 'momentum' | 'adam', … }", value);
  }
  const probability = (key: string, v: unknown): void => {
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v < 1))) bad(`optimizer.${key}`, 'a number in [0, 1)', v);
  };
  const allowed: Record<string, string[]> = { sgd: ['name'], momentum: ['name', 'beta'], adam: ['name', 'beta1', 'beta2', 'epsilon'] };
  const keys = allowed[o.name as string];
  if (keys === undefined) bad('optimizer.name', "'sgd', 'momentum' or 'adam'", o.name);
  for (const k of Object.keys(o)) if (!keys.includes(k)) bad(`optimizer (${o.name as string})`, `an object with only ${keys.join(', ')}`, value);
  const r = o as Record<string, unknown>;
  if (o.name === 'momentum') {
    probability('beta', r.beta);
    return { name: 'momentum', beta: (r.beta as number | undefined) ?? OPTIMIZER_DEFAULTS.momentum.beta };
  }
  if (o.name === 'adam') {
    probability('beta1', r.beta1);
    probability('beta2', r.beta2);
    if (r.epsilon !== undefined && (typeof r.epsilon !== 'number' || !(r.epsilon > 0) || !Number.isFinite(r.epsilon))) {
      bad('optimizer.epsilon', 'a finite number > 0', r.epsilon);
    }
    const d = OPTIMIZER_DEFAULTS.adam;
    return {
      name: 'adam', beta1: (r.beta1 as number | undefined) ?? d.beta1, beta2: (r.beta2 as number | undefined) ?? d.beta2,
      epsilon: (r.epsilon as number | undefined) ?? d.epsilon,
    };
  }
  return { name: 'sgd' };
}

/**
 * The options checked and completed with {@link PLAYGROUND_DEFAULTS}. Every error names the
 * option, what it must be and what it is; an unknown option is an error (so a typo is not ignored).
 * The optimiser comes back with every hyper-parameter filled in ({@link OPTIMIZER_DEFAULTS}), and
 * `nClasses` as 2 for every data set but 'spiral'. Whether the library can train the data set asked
 * for is the adapter's question (`checkTrainable` in ./adapter).
 */
export function playgroundSettings(options: PlaygroundOptions = {}): PlaygroundSettings {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    bad('options', 'an object such as { dataset: \'moons\', hidden: [8, 8] }', options);
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new Error(`playground: unknown option '${key}'; the options are ${KNOWN_KEYS.join(', ')}`);
    }
  }
  const d = PLAYGROUND_DEFAULTS;
  const o: PlaygroundOptions = options;
  const pick = <K extends keyof PlaygroundOptions>(k: K): NonNullable<PlaygroundOptions[K]> | PlaygroundSettings[K] =>
    o[k] === undefined ? d[k] : (o[k] as NonNullable<PlaygroundOptions[K]>);

  const dataset = pick('dataset');
  if (!(DATASET_NAMES as readonly string[]).includes(dataset as string)) {
    bad('dataset', `one of ${DATASET_NAMES.map((n) => `'${n}'`).join(', ')}`, dataset);
  }
  const nClassesAsked = inRange('nClasses', pick('nClasses'), PLAYGROUND_LIMITS.nClasses, true);
  const nClasses = dataset === 'spiral' ? nClassesAsked : 2;
  const nSamples = inRange('nSamples', pick('nSamples'), PLAYGROUND_LIMITS.nSamples, true);
  const noise = inRange('noise', pick('noise'), PLAYGROUND_LIMITS.noise);
  const testFraction = inRange('testFraction', pick('testFraction'), PLAYGROUND_LIMITS.testFraction);
  if (Math.round(nSamples * testFraction) < 1 || nSamples - Math.round(nSamples * testFraction) < 2) {
    bad('testFraction', `a fraction that leaves at least 1 test and 2 training samples of nSamples = ${nSamples}`, testFraction);
  }
  const hidden = pick('hidden');
  if (!Array.isArray(hidden) || hidden.length > PLAYGROUND_LIMITS.hiddenLayers ||
      hidden.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > PLAYGROUND_LIMITS.hiddenWidth)) {
    bad('hidden', `an array of at most ${PLAYGROUND_LIMITS.hiddenLayers} layer widths, integers in [1, ${PLAYGROUND_LIMITS.hiddenWidth}] ([] for none)`, hidden);
  }
  const activation = pick('activation');
  if (!PLAYGROUND_ACTIVATIONS.includes(activation as HiddenActivationName)) {
    bad('activation', `one of ${PLAYGROUND_ACTIVATIONS.map((n) => `'${n}'`).join(', ')}`, activation);
  }
  const init = pick('init');
  if (init !== 'normal' && init !== 'xavier' && init !== 'he') bad('init', "'normal', 'xavier' or 'he'", init);
  const learningRate = pick('learningRate');
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0 || learningRate > 100) {
    bad('learningRate', 'a number in (0, 100]', learningRate);
  }
  const batchSize = pick('batchSize');
  if (batchSize !== 'full' && (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1)) {
    bad('batchSize', "'full' or a positive integer", batchSize);
  }
  const optimizer = checkOptimizer(pick('optimizer'));
  const l2 = pick('l2');
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) bad('l2', 'a finite number ≥ 0', l2);
  const seed = pick('seed');
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) bad('seed', 'an integer', seed);
  const epochsPerFrame = pick('epochsPerFrame');
  if (epochsPerFrame !== 'auto' &&
      (typeof epochsPerFrame !== 'number' || !Number.isInteger(epochsPerFrame) || epochsPerFrame < 1 || epochsPerFrame > PLAYGROUND_LIMITS.epochsPerFrame)) {
    bad('epochsPerFrame', `'auto' or an integer in [1, ${PLAYGROUND_LIMITS.epochsPerFrame}]`, epochsPerFrame);
  }
  const resolution = inRange('resolution', pick('resolution'), PLAYGROUND_LIMITS.resolution, true);
  const autoplay = pick('autoplay');
  if (typeof autoplay !== 'boolean') bad('autoplay', 'true or false', autoplay);
  const maxEpochs = o.maxEpochs === undefined ? null : o.maxEpochs;
  if (maxEpochs !== null && (typeof maxEpochs !== 'number' || !Number.isSafeInteger(maxEpochs) || maxEpochs < 1)) {
    bad('maxEpochs', 'a positive integer', maxEpochs);
  }
  return {
    dataset: dataset as DatasetName, nClasses, nSamples, noise, testFraction, hidden: hidden.slice(), activation: activation as HiddenActivationName,
    init, learningRate, batchSize, optimizer, l2, seed, epochsPerFrame, resolution, autoplay, maxEpochs,
  };
}

/**
 * The options that reproduce `settings` with `playground(options)`: only the fields that differ from
 * the defaults, in a fixed order, so that a learner can copy a run into a notebook cell.
 */
export function settingsAsOptions(settings: PlaygroundSettings): PlaygroundOptions {
  const out: Record<string, unknown> = {};
  for (const key of KNOWN_KEYS) {
    const value = settings[key];
    const fallback = PLAYGROUND_DEFAULTS[key];
    if (JSON.stringify(value) !== JSON.stringify(fallback)) out[key] = value;
  }
  return out as PlaygroundOptions;
}
