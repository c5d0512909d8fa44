/**
 * Plotly charts and small HTML tables in tslab notebooks.
 *
 * ```ts
 * import { plot, livePlot, table } from '../dist/notebook';
 * plot({ data: [{ x: [1, 2, 3], y: [1, 4, 9], type: 'scatter' }] });
 * const live = livePlot(figure);   // later: live.update(nextFigure) redraws in the same output
 * ```
 *
 * How a chart draws anywhere: {@link plot} emits one `text/html` output, a `<div>` carrying a unique
 * `data-bp-plot` attribute plus a small script holding the figure (its numbers rounded to
 * {@link FIGURE_DIGITS} significant digits; a large figure packed, see {@link PACK_THRESHOLD}). The script draws at once when the page already has
 * plotly.js (`window.Plotly`); otherwise it waits for the copy an exported page carries (packed once
 * per page with the page's figures, see `scripts/lib/page.ts`), or
 * loads the library itself, once per page, from the Jupyter server that shows the notebook
 * (`<base_url>static/plotly.js`, served from the npm package plotly.js-dist by the project's server
 * config `.jupyter/jupyter_server_config.py`). So no cell has to run first, a saved or executed
 * notebook stores only its figures (tens of KB, never the 10 MB library), and charts draw again
 * after a reload, in a restarted kernel and in executed copies.
 *
 * Scripts of outputs run only in trusted notebooks (outputs made in the UI are trusted; the executed
 * copies of `npm run export` and `npm run grade` are signed). Where the script does not run, the div
 * says why and names the step that exists in JupyterLab 4: re-run the cell, or Command Palette →
 * “Trust Notebook”.
 *
 * @packageDocumentation
 */
import type { Config, Data, Layout } from 'plotly.js';
import { randomBytes } from 'crypto';
import { gzipSync } from 'zlib';

export type { Config, Data, Layout };

/** A Plotly figure: the arguments of `Plotly.newPlot(div, data, layout, config)`. */
export interface Figure {
  /** The traces, e.g. `{ x, y, type: 'scatter', mode: 'lines', name: 'loss' }`. */
  data: Data[];
  /** Titles, axes, size and so on; merged over {@link DEFAULT_LAYOUT} (`margin` key by key). */
  layout?: Partial<Layout>;
  /** Plotly options; merged over {@link DEFAULT_CONFIG}. */
  config?: Partial<Config>;
  /** Animation frames, handed to `Plotly.newPlot(el, { data, layout, config, frames })`. */
  frames?: Array<{ name?: string; group?: string; data?: Data[]; traces?: number[]; layout?: Partial<Layout> }>;
}

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /**
   * The value of the div's `data-bp-plot` attribute, which must be unique in the page
   * (letters, digits, `_` and `-`). Default: a fresh random id, so give one for reproducible output.
   */
  id?: string;
  /**
   * Where the script loads plotly.js from when the page has none, relative to the Jupyter server's
   * base URL (read from the page's `jupyter-config-data`). Default {@link LIBRARY_PATH}.
   */
  libraryPath?: string;
  /**
   * Store the figure packed when its JSON is longer than {@link PACK_THRESHOLD} (default true; see
   * {@link packedFigure}). `livePlot` passes false, so its updates redraw without a moment's delay.
   */
  pack?: boolean;
}

/** The attribute that marks a chart's div; its value is the chart's unique id. */
export const PLOT_ATTRIBUTE = 'data-bp-plot';

/** The attribute of a chart's div that lists its trace types (space-separated), e.g. `"scatter heatmap"`. */
export const TRACES_ATTRIBUTE = 'data-bp-traces';

/** The attribute that marks a `<script>` holding plotly.js inlined in an exported page; its value is the bundle's name. */
export const LIBRARY_ATTRIBUTE = 'data-bp-plotly';

/** Where a chart loads plotly.js from, relative to the Jupyter server's base URL (see `.jupyter/jupyter_server_config.py`). */
export const LIBRARY_PATH = 'static/plotly.js';

/** Significant digits kept for the non-integer numbers of a figure (integers stay exact). */
export const FIGURE_DIGITS = 7;

/**
 * A figure whose JSON is longer than this many characters is stored packed in its output (gzip, then
 * base64: about a quarter of the size), so that a notebook with many large charts stays small when
 * saved; the chart script unpacks it in the browser (DecompressionStream) before drawing. Smaller
 * figures stay readable JSON, and draw synchronously.
 */
export const PACK_THRESHOLD = 32 * 1024;

/** The message a packed chart shows where the browser cannot unpack it. */
export const UNPACK_MESSAGE =
  'Chart not drawn: this browser cannot unpack the chart (it lacks DecompressionStream: use Chrome or Edge 80+, ' +
  'Firefox 113+ or Safari 16.4+).';

