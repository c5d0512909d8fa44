/** The diagram builders: boxes carry the computed numbers, lines the signs, bad input is named. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sigmoid, tanh } from '../../src/core/activations';
import { meanSquaredError } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import {
  biasSymbol, diagramHtml, diagramNumber, networkGraph, pathDiagram, textWidth, weightSymbol, type Graph,
} from '../../src/notebook/diagrams';
import { SIGN } from '../../src/notebook/style';

/** The text of every box, in order, from the SVG (name line + further lines, joined by " | "). */
function boxTexts(html: string): string[] {
  const out: string[] = [];
  for (const g of html.matchAll(/<g>(?:<title>[^<]*<\/title>)?<rect [^>]*rx="4"[^>]*\/>((?:<text [^>]*>.*?<\/text>)+)<\/g>/g)) {
    out.push(Array.from(g[1].matchAll(/<text [^>]*>(.*?)<\/text>/g), (t) => t[1].replace(/<[^>]+>/g, '')).join(' | '));
  }
  return out;
}

test('diagramNumber, textWidth and the tutorial symbols', () => {
  assert.equal(diagramNumber(-2.6020981), '−2.602');
  assert.equal(diagramNumber(0.000123456), '1.235e−4');
  assert.equal(diagramNumber(0), '0');
  assert.equal(weightSymbol(2, 1, 3), 'w⁽²⁾₁₃');
  assert.equal(biasSymbol(3, 2), 'b⁽³⁾₂');
  assert.ok(textWidth('mmmm') > textWidth('iiii'));
});

test('diagramHtml: one box per node, one line per edge, a viewBox and no fixed width, escaped text', () => {
  const graph: Graph = {
    title: 'a <b> & "c"',
    nodes: [{ id: 'a', x: 0, y: 0, name: 'A', value: '1' }, { id: 'b', x: 1, y: 0, name: 'B', lines: ['b2'], hover: 'hb' }],
    edges: [{ from: 'a', to: 'b', hover: 'e', label: 'lab', arrow: true }],
    legend: [{ color: SIGN.positive, text: 'positive' }],
  };
  const html = diagramHtml(graph);
  assert.deepEqual(boxTexts(html), ['A = 1', 'B | b2']);
  assert.match(html, /<svg [^>]*viewBox="0 0 \d+ \d+" width="100%"/);
  assert.doesNotMatch(html, /<svg [^>]*\swidth="\d+(?:px)?"/, 'no fixed pixel width on the svg');
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /a &#60;b&#62; &#38; &#34;c&#34;/);
  assert.equal((html.match(/<polygon /g) ?? []).length, 1, 'one arrowhead');
  assert.match(html, /<title>hb<\/title>/);
  assert.match(html, />lab<\/text>/);
  assert.match(html, /positive/);
  assert.throws(() => diagramHtml({ title: '', nodes: [{ id: 'a', x: 0, y: 0, name: '' }, { id: 'a', x: 1, y: 0, name: '' }], edges: [] }),
    /node ids must be unique; "a" appears twice/);
  assert.throws(() => diagramHtml({ title: '', nodes: [{ id: 'a', x: 0, y: 0, name: '' }], edges: [{ from: 'a', to: 'z' }] }),
    /edges\[0\] joins "a" to "z", but "z" is not a node id/);
  assert.throws(() => diagramHtml({ title: '', nodes: [{ id: 'a', x: NaN, y: 0, name: '' }], edges: [] }), /nodes\[0\]\.x must be a finite number/);
  assert.throws(() => diagramHtml({ title: '', nodes: [], edges: [] }), /at least one node/);
});

