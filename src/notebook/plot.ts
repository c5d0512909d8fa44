/**
 * Plotly charts and small HTML tables in tslab notebooks.
 *
 * This is the only module of the library that knows about tslab; the math core never imports it,
 * and `index.ts` does not re-export it. Notebooks import it directly:
 *
 * ```ts
 * import { loadPlotly, plot } from '../dist/plot';
 * loadPlotly();                     // first code cell of every notebook
 * plot({ data: [{ x: [1, 2, 3], y: [1, 4, 9], type: 'scatter' }] });
 * ```
 *
 * How charts survive re-runs, reloads and exports: {@link loadPlotly} emits the whole plotly.js
 * library (plotly.js-dist-min, about 4.8 MB) as one `text/html` output. Each {@link plot} emits a
 * `<div>` carrying a unique `data-bp-plot` attribute plus a script that draws into that div at once
 * when `window.Plotly` exists, and otherwise queues itself on `window.__bpPlotQueue`, which the
 * library's output flushes when it runs. Because both live in saved `text/html` outputs, a reloaded
 * notebook or an exported HTML file redraws its charts without a kernel or a network. When the
 * library never arrives, the chart's div says so and tells the reader to run the first code cell.
 *
 * The library is not tied to the first chart (that breaks when the chart's cell is re-run, after a
 * kernel restart and after a page reload), and `display.javascript()` is not used (exporters drop it).
 *
 * @packageDocumentation
 */
import type { Config, Data, Layout } from 'plotly.js';
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export type { Config, Data, Layout };

/** A Plotly figure: the arguments of `Plotly.newPlot(div, data, layout, config)`. */
export interface Figure {
  /** The traces, e.g. `{ x, y, type: 'scatter', mode: 'lines', name: 'loss' }`. */
  data: Data[];
  /** Titles, axes, size and so on; merged over {@link DEFAULT_LAYOUT} (`margin` key by key). */
  layout?: Partial<Layout>;
  /** Plotly options; merged over {@link DEFAULT_CONFIG}. */
  config?: Partial<Config>;
}

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /**
   * The value of the div's `data-bp-plot` attribute, which must be unique in the page
   * (letters, digits, `_` and `-`). Default: a fresh random id, so give one for reproducible output.
   */
  id?: string;
  /**
   * Milliseconds to wait for the library before the div shows a "run the first code cell" message.
   * The chart still draws if the library arrives later. Default 4000.
   */
  missingLibraryDelayMs?: number;
}

/** The attribute that marks a chart's div; its value is the chart's unique id. */
export const PLOT_ATTRIBUTE = 'data-bp-plot';

/** The attribute that marks the output of {@link loadPlotly}; its value is the plotly.js version. */
export const LIBRARY_ATTRIBUTE = 'data-bp-plotly';

/** Default chart height in pixels (the width follows the output area). */
export const DEFAULT_HEIGHT = 360;

/** Layout defaults applied under every figure's own layout. */
export const DEFAULT_LAYOUT: Readonly<Partial<Layout>> = Object.freeze({
  autosize: true,
  height: DEFAULT_HEIGHT,
  margin: { l: 60, r: 30, t: 50, b: 50, pad: 0 },
  font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 13 },
});

/** Config defaults applied under every figure's own config: responsive, no Plotly logo. */
export const DEFAULT_CONFIG: Readonly<Partial<Config>> = Object.freeze({
  responsive: true,
  displaylogo: false,
});

/** The message a chart shows when plotly.js has not been loaded into the page. */
export const MISSING_LIBRARY_MESSAGE =
  'Chart not drawn: the chart library is not loaded in this page. ' +
  'Run the first code cell (loadPlotly()) to load it; this chart then draws by itself.';

/** The text a chart's div holds until its script runs (shown when scripts do not run, e.g. untrusted notebooks). */
export const SCRIPT_NOT_RUN_MESSAGE =
  'Chart not drawn: its script has not run. Run the cells of this notebook (the first code cell ' +
  'calls loadPlotly()), or trust the notebook (File > Trust Notebook) so that saved charts draw.';

const QUEUE = '__bpPlotQueue';
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const MESSAGE_STYLE =
  'padding:10px 12px;border:1px dashed #b45309;border-radius:4px;background:#fffbeb;' +
  'color:#92400e;font:13px/1.4 system-ui,sans-serif;';