/** Default chart height in pixels (the width follows the output area). */
export const DEFAULT_HEIGHT = 360;

/** The chart width used while printing, in CSS pixels: fits A4 and Letter pages with 15 mm margins. */
export const PRINT_WIDTH = 640;

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

/**
 * The text a chart's div holds until its script runs; it stays visible where scripts do not run
 * (an untrusted notebook). The steps it names exist in JupyterLab 4 and Notebook 7.
 */
export const SCRIPT_NOT_RUN_MESSAGE =
  'Chart not drawn: this notebook is not trusted, so the chart’s script did not run. ' +
  'Run the cell again, or trust the notebook: open the Command Palette (Ctrl+Shift+C; ' +
  'View > Activate Command Palette) and choose “Trust Notebook”.';

/** Shown while plotly.js loads from the Jupyter server. */
export const LOADING_MESSAGE = 'Loading the chart library…';

/** Shown when the page has no plotly.js and is not a Jupyter page that could serve it. */
export const NO_LIBRARY_MESSAGE =
  'Chart not drawn: this page has no chart library (plotly.js) and is not served by Jupyter. ' +
  'Open the notebook with the project’s JupyterLab (npm start), or export it (npm run export).';

/** Shown when the Jupyter server did not serve plotly.js; the URL is appended. */
export const LIBRARY_NOT_FOUND_MESSAGE =
  'Chart not drawn: the Jupyter server did not serve the chart library. Start JupyterLab with the ' +
  'project’s settings (npm start), which serve it from node_modules/plotly.js-dist. Tried: ';

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
 * @param digits when given, non-integer numbers are rounded to this many significant digits
 * @returns JavaScript source text for the value
 */
