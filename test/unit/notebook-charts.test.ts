/** Shared chart builders: grids fitted to the data, decision regions, training curves. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Matrix } from '../../src';
import { classLabels, decisionBoundaryFigure, planeGrid, trainingCurvesFigure } from '../../src/notebook';

const X = Matrix.from([[-1, 0], [3, 2], [1, 1]]);

test('planeGrid spans the data plus padding, row by row', () => {
  const g = planeGrid(X, 5, 0.1);
  assert.deepEqual(g.xRange, [-1.4, 3.4]);
  assert.deepEqual(g.yRange, [-0.2, 2.2]);
  assert.equal(g.points.rows, 25);
  assert.deepEqual(g.points.row(6), [g.xs[1], g.ys[1]]);
  assert.throws(() => planeGrid(Matrix.from([[1, 2, 3]])), /planeGrid: X must be n x 2 .*received 1x3/);
  assert.throws(() => planeGrid(X, 1), /resolution must be an integer in \[2, 400\]; received 1/);
});

test('classLabels: 0/1 column or arg-max of one-hot rows', () => {
  assert.deepEqual(classLabels(Matrix.from([[0], [1], [1]])), [0, 1, 1]);
  assert.deepEqual(classLabels(Matrix.from([[0, 0, 1], [1, 0, 0]])), [2, 0]);
});

test('decisionBoundaryFigure: ŷ heatmap + boundary for one output, arg-max regions for k outputs', () => {
  const y = Matrix.from([[0], [1], [1]]);
  const f = decisionBoundaryFigure({ predict: (P) => P.map((v, i, j) => (j === 0 ? 1 / (1 + Math.exp(-v)) : 0)).matmul(Matrix.from([[1], [0]])), X, y, title: 't', resolution: 4 });
  assert.equal(f.data[0].type, 'heatmap');
  assert.equal((f.data[0] as { z: number[][] }).z.length, 4);
  assert.equal(f.data[1].type, 'contour');
  assert.equal(f.data.filter((d) => d.type === 'scatter').length, 2);
  const y3 = Matrix.from([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const g = decisionBoundaryFigure({ predict: (P) => new Matrix(P.rows, 3).map((_, i, j) => (j === i % 3 ? 1 : 0)), X, y: y3, title: 't', resolution: 3 });
  assert.deepEqual((g.data[0] as { z: number[][] }).z[0], [0, 1, 2]);
  assert.equal(g.data.filter((d) => d.type === 'scatter').length, 3);
  assert.throws(() => decisionBoundaryFigure({ predict: (P) => P, X: undefined as unknown as Matrix, y, title: 't' }),
    /decisionBoundaryFigure: X is undefined: it is made by the cell that makes the data set/);
  assert.throws(() => decisionBoundaryFigure({ predict: () => new Matrix(2, 1), X, y, title: 't', resolution: 3 }),
    /predict must return a Matrix with one row per point \(9\); received 2x1/);
});

test('trainingCurvesFigure: two stacked panels, validation dashed, accuracy axis fitted', () => {
  const f = trainingCurvesFigure({
    title: 'runs',
    runs: [{ name: 'a', history: { loss: [0.7, 0.5], accuracy: [0.369, 0.9], valLoss: [0.8, 0.6], valAccuracy: [0.4, 0.85] } }],
  });
  assert.equal(f.data.length, 4);
  assert.deepEqual(f.data.map((d) => (d as { yaxis: string }).yaxis), ['y', 'y2', 'y', 'y2']);
  assert.equal((f.data[2] as { line: { dash: string } }).line.dash, 'dash');
  const range = (f.layout!.yaxis2 as { range: [number, number] }).range;
  assert.ok(range[0] < 0.369 && range[0] >= 0 && range[1] > 0.9 && range[1] <= 1, String(range));
  assert.throws(() => trainingCurvesFigure({ title: 't', runs: [{ name: 'x', history: undefined as never }] }),
    /runs\[0\]\.history is undefined: it is made by the training cell/);
});

test('experiment: settings → data, layers, network and a description that follow every edit', async () => {
  const { experiment, experimentData, experimentLayers, experimentNetwork, describeExperiment } = await import('../../src/notebook');
  const s = { dataset: 'moons' as const, nSamples: 200, noise: 0.2, hidden: [8, 8], activation: 'tanh' as const,
    learningRate: 0.5, epochs: 300, seed: 7 };
  const data = experimentData(s);
  assert.equal(data.X.rows, 200);
  assert.deepEqual(experimentLayers(s, data), [2, 8, 8, 1]);
  const net = experimentNetwork(s, data);
  assert.equal(String(net), 'MLP 2-8-8-1 (tanh, tanh, sigmoid; loss binaryCrossEntropy; 105 parameters)');
  assert.equal(describeExperiment(s, data), '2-8-8-1 tanh network on moons (n = 200, noise 0.2), seed 7, η = 0.5, 300 epochs');
  assert.equal(describeExperiment({ ...s, hidden: [], epochs: 1 }, data), '2-1 network on moons (n = 200, noise 0.2), seed 7, η = 0.5, 1 epoch');
  assert.ok(experimentData(s).X.equals(data.X));
  assert.throws(() => experiment({ ...s, hidden: [4, 0] }), /experiment: hidden must be an array of positive integers .*received \[4, 0\]/);
  assert.throws(() => experiment({ ...s, dataset: 'ring' as never }), /experiment: dataset must be one of 'circles', 'moons'.*received 'ring'/);
  assert.throws(() => experiment({ ...s, learningRate: -1 }), /learningRate must be a finite number > 0; received -1/);
  const spiral = { ...s, dataset: 'spiral' as const, nClasses: 3 };
  const sd = experimentData(spiral);
  assert.deepEqual(experimentLayers(spiral, sd), [2, 8, 8, 3]);
  assert.equal(String(experimentNetwork(spiral, sd)), 'MLP 2-8-8-3 (tanh, tanh, softmax; loss categoricalCrossEntropy; 123 parameters)');
  assert.match(describeExperiment(spiral, sd), /on spiral \(n = 200, 3 classes, noise 0\.2\)/);
  assert.throws(() => experiment({ ...s, nClasses: 3 }), /nClasses must be 2 for 'moons'/);
});
