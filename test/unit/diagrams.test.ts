/** The diagram builders: boxes carry the computed numbers, edges the signs, bad input is named. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sigmoid, tanh } from '../../src/core/activations';
import { meanSquaredError } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import {
  biasSymbol, diagramNumber, graphFigure, networkGraphFigure, pathDiagramFigure, weightSymbol,
} from '../../src/notebook/diagrams';
import { SIGN } from '../../src/notebook/style';

interface Ann { text?: string; hovertext?: string; x?: number; y?: number; showarrow?: boolean; bordercolor?: string }
interface Trace { type?: string; mode?: string; x?: number[]; y?: number[]; line?: { color?: string }; name?: string; showlegend?: boolean; text?: string[] }

const boxes = (fig: ReturnType<typeof graphFigure>): Ann[] =>
  ((fig.layout?.annotations ?? []) as Ann[]).filter((a) => a.bordercolor !== undefined);

test('diagramNumber and the tutorial symbols', () => {
  assert.equal(diagramNumber(-2.6020981), '−2.602');
  assert.equal(diagramNumber(0.000123456), '1.235e−4');
  assert.equal(diagramNumber(0), '0');
  assert.equal(weightSymbol(2, 1, 3), 'w⁽²⁾₁₃');
  assert.equal(biasSymbol(3, 2), 'b⁽³⁾₂');
});

test('graphFigure: one box per node, one line per edge, hover markers, no fixed width', () => {
  const fig = graphFigure({
    title: 'g',
    nodes: [{ id: 'a', x: 0, y: 0, lines: ['A'] }, { id: 'b', x: 1, y: 0, lines: ['B', 'b2'], hover: 'hb' }],
    edges: [{ from: 'a', to: 'b', hover: 'e', label: 'lab', arrow: true, legend: 'path' }],
  });
  assert.deepEqual(boxes(fig).map((a) => a.text), ['A', 'B<br>b2']);
  assert.equal(boxes(fig)[1].hovertext, 'hb');
  const traces = fig.data as Trace[];
  assert.equal(traces.filter((t) => t.mode === 'lines').length, 1);
  assert.deepEqual(traces.find((t) => t.mode === 'markers')?.text, ['e']);
  assert.equal(fig.layout?.width, undefined);
  assert.throws(() => graphFigure({ title: '', nodes: [{ id: 'a', x: 0, y: 0, lines: [] }, { id: 'a', x: 1, y: 0, lines: [] }], edges: [] }),
    /node ids must be unique; "a" appears twice/);
  assert.throws(() => graphFigure({ title: '', nodes: [{ id: 'a', x: 0, y: 0, lines: [] }], edges: [{ from: 'a', to: 'z' }] }),
    /edges\[0\] joins "a" to "z", but "z" is not a node id/);
  assert.throws(() => graphFigure({ title: '', nodes: [{ id: 'a', x: NaN, y: 0, lines: [] }], edges: [] }), /nodes\[0\]\.x must be a finite number/);
});

test('pathDiagramFigure: every label carries the caller\'s numbers and the output box their sum', () => {
  const via = [
    { name: 't', value: 1, rate: 2, partial: 0.5 },
    { name: 'u', value: 0.3, rate: -0.3, partial: 1 },
    { name: 'v', value: 3, rate: 3, partial: -0.99 },
  ];
  const fig = pathDiagramFigure({ input: { name: 'x', value: 1 }, via, output: { name: 'f', value: 0.5 }, title: 'paths' });
  const total = via.reduce((s, v) => s + v.partial * v.rate, 0);
  const texts = ((fig.layout?.annotations ?? []) as Ann[]).map((a) => a.text ?? '');
  assert.ok(texts.some((t) => t.includes(`df/dx = ${diagramNumber(total)}`)), 'output box shows the sum');
  assert.ok(texts.includes('dt/dx = 2') && texts.includes('∂f/∂v = −0.99'), 'edge labels show rates and partials');
  const legends = (fig.data as Trace[]).filter((t) => t.showlegend).map((t) => t.name);
  assert.deepEqual(legends, via.map((v) => `path via ${v.name}: ∂f/∂${v.name} · d${v.name}/dx = ${diagramNumber(v.partial * v.rate)}`));
  assert.throws(() => pathDiagramFigure({ input: { name: 'x', value: 1 }, via: [], output: { name: 'f', value: 0 }, title: '' }), /at least one path/);
  assert.throws(() => pathDiagramFigure({ input: { name: 'x', value: 1 }, via: [{ name: 't', value: 1, rate: NaN, partial: 1 }],
    output: { name: 'f', value: 0 }, title: '' }), /via\[0\]\.rate must be a finite number/);
});

test('networkGraphFigure: boxes show a[l] and ∂L/∂a[l] of an MLP after backward; edges are coloured by the sign of dW', () => {
  const net = new MLP({ layers: [3, 4, 2, 2], activations: [tanh, sigmoid, sigmoid], loss: meanSquaredError, seed: 7, init: 'xavier' });
  const X = Matrix.from([[0.5, -1, 2]]);
  const Y = Matrix.from([[1, 0]]);
  net.forward(X);
  net.backward(Y);
  const loss = net.lossOn(X, Y);
  const fig = networkGraphFigure(net, { title: 'graph', loss });
  const b = boxes(fig);
  assert.equal(b.length, 3 + 4 + 2 + 2 + 1);
  assert.equal(b[3 + 1].text, `<b>a[1]₂</b> = ${diagramNumber(net.a[1].get(0, 1))}<br>∂L/∂a = ${diagramNumber(net.da[1].get(0, 1))}`);
  assert.match(b[3 + 4 + 2].text ?? '', new RegExp(`^<b>ŷ₁</b> = ${diagramNumber(net.a[3].get(0, 0))}<br>∂L/∂ŷ = `));
  assert.equal(b[b.length - 1].text, `<b>L</b> = ${diagramNumber(loss)}<br>∂L/∂L = 1`);
  const lines = (fig.data as Trace[]).filter((t) => t.mode === 'lines' && (t.x?.length ?? 0) === 2);
  assert.equal(lines.length, 3 * 4 + 4 * 2 + 2 * 2 + 2);
  // The edge from unit j = 0 of layer 1 to unit i = 1 of layer 2 is entry (0, 1) of W[2] and dW[2].
  const e = lines.find((t) => t.x?.[0] === 1 && t.y?.[0] === 1.5 && t.x?.[1] === 2 && t.y?.[1] === -0.5);
  assert.ok(e, 'edge found');
  assert.equal(e.line?.color, net.dW[2].get(0, 1) > 0 ? SIGN.positive : SIGN.negative);
  const hover = (fig.data as Trace[]).find((t) => t.mode === 'markers')?.text ?? [];
  assert.ok(hover.some((h) => h.startsWith(`${weightSymbol(2, 2, 1)} = W[2].get(0, 1) = ${diagramNumber(net.W[2].get(0, 1))}`)));
  // Without gradients: values only, edges by the sign of W.
  const fresh = new MLP({ layers: [2, 3, 1], activations: [tanh, sigmoid], loss: meanSquaredError, seed: 1 });
  fresh.forward(Matrix.from([[0.1, 0.2]]));
  const plain = networkGraphFigure({ layers: fresh.layers, W: fresh.W, a: fresh.a }, { title: 'forward' });
  assert.equal(boxes(plain).length, 6);
  assert.ok(boxes(plain).every((a) => !(a.text ?? '').includes('∂L')));
  assert.throws(() => networkGraphFigure({ layers: [2, 3, 1], W: fresh.W, a: [] }, { title: '' }), /net\.a must hold a\[0\.\.L\]/);
  assert.throws(() => networkGraphFigure({ layers: [2, 3, 1], W: fresh.W, a: fresh.a }, { title: '', edges: 'gradient' }), /needs dW\[1\.\.L\]/);
  assert.throws(() => networkGraphFigure(fresh, { title: '', sample: 3 }), /sample must be an integer row index in \[0, 0\]/);
});
