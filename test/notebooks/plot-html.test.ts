/**
 * src/notebook/plot.ts without a kernel: the pure HTML builders (figureHtml, tableHtml, traceTypes),
 * figure rounding and packing, the harmless loadPlotly(), and the clear errors of plot()/livePlot() outside
 * tslab. Browser behaviour: test/browser/plot-html.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import {
  DEFAULT_HEIGHT, escapeHtml, figureHtml, FIGURE_DIGITS, formatCell, LIBRARY_PATH, livePlot, loadPlotly, packedFigure, PACK_THRESHOLD, plot,
  PLOT_ATTRIBUTE, scriptJson, SCRIPT_NOT_RUN_MESSAGE, tableHtml, traceTypes, TRACES_ATTRIBUTE, withDefaults,
} from '../../src/notebook/plot';

const fig = { data: [{ x: [1, 2], y: [3, 4], type: 'scatter' as const }] };

/** The figure literal of a chart's script, parsed. */
function figureOf(html: string): { data: Array<Record<string, unknown>>; layout: Record<string, unknown> } {
  const m = /\n {2}var figure = (\{[\s\S]*?\});\n {2}var selector = /.exec(html);
  assert.ok(m, 'the chart script holds its figure as `var figure = {…};`');
  return JSON.parse(m[1]) as { data: Array<Record<string, unknown>>; layout: Record<string, unknown> };
}

test('figureHtml: a div with the unique attribute and trace types, then a script; deterministic for a given id', () => {
  const a = figureHtml(fig, { id: 'chart-1' });
  assert.equal(a, figureHtml(fig, { id: 'chart-1' }));
  assert.match(a, new RegExp(`^<div class="bp-plot" ${PLOT_ATTRIBUTE}="chart-1" ${TRACES_ATTRIBUTE}="scatter"[^>]*>`));
  assert.match(a, /<script type="text\/javascript">[\s\S]*<\/script>$/);
  assert.ok(a.includes(escapeHtml(SCRIPT_NOT_RUN_MESSAGE)), 'the no-script message is in the div');
  assert.ok(a.includes(`[${PLOT_ATTRIBUTE}=\\"chart-1\\"]`), 'the script looks its div up by attribute');
  assert.ok(!a.includes('currentScript'), 'no document.currentScript');
  assert.ok(a.includes(JSON.stringify(LIBRARY_PATH)), 'the script knows where the Jupyter server serves plotly.js');
  assert.ok(a.length < 9000, `a small chart stays small (${a.length} bytes): no library inside`);
});

test('the not-trusted message names steps that exist in JupyterLab 4 (no "File > Trust Notebook")', () => {
  assert.match(SCRIPT_NOT_RUN_MESSAGE, /Command Palette/);
  assert.match(SCRIPT_NOT_RUN_MESSAGE, /Trust Notebook/);
  assert.doesNotMatch(SCRIPT_NOT_RUN_MESSAGE, /File\s*>\s*Trust/);
});

test('figureHtml: fresh ids differ; bad ids and figures are rejected', () => {
  const ids = new Set([0, 1, 2, 3].map(() => /data-bp-plot="([^"]+)"/.exec(figureHtml(fig))![1]));
  assert.equal(ids.size, 4);
  assert.throws(() => figureHtml(fig, { id: 'a"b' }), /id must match/);
  assert.throws(() => figureHtml({} as never), /`data` array/);
});

