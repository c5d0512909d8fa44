import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Activation, Loss, MLP, Matrix, activations, binaryCrossEntropy, categoricalCrossEntropy, compareGradients, comparisonTable,
  gradientCheck, meanSquaredError, relu, seededRandom, sigmoid, softmax, tanh,
} from '../../src';

/** Every built-in activation, the row-wise softmax included. */
const hiddenNames = Object.keys(activations);
/** A copy of sigmoid that is not the library's object, so the MLP takes the generic chain-rule path. */
const genericSigmoid: Activation = { ...sigmoid };
/** Likewise a copy of softmax: its Jacobian-vector product instead of the fused (ŷ − y)/n. */
const genericSoftmax: Activation = { ...softmax };

type LossName = 'meanSquaredError' | 'binaryCrossEntropy' | 'categoricalCrossEntropy';

interface Case {
  widths: number[];
  hidden: string[];
  output: string;
  loss: LossName;
  n: number;
  seed: number;
  init: 'normal' | 'xavier' | 'he';
}

const isSoftmax = (name: string): boolean => name === 'softmax' || name === 'genericSoftmax';

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    hiddenCount: fc.integer({ min: 1, max: 4 }),
    nIn: fc.integer({ min: 1, max: 8 }),
    nOut: fc.integer({ min: 1, max: 3 }),
    lossName: fc.constantFrom<LossName>('meanSquaredError', 'binaryCrossEntropy', 'categoricalCrossEntropy'),
    n: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
    // N(0, 0.1²) weights make the gradients of deep layers vanish below what finite differences resolve
    init: fc.constantFrom<Case['init']>('xavier', 'he'),
    widths: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 4, maxLength: 4 }),
    hidden: fc.array(fc.constantFrom(...hiddenNames), { minLength: 4, maxLength: 4 }),
    output: fc.constantFrom(...hiddenNames, 'genericSigmoid', 'genericSoftmax'),
  })
  .map((r) => {
    const hidden = r.hidden.slice(0, r.hiddenCount);
    // cross-entropy needs ŷ in [0, 1]: binary with a sigmoid output (the library's, fused dz[L], or a copy,
    // chain rule); categorical with a softmax output (likewise), over at least 2 classes
    const output = r.lossName === 'binaryCrossEntropy' ? (r.seed % 2 === 0 ? 'sigmoid' : 'genericSigmoid')
      : r.lossName === 'categoricalCrossEntropy' ? (r.seed % 2 === 0 ? 'softmax' : 'genericSoftmax') : r.output;
    // a softmax layer needs at least 2 units
    const hiddenWidths = r.widths.slice(0, r.hiddenCount).map((w, i) => (isSoftmax(hidden[i]) ? Math.max(2, w) : w));
    const nOut = isSoftmax(output) || r.lossName === 'categoricalCrossEntropy' ? Math.max(2, r.nOut) : r.nOut;
    return { widths: [r.nIn, ...hiddenWidths, nOut], hidden, output, loss: r.lossName, n: r.n, seed: r.seed, init: r.init };
  });

const pick = (name: string): Activation => (name === 'genericSigmoid' ? genericSigmoid : name === 'genericSoftmax' ? genericSoftmax : activations[name]);
const lossOf: Record<LossName, Loss> = { meanSquaredError, binaryCrossEntropy, categoricalCrossEntropy };

function build(c: Case): { net: MLP; X: Matrix; y: Matrix } {
  const net = new MLP({ layers: c.widths, activations: [...c.hidden, c.output].map(pick), loss: lossOf[c.loss], seed: c.seed, init: c.init });
  const r = seededRandom(`data-${c.seed}`);
  const X = new Matrix(c.n, c.widths[0]).map(() => r.normal());
  const k = c.widths[c.widths.length - 1];
  let y: Matrix;
  if (c.loss === 'categoricalCrossEntropy') {
    y = new Matrix(c.n, k);
    for (let s = 0; s < c.n; s++) y.set(s, Math.floor(r.uniform() * k), 1); // one-hot rows
  } else {
    y = new Matrix(c.n, k).map(() => (c.loss === 'binaryCrossEntropy' ? (r.uniform() < 0.5 ? 0 : 1) : r.normal()));
  }
  return { net, X, y };
}

/**
 * True where finite differences of the loss are well conditioned: every pre-activation of a kinked
 * (relu-like) layer is farther than `margin` from 0 (a step of ±2h on a weight must not cross the
 * kink), and no sigmoid or softmax output is saturated (there ln ŷ of a ŷ rounded near 0 or 1 is not
 * smooth at the scale of h, so the loss, not back-propagation, loses digits).
 */
function wellConditioned(net: MLP, X: Matrix, margin: number): boolean {
  net.forward(X);
  for (let l = 1; l <= net.L; l++) {
    const name = net.activations[l - 1].name;
    if ((name === 'relu' || name === 'leakyRelu') && net.z[l].data.some((z) => Math.abs(z) < margin)) return false;
    if (l === net.L && name === 'sigmoid' && net.z[l].data.some((z) => Math.abs(z) > 10)) return false;
    if (l === net.L && name === 'softmax') {
      for (let s = 0; s < net.z[l].rows; s++) {
        const row = net.z[l].row(s);
        if (Math.max(...row) - Math.min(...row) > 10) return false;
      }
    }
  }
  return true;
}

