/**
 * The live trainer in the page: controls, buttons, statistics and pictures around a
 * `PlaygroundTrainer`, trained a few epochs per animation frame. Bundled by
 * scripts/build-browser.mjs into dist/browser/playground.js (an IIFE that defines
 * `window.BackpropPlayground`); `playground(options)` in the notebook puts that bundle and a call
 * to `BackpropPlayground.mount(element, options)` into one `text/html` output, so the trainer runs
 * without a kernel, offline, in an exported page.
 *
 * Accessibility: every control is a native form element with a <label>; the buttons are <button>s
 * named "Play", "Pause", "Step", "Reset"; the changing numbers are plain text; a polite live region
 * announces what happened after a button press (not every frame); each canvas has a text
 * description that is refreshed when training pauses.
 */
import { wasmKernelsAvailable } from '../../../kernels/wasm';
import { fmt, layersName } from '../../describe';
import { TRAINING_CAPABILITIES } from '../adapter';
import {
  EpochsPerFrame, OPTIMIZER_DEFAULTS, OptimizerSetting, PLAYGROUND_ACTIVATIONS, PLAYGROUND_LIMITS, PlaygroundOptions, PlaygroundSettings,
  settingsAsOptions,
} from '../settings';
import { PlaygroundTrainer, TrainerStatus } from '../trainer';
import { BoundaryView, CurveView, LEGEND, NetworkView } from './render';

/** What `mount` returns (also reachable as `element.bpPlayground`), for scripts and the browser tests. */
export interface PlaygroundHandle {
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
  /**
   * Counters since the trainer was mounted: epochs trained, pictures drawn, the page clock (ms),
   * whether it is playing, whether the WebAssembly kernels do the arithmetic (else TypeScript loops),
   * and the total milliseconds spent drawing and training.
   */
  stats(): { epochs: number; frames: number; now: number; playing: boolean; wasm: boolean; drawMs: number; trainMs: number };
  readonly trainer: PlaygroundTrainer;
  /** Stops the animation loop for good. */
  destroy(): void;
}

declare global {
  interface HTMLElement {
    bpPlayground?: PlaygroundHandle;
  }
}

const LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const SAMPLE_COUNTS = [100, 200, 500, 1000, 2000];
const SPEEDS: EpochsPerFrame[] = [1, 2, 3, 5, 10, 20, 50, 100, 'auto'];
const BATCH_SIZES = [1, 4, 16, 32, 64, 128];
const L2_VALUES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
const MOMENTUM_BETAS = [0, 0.5, 0.8, 0.9, 0.95, 0.99];
const ADAM_BETA1S = [0, 0.5, 0.8, 0.9, 0.95, 0.99];
const ADAM_BETA2S = [0.9, 0.99, 0.999, 0.9999];
const ADAM_EPSILONS = [1e-8, 1e-6, 1e-4, 1e-2, 0.1];
const OPTIMIZER_NAMES: Record<OptimizerSetting['name'], string> = { sgd: 'SGD', momentum: 'momentum', adam: 'Adam' };
/**
 * The 'auto' speed's training time per frame (ms) is steered by the frame rate it gets: while frames
 * come at the display's pace (within 25% of the shortest recent interval, and no faster than 60 Hz)
 * the budget grows by 0.5 ms a frame up to 12 ms; when a frame is late it shrinks by a fifth, down
 * to 1 ms. So training takes what the browser's own drawing of the page leaves of each frame.
 */
const AUTO_BUDGET_MS = { start: 6, min: 1, max: 12, step: 0.5, shrink: 0.8 };

