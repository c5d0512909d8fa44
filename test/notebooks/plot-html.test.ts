/**
 * src/notebook/plot.ts without a kernel: the pure HTML builders (figureHtml, libraryHtml, tableHtml) and the
 * clear errors of loadPlotly()/plot() outside tslab. Browser behaviour: test/browser/plot-html.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_HEIGHT, escapeHtml, figureHtml, formatCell, libraryHtml, loadPlotly, plot, plotlyLibrary, scriptJson,
  tableHtml, withDefaults, PLOT_ATTRIBUTE, SCRIPT_NOT_RUN_MESSAGE,
} from '../../src/notebook/plot';

const fig = { data: [{ x: [1, 2], y: [3, 4], type: 'scatter' as const }] };

test('figureHtml: a div with the unique attribute, then a script; deterministic for a given id', () => {
  const a = figureHtml(fig, { id: 'chart-1' });
  assert.equal(a, figureHtml(fig, { id: 'chart-1' }));
  assert.match(a, /^<div class="bp-plot" data-bp-plot="chart-1"[^>]*>/);
  assert.match(a, /<script type="text\/javascript">[\s\S]*<\/script>$/);
  assert.ok(a.includes(escapeHtml(SCRIPT_NOT_RUN_MESSAGE)), 'the no-script message is in the div');
  assert.ok(a.includes(`[${PLOT_ATTRIBUTE}=\\"chart-1\\"]`), 'the script looks its div up by attribute');
  assert.ok(!a.includes('currentScript'), 'no document.currentScript');
});

test('figureHtml: fresh ids differ; bad ids and figures are rejected', () => {
  const ids = new Set([0, 1, 2, 3].map(() => /data-bp-plot="([^"]+)"/.exec(figureHtml(fig))![1]));
  assert.equal(ids.size, 4);
  assert.throws(() => figureHtml(fig, { id: 'a"b' }), /id must match/);
  assert.throws(() => figureHtml({} as never), /`data` array/);
});

test('figure JSON cannot close the script element; typed arrays and NaN serialise', () => {
  const html = figureHtml(
    { data: [{ y: new Float64Array([1, NaN, 3]), type: 'bar' }], layout: { title: { text: '</script><script>alert(1)</script>' } } },
    { id: 'x' },
  );
  assert.equal(html.split('</script>').length, 2, 'only the closing tag of our own script');
  assert.ok(html.includes('"y":[1,null,3]'));
  assert.equal(scriptJson('\u2028<&>'), '"\\u2028\\u003c\\u0026\\u003e"');
  assert.equal(scriptJson(undefined), 'null');
});

test('withDefaults: responsive config, default height and margins, user values win key by key', () => {
  const d = withDefaults({ data: [], layout: { margin: { l: 90 }, height: 500 }, config: { displayModeBar: false } });
  assert.equal(d.layout.height, 500);
  assert.deepEqual(d.layout.margin, { l: 90, r: 30, t: 50, b: 50, pad: 0 });
  assert.equal(d.config.responsive, true);
  assert.equal(d.config.displayModeBar, false);
  assert.equal(withDefaults(fig).layout.height, DEFAULT_HEIGHT);
});

test('libraryHtml: the whole plotly.js, shielded from AMD/CommonJS globals, then the queue flush', () => {
  const { version, source } = plotlyLibrary();
  const html = libraryHtml();
  assert.ok(html.length > source.length);
  assert.ok(html.includes(`data-bp-plotly="${version}"`));
  assert.ok(html.includes('var define, module, exports;'));
  assert.ok(html.includes('__bpPlotQueue'));
});

test('tableHtml escapes text and formats numbers', () => {
  const html = tableHtml([['<b>w</b>', 0.123456789, -1e-7, 3]], ['name & "x"', 'a', 'b', 'c'], { caption: 'c<1>' });
  assert.ok(html.includes('<th>name &#38; &#34;x&#34;</th>'));
  assert.ok(html.includes('&#60;b&#62;w&#60;/b&#62;'));
  assert.ok(html.includes('>0.123457<') && html.includes('>-1e-7<') && html.includes('>3<'));
  assert.ok(html.includes('<caption>c&#60;1&#62;</caption>'));
  assert.equal(formatCell(1234567.891, 3), '1.23e+6');
  assert.equal(formatCell(Infinity), 'Infinity');
});

test('loadPlotly() and plot() outside a tslab kernel fail with a clear message', () => {
  assert.throws(() => loadPlotly(), /outside a running tslab kernel.*figureHtml/);
  assert.throws(() => plot(fig), /outside a running tslab kernel/);
});