test('back-propagation matches central finite differences on random architectures, every activation (softmax too) × loss (rel. error < 1e-7)', () => {
  let checked = 0;
  fc.assert(
    fc.property(caseArb, (c) => {
      const { net, X, y } = build(c);
      fc.pre(wellConditioned(net, X, 0.05));
      // away from kinks the fourth-order difference (the default for smooth nets) applies to all
      const result = gradientCheck(net, X, y, { order: 4 });
      for (const t of result.tensors) {
        const scale = Math.max(...t.entries.map((e) => Math.max(Math.abs(e.analytic), Math.abs(e.numerical))));
        if (scale >= 1e-4) {
          assert.ok(t.maxRelativeError < 1e-7, `${JSON.stringify(c)} ${t.name}: relative error ${t.maxRelativeError}`);
        } else {
          // A vanishing gradient (deep sigmoid stacks) is below what a difference of losses resolves
          // relatively (round-off ≈ 1e-16·L/h): there the absolute error is what can be asserted.
          assert.ok(t.maxAbsoluteError < 1e-11, `${JSON.stringify(c)} ${t.name}: absolute error ${t.maxAbsoluteError} at scale ${scale}`);
        }
      }
      checked++;
    }),
    { numRuns: 150, seed: 20261128 },
  );
  assert.ok(checked >= 100, `only ${checked} cases were well conditioned`);
});

test('gradientCheck catches a wrong derivative (the tutorial\'s doubled sigmoid) by a factor of 2', () => {
  const doubled: Activation = { ...sigmoid, name: 'sigmoid2x', df: (z) => 2 * sigmoid.df(z), dfFromOutput: (_z, a) => 2 * a * (1 - a) };
  const net = new MLP({ layers: [2, 3, 1], activations: [doubled, sigmoid], loss: binaryCrossEntropy, seed: 9 });
  const X = Matrix.from([[0.2, -0.4], [1, 0.5], [-0.3, 0.8]]);
  const y = Matrix.from([[1], [0], [1]]);
  const r = gradientCheck(net, X, y);
  const W1 = r.tensors.find((t) => t.name === 'W[1]');
  assert.ok(W1 !== undefined);
  for (const e of W1.entries) assert.ok(Math.abs(e.analytic / e.numerical - 2) < 1e-6, `ratio ${e.analytic / e.numerical}`);
  assert.ok(r.maxRelativeError > 0.4);
  // the layer above the wrong derivative is unaffected
  assert.ok((r.tensors.find((t) => t.name === 'W[2]')?.maxRelativeError ?? 1) < 1e-7);
});

test('gradientCheck samples large tensors, restores every parameter, and validates its options', () => {
  const net = new MLP({ layers: [30, 40, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 4 });
  const before = net.toJSON();
  const X = new Matrix(3, 30).map((_, i, j) => Math.sin(i + j));
  const y = Matrix.from([[1], [0], [1]]);
  const r = gradientCheck(net, X, y, { maxPerTensor: 50, order: 2 });
  assert.equal(r.tensors[0].checked, 50);
  assert.equal(r.tensors[1].checked, 40);
  assert.ok(r.maxRelativeError < 1e-6, `order-2 error ${r.maxRelativeError}`);
  assert.deepEqual(net.toJSON(), before);
  assert.throws(() => gradientCheck(net, X, y, { epsilon: 0 }), /gradientCheck: epsilon must be a finite number > 0; received 0/);
  assert.throws(() => gradientCheck(net, X, y, { order: 3 as 2 }), /order must be 2 or 4; received 3/);
  assert.throws(() => gradientCheck(net, X, y, { maxPerTensor: 0 }), /maxPerTensor must be a positive integer/);
});

test('compareGradients / comparisonTable print exact / approximate / maxdiff', () => {
  const exact = compareGradients('dW[1]', Matrix.from([[1, 2]]), [[1, 2]]);
  assert.deepEqual(exact, { name: 'dW[1]', exact: true, approximate: true, maxDiff: 0, maxRelativeDiff: 0, tolerance: 1e-7 });
  const close = compareGradients('db[1]', [1, 2 + 1e-12], [1, 2]);
  assert.equal(close.exact, false);
  assert.equal(close.approximate, true);
  const off = compareGradients('dz[2]', 2, 1);
  assert.equal(off.approximate, false);
  assert.equal(off.maxDiff, 1);
  assert.equal(off.maxRelativeDiff, 1);
  assert.ok(Math.abs(close.maxRelativeDiff - 0.5e-12) < 1e-15, String(close.maxRelativeDiff));
  assert.throws(() => compareGradients('x', [1, 2], [1]), /same number of entries; received 2 and 1/);
  const table = comparisonTable([exact, close, off]);
  assert.match(table, /^approximate: maxdiff ≤ tol · max\(1, max\|reference\|\), tol = 1e-7; bit-identical/);
  assert.match(table, /\nname\s+\| bit-identical \| approximate \| maxdiff\s+\| max rel\. diff/);
  assert.match(table, /dz\[2\]\s+\| false\s+\| false\s+\| 1\.00e\+0\s+\| 1\.00e\+0/);
  void relu;
});