const CSS = `
.bp-pg{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;max-width:1100px;contain:content;}
.bp-pg *{box-sizing:border-box;}
.bp-pg-controls{display:flex;flex-wrap:wrap;gap:8px 14px;margin:0 0 8px 0;}
.bp-pg fieldset{border:1px solid #d1d5db;border-radius:6px;padding:6px 10px 8px;margin:0;display:flex;flex-wrap:wrap;gap:6px 12px;align-items:end;}
.bp-pg legend{font-weight:600;padding:0 4px;}
.bp-pg-field{display:flex;flex-direction:column;gap:2px;}
.bp-pg-field[hidden]{display:none;}
.bp-pg-field label{font-size:12px;color:#374151;}
.bp-pg-field output{font-size:12px;color:#374151;font-variant-numeric:tabular-nums;}
.bp-pg select,.bp-pg input{font:inherit;font-size:13px;padding:2px 4px;}
.bp-pg input[type=text]{width:7em;}
.bp-pg input[type=number]{width:5.5em;}
.bp-pg input[type=range]{width:7em;}
.bp-pg input[aria-invalid=true]{outline:2px solid #b45309;}
.bp-pg-buttons{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:4px 0 6px;}
.bp-pg button{font:inherit;font-weight:600;padding:4px 14px;border-radius:5px;border:1px solid #374151;background:#fff;color:#111827;cursor:pointer;}
.bp-pg button:disabled{opacity:.45;cursor:default;}
.bp-pg button:focus-visible,.bp-pg select:focus-visible,.bp-pg input:focus-visible{outline:3px solid #0072b2;outline-offset:1px;}
.bp-pg-stats{display:flex;flex-wrap:wrap;gap:4px 18px;font-variant-numeric:tabular-nums;font-size:14px;}
.bp-pg-stats span{white-space:nowrap;}
.bp-pg-stats span:nth-child(1){min-width:7.5em;}
.bp-pg-stats span:nth-child(2),.bp-pg-stats span:nth-child(3){min-width:10.5em;}
.bp-pg-status{min-height:1.4em;color:#92400e;margin:2px 0 4px;}
.bp-pg-views{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;}
.bp-pg figure{margin:0;display:flex;flex-direction:column;gap:4px;min-width:0;}
.bp-pg-network{flex:1 1 340px;max-width:460px;}
.bp-pg-plane{flex:1 1 260px;max-width:320px;}
.bp-pg canvas{width:100%;height:auto;display:block;border:1px solid #e5e7eb;border-radius:4px;background:#fff;}
.bp-pg figcaption{font-size:12px;color:#4b5563;max-width:460px;}
.bp-pg-note{font-size:12px;color:#6b7280;}
.bp-pg details{margin-top:6px;font-size:12px;}
.bp-pg code{font-family:var(--jp-code-font-family,ui-monospace,monospace);font-size:12px;white-space:pre-wrap;}
.bp-pg-key{display:inline-block;width:1.6em;height:.35em;vertical-align:middle;margin:0 3px;}
`;

let counter = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, children: Array<Node | string> = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const c of children) node.append(c);
  return node;
}

/** A labelled control: <div><label for=…>text</label><control id=…></div>, so the control's accessible name is exactly `text`. */
function labelled<T extends HTMLElement>(text: string, control: T, uid: string, name: string): HTMLDivElement {
  control.id = `${uid}-${name}`;
  return el('div', { className: 'bp-pg-field' }, [el('label', { htmlFor: control.id, textContent: text }), control]);
}

function select<V>(values: readonly V[], current: V, show: (v: V) => string): HTMLSelectElement {
  const s = el('select');
  const list = values.some((v) => JSON.stringify(v) === JSON.stringify(current)) ? values : [current, ...values];
  for (const v of list) {
    const o = el('option', { value: JSON.stringify(v), textContent: show(v) });
    if (JSON.stringify(v) === JSON.stringify(current)) o.selected = true;
    s.append(o);
  }
  return s;
}

const readSelect = <V>(s: HTMLSelectElement): V => JSON.parse(s.value) as V;

/** Parses "8, 8" (or "8 8", "", "none") into hidden layer widths; null when it is not a valid list. */
export function parseHidden(text: string): number[] | null {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'none') return [];
  const parts = t.split(/[\s,;-]+/).filter((p) => p !== '');
  const widths = parts.map(Number);
  if (widths.some((n) => !Number.isInteger(n) || n < 1 || n > PLAYGROUND_LIMITS.hiddenWidth) || widths.length > PLAYGROUND_LIMITS.hiddenLayers) return null;
  return widths;
}