test('diagramHtml: boxes of one column never overlap, whatever their text', () => {
  const nodes = [0, 1, 2].map((k) => ({ id: `n${k}`, x: 0, y: -k, name: 'a much longer name than usual', lines: ['two', 'lines'] }));
  const html = diagramHtml({ title: '', nodes, edges: [] });
  const rects = Array.from(html.matchAll(/<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)" rx="4"/g), (m) => m.slice(1).map(Number));
  assert.equal(rects.length, 3);
  for (let k = 1; k < rects.length; k++) assert.ok(rects[k][1] >= rects[k - 1][1] + rects[k - 1][3], 'rows do not overlap');
});

test('pathDiagram: every label carries the caller\'s numbers and the output box their sum', () => {
  const via = [
    { name: 't', value: 1, rate: 2, partial: 0.5 },
    { name: 'u', value: 0.3, rate: -0.3, partial: 1 },
    { name: 'v', value: 3, rate: 3, partial: -0.99 },
  ];
  const graph = pathDiagram({ input: { name: 'x', value: 1 }, via, output: { name: 'f', value: 0.5 }, title: 'paths' });
  const total = via.reduce((s, v) => s + v.partial * v.rate, 0);
  const html = diagramHtml(graph);
  assert.ok(boxTexts(html).includes(`f = 0.5 | df/dx = ${diagramNumber(total)}`), 'output box shows the sum');
  assert.match(html, />dt\/dx = 2<\/text>/);
  assert.match(html, />∂f\/∂v = −0.99<\/text>/);
  assert.deepEqual(graph.legend?.map((l) => l.text), via.map((v) => `via ${v.name}: ∂f/∂${v.name} · d${v.name}/dx = ${diagramNumber(v.partial * v.rate)}`));
  assert.equal(graph.edges.filter((e) => e.arrow).length, 6);
  assert.throws(() => pathDiagram({ input: { name: 'x', value: 1 }, via: [], output: { name: 'f', value: 0 }, title: '' }), /at least one path/);
  assert.throws(() => pathDiagram({ input: { name: 'x', value: 1 }, via: [{ name: 't', value: 1, rate: NaN, partial: 1 }],
    output: { name: 'f', value: 0 }, title: '' }), /via\[0\]\.rate must be a finite number/);
});

test('networkGraph: boxes show a[l] and ∂L/∂a[l] of an MLP after backward; lines are coloured by the sign of dW', () => {
  const net = new MLP({ layers: [3, 4, 2, 2], activations: [tanh, sigmoid, sigmoid], loss: meanSquaredError, seed: 7, init: 'xavier' });
  const X = Matrix.from([[0.5, -1, 2]]);
  const Y = Matrix.from([[1, 0]]);
  net.forward(X);
  net.backward(Y);
  const loss = net.lossOn(X, Y);
  const graph = networkGraph(net, { title: 'graph', loss });
  const texts = boxTexts(diagramHtml(graph));
  assert.equal(texts.length, 3 + 4 + 2 + 2 + 1);
  assert.equal(texts[3 + 1], `a[1]₂ = ${diagramNumber(net.a[1].get(0, 1))} | ∂L/∂a = ${diagramNumber(net.da[1].get(0, 1))}`);
  assert.equal(texts[3 + 4 + 2], `ŷ₁ = ${diagramNumber(net.a[3].get(0, 0))} | ∂L/∂ŷ = ${diagramNumber(net.da[3].get(0, 0))}`);
  assert.equal(texts[texts.length - 1], `L = ${diagramNumber(loss)} | ∂L/∂L = 1`);
  assert.equal(graph.edges.length, 3 * 4 + 4 * 2 + 2 * 2 + 2);
  // The line from unit j = 0 of layer 1 to unit i = 1 of layer 2 is entry (0, 1) of W[2] and dW[2].
  const e = graph.edges.find((x) => x.from === '1:0' && x.to === '2:1');
  assert.ok(e, 'edge found');
  assert.equal(e.color, net.dW[2].get(0, 1) > 0 ? SIGN.positive : SIGN.negative);
  assert.ok(e.hover?.startsWith(`${weightSymbol(2, 2, 1)} = W[2].get(0, 1) = ${diagramNumber(net.W[2].get(0, 1))}`));
  assert.deepEqual(graph.legend?.map((l) => l.color), [SIGN.positive, SIGN.negative]);
  // Without gradients: values only, lines by the sign of W.
  const fresh = new MLP({ layers: [2, 3, 1], activations: [tanh, sigmoid], loss: meanSquaredError, seed: 1 });
  fresh.forward(Matrix.from([[0.1, 0.2]]));
  const plain = networkGraph({ layers: fresh.layers, W: fresh.W, a: fresh.a }, { title: 'forward' });
  assert.ok(boxTexts(diagramHtml(plain)).every((t) => !t.includes('∂L')));
  const w = plain.edges.find((x) => x.from === '0:1' && x.to === '1:2');
  assert.equal(w?.color, fresh.W[1].get(1, 2) > 0 ? SIGN.positive : SIGN.negative);
  assert.throws(() => networkGraph({ layers: [2, 3, 1], W: fresh.W, a: [] }, { title: '' }), /net\.a must hold a\[0\.\.L\]/);
  assert.throws(() => networkGraph({ layers: [2, 3, 1], W: fresh.W, a: fresh.a }, { title: '', edges: 'gradient' }), /needs dW\[1\.\.L\]/);
  assert.throws(() => networkGraph(fresh, { title: '', sample: 3 }), /sample must be an integer row index in \[0, 0\]/);
  assert.throws(() => networkGraph({ layers: [2, 3, 1], W: fresh.W, a: [fresh.a[0], Matrix.zeros(1, 2), fresh.a[2]] }, { title: '' }),
    /a\[1\] must be 1x3; received 1x2/);
});
