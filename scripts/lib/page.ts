/**
 * Finishing a rendered notebook page (scripts/render_html.py's output) into one self-contained,
 * offline file: math typeset at build time (./math.ts), the smallest plotly.js bundle that draws
 * the page's charts inlined once in the head (./plotly-bundles.ts) together with the page's
 * figures, both packed (gzip + base64, unpacked by the browser's DecompressionStream: a page
 * carries a third of their bytes), a table of contents, previous / next / index navigation, and an
 * optional block at the top (the graded summary).
 */
import { gunzipSync } from 'node:zlib';
import { escapeHtml, gzipBase64, LIBRARY_ATTRIBUTE, PLOT_ATTRIBUTE, TRACES_ATTRIBUTE } from '../../src/notebook/plot';
import { typesetPage } from './math';
import { chooseBundle, bundleSource, type Bundle } from './plotly-bundles';

/** A link of the navigation. */
export interface PageLink {
  href: string;
  title: string;
}

export interface PageOptions {
  /** The page's title (the notebook's first heading). */
  title: string;
  /** The course index this page belongs to. */
  index: PageLink;
  prev?: PageLink;
  next?: PageLink;
  /** Other versions of this page (the handout, the PDF, the notebook file). */
  alternates?: PageLink[];
  /** A label next to the title, e.g. "Teacher edition (solutions)". */
  badge?: string;
  /** HTML inserted at the top of the page's content (e.g. the graded summary). */
  top?: string;
}

/** What went into a finished page. */
export interface PageStats {
  bytes: number;
  charts: number;
  traces: string[];
  bundle: Bundle['name'] | null;
  /** Bytes of the bundle's JavaScript, and of it packed into the page (gzip, base64). */
  bundleBytes: number;
  bundlePackedBytes: number;
  /** Bytes of the page's figures as JSON, and packed. */
  figureBytes: number;
  figurePackedBytes: number;
  formulas: number;
  mathErrors: string[];
  headings: number;
}

/** Escapes text for HTML text and attribute values (the notebook kit's `escapeHtml`). */
export const esc = escapeHtml;

const EXTERNAL = /<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i;

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&nbsp;/g, ' ').trim();
}

/** The h2/h3 headings of the page's markdown (with nbconvert's ids), for the table of contents. */
export function headings(html: string): Array<{ level: number; id: string; html: string }> {
  const out: Array<{ level: number; id: string; html: string }> = [];
  for (const m of html.matchAll(/<h([23])\s+id="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)) {
    const inner = m[3].replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, '').trim();
    out.push({ level: Number(m[1]), id: m[2], html: inner });
  }
  return out;
}

function navHtml(o: PageOptions): string {
  const link = (l: PageLink | undefined, rel: string, label: string): string =>
    l ? `<a rel="${rel}" href="${esc(l.href)}" title="${esc(l.title)}">${label}</a>` : `<span class="bp-disabled">${label}</span>`;
  return (
    `<nav class="bp-nav" aria-label="course"><div class="bp-nav-inner">` +
    `<a rel="index" href="${esc(o.index.href)}">↑ ${esc(o.index.title)}</a>` +
    link(o.prev, 'prev', '← Previous') +
    `<span class="bp-nav-title">${esc(o.title)}${o.badge ? ` <span class="bp-badge">${esc(o.badge)}</span>` : ''}</span>` +
    (o.alternates ?? []).map((a) => `<a href="${esc(a.href)}">${esc(a.title)}</a>`).join('') +
    link(o.next, 'next', 'Next →') +
    `</div></nav>`
  );
}

function footerHtml(o: PageOptions): string {
  const item = (l: PageLink | undefined, rel: string, arrow: string): string =>
    l ? `<a rel="${rel}" href="${esc(l.href)}">${arrow} ${esc(l.title)}</a>` : '';
  return `<footer class="bp-footer">${item(o.prev, 'prev', '←')}<a rel="index" href="${esc(o.index.href)}">↑ ${esc(o.index.title)}</a>${item(o.next, 'next', '→')}</footer>`;
}

function tocHtml(list: ReturnType<typeof headings>): string {
  if (list.length === 0) return '';
  const items = list.map((h) => `<li class="bp-toc-${h.level}"><a href="#${esc(h.id)}">${h.html}</a></li>`).join('');
  return `<details class="bp-toc" open><summary>Contents</summary><ol>${items}</ol></details>`;
}

/** The trace types named by the page's chart divs (`data-bp-traces`). */
export function pageTraces(html: string): { charts: number; traces: string[] } {
  const traces = new Set<string>();
  let charts = 0;
  for (const m of html.matchAll(new RegExp(`<div class="bp-plot" ${PLOT_ATTRIBUTE}="[^"]+" ${TRACES_ATTRIBUTE}="([^"]*)"`, 'g'))) {
    charts += 1;
    for (const t of m[1].split(/\s+/)) if (t) traces.add(t);
  }
  return { charts, traces: [...traces].sort() };
}

/** The message a page shows in its charts when the browser cannot unpack them. */
export const OLD_BROWSER_MESSAGE =
  'Chart not drawn: this browser cannot unpack the page\u2019s charts (it lacks DecompressionStream: ' +
  'use Chrome or Edge 80+, Firefox 113+ or Safari 16.4+).';