test('traceTypes: sorted, unique, a trace without type is a scatter, odd names are not trusted', () => {
  assert.deepEqual(traceTypes({ data: [{ type: 'heatmap' }, { y: [1] }, { type: 'contour' }, { type: 'heatmap' }] as never }), ['contour', 'heatmap', 'scatter']);
  assert.deepEqual(traceTypes({ data: [{ type: 'x" onload="y' }] as never }), ['scatter']);
  assert.match(figureHtml({ data: [{ z: [[1]], type: 'heatmap' }, { x: [1], y: [2] }] }, { id: 't' }), /data-bp-traces="heatmap scatter"/);
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

test(`figure numbers keep ${FIGURE_DIGITS} significant digits; integers stay exact`, () => {
  const y = [Math.PI, 1 / 3, 123456789, 0.69314718056, 1e-12 / 3, -2.5];
  const f = figureOf(figureHtml({ data: [{ x: [1, 2, 3, 4, 5, 6], y, type: 'scatter' }] }, { id: 'r' }));
  const got = f.data[0].y as number[];
  assert.deepEqual(got, [3.141593, 0.3333333, 123456789, 0.6931472, 3.333333e-13, -2.5]);
  for (let i = 0; i < y.length; i++) {
    assert.ok(Math.abs(got[i] - y[i]) <= Math.abs(y[i]) * 5 * 10 ** -FIGURE_DIGITS, `y[${i}] within rounding`);
  }
  assert.deepEqual(f.data[0].x, [1, 2, 3, 4, 5, 6]);
});

test(`a figure longer than ${PACK_THRESHOLD} characters is stored packed, losslessly, with its title readable`, () => {
  const n = 10_000;
  const big = { data: [{ x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => 0.05 + 0.65 * Math.exp(-i / 2000)), type: 'scatter' as const }],
                layout: { title: { text: 'loss of a "long" run' } } };
  const plain = figureHtml(big, { id: 'big', pack: false });
  const packed = figureHtml(big, { id: 'big' });
  const json = /\n {2}var figure = (\{[\s\S]*?\});\n {2}var selector = /.exec(plain)![1];
  assert.ok(json.length > PACK_THRESHOLD);
  const literal = JSON.parse(/\n {2}var figure = (\{[\s\S]*?\});\n {2}var selector = /.exec(packed)![1]) as { __bpGzip: string; layout: unknown };
  assert.deepEqual(Object.keys(literal).sort(), ['__bpGzip', 'layout']);
  assert.deepEqual(literal.layout, { title: { text: 'loss of a "long" run' } });
  assert.equal(gunzipSync(Buffer.from(literal.__bpGzip, 'base64')).toString('utf8'), json, 'unpacks to the plain figure, byte for byte');
  assert.ok(packed.length < 0.75 * plain.length, `${packed.length} vs ${plain.length} characters`);
  assert.equal(packedFigure('{"data":[]}'), '{"data":[]}', 'small figures stay as they are');
  assert.equal(figureHtml(fig, { id: 'small' }), figureHtml(fig, { id: 'small', pack: false }));
});

test('withDefaults: responsive config, default height and margins, user values win key by key', () => {
  const d = withDefaults({ data: [], layout: { margin: { l: 90 }, height: 500 }, config: { displayModeBar: false } });
  assert.equal(d.layout.height, 500);
  assert.deepEqual(d.layout.margin, { l: 90, r: 30, t: 50, b: 50, pad: 0 });
  assert.equal(d.config.responsive, true);
  assert.equal(d.config.displayModeBar, false);
  assert.equal(withDefaults(fig).layout.height, DEFAULT_HEIGHT);
  assert.equal(withDefaults(fig).layout.width, undefined, 'no fixed pixel width');
  assert.equal(withDefaults(fig).layout.autosize, true);
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

test('loadPlotly() is a harmless call: it does nothing, inside a kernel or not', () => {
  assert.equal(loadPlotly(), undefined);
});

test('plot() and livePlot() outside a tslab kernel fail with a clear message; bad figures name the call', () => {
  assert.throws(() => plot(fig), /outside a running tslab kernel/);
  assert.throws(() => livePlot(fig), /outside a running tslab kernel/);
  assert.throws(() => plot({ data: 'x' } as never), /plot\(figure\): figure must be an object with a `data` array.*received an object whose data is string/);
  assert.throws(() => livePlot(null as never), /livePlot\(figure\): .*received null/);
});