export function scriptJson(value: unknown, digits?: number): string {
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    if (digits !== undefined && typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) {
      return Number(v.toPrecision(digits));
    }
    return v;
  });
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
export function withDefaults(figure: Figure): Required<Omit<Figure, 'frames'>> & Pick<Figure, 'frames'> {
  const layout = figure.layout ?? {};
  return {
    ...(figure.frames === undefined ? {} : { frames: figure.frames }),
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

function checkFigure(figure: Figure, where = 'plot(figure)'): void {
  if (figure === null || typeof figure !== 'object' || !Array.isArray(figure.data)) {
    const received = figure === null ? 'null' : typeof figure !== 'object' ? typeof figure
      : `an object whose data is ${Array.isArray(figure.data) ? 'an array' : typeof figure.data}`;
    throw new TypeError(`${where}: figure must be an object with a \`data\` array of traces; received ${received}`);
  }
}

/**
 * The trace types of a figure, sorted and without repeats (a trace without `type` is a `scatter`,
 * as in Plotly). The exporter reads them (the div's `data-bp-traces`) to inline the smallest
 * plotly.js bundle that draws them.
 * @param figure the figure
 * @returns e.g. `['contour', 'heatmap', 'scatter']`
 */
export function traceTypes(figure: Figure): string[] {
  checkFigure(figure, 'traceTypes(figure)');
  const types = new Set<string>();
  for (const trace of figure.data) {
    const t = (trace as { type?: unknown } | null)?.type;
    types.add(typeof t === 'string' && ID_PATTERN.test(t) ? t : 'scatter');
  }
  return [...types].sort();
}

let idCounter = 0;

/** A fresh id for a chart: random, so ids from different kernel sessions never collide in one page. */
function newId(): string {
  idCounter += 1;
  return `bp-${randomBytes(6).toString('hex')}-${idCounter}`;
}

/**
 * The page-wide part of every chart script, kept on `window.__bpPlotly` the first time a chart
 * script runs in a page: loading plotly.js once, and fitting charts to the paper when printing.
 */
const RUNTIME = `function runtime(w) {
  if (w.__bpPlotly && w.__bpPlotly.unpack) return w.__bpPlotly;
  var rt = { loading: null };
  rt.libraryUrl = function (path) {
    var base = null;
    var el = document.getElementById('jupyter-config-data');
    if (el) {
      try { base = JSON.parse(el.textContent || '{}').baseUrl; } catch (e) { base = null; }
    } else if (document.body && document.body.getAttribute('data-base-url')) {
      base = document.body.getAttribute('data-base-url');
    }
    if (typeof base !== 'string') return null;
    return base.replace(/\\/?$/, '/') + path;
  };
  rt.load = function (path) {
    if (w.Plotly && w.Plotly.newPlot) return Promise.resolve(w.Plotly);
    if (w.__bpPlotlyLoading) return w.__bpPlotlyLoading;
    if (rt.loading) return rt.loading;
    var url = rt.libraryUrl(path);
    if (!url) return Promise.reject(new Error(${scriptJson(NO_LIBRARY_MESSAGE)}));
    rt.loading = new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = url;
      s.async = true;
      s.onload = function () {
        if (w.Plotly && w.Plotly.newPlot) resolve(w.Plotly);
        else { rt.loading = null; reject(new Error(${scriptJson(LIBRARY_NOT_FOUND_MESSAGE)} + url)); }
      };
      s.onerror = function () { rt.loading = null; reject(new Error(${scriptJson(LIBRARY_NOT_FOUND_MESSAGE)} + url)); };
      document.head.appendChild(s);
    });
    return rt.loading;
  };
  rt.unpack = function (f) {
    if (typeof DecompressionStream === 'undefined' || typeof Response === 'undefined') {
      return Promise.reject(new Error(${scriptJson(UNPACK_MESSAGE)}));
    }
    var bin = atob(f.__bpGzip);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
      .then(function (text) { return JSON.parse(text); });
  };
  rt.figure = function (f) {
    if (f && typeof f.__bpGzip === 'string') return rt.unpack(f);
    if (!f || typeof f.__bpFigure !== 'number') return Promise.resolve(f);
    if (!w.__bpFiguresLoading) return Promise.reject(new Error('Chart not drawn: this page lost its packed chart data.'));
    return w.__bpFiguresLoading.then(function (all) { return all[f.__bpFigure]; });
  };
  rt.charts = function () {
    return Array.prototype.slice.call(document.querySelectorAll('.bp-plot-chart.js-plotly-plot'));
  };
  rt.printing = false;
  function each(step) {
    return Promise.all(rt.charts().map(function (c) {
      return Promise.resolve().then(function () { return step(c); })
        .catch(function (e) { if (w.console) console.warn('chart print layout:', e); });
    }));
  }
  rt.beforePrint = function () {
    if (rt.printing || !w.Plotly) return Promise.resolve();
    rt.printing = true;
    return each(function (c) { return w.Plotly.relayout(c, { width: ${PRINT_WIDTH} }); });
  };
  rt.afterPrint = function () {
    if (!rt.printing || !w.Plotly) return Promise.resolve();
    rt.printing = false;
    return each(function (c) {
      if (c.layout) delete c.layout.width;
      return w.Plotly.relayout(c, { autosize: true }).then(function () {
        if (c.offsetWidth > 0) return w.Plotly.Plots.resize(c);
      });
    });
  };
  w.addEventListener('beforeprint', function () { rt.beforePrint(); });
  w.addEventListener('afterprint', function () { rt.afterPrint(); });
  w.__bpPlotly = rt;
  return rt;
}`;

/**
 * The figure literal a chart script carries: `json` itself when it has at most {@link PACK_THRESHOLD}
 * characters, else `{"__bpGzip": base64(gzip(json)), "layout": {"title": …}}` (the title kept
 * readable for people and tools that read the saved notebook). `scripts/lib/page.ts` unpacks it when
 * a page is exported.
 * @param json the figure as JSON (as `scriptJson` writes it)
 * @param title the figure's `layout.title`, kept readable beside the packed figure
 */
export function packedFigure(json: string, title?: unknown): string {
  if (json.length <= PACK_THRESHOLD) return json;
  return scriptJson({ __bpGzip: gzipBase64(json), ...(title === undefined ? {} : { layout: { title } }) });
}

/** gzip (level 9), then base64: how packed figures (and exported pages' scripts) are stored. */
export function gzipBase64(text: string): string {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
}

/**
 * The HTML of one chart: a div marked with a unique `data-bp-plot` attribute (and its trace types
 * in `data-bp-traces`) plus a script that draws the figure into it: at once when `window.Plotly`
 * exists, else after loading plotly.js from the Jupyter server ({@link LIBRARY_PATH} under the
 * page's base URL, once per page). The div holds {@link SCRIPT_NOT_RUN_MESSAGE} until then, which
 * stays visible where scripts do not run; a chart that cannot get the library says why in its div.
 * The script finds its div by attribute, not by `document.currentScript` (classic Notebook runs
 * output scripts from a temporary element). Charts fill their container's width and follow its
 * resizing; while printing they take {@link PRINT_WIDTH} pixels. Non-integer numbers are rounded
 * to {@link FIGURE_DIGITS} significant digits. A pure function apart from the default random id.
 * @param figure the Plotly figure
 * @param options a fixed id, another library path
 * @returns an HTML fragment (a div and a script element)
 */
export function figureHtml(figure: Figure, options: FigureHtmlOptions = {}): string {
  checkFigure(figure);
  const id = options.id ?? newId();
  if (!ID_PATTERN.test(id)) throw new Error(`figureHtml: id must match ${ID_PATTERN}; received ${JSON.stringify(id)}`);
  const libraryPath = options.libraryPath ?? LIBRARY_PATH;
  const full = withDefaults(figure);
  const height = typeof full.layout.height === 'number' ? full.layout.height : DEFAULT_HEIGHT;
  const selector = `[${PLOT_ATTRIBUTE}="${id}"]`;
  const script = `(function () {
  var figure = ${options.pack === false ? scriptJson(full, FIGURE_DIGITS) : packedFigure(scriptJson(full, FIGURE_DIGITS), full.layout.title)};
  var selector = ${scriptJson(selector)};
  var w = window;
  ${RUNTIME}
  var rt = runtime(w);
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function message(text) {
    boxes().forEach(function (box) {
      if (box.getAttribute('data-bp-drawn')) return;
      var note = box.querySelector('.bp-plot-message');
      if (note) note.textContent = text;
    });
  }
  function draw(Plotly) {
    boxes().forEach(function (box) {
      if (box.getAttribute('data-bp-drawn')) return;
      box.setAttribute('data-bp-drawn', '1');
      box.innerHTML = '';
      var chart = document.createElement('div');
      chart.className = 'bp-plot-chart';
      chart.style.width = '100%';
      box.appendChild(chart);
      var layout = rt.printing ? Object.assign({}, figure.layout, { width: ${PRINT_WIDTH} }) : figure.layout;
      try {
        var done = figure.frames
          ? Plotly.newPlot(chart, { data: figure.data, layout: layout, config: figure.config, frames: figure.frames })
          : Plotly.newPlot(chart, figure.data, layout, figure.config);
        if (done && done.catch) done.catch(function (e) { box.textContent = 'Chart error: ' + e; });
      } catch (e) {
        box.textContent = 'Chart error: ' + (e && e.message ? e.message : e);
        return;
      }
      if (w.ResizeObserver) {
        var pending = false;
        var observer = new ResizeObserver(function () {
          if (pending || rt.printing) return;
          pending = true;
          w.requestAnimationFrame(function () {
            pending = false;
            if (!document.body.contains(chart)) { observer.disconnect(); return; }
            if (chart.offsetWidth > 0 && Plotly.Plots && !rt.printing) Plotly.Plots.resize(chart);
          });
        });
        observer.observe(box);
      }
    });
  }
  if (w.Plotly && w.Plotly.newPlot && typeof figure.__bpFigure !== 'number' && typeof figure.__bpGzip !== 'string') {
    draw(w.Plotly);
  } else {
    message(${scriptJson(LOADING_MESSAGE)});
    Promise.all([rt.load(${scriptJson(libraryPath)}), rt.figure(figure)]).then(function (got) {
      figure = got[1];
      draw(got[0]);
    }, function (e) { message(e && e.message ? e.message : String(e)); });
  }
})();`;
  return (
    `<div class="bp-plot" ${PLOT_ATTRIBUTE}="${id}" ${TRACES_ATTRIBUTE}="${traceTypes(figure).join(' ')}" ` +
    `style="width:100%;min-height:${height}px;">` +
    `<div class="bp-plot-message" style="${MESSAGE_STYLE}">${escapeHtml(SCRIPT_NOT_RUN_MESSAGE)}</div>` +
    `</div>\n<script type="text/javascript">\n${script}\n</script>`
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
 * Does nothing. Kept so that notebooks which still call it keep running: charts now load plotly.js
 * by themselves (see {@link plot}), and nothing depends on this call.
 * @deprecated remove the call; it will be removed from the notebooks.
 */
export function loadPlotly(): void {
  /* nothing to do: see the module documentation */
}

/**
 * Shows a Plotly chart as the output of the current cell. It draws without any other cell having
 * run (the library comes with the page or from the Jupyter server), fills the output's width and
 * follows its resizing.
 * @param figure `{ data, layout?, config? }`: traces, layout and config as in `Plotly.newPlot`
 */
export function plot(figure: Figure): void {
  checkFigure(figure);
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
 * so a notebook executed headless or saved after the run holds the final figure only.
 * @param figure the first figure to show
 * @returns the handle whose `update(figure)` redraws the chart
 */
export function livePlot(figure: Figure): LivePlot {
  checkFigure(figure, 'livePlot(figure)');
  const tslab = tslabModule();
  let handle: TslabDisplay | undefined;
  const display = guardedDisplay(() => {
    if (handle === undefined) handle = tslab.newDisplay();
    return handle;
  });
  display.html(figureHtml(figure, { pack: false }));
  return {
    update(next: Figure): void {
      checkFigure(next, 'livePlot(…).update(figure)');
      display.html(figureHtml(next, { pack: false }));
    },
  };
}