/**
 * Escapes `&`, `<`, `>`, `"` and `'` for use in HTML text and attribute values.
 * @param text any string
 * @returns the escaped string
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for embedding inside a `<script>` element: typed arrays become plain arrays, non-finite
 * numbers become `null` (gaps in Plotly), and `<`, `>`, `&`, U+2028 and U+2029 are escaped so the
 * text can neither close the script element nor break the JavaScript parser.
 * @param value a JSON-serialisable value (typed arrays allowed)
 * @returns JavaScript source text for the value
 */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
  return (json === undefined ? 'null' : json).replace(/[<>&\u2028\u2029]/g, (c) =>
    `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The figure with the library defaults applied: {@link DEFAULT_LAYOUT} under `layout` (the
 * `margin` and `font` objects merged key by key) and {@link DEFAULT_CONFIG} under `config`.
 * @param figure the figure as written in the notebook
 * @returns a new figure; the argument is not modified
 */
export function withDefaults(figure: Figure): Required<Figure> {
  const layout = figure.layout ?? {};
  return {
    data: figure.data,
    layout: {
      ...DEFAULT_LAYOUT,
      ...layout,
      margin: { ...DEFAULT_LAYOUT.margin, ...layout.margin },
      font: { ...DEFAULT_LAYOUT.font, ...layout.font },
    },
    config: { ...DEFAULT_CONFIG, ...figure.config },
  };
}

function checkFigure(figure: Figure): void {
  if (figure === null || typeof figure !== 'object' || !Array.isArray(figure.data)) {
    const received = figure === null ? 'null' : typeof figure !== 'object' ? typeof figure
      : `an object whose data is ${Array.isArray(figure.data) ? 'an array' : typeof figure.data}`;
    throw new TypeError(`plot(figure): figure must be an object with a \`data\` array of traces; received ${received}`);
  }
}

let idCounter = 0;

/** A fresh id for a chart: random, so ids from different kernel sessions never collide in one page. */
function newId(): string {
  idCounter += 1;
  return `bp-${randomBytes(6).toString('hex')}-${idCounter}`;
}

/**
 * The HTML of one chart: a div marked with a unique `data-bp-plot` attribute plus a script that
 * draws the figure into it as soon as `window.Plotly` exists. Until the library has loaded the
 * script waits in `window.__bpPlotQueue` (flushed by {@link libraryHtml}'s output); after
 * `missingLibraryDelayMs` without the library it shows {@link MISSING_LIBRARY_MESSAGE} in the div.
 * The div initially holds {@link SCRIPT_NOT_RUN_MESSAGE}, which stays visible where scripts do not
 * run. The script finds its div by attribute, not by `document.currentScript` (classic Notebook
 * runs output scripts from a temporary element). A pure function apart from the default random id.
 * @param figure the Plotly figure
 * @param options a fixed id, the delay before the missing-library message
 * @returns an HTML fragment (a div and a script element)
 */
export function figureHtml(figure: Figure, options: FigureHtmlOptions = {}): string {
  checkFigure(figure);
  const id = options.id ?? newId();
  if (!ID_PATTERN.test(id)) throw new Error(`figureHtml: id must match ${ID_PATTERN}; received ${JSON.stringify(id)}`);
  const delay = options.missingLibraryDelayMs ?? 4000;
  const full = withDefaults(figure);
  const height = typeof full.layout.height === 'number' ? full.layout.height : DEFAULT_HEIGHT;
  const selector = `[${PLOT_ATTRIBUTE}="${id}"]`;
  const script = `(function () {
  var figure = ${scriptJson(full)};
  var selector = ${scriptJson(selector)};
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function message(text) {
    boxes().forEach(function (box) {
      if (box.getAttribute('data-bp-drawn')) return;
      var note = box.querySelector('.bp-plot-message');
      if (note) note.textContent = text;
    });
  }
  function draw() {
    boxes().forEach(function (box) {
      if (box.getAttribute('data-bp-drawn')) return;
      box.setAttribute('data-bp-drawn', '1');
      box.innerHTML = '';
      var chart = document.createElement('div');
      chart.className = 'bp-plot-chart';
      chart.style.width = '100%';
      box.appendChild(chart);
      try {
        var done = window.Plotly.newPlot(chart, figure.data, figure.layout, figure.config);
        if (done && done.catch) done.catch(function (e) { box.textContent = 'Chart error: ' + e; });
      } catch (e) {
        box.textContent = 'Chart error: ' + (e && e.message ? e.message : e);
        return;
      }
      if (window.ResizeObserver) {
        var pending = false;
        var observer = new ResizeObserver(function () {
          if (pending) return;
          pending = true;
          window.requestAnimationFrame(function () {
            pending = false;
            if (!document.body.contains(chart)) { observer.disconnect(); return; }
            if (chart.offsetWidth > 0 && window.Plotly.Plots) window.Plotly.Plots.resize(chart);
          });
        });
        observer.observe(box);
      }
    });
  }
  if (window.Plotly && window.Plotly.newPlot) {
    draw();
  } else {
    (window.${QUEUE} = window.${QUEUE} || []).push(draw);
    message('Waiting for the chart library (loadPlotly() in the first code cell)\\u2026');
    setTimeout(function () {
      if (!(window.Plotly && window.Plotly.newPlot)) message(${scriptJson(MISSING_LIBRARY_MESSAGE)});
    }, ${delay});
  }
})();`;
  return (
    `<div class="bp-plot" ${PLOT_ATTRIBUTE}="${id}" style="width:100%;min-height:${height}px;">` +
    `<div class="bp-plot-message" style="${MESSAGE_STYLE}">${escapeHtml(SCRIPT_NOT_RUN_MESSAGE)}</div>` +
    `</div>\n<script type="text/javascript">\n${script}\n</script>`
  );
}

