/**
 * `playground(options)`: a live trainer as the output of a notebook cell. The output is one
 * `text/html` that carries the trainer's browser bundle (dist/browser/playground.js, the library
 * compiled for the browser with the page code, about 100 KB) and a call that mounts it, so it trains
 * in the page itself: no kernel once shown, offline, in a saved notebook and in an exported page.
 *
 * ```ts
 * import { playground } from '../dist/notebook';
 * playground({ dataset: 'moons', noise: 0.2, hidden: [8, 8], activation: 'relu', learningRate: 0.3, seed: 7 });
 * ```
 *
 * The engine behind it (`PlaygroundTrainer`, the per-unit grids, the network geometry) is exported
 * too, so a notebook can compute in the kernel exactly what the trainer shows in the page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash, randomBytes } from 'crypto';
import { escapeHtml, scriptJson } from '../plot';
import { checkTrainable } from './adapter';
import { PlaygroundOptions, playgroundSettings, settingsAsOptions } from './settings';

export * from './settings';
export { BATCH_SEED_OFFSET, TRAINING_CAPABILITIES, checkTrainable, createTrainingRun, fitOptionsFor, outputLayer } from './adapter';
export type { TrainingCapabilities, TrainingRun } from './adapter';
export * from './trainer';
export * from './views';

/** The attribute that marks a trainer's element; its value is the trainer's unique id. */
export const PLAYGROUND_ATTRIBUTE = 'data-bp-playground';

/** What the trainer's element says until its script runs (e.g. an untrusted notebook). */
export const PLAYGROUND_NOT_RUN_MESSAGE =
  'The live trainer has not started: its script has not run. Run this cell, or trust the notebook ' +
  '(File > Trust Notebook) so that saved outputs run.';

let bundleCache: { source: string; sha256: string; file: string } | undefined;

/**
 * The trainer's browser bundle, read once from dist/browser/playground.js (made by `npm run build`).
 * @returns its source, SHA-256 and path
 */
export function playgroundBundle(): { source: string; sha256: string; file: string } {
  if (bundleCache === undefined) {
    // from dist/notebook/playground (tslab) and from src/notebook/playground (tests): the same dist/
    const file = path.resolve(__dirname, '..', '..', '..', 'dist', 'browser', 'playground.js');
    if (!fs.existsSync(file)) {
      throw new Error(`playground: the trainer's browser bundle ${file} is missing; run 'npm run build' (it runs scripts/build-browser.mjs)`);
    }
    const source = fs.readFileSync(file, 'utf8');
    bundleCache = { source, sha256: createHash('sha256').update(source).digest('hex'), file };
  }
  return bundleCache;
}

/** Options of {@link playgroundHtml} that concern the HTML, not the run. */
export interface PlaygroundHtmlOptions {
  /** The element's id (letters, digits, `_`, `-`), unique in the page; default: a fresh random one. */
  id?: string;
}

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * The HTML of a live trainer: an element marked `data-bp-playground="<id>"` and a script that
 * defines `window.BackpropPlayground` from the inlined bundle (once per page and bundle version)
 * and mounts a trainer with `options` into that element. The options are checked here first, so a
 * bad option fails in the kernel with the same message the page would show.
 * @param options the run's settings (see `PlaygroundOptions`; all optional)
 * @param html the element's id
 * @returns an HTML fragment (a div and a script element)
 */
export function playgroundHtml(options: PlaygroundOptions = {}, html: PlaygroundHtmlOptions = {}): string {
  const settings = playgroundSettings(options);
  checkTrainable(settings);
  const id = html.id ?? `bp-pg-${randomBytes(6).toString('hex')}`;
  if (!ID_PATTERN.test(id)) throw new Error(`playgroundHtml: id must match ${ID_PATTERN}; received ${JSON.stringify(id)}`);
  const bundle = playgroundBundle();
  // The bundle must not end the script element nor open an HTML comment inside it.
  const source = bundle.source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  const selector = `[${PLAYGROUND_ATTRIBUTE}="${id}"]`;
  const script = `(function () {
  var P = window.BackpropPlayground;
  if (!P || P.bundleSha256 !== ${scriptJson(bundle.sha256)}) {
    var define, module, exports;
${source}
    P = { mount: BackpropPlayground.mount, mountAll: BackpropPlayground.mountAll, bundleSha256: ${scriptJson(bundle.sha256)} };
    window.BackpropPlayground = P;
  }
  P.mountAll(${scriptJson(selector)}, ${scriptJson(settingsAsOptions(settings))});
})();`;
  return (
    `<div class="bp-playground" ${PLAYGROUND_ATTRIBUTE}="${id}">` +
    `<div style="padding:10px 12px;border:1px dashed #b45309;border-radius:4px;background:#fffbeb;color:#92400e;font:13px/1.4 system-ui,sans-serif;">` +
    `${escapeHtml(PLAYGROUND_NOT_RUN_MESSAGE)}</div></div>\n<script type="text/javascript">\n${script}\n</script>`
  );
}

interface TslabDisplay {
  html(s: string): void;
}

/**
 * Shows a live trainer as the output of the current cell: controls for the data set, noise,
 * test share, hidden layers, activation, learning rate, batch size, optimiser and L2; the buttons
 * Play, Pause, Step and Reset; "Epoch N", "Training loss X", "Test loss X"; the decision boundary with
 * the points, every unit's picture and the weights, all updating while it trains in the page.
 * The same options (and seed) give the same run, epoch for epoch.
 * @param options the run's settings; every field is optional (see `PLAYGROUND_DEFAULTS`)
 */
export function playground(options: PlaygroundOptions = {}): void {
  const htmlText = playgroundHtml(options);
  let tslab: { display: TslabDisplay };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tslab = require('tslab') as { display: TslabDisplay };
  } catch (e) {
    throw new Error(`playground: tslab is not installed (${(e as Error).message}); use playgroundHtml() outside notebooks`);
  }
  try {
    tslab.display.html(htmlText);
  } catch (e) {
    throw new Error(`playground: cannot display outside a running tslab kernel (${(e as Error).message}); use playgroundHtml() instead`);
  }
}
