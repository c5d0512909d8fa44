/** Chart builders for one pass: bars of z[l] and a[l] per layer, the parity plot. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sigmoid, tanh } from '../../src/core/activations';
import { meanSquaredError } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { layerValuesFigure, parityFigure } from '../../src/notebook/network-charts';

interface Bar { type?: string; x?: string[]; y?: number[]; name?: string; xaxis?: string }

test('layerValuesFigure: one panel per layer with the forward values of the chosen sample', () => {
  const net = new MLP({ layers: [3, 4, 2], activations: [tanh, sigmoid], loss: meanSquaredError, seed: 3 });
  net.forward(Matrix.from([[0.5, -1, 2], [1, 0, -1]]));
  const fig = layerValuesFigure(net, { title: 't', sample: 1 });
  const bars = fig.data as Bar[];
  assert.equal(bars.length, 1 + 2 * 2, 'a[0]; z[1], a[1]; z[2], a[2]');
  assert.deepEqual(bars[0].y, [1, 0, -1]);
  assert.deepEqual(bars[0].x, ['x₁', 'x₂', 'x₃']);
  const a1 = bars.find((b) => b.name === 'a[l]' && b.xaxis === 'x2');
  assert.deepEqual(a1?.y, net.a[1].row(1));
  assert.deepEqual(a1?.x, ['a[1]₁', 'a[1]₂', 'a[1]₃', 'a[1]₄']);
  assert.deepEqual(bars[bars.length - 1].x, ['ŷ₁', 'ŷ₂']);
  assert.equal(fig.layout?.width, undefined);
  const fresh = new MLP({ layers: [2, 1], activations: [sigmoid], loss: meanSquaredError, seed: 1 });
  assert.throws(() => layerValuesFigure(fresh, { title: '' }), /a\[0\] must be a Matrix: run forward\(X\) first/);
});

test('parityFigure: the reference across, the computed value up, a diagonal and symmetric equal axes', () => {
  const fig = parityFigure([{ name: 'w', computed: [0.1, -0.2], reference: [0.1, -0.25], labels: ['a', 'b'] }],
    { title: 'p', computed: 'backprop', reference: 'finite difference' });
  const traces = fig.data as Array<{ x?: number[]; y?: number[]; text?: string[] }>;
  assert.deepEqual(traces[1].x, [0.1, -0.25]);
  assert.deepEqual(traces[1].y, [0.1, -0.2]);
  assert.deepEqual(traces[1].text, ['a', 'b']);
  const span = 0.25 * 1.1;
  assert.deepEqual(traces[0].x, [-span, span]);
  assert.deepEqual(fig.layout?.xaxis?.range, [-span, span]);
  assert.throws(() => parityFigure([{ name: 'w', computed: [1], reference: [] }], { title: '', computed: '', reference: '' }),
    /series\[0\] must have computed and reference arrays of one length; received 1 and 0/);
});
