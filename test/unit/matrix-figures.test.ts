/** Matrix figures (signed heatmaps, shape-flow diagrams) and the afterExercises guard. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Matrix } from '../../src/core/matrix';
import {
  SIGN_SCALE, WAITING_MARK, afterExercises, layerShapeEquations, need, resetPendingExercises, shapeFlowFigure,
  signedHeatmapFigure, stubExercise,
} from '../../src/notebook';

interface Trace { type: string; z?: Array<Array<number | null>>; zmin?: number; zmax?: number; colorscale?: unknown; showscale?: boolean; xaxis?: string }
interface Shape { type: string; x0: number; x1: number; y0: number; y1: number; line: { dash: string } }
interface Annotation { text: string }

test('signedHeatmapFigure: the sign scale, one symmetric range for all panels, rows from the top, one colour bar', () => {
  const A = Matrix.from([[1, -2], [0.5, 0]]);
  const B = Matrix.from([[3, -1, 0]]);
  const fig = signedHeatmapFigure({ title: 'A and B', panels: [
    { matrix: A, title: 'A', rowLabel: 'i', colLabel: 'j' }, { matrix: B, title: 'B', rowLabel: 'r', colLabel: 'c' }] });
  const traces = fig.data as unknown as Trace[];
  assert.equal(traces.length, 2);
  for (const t of traces) {
    assert.equal(t.type, 'heatmap');
    assert.deepEqual(t.colorscale, SIGN_SCALE);
    assert.equal(t.zmin, -3);
    assert.equal(t.zmax, 3);
  }
  assert.deepEqual(traces[0].z, [[1, -2], [0.5, 0]]);
  assert.deepEqual(traces.map((t) => t.showscale), [false, true]);
  assert.deepEqual(traces.map((t) => t.xaxis), ['x', 'x2']);
  const layout = fig.layout as unknown as Record<string, { autorange?: string; scaleanchor?: string; domain?: number[] }>;
  assert.equal(layout.yaxis.autorange, 'reversed');
  assert.equal(layout.yaxis2.scaleanchor, 'x2');
  assert.ok(layout.xaxis.domain![1] < layout.xaxis2.domain![0], 'panels side by side, not overlapping');
  assert.throws(() => signedHeatmapFigure({ title: 't', panels: [] }), /signedHeatmapFigure: options.panels must be a non-empty array/);
  assert.throws(() => signedHeatmapFigure({ title: 't', panels: [{ matrix: [[1]] as unknown as Matrix, title: '', rowLabel: '', colLabel: '' }] }),
    /panels\[0\]\.matrix must be a Matrix; received an array of 1/);
});

test('layerShapeEquations: the row form of any layer has the products of back-propagation, shapes checked', () => {
  const eqs = layerShapeEquations([3, 4, 2, 2], 2, 6);
  assert.deepEqual(eqs.map((e) => e.result.label), ['z[2]', 'dW[2]', 'db[2]', 'da[1]']);
  const dW = eqs[1];
  assert.deepEqual([dW.result.rows, dW.result.cols], [4, 2]);
  const [aT, op, dz] = dW.terms as [{ label: string; rows: number; cols: number; transposeOf?: string }, string, { rows: number; cols: number }];
  assert.equal(aT.label, 'a[1]ᵀ');
  assert.deepEqual([aT.rows, aT.cols, dz.rows, dz.cols], [4, 6, 6, 2]);
  assert.equal(op, '·');
  assert.match(aT.transposeOf ?? '', /a\[1\], n x n₁/);
  const col = layerShapeEquations([3, 4, 2, 2], 2, 1, { form: 'column', forward: false });
  assert.deepEqual(col.map((e) => e.result.label), ['∂L/∂W₂', '∂L/∂b₂', '∂L/∂a₁']);
  assert.deepEqual([col[0].result.rows, col[0].result.cols], [2, 4]);
  assert.throws(() => layerShapeEquations([3, 4], 2, 5), /l must be a layer 1\.\.1; received 2/);
  assert.throws(() => layerShapeEquations([3, 4], 1, 0), /n must be a positive integer/);
});

test('shapeFlowFigure: boxes follow the shapes, transposes are dashed, the summed dimension is named; impossible products throw', () => {
  const fig = shapeFlowFigure({ title: 'layer 2', equations: layerShapeEquations([3, 4, 2, 2], 2, 6) });
  const shapes = (fig.layout?.shapes ?? []) as unknown as Shape[];
  assert.equal(shapes.length, 4 + 3 + 3 + 3, 'one box per matrix: z = a·W + b, dW = aᵀ·dz, db = 1ᵀ·dz, da = dz·Wᵀ');
  const dW = shapes[4];
  assert.deepEqual([dW.x1 - dW.x0, dW.y1 - dW.y0].map((v) => Math.round(v * 1e9) / 1e9), [2, 4], 'dW[2] is 4 x 2: width 2, height 4 (linear scale)');
  const aT = shapes[5];
  assert.equal(aT.line.dash, 'dash');
  assert.deepEqual([aT.x1 - aT.x0, aT.y1 - aT.y0].map((v) => Math.round(v * 1e9) / 1e9), [6, 4]);
  const texts = ((fig.layout?.annotations ?? []) as unknown as Annotation[]).map((a) => a.text);
  assert.ok(texts.includes('Σ over n'), 'the products of dW and db sum over the samples');
  assert.ok(texts.includes('Σ over n₁'), 'the forward product sums over the inputs');
  assert.ok(texts.some((t) => /stored: W\[2\]/.test(t)));
  assert.throws(() => shapeFlowFigure({ title: 'bad', equations: [{
    result: { label: 'C', rows: 2, cols: 2 }, terms: [{ label: 'A', rows: 2, cols: 3 }, '·', { label: 'B', rows: 2, cols: 2 }] }] }),
  /A \(2x3\) · B \(2x2\) is not defined: the left factor has 3 columns, the right one 2 rows/);
  assert.throws(() => shapeFlowFigure({ title: 'bad', equations: [{
    result: { label: 'C', rows: 3, cols: 3 }, terms: [{ label: 'A', rows: 2, cols: 3 }, '·', { label: 'B', rows: 3, cols: 2 }] }] }),
  /is 2x2, but the result C is drawn 3x3/);
  const big = shapeFlowFigure({ title: 'n = 1000', equations: layerShapeEquations([2, 8, 8, 1], 1, 1000) });
  const box = (big.layout?.shapes as unknown as Shape[])[0];
  assert.ok(box.y1 - box.y0 < 20, 'a batch of 1000 is drawn on a log scale');
});

test('afterExercises: a stub prints one WAITING line; a need(…) error after a stub too; other errors are thrown', () => {
  resetPendingExercises();
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(afterExercises(() => 42), 42);
    assert.throws(() => afterExercises(() => need(undefined, 'run', 'the training cell', 'chart')), /run is undefined/);
    assert.equal(afterExercises(() => { throw new Error('Exercise 5.3: write your code here'); }), undefined);
    assert.equal(afterExercises(() => need(undefined, 'run', 'the training cell', 'chart')), undefined);
    assert.throws(() => afterExercises(() => { throw new Error('matmul: shapes do not match'); }), /matmul/);
  } finally {
    console.log = log;
    resetPendingExercises();
  }
  assert.equal(lines.length, 2);
  assert.ok(lines[0].startsWith(WAITING_MARK));
  assert.match(lines[0], /your code from Exercise 5\.3, which is not written yet/);
  assert.match(lines[1], /needs run, which an earlier cell could not make because Exercise 5\.3 is not written yet/);
  assert.equal(stubExercise(new Error('Exercise 6.2: write your code here')), 'Exercise 6.2');
  assert.equal(stubExercise(new Error('something else')), null);
  assert.throws(() => afterExercises(42 as unknown as () => number), /afterExercises: body must be a function/);
});
