/**
 * Math typeset at build time: MathJax 3 (the npm package mathjax-full) runs in Node and turns the
 * TeX of a page's markdown into SVG, so exported pages carry no math engine and no fonts. Only the
 * fragments the course template marks (`<!--bp-math-->…<!--/bp-math-->`: markdown cells and
 * markdown/LaTeX outputs) are typeset, with the delimiters JupyterLab uses: `$…$`, `\(…\)`,
 * `$$…$$`, `\[…\]` and `\begin{…}…\end{…}` environments. Glyph shapes are shared page-wide
 * (one hidden SVG of definitions), so a page pays for each glyph once.
 */
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);

const START = '<!--bp-math-->';
const END = '<!--/bp-math-->';

/** What {@link typesetPage} did. */
export interface TypesetResult {
  html: string;
  /** Formulas typeset. */
  formulas: number;
  /** The TeX of formulas MathJax reported errors for, with the error text. */
  errors: string[];
}

/**
 * Typesets the marked fragments of a page and adds MathJax's stylesheet and glyph definitions.
 * @param page a page rendered with the course template
 * @returns the page with SVG math (and without the markers)
 */
export function typesetPage(page: string): TypesetResult {
  const fragments: string[] = [];
  const skeleton = page.replace(/<!--bp-math-->([\s\S]*?)<!--\/bp-math-->/g, (_m, inner: string) => {
    fragments.push(inner);
    return `\u0000bp-math-${fragments.length - 1}\u0000`;
  });
  if (fragments.length === 0) return { html: page, formulas: 0, errors: [] };
  const doc = fragments.map((f, i) => `<div data-bp-frag="${i}">${f}</div>`).join('');
  const tex = new TeX({
    packages: AllPackages.filter((p: string) => !['bussproofs', 'noerrors', 'noundefined'].includes(p)),
    inlineMath: [['$', '$'], ['\\(', '\\)']],
    displayMath: [['$$', '$$'], ['\\[', '\\]']],
    processEscapes: true,
    processEnvironments: true,
    tags: 'ams',
    formatError: (jax: unknown, err: Error) => {
      errorsSeen.push(err.message);
      return (jax as { formatError(e: Error): unknown }).formatError(err);
    },
  });
  const errorsSeen: string[] = [];
  const svg = new SVG({ fontCache: 'global' });
  const html = mathjax.document(`<html><head></head><body>${doc}</body></html>`, {
    InputJax: tex,
    OutputJax: svg,
    skipHtmlTags: ['script', 'noscript', 'style', 'textarea', 'pre', 'code', 'annotation', 'annotation-xml'],
  });
  html.render();
  const formulas = Array.from(html.math).length;
  const errors: string[] = [];
  for (const item of html.math) {
    const node = (item as { typesetRoot: unknown }).typesetRoot;
    const out = adaptor.outerHTML(node as never);
    if (/data-mjx-error|<mjx-merror|merror/.test(out)) errors.push((item as { math: string }).math);
  }
  errors.push(...errorsSeen.filter((e) => !errors.includes(e)));
  const body = adaptor.body(html.document);
  const rendered = new Map<number, string>();
  let cache = '';
  // Attributes a page does not need: MathJax's internal node names (kept on errors, which the
  // tests look for), glyph code points, namespace declarations (inline SVG in HTML has them).
  const compact = (h: string): string =>
    h.replace(/ data-mml-node="(?!merror)[^"]*"/g, '')
      .replace(/ data-c="[^"]*"/g, '')
      .replace(/ xmlns(?::xlink)?="[^"]*"/g, '')
      .replace(/ focusable="false"/g, '')
      .replace(/ xlink:href=/g, ' href=');
  for (const child of adaptor.childNodes(body)) {
    if (adaptor.kind(child as never) !== 'div') {
      cache += compact(adaptor.outerHTML(child as never));
      continue;
    }
    const index = adaptor.getAttribute(child as never, 'data-bp-frag');
    if (index === null || index === undefined || index === '') {
      cache += adaptor.outerHTML(child as never);
      continue;
    }
    rendered.set(Number(index), compact(adaptor.innerHTML(child as never)));
  }
  // The glyph definitions shared by all formulas (MathJax's global cache, a hidden <svg> that it
  // adds to the body) go to the start of the page's body.
  const style = adaptor.innerHTML(svg.styleSheet(html) as never);
  let out = skeleton.replace(/\u0000bp-math-(\d+)\u0000/g, (_m, i: string) => rendered.get(Number(i)) ?? fragments[Number(i)]);
  out = out.replace('<!--bp-head-->', () => `<style id="bp-mathjax-style">${style}</style>\n<!--bp-head-->`);
  if (cache) out = out.replace(/<body([^>]*)>/, (m) => `${m}\n${cache}`);
  return { html: out, formulas, errors };
}