/** Sets an element's text only when it changes (no needless style and layout work in a long page). */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function lossText(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/**
 * Builds the trainer inside `root` (its content is replaced) and returns its handle. Options as in
 * `playground(options)`; a bad option is reported inside `root` and thrown.
 */
export function mount(root: HTMLElement, options: PlaygroundOptions = {}): PlaygroundHandle {
  if (root.bpPlayground !== undefined) root.bpPlayground.destroy();
  let trainer: PlaygroundTrainer;
  try {
    trainer = new PlaygroundTrainer(options);
  } catch (e) {
    root.textContent = `Trainer not started: ${(e as Error).message}`;
    throw e;
  }
  counter += 1;
  const uid = `bp-pg-${counter}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const s0 = trainer.settings;
  const caps = TRAINING_CAPABILITIES;

  // ----- controls
  const dataset = select(caps.datasets, s0.dataset, (v) => v);
  const [minClasses, maxClasses] = PLAYGROUND_LIMITS.nClasses;
  const classes = select(Array.from({ length: maxClasses - minClasses + 1 }, (_, i) => minClasses + i),
    s0.dataset === 'spiral' ? s0.nClasses : 3, String);
  classes.setAttribute('aria-describedby', `${uid}-classes-help`);
  const samples = select(SAMPLE_COUNTS, s0.nSamples, String);
  const noise = el('input', { type: 'range', min: '0', max: '0.5', step: '0.05', value: String(s0.noise) });
  const noiseOut = el('output', { textContent: fmt(s0.noise) });
  const testShare = el('input', { type: 'range', min: '0.1', max: '0.9', step: '0.05', value: String(s0.testFraction) });
  const testOut = el('output', { textContent: `${Math.round(s0.testFraction * 100)}%` });
  const seed = el('input', { type: 'number', step: '1', value: String(s0.seed) });
  const hidden = el('input', { type: 'text', value: s0.hidden.join(', '), spellcheck: false });
  hidden.setAttribute('aria-describedby', `${uid}-hidden-help`);
  const activation = select(PLAYGROUND_ACTIVATIONS, s0.activation, (v) => v);
  const learningRate = select(LEARNING_RATES, s0.learningRate, (v) => String(v));
  const batchValues: Array<number | 'full'> = caps.miniBatches ? ['full', ...BATCH_SIZES] : ['full'];
  const batch = select(batchValues, s0.batchSize, (v) => (v === 'full' ? 'full batch' : String(v)));
  const optimizer = select(caps.optimizers, s0.optimizer.name, (v) => OPTIMIZER_NAMES[v]);
  optimizer.setAttribute('aria-describedby', `${uid}-optimizer-help`);
  const o0 = s0.optimizer;
  const beta = select(MOMENTUM_BETAS, o0.name === 'momentum' ? o0.beta ?? OPTIMIZER_DEFAULTS.momentum.beta : OPTIMIZER_DEFAULTS.momentum.beta, String);
  const beta1 = select(ADAM_BETA1S, o0.name === 'adam' ? o0.beta1 ?? OPTIMIZER_DEFAULTS.adam.beta1 : OPTIMIZER_DEFAULTS.adam.beta1, String);
  const beta2 = select(ADAM_BETA2S, o0.name === 'adam' ? o0.beta2 ?? OPTIMIZER_DEFAULTS.adam.beta2 : OPTIMIZER_DEFAULTS.adam.beta2, String);
  const epsilon = select(ADAM_EPSILONS, o0.name === 'adam' ? o0.epsilon ?? OPTIMIZER_DEFAULTS.adam.epsilon : OPTIMIZER_DEFAULTS.adam.epsilon, (v) => fmt(v));
  const l2 = select(caps.l2 ? L2_VALUES : [0], s0.l2, (v) => String(v));
  const speed = select(SPEEDS, s0.epochsPerFrame, (v) => (v === 'auto' ? 'as fast as possible' : String(v)));
  for (const [control, offered] of [[batch, batchValues.length], [optimizer, caps.optimizers.length], [l2, caps.l2 ? 2 : 1]] as const) {
    if (offered < 2) {
      control.disabled = true;
      control.title = 'Not offered by this version of the library.';
    }
  }

  const form = el('form', { className: 'bp-pg-controls' });
  form.setAttribute('aria-label', 'Trainer settings');
  form.addEventListener('submit', (e) => e.preventDefault());
  const noiseLabel = labelled('Noise', noise, uid, 'noise');
  noiseLabel.append(noiseOut);
  const testLabel = labelled('Test share', testShare, uid, 'test');
  testLabel.append(testOut);
  const classesField = labelled('Classes', classes, uid, 'classes');
  const classesHelp = el('span', { className: 'bp-pg-note', id: `${uid}-classes-help` });
  const betaField = labelled('Momentum β', beta, uid, 'beta');
  const beta1Field = labelled('Adam β₁', beta1, uid, 'beta1');
  const beta2Field = labelled('Adam β₂', beta2, uid, 'beta2');
  const epsilonField = labelled('Adam ε', epsilon, uid, 'epsilon');
  form.append(
    el('fieldset', {}, [el('legend', { textContent: 'Data' }), labelled('Data set', dataset, uid, 'dataset'), classesField,
      labelled('Samples', samples, uid, 'samples'), noiseLabel, testLabel, labelled('Seed', seed, uid, 'seed'), classesHelp]),
    el('fieldset', {}, [el('legend', { textContent: 'Network' }), labelled('Hidden layers', hidden, uid, 'hidden'),
      labelled('Activation', activation, uid, 'activation'),
      el('span', { className: 'bp-pg-note', id: `${uid}-hidden-help`, textContent: 'widths, e.g. 8, 8 (empty: none)' })]),
    el('fieldset', {}, [el('legend', { textContent: 'Training' }), labelled('Learning rate', learningRate, uid, 'lr'),
      labelled('Batch size', batch, uid, 'batch'), labelled('Optimiser', optimizer, uid, 'optimizer'),
      betaField, beta1Field, beta2Field, epsilonField,
      labelled('L2 λ', l2, uid, 'l2'), labelled('Epochs per frame', speed, uid, 'speed'),
      el('span', { className: 'bp-pg-note', id: `${uid}-optimizer-help`,
        textContent: 'a new optimiser, β, batch size or L2 restarts from the same initial weights' })]),
  );
  /** Shows the fields that the current data set and optimiser use (hidden fields leave the tab order). */
  const showFields = (): void => {
    const s = trainer.settings;
    const spiral = s.dataset === 'spiral';
    classes.disabled = !spiral;
    classesHelp.textContent = spiral ? '' : `${s.dataset} has 2 classes; the spiral has 2 to ${maxClasses}`;
    betaField.hidden = s.optimizer.name !== 'momentum';
    for (const f of [beta1Field, beta2Field, epsilonField]) f.hidden = s.optimizer.name !== 'adam';
  };
  /** The optimiser the controls describe: the chosen name with its hyper-parameters' fields. */
  const chosenOptimizer = (): OptimizerSetting => {
    const name = readSelect<OptimizerSetting['name']>(optimizer);
    if (name === 'momentum') return { name, beta: readSelect<number>(beta) };
    if (name === 'adam') return { name, beta1: readSelect<number>(beta1), beta2: readSelect<number>(beta2), epsilon: readSelect<number>(epsilon) };
    return { name: 'sgd' };
  };

  // ----- buttons and statistics
  const playButton = el('button', { type: 'button', textContent: 'Play' });
  const pauseButton = el('button', { type: 'button', textContent: 'Pause', disabled: true });
  const stepButton = el('button', { type: 'button', textContent: 'Step' });
  stepButton.title = 'Train one epoch';
  const resetButton = el('button', { type: 'button', textContent: 'Reset' });
  resetButton.title = 'Start again from epoch 0 with the same seed';
  const epochText = el('span');
  const trainText = el('span');
  const testText = el('span');
  const accuracyText = el('span');
  const stats = el('div', { className: 'bp-pg-stats' }, [epochText, trainText, testText, accuracyText]);
  const status = el('div', { className: 'bp-pg-status' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');

  // ----- pictures
  const networkCanvas = el('canvas');
  const boundaryCanvas = el('canvas');
  const curveCanvas = el('canvas');
  for (const c of [networkCanvas, boundaryCanvas, curveCanvas]) c.setAttribute('role', 'img');
  const key = (color: string, dashed = false): HTMLSpanElement => {
    const k = el('span', { className: 'bp-pg-key' });
    k.style.background = dashed ? `repeating-linear-gradient(90deg, ${color} 0 6px, transparent 6px 9px)` : color;
    return k;
  };
  const networkCaption = el('figcaption', {}, [
    'Each square: one unit’s output a[l]ⱼ over the plane (red positive, blue negative, white 0; one scale per layer; ',
    'an output ŷⱼ of several classes from white at 0 to its class’s colour at 1). ',
    'Lines: the weights W[l], ', key(LEGEND.positive), 'positive', key(LEGEND.negative), 'negative, width ∝ |w|.',
  ]);
  const boundaryCaption = el('figcaption');
  const previousText = el('span');
  const curveCaption = el('figcaption', {}, ['Loss L:', key(LEGEND.train), 'training,', key(LEGEND.test, true), 'test.', previousText]);
  const network = new NetworkView(networkCanvas, 460, 320);
  const boundary = new BoundaryView(boundaryCanvas, 320);
  const curves = new CurveView(curveCanvas, 320, 120);
  const views = el('div', { className: 'bp-pg-views' }, [
    el('figure', { className: 'bp-pg-network' }, [networkCanvas, networkCaption]),
    el('figure', { className: 'bp-pg-plane' }, [boundaryCanvas, boundaryCaption, curveCanvas, curveCaption]),
  ]);
  const replay = el('code');
  const details = el('details', {}, [el('summary', { textContent: 'Settings of this run (to replay it in a notebook)' }), replay]);

  const style = el('style', { textContent: CSS });
  root.textContent = '';
  root.classList.add('bp-pg');
  root.append(style, form, el('div', { className: 'bp-pg-buttons' }, [playButton, pauseButton, stepButton, resetButton]),
    stats, status, views, details);

  // ----- state and drawing
  let playing = false;
  let destroyed = false;
  let scheduled = false;
  let dirty = true;
  let epochsTrained = 0;
  let framesDrawn = 0;
  let drawMs = 0;
  let autoBudget = AUTO_BUDGET_MS.start;
  const recentIntervals: number[] = [];
  let lastFrameTime: number | null = null;
  let trainMs = 0;
  let last: TrainerStatus = trainer.status();

  const describe = (): void => {
    const s = trainer.settings;
    const name = layersName(trainer.net.layers);
    const k = trainer.data.classes;
    setText(boundaryCaption, k === 2
      ? 'ŷ over the plane; black line: ŷ = 0.5. Dots: training points; ringed dots: test points.'
      : `Each point of the plane in the colour of the class with the largest ŷⱼ (paler where less sure); black lines: ` +
        `the borders between the ${k} classes. Dots: training points; ringed dots: test points.`);
    networkCanvas.setAttribute('aria-label', `The ${name} ${s.activation} network after ${last.epoch} epochs: a picture of each unit's output over the plane, and its weights as lines coloured by sign.`);
    boundaryCanvas.setAttribute('aria-label', `Decision boundary of the ${name} network on ${s.dataset} after ${last.epoch} epochs, test accuracy ${fmt(last.testAccuracy, 3)}.`);
    curveCanvas.setAttribute('aria-label', `Training and test loss over ${last.epoch} epochs; now ${lossText(last.trainLoss)} and ${lossText(last.testLoss)}.`);
    replay.textContent = `playground(${JSON.stringify(settingsAsOptions(s))});`;
  };

  const draw = (): void => {
    const t0 = performance.now();
    last = trainer.record();
    const pictures = trainer.pictures();
    boundary.draw(pictures, trainer.data);
    network.draw(pictures, trainer.net, trainer.deadUnits());
    curves.draw(trainer.curve, trainer.previous?.curve);
    const previous = trainer.previous;
    setText(previousText, previous === null ? ''
      : ` Grey: the previous run (${previous.label})${previous.sameStart ? ', from the same initial weights' : ''}.`);
    setText(epochText, `Epoch ${last.epoch}`);
    setText(trainText, `Training loss ${lossText(last.trainLoss)}`);
    setText(testText, `Test loss ${lossText(last.testLoss)}`);
    setText(accuracyText, `accuracy ${fmt(last.trainAccuracy, 3)} (training), ${fmt(last.testAccuracy, 3)} (test)`);
    root.setAttribute('data-bp-epoch', String(last.epoch));
    framesDrawn += 1;
    drawMs += performance.now() - t0;
    if (last.stopped !== null && playing) {
      setPlaying(false);
      status.textContent = last.stopped;
    }
  };

  const frame = (time: number): void => {
    scheduled = false;
    if (destroyed) return;
    if (lastFrameTime !== null) {
      const interval = time - lastFrameTime;
      recentIntervals.push(interval);
      if (recentIntervals.length > 60) recentIntervals.shift();
      const onTime = Math.max(1000 / 60, Math.min(...recentIntervals)) * 1.25;
      autoBudget = interval <= onTime
        ? Math.min(AUTO_BUDGET_MS.max, autoBudget + AUTO_BUDGET_MS.step)
        : Math.max(AUTO_BUDGET_MS.min, autoBudget * AUTO_BUDGET_MS.shrink);
    }
    lastFrameTime = time;
    if (!root.isConnected) {
      handle.destroy();
      return;
    }
    if (playing) {
      const s = trainer.settings;
      const t0 = performance.now();
      epochsTrained += s.epochsPerFrame === 'auto'
        ? trainer.trainFor(autoBudget, () => performance.now())
        : trainer.train(s.epochsPerFrame);
      trainMs += performance.now() - t0;
      dirty = true;
    }
    if (dirty) {
      dirty = false;
      draw();
    }
    if (playing) schedule();
    else lastFrameTime = null;
  };

  const schedule = (): void => {
    if (!scheduled && !destroyed) {
      scheduled = true;
      requestAnimationFrame(frame);
    }
  };

  const redraw = (): void => {
    dirty = true;
    schedule();
  };

  const setPlaying = (on: boolean): void => {
    playing = on;
    playButton.disabled = on;
    pauseButton.disabled = !on;
    stepButton.disabled = on;
    if (on) schedule();
    else describe();
  };

  const say = (text: string): void => {
    status.textContent = text;
  };

  const apply = (change: PlaygroundOptions, what: string): void => {
    try {
      const rebuilt = trainer.change(change);
      // A new shape (or initialisation) draws new initial weights; any other network change restarts from the same ones.
      const newWeights = change.hidden !== undefined || change.init !== undefined;
      say(rebuilt === 'none' ? `${what}: applied from epoch ${trainer.epoch} on.`
        : rebuilt === 'data' ? `${what}: new data and a new network, epoch 0.`
          : newWeights ? `${what}: a new network with new initial weights (seed ${trainer.settings.seed + 1}), epoch 0.`
            : `${what}: a new run from the same initial weights (seed ${trainer.settings.seed + 1}), epoch 0.`);
    } catch (e) {
      say((e as Error).message);
    }
    showFields();
    describe();
    redraw();
  };

  // ----- events
  playButton.addEventListener('click', () => handle.play());
  pauseButton.addEventListener('click', () => handle.pause());
  stepButton.addEventListener('click', () => handle.step());
  resetButton.addEventListener('click', () => handle.reset());
  dataset.addEventListener('change', () => {
    const name = readSelect<PlaygroundSettings['dataset']>(dataset);
    apply(name === 'spiral' ? { dataset: name, nClasses: readSelect<number>(classes) } : { dataset: name }, 'Data set');
  });
  classes.addEventListener('change', () => apply({ nClasses: readSelect(classes) }, 'Classes'));
  samples.addEventListener('change', () => apply({ nSamples: readSelect(samples) }, 'Samples'));
  noise.addEventListener('input', () => { noiseOut.textContent = fmt(Number(noise.value)); });
  noise.addEventListener('change', () => apply({ noise: Number(noise.value) }, 'Noise'));
  testShare.addEventListener('input', () => { testOut.textContent = `${Math.round(Number(testShare.value) * 100)}%`; });
  testShare.addEventListener('change', () => apply({ testFraction: Number(testShare.value) }, 'Test share'));
  seed.addEventListener('change', () => {
    const v = Number(seed.value);
    const ok = Number.isSafeInteger(v);
    seed.setAttribute('aria-invalid', String(!ok));
    if (ok) apply({ seed: v }, 'Seed');
    else say('Seed: enter an integer.');
  });
  hidden.addEventListener('change', () => {
    const widths = parseHidden(hidden.value);
    hidden.setAttribute('aria-invalid', String(widths === null));
    if (widths === null) {
      say(`Hidden layers: enter up to ${PLAYGROUND_LIMITS.hiddenLayers} widths from 1 to ${PLAYGROUND_LIMITS.hiddenWidth}, e.g. 8, 8.`);
      return;
    }
    apply({ hidden: widths }, 'Hidden layers');
  });
  activation.addEventListener('change', () => apply({ activation: readSelect(activation) }, 'Activation'));
  learningRate.addEventListener('change', () => apply({ learningRate: readSelect(learningRate) }, 'Learning rate'));
  batch.addEventListener('change', () => apply({ batchSize: readSelect(batch) }, 'Batch size'));
  for (const [control, what] of [[optimizer, 'Optimiser'], [beta, 'Momentum β'], [beta1, 'Adam β₁'], [beta2, 'Adam β₂'], [epsilon, 'Adam ε']] as const) {
    control.addEventListener('change', () => apply({ optimizer: chosenOptimizer() }, what));
  }
  l2.addEventListener('change', () => apply({ l2: readSelect(l2) }, 'L2 λ'));
  speed.addEventListener('change', () => apply({ epochsPerFrame: readSelect(speed) }, 'Epochs per frame'));

  const handle: PlaygroundHandle = {
    trainer,
    play(): void {
      if (trainer.stopped) {
        say(`${last.stopped ?? 'Training has stopped.'}`);
        return;
      }
      say('');
      setPlaying(true);
    },
    pause(): void {
      setPlaying(false);
      draw();
      say(`Paused at epoch ${last.epoch}: training loss ${lossText(last.trainLoss)}, test loss ${lossText(last.testLoss)}.`);
    },
    step(): void {
      if (playing) return;
      const ran = trainer.train(1);
      epochsTrained += ran;
      draw();
      describe();
      say(ran === 1 ? `Epoch ${last.epoch}: training loss ${lossText(last.trainLoss)}, test loss ${lossText(last.testLoss)}.` : (last.stopped ?? ''));
    },
    reset(): void {
      trainer.reset();
      draw();
      describe();
      say(`Reset to epoch 0 (seed ${trainer.settings.seed}).`);
    },
    stats: () => ({ epochs: epochsTrained, frames: framesDrawn, now: performance.now(), playing, wasm: wasmKernelsAvailable(), drawMs, trainMs }),
    destroy(): void {
      destroyed = true;
      playing = false;
      if (root.bpPlayground === handle) delete root.bpPlayground;
    },
  };
  root.bpPlayground = handle;
  showFields();
  draw();
  describe();
  if (trainer.settings.autoplay) handle.play();
  return handle;
}

/** Mounts a trainer into every element matching `selector` that has none yet (used by the notebook output). */
export function mountAll(selector: string, options: PlaygroundOptions = {}): PlaygroundHandle[] {
  const out: PlaygroundHandle[] = [];
  document.querySelectorAll<HTMLElement>(selector).forEach((node) => {
    if (node.bpPlayground === undefined) {
      try {
        out.push(mount(node, options));
      } catch (e) {
        if (window.console) console.error('playground:', e);
      }
    }
  });
  return out;
}

export type { PlaygroundOptions, PlaygroundSettings };
