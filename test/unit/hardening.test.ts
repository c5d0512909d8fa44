/**
 * One test per defect found by the adversarial review of the public API (issue 7, item 3): each
 * failed before the fix (a hang, an engine error, a silent NaN, a misleading message) and passes now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Activation, LIMITS, MLP, MLPJSON, Matrix, NonFiniteError, SizeLimitError, binaryCrossEntropy, gradientCheck,
  identity, leakyRelu, makeCircles, makeDataset, makeMoons, makeSpiral, makeXor, matrixAllocationCount,
  meanSquaredError, numericalDerivative, relu, sigmoid, softmax, tanh,
} from '../../src';

/** Runs f, which must throw; returns the error. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new assert.AssertionError({ message: 'expected an error' });
}

// ---------------------------------------------------------------------------------------------
// Size limits, checked before anything is allocated
// ---------------------------------------------------------------------------------------------

test('fromJSON of a 60-byte document declaring a 1e9-wide layer fails at once, allocating nothing', () => {
  const json = { layers: [2, 1e9, 1], activations: ['relu', 'sigmoid'], loss: 'binaryCrossEntropy', W: [[[0]]], b: [[0]] };
  const before = matrixAllocationCount();
  const e = thrown(() => MLP.fromJSON(json));
  assert.equal(matrixAllocationCount(), before, 'no Matrix was allocated');
  assert.ok(e instanceof SizeLimitError, String(e));
  assert.equal(e.name, 'SizeLimitError');
  assert.equal(e.requested, (2 + 1) * 1e9 + (1e9 + 1) * 1); // Σ_l (n_{l−1} + 1)·n_l
  assert.equal(e.limit, LIMITS.parameters);
  assert.equal(e.limitName, 'parameters');
  assert.match(e.message, /^MLP\.fromJSON: a network with json\.layers \[2, 1000000000, 1\] .*exceeds the limit of 10,000,000 parameters \(LIMITS\.parameters\); received 4,000,000,001$/);
});

test('new MLP with a 1e9-wide layer fails at once with the parameter count and the limit', () => {
  const before = matrixAllocationCount();
  const e = thrown(() => new MLP({ layers: [2, 1e9, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 }));
  assert.equal(matrixAllocationCount(), before);
  assert.ok(e instanceof SizeLimitError);
  assert.match(e.message, /^new MLP: .*exceeds the limit of 10,000,000 parameters.*received 4,000,000,001/);
  // just under the limit is fine to ask for (not built here); exactly the count is what is compared
  assert.equal(new MLP({ layers: [3, 2], activations: [identity], loss: meanSquaredError, seed: 1 }).parameterCount, 8);
});

test('data sets refuse more than LIMITS.samples samples before drawing any', () => {
  for (const make of [
    () => makeCircles({ nSamples: 1e9, seed: 0 }),
    () => makeMoons({ nSamples: 1e9, seed: 0 }),
    () => makeXor({ nSamples: 1e9, seed: 0 }),
    () => makeSpiral({ nSamples: LIMITS.samples + 1, seed: 0 }),
    () => makeDataset('gaussians', { nSamples: 1e9, seed: 0 }),
  ]) {
    const e = thrown(make);
    assert.ok(e instanceof SizeLimitError, String(e));
    assert.match(e.message, /^make\w+: nSamples exceeds the limit of 10,000,000 samples \(LIMITS\.samples\); received/);
  }
});

test('new Matrix(1e5, 1e5) throws a SizeLimitError, not the engine\'s RangeError', () => {
  const e = thrown(() => new Matrix(1e5, 1e5));
  assert.ok(e instanceof SizeLimitError && !(e instanceof RangeError), String(e));
  assert.equal(e.requested, 1e10);
  assert.equal(e.limit, LIMITS.matrixEntries);
  assert.match(e.message, /^new Matrix: a 100000x100000 matrix exceeds the limit of 100,000,000 entries \(LIMITS\.matrixEntries\); received 10,000,000,000$/);
  assert.ok(thrown(() => Matrix.zeros(2e4, 2e4)) instanceof SizeLimitError);
  assert.ok(thrown(() => Matrix.identity(1e5)) instanceof SizeLimitError);
});

test('the buffers of one batch are limited too, with a hint to use mini-batches', () => {
  const net = new MLP({ layers: [1, 1000, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 });
  const X = new Matrix(100_000, 1); // 100,000 samples x (4·(1000 + 1) + 2·1 + 1) values per sample > 2.5e8
  const e = thrown(() => net.forward(X));
  assert.ok(e instanceof SizeLimitError);
  assert.match(e.message, /^MLP\.forward: the buffers .* for a batch of 100000 samples \(4007 values per sample; use fit's batchSize.*exceeds the limit of 250,000,000 entries/);
});

// ---------------------------------------------------------------------------------------------
// Cross-entropy on an output that can leave [0, 1]
// ---------------------------------------------------------------------------------------------

test('binary cross-entropy on an identity, relu, tanh or leakyRelu output is refused, suggesting sigmoid or softmax', () => {
  for (const [f, range] of [[identity, '(−∞, ∞)'], [relu, '[0, ∞)'], [tanh, '[-1, 1]'], [leakyRelu, '(−∞, ∞)']] as const) {
    const e = thrown(() => new MLP({ layers: [2, 3, 1], activations: [relu, f], loss: binaryCrossEntropy, seed: 1 }));
    assert.match(e.message, new RegExp(`^new MLP: loss binaryCrossEntropy takes ln ŷ, so it needs outputs ŷ in \\[0, 1\\], but the output activation activations\\[1\\] = ${f.name} gives values in ${range.replace(/[()[\]]/g, '\\$&')}.*use sigmoid for labels 0/1 with binaryCrossEntropy, or softmax for one-hot classes with categoricalCrossEntropy$`));
    const json: MLPJSON = { layers: [2, 1], activations: [f.name], loss: 'binaryCrossEntropy', W: [[[0.1], [0.2]]], b: [[0]] };
    assert.throws(() => MLP.fromJSON(json), new RegExp(`^Error: MLP\\.fromJSON: loss binaryCrossEntropy .*json\\.activations\\[0\\] = ${f.name}`));
  }
  // a custom activation without a declared range is evaluated: exp leaves [0, 1], a copy of sigmoid does not
  const exp: Activation = { name: 'exp', f: Math.exp, df: Math.exp, dfFromOutput: (_z, a) => a };
  assert.throws(() => new MLP({ layers: [2, 1], activations: [exp], loss: binaryCrossEntropy, seed: 1 }), /output activation activations\[0\] = exp gives values in \[0, ∞\)/);
  const bare: Activation = { name: 'logistic', f: sigmoid.f, df: sigmoid.df, dfFromOutput: sigmoid.dfFromOutput };
  new MLP({ layers: [2, 1], activations: [bare], loss: binaryCrossEntropy, seed: 1 });
  // mean squared error takes any output
  new MLP({ layers: [2, 1], activations: [identity], loss: meanSquaredError, seed: 1 });
});

test('every cross-entropy network new MLP accepts passes gradientCheck, near saturation too', () => {
  const X = Matrix.from([[0.5, -1.2], [2, 0.3], [-1, -1], [0.1, 0.9]]);
  const labels = Matrix.from([[1], [0], [1], [0]]);
  const oneHotY = Matrix.from([[1, 0], [0, 1], [1, 0], [0, 1]]);
  const copyOfSigmoid: Activation = { ...sigmoid };
  for (const [output, k, y] of [[copyOfSigmoid, 1, labels], [softmax, 2, oneHotY], [sigmoid, 1, labels]] as const) {
    for (const sigma of [0.5, 3]) { // σ = 3: outputs at 1e-4 of the bounds
      const net = new MLP({ layers: [2, 5, k], activations: [tanh, output], loss: binaryCrossEntropy, seed: 7, sigma });
      const r = gradientCheck(net, X, y);
      assert.ok(r.maxRelativeError < 1e-6, `${output.name} σ=${sigma}: ${r.maxRelativeError}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// gradientCheck on a gradient that is truly 0
// ---------------------------------------------------------------------------------------------

test('gradientCheck: a true zero gradient is not shown as failed (absolute floor in the denominator)', () => {
  // ŷ = w·x with Σ_s x_s = 0 and y = 0: dL/db = (2/n)·Σ_s w·x_s = 0 exactly; the finite difference
  // of the loss only carries round-off (≈ 1e-14), which divided by itself would read as error 1.
  const net = MLP.fromJSON({ layers: [1, 1], activations: ['identity'], loss: 'meanSquaredError', W: [[[0.3]]], b: [[0]] });
  const X = Matrix.from([[1], [2], [-3]]);
  const y = Matrix.from([[0], [0], [0]]);
  const noFloor = gradientCheck(net, X, y, { floor: 0 }).tensors[1];
  assert.ok(noFloor.entries[0].numerical !== 0 && Math.abs(noFloor.entries[0].numerical) < 1e-12, 'round-off present');
  assert.ok(noFloor.maxRelativeError > 0.5, 'without the floor it reads as failed');
  const r = gradientCheck(net, X, y);
  assert.ok(r.tensors[1].maxRelativeError < 1e-6, `b[1]: ${r.tensors[1].maxRelativeError}`);
  assert.ok(r.maxRelativeError < 1e-6);
  // a wrong gradient is still caught: the doubled sigmoid derivative
  const doubled: Activation = { ...sigmoid, name: 'sigmoid2x', dfFromOutput: (_z, a) => 2 * a * (1 - a) };
  const bad = new MLP({ layers: [2, 3, 1], activations: [doubled, sigmoid], loss: binaryCrossEntropy, seed: 9 });
  assert.ok(gradientCheck(bad, Matrix.from([[0.2, -0.4], [1, 0.5]]), Matrix.from([[1], [0]])).maxRelativeError > 0.3);
  assert.throws(() => gradientCheck(net, X, y, { floor: -1 }), /^Error: gradientCheck: floor must be a finite number ≥ 0; received -1$/);
});

// ---------------------------------------------------------------------------------------------
// fromJSON messages
// ---------------------------------------------------------------------------------------------

test('fromJSON: a ragged W row, a prototype name, a null entry are each named precisely', () => {
  const good = new MLP({ layers: [4, 3, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 }).toJSON();
  const W0 = good.W[0].map((r) => r.slice());
  W0[2] = [1, 2];
  assert.throws(() => MLP.fromJSON({ ...good, W: [W0, good.W[1]] }),
    /^Error: MLP\.fromJSON: json\.W\[0\] \(W\[1\]\) must be 4x3 for layers \[4, 3, 1\]; received ragged rows: row 0 has 3 entries, row 2 has 2$/);
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.throws(() => MLP.fromJSON({ ...good, loss: name }),
      new RegExp(`^Error: MLP\\.fromJSON: json\\.loss must be one of meanSquaredError, binaryCrossEntropy, categoricalCrossEntropy; received "${name}"$`));
    assert.throws(() => MLP.fromJSON({ ...good, activations: [name, 'sigmoid'] }),
      new RegExp(`^Error: MLP\\.fromJSON: json\\.activations\\[0\\] must be one of identity, sigmoid, tanh, relu, leakyRelu, softmax; received "${name}"$`));
  }
  const withNull = good.W[1].map((r) => r.slice()) as unknown as (number | null)[][];
  withNull[1][0] = null;
  assert.throws(() => MLP.fromJSON({ ...good, W: [good.W[0], withNull as number[][]] }),
    /^Error: MLP\.fromJSON: json\.W\[1\] must hold finite numbers; received null at row 1, column 0 \(entry \(1, 0\) of W\[2\]\)$/);
  assert.throws(() => MLP.fromJSON({ ...good, b: [[0, null, 0] as unknown as number[], good.b[1]] }),
    /^Error: MLP\.fromJSON: json\.b\[0\] must hold finite numbers; received null at index 1 \(entry 1 of b\[1\]\)$/);
  assert.throws(() => MLP.fromJSON({ ...good, W: [good.W[0], [[1], 'x'] as unknown as number[][]] }),
    /^Error: MLP\.fromJSON: json\.W\[1\] \(W\[2\]\) must be 3x1 for layers \[4, 3, 1\]; received string "x" as row 1 of 2$/);
  // the round trip still works
  assert.deepEqual(MLP.fromJSON(good).toJSON(), good);
});

// ---------------------------------------------------------------------------------------------
// Silent NaN
// ---------------------------------------------------------------------------------------------

test('scale, set and filled refuse non-numbers instead of storing NaN', () => {
  const m = Matrix.from([[1, 2], [3, 4]]);
  assert.throws(() => m.scale('x' as unknown as number), /^Error: scale: s must be a finite number; received string "x"$/);
  assert.throws(() => m.scale(NaN), /scale: s must be a finite number; received NaN/);
  assert.throws(() => m.set(0, 1, 'x' as unknown as number), /^Error: set: value must be a number; received string "x"$/);
  assert.throws(() => Matrix.filled(2, 2, 'x' as unknown as number), /^Error: Matrix\.filled: value must be a number; received string "x"$/);
  assert.throws(() => m.map(() => 'x' as unknown as number), /^Error: map: f must return a number; received string "x" at \(0, 0\)$/);
  assert.throws(() => Matrix.from([[1, null as unknown as number]]), /^Error: Matrix\.from: rows\[0\]\[1\] must be a number; received null$/);
  assert.deepEqual(m.toArray(), [[1, 2], [3, 4]]);
  m.set(0, 0, NaN); // a NaN number is a number: stored as asked
  assert.ok(Number.isNaN(m.get(0, 0)));
});

test('a random source that returns NaN (or leaves [0, 1)) is reported, not turned into weights or data', () => {
  const nanNormal = { uniform: () => 0.5, normal: () => NaN };
  const e = thrown(() => new MLP({ layers: [2, 2, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, random: nanNormal }));
  assert.ok(e instanceof NonFiniteError, String(e));
  assert.equal(e.message, 'new MLP: random.normal() must return a finite number; received NaN (draw 1)');
  assert.throws(() => makeCircles({ nSamples: 10, noise: 0.1, random: nanNormal }), /^NonFiniteError: makeCircles: random\.normal\(\) must return a finite number; received NaN \(draw \d+\)$/);
  assert.throws(() => makeCircles({ nSamples: 10, random: { uniform: () => NaN, normal: () => 0 } }), /makeCircles: random\.uniform\(\) must return a number in \[0, 1\); received NaN/);
  assert.throws(() => makeXor({ nSamples: 10, random: { uniform: () => 1, normal: () => 0 } }), /^Error: makeXor: random\.uniform\(\) must return a number in \[0, 1\); received 1 \(draw 1\)$/);
  const net = new MLP({ layers: [2, 2, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 });
  const X = Matrix.from([[1, 2], [3, 4], [5, 6]]);
  assert.throws(() => net.fit(X, Matrix.from([[1], [0], [1]]), { epochs: 1, learningRate: 0.1, batchSize: 1, random: { uniform: () => NaN, normal: () => 0 } }),
    /MLP\.fit: random\.uniform\(\) must return a number in \[0, 1\); received NaN/);
});

test('forward and predict name the layer and the quantity where ŷ stops being finite', () => {
  // z[1] = x·W[1] = 1e200·1e200 overflows in layer 1
  const net = MLP.fromJSON({ layers: [1, 2, 1], activations: ['relu', 'identity'], loss: 'meanSquaredError', W: [[[1e200, 1]], [[1], [1]]], b: [[0, 0], [0]] });
  const X = Matrix.from([[0.5], [1e200]]);
  for (const call of [() => net.forward(X), () => net.predict(X)]) {
    const e = thrown(call);
    assert.ok(e instanceof NonFiniteError, String(e));
    assert.deepEqual(e.location, { quantity: 'z[1]', layer: 1, row: 1, column: 0, value: Infinity });
    assert.match(e.message, /^MLP\.(forward|predict): ŷ is not finite: z\[1\] = a\[0\]·W\[1\] \+ b\[1\] \(layer 1\) overflowed to Infinity at row 1, column 0, NaN or infinite where every earlier z and a is finite; the input X or the weights W\[l\], b\[l\] are too large/);
  }
  // finite z[1], overflow in layer 2; with a sigmoid output σ(∞ − ∞) is NaN
  const deep = MLP.fromJSON({ layers: [1, 2, 1], activations: ['relu', 'sigmoid'], loss: 'binaryCrossEntropy', W: [[[1e200, 1e200]], [[1e200], [-1e200]]], b: [[0, 0], [0]] });
  const e = thrown(() => deep.predict(Matrix.from([[1]])));
  assert.ok(e instanceof NonFiniteError);
  assert.equal(e.location?.quantity, 'z[2]');
  assert.ok(Number.isNaN(e.location?.value));
  assert.match(e.message, /z\[2\] = a\[1\]·W\[2\] \+ b\[2\] \(layer 2\) became NaN at row 0, column 0/);
  // fit says which epoch
  assert.throws(() => net.fit(X, Matrix.from([[0], [1]]), { epochs: 3, learningRate: 0.1 }),
    /^NonFiniteError: MLP\.fit: ŷ is not finite: z\[1\] .* at row 1, column 0 in the forward pass of epoch 0 \(learningRate 0\.1\), NaN or infinite .*training diverged; try a smaller learningRate$/);
  // and backward refuses the broken forward pass
  assert.throws(() => net.backward(Matrix.from([[0], [1]])), /MLP\.backward: call forward\(X\) first/);
});

// ---------------------------------------------------------------------------------------------
// Named errors instead of the engine's TypeErrors
// ---------------------------------------------------------------------------------------------

test('null operands, non-functions and null options get named errors, not TypeErrors', () => {
  const m = Matrix.from([[1, 2]]);
  const cases: [() => unknown, RegExp][] = [
    [() => m.add(null as unknown as Matrix), /^add: the other operand must be a Matrix; received null$/],
    [() => m.sub(undefined as unknown as Matrix), /^sub: the other operand must be a Matrix; received undefined$/],
    [() => m.mul([[1, 2]] as unknown as Matrix), /^mul: the other operand must be a Matrix; received an array$/],
    [() => m.equals(null as unknown as Matrix), /^equals: the other operand must be a Matrix; received null$/],
    [() => m.maxAbsDiff(null as unknown as Matrix), /^maxAbsDiff: the other operand must be a Matrix; received null$/],
    [() => m.matmul(null as unknown as Matrix), /^matmul A·B: the other operand must be a Matrix; received null$/],
    [() => m.addRowVector(null as unknown as Matrix), /^addRowVector: the other operand must be a Matrix; received null$/],
    [() => m.map(42 as unknown as () => number), /^map: f must be a function \(value, i, j\) => number; received 42$/],
    [() => numericalDerivative(5 as unknown as (x: number) => number, 1), /^numericalDerivative: f must be a function \(x: number\) => number; received 5$/],
    [() => numericalDerivative(Math.sin, 'a' as unknown as number), /^numericalDerivative: x must be a finite number; received string "a"$/],
    [() => numericalDerivative(Math.sin, 1, null as never), /^numericalDerivative: options must be an object/],
  ];
  const net = new MLP({ layers: [2, 1], activations: [sigmoid], loss: binaryCrossEntropy, seed: 1 });
  const y = Matrix.from([[1]]);
  cases.push(
    [() => gradientCheck(net, m, y, null as never), /^gradientCheck: options must be an object \{ epsilon, order, maxPerTensor, seed, floor \} \(all optional\); received null$/],
    [() => gradientCheck(net, m, y, { eps: 1 } as never), /^gradientCheck: unknown option 'eps'; the known ones are epsilon, order, maxPerTensor, seed, floor$/],
    [() => gradientCheck(net, null as unknown as Matrix, y), /^gradientCheck: X must be a Matrix \(n x 2\); received null$/],
    [() => gradientCheck(net, m, null as unknown as Matrix), /^gradientCheck: y must be a Matrix \(n x 1\); received null$/],
  );
  for (const [call, message] of cases) {
    const e = thrown(call);
    assert.ok(!(e instanceof TypeError), `${message}: a TypeError (${e.message})`);
    assert.match(e.message, message);
  }
  assert.equal(m.equals(Matrix.from([[1, 2]])), true);
});