/** gzip, then base64: how a page carries its chart library and figures. */
export const pack = gzipBase64;

/**
 * The head scripts of a page with charts: the bundle and the figures, packed (gzip + base64, a
 * third of their size), and the loader that unpacks them with the browser's DecompressionStream:
 * `window.__bpPlotlyLoading` (plotly.js, run as a script) and `window.__bpFiguresLoading` (the
 * figures), which the chart scripts of src/notebook/plot.ts wait for.
 */
function packedHead(bundle: Bundle, figures: unknown[]): { html: string; bundlePacked: number; figuresPacked: number } {
  const lib = pack(bundleSource(bundle));
  const figs = pack(JSON.stringify(figures));
  const loader = `(function () {
  var w = window;
  function unpack(name) {
    var el = document.querySelector('script[data-bp-pack="' + name + '"]');
    if (!el) return Promise.resolve(null);
    if (typeof DecompressionStream === 'undefined' || typeof Response === 'undefined') {
      return Promise.reject(new Error(${JSON.stringify(OLD_BROWSER_MESSAGE)}));
    }
    var bin = atob((el.textContent || '').replace(/\\s+/g, ''));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  }
  w.__bpPlotlyLoading = unpack('plotly').then(function (code) {
    if (!(w.Plotly && w.Plotly.newPlot)) {
      var s = document.createElement('script');
      s.text = code;
      document.head.appendChild(s);
    }
    if (!(w.Plotly && w.Plotly.newPlot)) throw new Error('Chart not drawn: the page\u2019s chart library did not load (see the console).');
    return w.Plotly;
  });
  w.__bpFiguresLoading = unpack('figures').then(function (text) { return text ? JSON.parse(text) : []; });
  w.__bpPlotlyLoading.catch(function () {});
  w.__bpFiguresLoading.catch(function () {});
})();`;
  return {
    html:
      `<script type="application/octet-stream" data-bp-pack="plotly" ${LIBRARY_ATTRIBUTE}="${bundle.name}">${lib}</script>
` +
      `<script type="application/octet-stream" data-bp-pack="figures">${figs}</script>
` +
      `<script type="text/javascript">
${loader}
</script>`,
    bundlePacked: lib.length,
    figuresPacked: figs.length,
  };
}

/** The figure literal of a chart script of src/notebook/plot.ts (`var figure = {…};` before `var selector`). */
const FIGURE_LITERAL = /(\n {2}var figure = )(\{[\s\S]*?\});(\n {2}var selector = )/g;

/**
 * Turns a rendered page into the finished, self-contained page.
 * @param raw the HTML written by scripts/render_html.py
 * @param options title, navigation, extra content
 * @throws when the page would load anything from the network
 */
export function finishPage(raw: string, options: PageOptions): { html: string; stats: PageStats } {
  const math = typesetPage(raw);
  let html = math.html;
  const toc = headings(html);
  const { charts, traces } = pageTraces(html);
  const bundle = charts > 0 ? chooseBundle(traces) : null;
  // The charts' figures move into one packed block; each chart script keeps a reference.
  const figures: unknown[] = [];
  let figureBytes = 0;
  if (bundle) {
    html = html.replace(FIGURE_LITERAL, (m, before: string, json: string, after: string) => {
      let figure: unknown;
      try {
        figure = JSON.parse(json);
        // A large figure is stored packed in the notebook (src/notebook/plot.ts packedFigure): the
        // page packs all its figures together instead.
        const packed = (figure as { __bpGzip?: unknown } | null)?.__bpGzip;
        if (typeof packed === 'string') {
          json = gunzipSync(Buffer.from(packed, 'base64')).toString('utf8');
          figure = JSON.parse(json);
        }
      } catch {
        return m; // not a figure of ours: leave it inline
      }
      figureBytes += json.length;
      figures.push(figure);
      return `${before}{"__bpFigure":${figures.length - 1}};${after}`;
    });
  }
  const head = bundle ? packedHead(bundle, figures) : null;
  html = html.replace('<!--bp-head-->', () => head?.html ?? '');
  html = html.replace('<!--bp-nav-->', () => navHtml(options));
  html = html.replace('<main class="bp-main">', () => `<main class="bp-main">\n${options.top ?? ''}${tocHtml(toc)}`);
  html = html.replace('<!--bp-footer-->', () => footerHtml(options));
  const external = EXTERNAL.exec(html.replace(/<script[^>]*data-bp-pack[^>]*>[\s\S]*?<\/script>/g, ''));
  if (external) throw new Error(`finishPage(${options.title}): the page would load from the network: ${external[0].slice(0, 200)}`);
  return {
    html,
    stats: {
      bytes: Buffer.byteLength(html),
      charts,
      traces,
      bundle: bundle ? bundle.name : null,
      bundleBytes: bundle ? Buffer.byteLength(bundleSource(bundle)) : 0,
      bundlePackedBytes: head?.bundlePacked ?? 0,
      figureBytes,
      figurePackedBytes: head?.figuresPacked ?? 0,
      formulas: math.formulas,
      mathErrors: math.errors,
      headings: toc.length,
    },
  };
}

/** The plain text of an HTML fragment (tags removed, entities decoded). */
export function htmlText(html: string): string {
  return stripTags(html.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/<style[\s\S]*?<\/style>/gi, ''));
}