let libraryCache: { version: string; source: string } | undefined;

/**
 * Reads plotly.min.js and its version from the installed plotly.js-dist-min package (cached).
 * @returns the library's version and source text
 */
export function plotlyLibrary(): { version: string; source: string } {
  if (!libraryCache) {
    const main = require.resolve('plotly.js-dist-min');
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(main), 'package.json'), 'utf8')) as { version: string };
    libraryCache = { version: pkg.version, source: fs.readFileSync(main, 'utf8') };
  }
  return libraryCache;
}

/**
 * The HTML that loads plotly.js into the page: a status line, the minified library inside a
 * function scope (so that AMD/CommonJS globals such as RequireJS's `define` cannot capture it and it
 * always sets `window.Plotly`; skipped when the page already has Plotly), and a script that draws
 * every chart queued on `window.__bpPlotQueue`.
 * @returns an HTML fragment of about 4.8 MB
 */
export function libraryHtml(): string {
  const { version, source } = plotlyLibrary();
  const safeSource = source.replace(/<\/(script)/gi, '<\\/$1');
  return (
    `<div class="bp-plotly-status" ${LIBRARY_ATTRIBUTE}="${escapeHtml(version)}" ` +
    `style="font:12px system-ui,sans-serif;color:#6b7280;">` +
    `Chart library not loaded: this output's script has not run (run this cell, or trust the notebook).</div>\n` +
    `<script type="text/javascript">window.PlotlyConfig = window.PlotlyConfig || { MathJaxConfig: 'local' };</script>\n` +
    `<script type="text/javascript">(function () {\nif (window.Plotly && window.Plotly.newPlot) return;\n` +
    `var define, module, exports;\n${safeSource}\n})();</script>\n` +
    `<script type="text/javascript">(function () {
  var ok = !!(window.Plotly && window.Plotly.newPlot);
  var status = document.querySelectorAll('[${LIBRARY_ATTRIBUTE}]');
  for (var i = 0; i < status.length; i++) {
    status[i].textContent = ok ? 'Chart library loaded (plotly.js ' + window.Plotly.version + ').'
      : 'Chart library failed to load: see the browser console.';
  }
  if (!ok) return;
  var queue = window.${QUEUE} || [];
  window.${QUEUE} = [];
  for (var j = 0; j < queue.length; j++) {
    try { queue[j](); } catch (e) { if (window.console) console.error('plot:', e); }
  }
})();</script>`
  );
}

/** Options of {@link tableHtml} and {@link table}. */
export interface TableOptions {
  /** Significant digits for numbers (default 6); integers are printed whole. */
  digits?: number;
  /** A caption above the table. */
  caption?: string;
}

/**
 * Formats one table cell: integers whole, other finite numbers with `digits` significant digits
 * (exponent notation for very small or large values), other values with `String`.
 * @param value the cell's value
 * @param digits significant digits
 * @returns the text to show
 */
export function formatCell(value: unknown, digits = 6): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    if (!Number.isFinite(value)) return String(value);
    const a = Math.abs(value);
    return a !== 0 && (a < 1e-4 || a >= 1e6)
      ? value.toExponential(digits - 1).replace(/\.?0+e/, 'e')
      : String(Number(value.toPrecision(digits)));
  }
  return String(value);
}

/**
 * An HTML table (numbers right-aligned in a monospace font), e.g. for gradient checks.
 * All text is HTML-escaped. Pure function.
 * @param rows the rows, each an array of cells (numbers, strings, anything with a `String` form)
 * @param headers the column titles (optional)
 * @param options number formatting and a caption
 * @returns an HTML fragment
 */
export function tableHtml(
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  headers?: ReadonlyArray<string>,
  options: TableOptions = {},
): string {
  const digits = options.digits ?? 6;
  const cell = (tag: 'td' | 'th', v: unknown): string => {
    const numeric = typeof v === 'number';
    const style = numeric ? ' style="text-align:right;font-family:var(--jp-code-font-family,monospace);"' : '';
    return `<${tag}${style}>${escapeHtml(formatCell(v, digits))}</${tag}>`;
  };
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const head = headers ? `<thead><tr>${headers.map((h) => `<th>${escapeHtml(String(h))}</th>`).join('')}</tr></thead>` : '';
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((v) => cell('td', v)).join('')}</tr>`).join('')}</tbody>`;
  return `<table class="bp-table">${caption}${head}${body}</table>`;
}

interface TslabDisplay {
  html(s: string): void;
}

interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

/** tslab, loaded lazily so that this module can be used (and tested) outside a kernel. */
function tslabModule(): TslabModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('tslab') as TslabModule;
  } catch (e) {
    throw new Error(`plot: tslab is not installed (${(e as Error).message}); use figureHtml() outside notebooks`);
  }
}

/** A display that reports use outside a running kernel clearly. */
function guardedDisplay(display: () => TslabDisplay): TslabDisplay {
  return {
    html(s: string): void {
      try {
        display().html(s);
      } catch (e) {
        throw new Error(
          `plot: cannot display outside a running tslab kernel (${(e as Error).message}); use figureHtml() instead`,
        );
      }
    },
  };
}

/** tslab's `display` (the current cell's output). */
function tslabDisplay(): TslabDisplay {
  const tslab = tslabModule();
  return guardedDisplay(() => tslab.display);
}

/**
 * Loads plotly.js into the notebook page: call it in the FIRST code cell of every notebook.
 * It emits the library (about 4.8 MB) as one `text/html` output each time it is called; charts of
 * cells that run before it (or of a reloaded page) wait for it and then draw.
 */
export function loadPlotly(): void {
  tslabDisplay().html(libraryHtml());
}

/**
 * Shows a Plotly chart as the output of the current cell. The chart draws at once when the library
 * is in the page (see {@link loadPlotly}), fills the output's width and follows its resizing.
 * @param figure `{ data, layout?, config? }`: traces, layout and config as in `Plotly.newPlot`
 */
export function plot(figure: Figure): void {
  tslabDisplay().html(figureHtml(figure));
}

/**
 * Shows an HTML table as the output of the current cell (see {@link tableHtml}).
 * @param rows the rows, each an array of cells
 * @param headers the column titles (optional)
 * @param options number formatting and a caption
 */
export function table(
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  headers?: ReadonlyArray<string>,
  options: TableOptions = {},
): void {
  tslabDisplay().html(tableHtml(rows, headers, options));
}

/** A chart shown once and then redrawn in place, e.g. a loss curve that grows while training runs. */
export interface LivePlot {
  /** Replaces the chart's figure in the same output (the saved notebook keeps the last one). */
  update(figure: Figure): void;
}

/**
 * Shows a chart that can be updated in place: `const live = livePlot(figure); … live.update(next);`.
 * Each update replaces the same output (tslab's `newDisplay()`, an `update_display_data` message),
 * so a notebook executed headless or saved after the run holds the final figure.
 * @param figure the first figure to show
 * @returns the handle whose `update(figure)` redraws the chart
 */
export function livePlot(figure: Figure): LivePlot {
  checkFigure(figure);
  const tslab = tslabModule();
  let handle: TslabDisplay | undefined;
  const display = guardedDisplay(() => {
    if (handle === undefined) handle = tslab.newDisplay();
    return handle;
  });
  display.html(figureHtml(figure));
  return {
    update(next: Figure): void {
      checkFigure(next);
      display.html(figureHtml(next));
    },
  };
}
