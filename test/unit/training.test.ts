/**
 * fit's training options (issue 9, item 1): mini-batches against a hand-rolled loop, one step of each
 * optimizer against a hand computation, L2 by finite differences, validation, allocation and copies,
 * and the validation of every option.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FitEpoch, FitOptions, MLP, MLPJSON, Matrix, accuracy, binaryCrossEntropy, categoricalCrossEntropy, makeCircles, makeSpiral,
  matrixAllocationCount, meanSquaredError, numericalDerivative, relu, seededRandom, setFitObserver, shuffleInPlace, sigmoid,
  softmax, tanh,
} from '../../src';
import { wasmKernelStats, wasmKernelsAvailable } from '../../src/kernels/wasm';

const { X, y } = makeCircles({ nSamples: 50, factor: 0.5, noise: 0.1, seed: 3 });
const fresh = (): MLP => new MLP({ layers: [2, 5, 3, 1], activations: [relu, tanh, sigmoid], loss: binaryCrossEntropy, seed: 8, init: 'xavier' });

/** The rows idx of m, as a new matrix. */
function take(m: Matrix, idx: number[]): Matrix {
  return Matrix.from(idx.map((i) => m.row(i)));
}

/** Every parameter entry of a network, flat. */
function flat(net: MLP): number[] {
  return net.parameters().flatMap((p) => Array.from(p.value.data));
}

function assertClose(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${what} ${i}: ${v} vs ${expected[i]}`));
}

test('full batch: fit is exactly forward(X), loss, backward(y), update(η) per epoch, loss and accuracy before the update', () => {
  const net = fresh();
  const h = net.fit(X, y, { epochs: 6, learningRate: 0.3 });
  const ref = fresh();
  const loss: number[] = [];
  const acc: number[] = [];
  for (let e = 0; e < 6; e++) {
    const yhat = ref.forward(X);
    loss.push(binaryCrossEntropy.f(y, yhat));
    acc.push(accuracy(y, yhat));
    ref.backward(y);
    ref.update(0.3);
  }
  assert.deepEqual(h, { loss, accuracy: acc });
  assert.deepEqual(flat(net), flat(ref));
  // batchSize ≥ n is the full batch, and draws nothing from the random source
  const never = { uniform: (): number => { throw new Error('drawn'); }, normal: (): number => { throw new Error('drawn'); } };
  const same = fresh().fit(X, y, { epochs: 6, learningRate: 0.3, batchSize: 50, random: never });
  assert.deepEqual(same, h);
  assert.deepEqual(fresh().fit(X, y, { epochs: 6, learningRate: 0.3, batchSize: 1000 }), h);
});

test('mini-batches: the same parameters and history as a hand-rolled loop of shuffles and batches', () => {
  for (const [batchSize, seed] of [[8, 0], [7, 'seven'], [1, 3], [49, 2]] as const) {
    const options: FitOptions = { epochs: 4, learningRate: 0.2, batchSize };
    if (seed !== 0) options.seed = seed; // seed 0 is the default
    const net = fresh();
    const h = net.fit(X, y, options);
    // by hand: each epoch shuffle [0, …, n − 1] with the seeded source, then consecutive batches
    const ref = fresh();
    const random = seededRandom(seed);
    const n = X.rows;
    for (let e = 0; e < 4; e++) {
      const order = Array.from({ length: n }, (_, i) => i);
      shuffleInPlace(random, order);
      let weighted = 0;
      let correct = 0;
      for (let start = 0; start < n; start += batchSize) {
        const idx = order.slice(start, start + batchSize);
        const Xb = take(X, idx);
        const yb = take(y, idx);
        const yhat = ref.forward(Xb);
        weighted += binaryCrossEntropy.f(yb, yhat) * idx.length;
        correct += Math.round(accuracy(yb, yhat) * idx.length);
        ref.backward(yb);
        ref.update(0.2);
      }
      assert.equal(h.loss[e], weighted / n, `B=${batchSize} epoch ${e} loss`);
      assert.equal(h.accuracy[e], correct / n, `B=${batchSize} epoch ${e} accuracy`);
    }
    assert.deepEqual(flat(net), flat(ref), `B=${batchSize} parameters`);
  }
  // the default seed is 0, a source can stand in for it, another seed gives another run
  const a = fresh().fit(X, y, { epochs: 2, learningRate: 0.2, batchSize: 8 });
  assert.deepEqual(fresh().fit(X, y, { epochs: 2, learningRate: 0.2, batchSize: 8, seed: 0 }), a);
  assert.deepEqual(fresh().fit(X, y, { epochs: 2, learningRate: 0.2, batchSize: 8, random: seededRandom(0) }), a);
  assert.notDeepEqual(fresh().fit(X, y, { epochs: 2, learningRate: 0.2, batchSize: 8, seed: 1 }), a);
});

/** The gradient g = (dW[1], db[1], …) of the network described by json on (X, y), by backward. */
function gradientAt(json: MLPJSON, Xs: Matrix, ys: Matrix): number[] {
  const net = MLP.fromJSON(json);
  net.forward(Xs);
  net.backward(ys);
  return net.parameters().flatMap((p) => Array.from(p.grad.data));
}

/** json with its parameters replaced by theta (in `parameters()` order). */
function withParameters(json: MLPJSON, theta: number[]): MLPJSON {
  const net = MLP.fromJSON(json);
  let k = 0;
  for (const p of net.parameters()) for (let i = 0; i < p.value.size; i++) p.value.data[i] = theta[k++];
  return net.toJSON();
}

test('momentum: two steps of v ← βv + g, θ ← θ − ηv by hand', () => {
  const eta = 0.4;
  const beta = 0.8;
  const json0 = fresh().toJSON();
  const net = MLP.fromJSON(json0);
  net.fit(X, y, { epochs: 2, learningRate: eta, optimizer: { name: 'momentum', beta } });
  const theta0 = flat(MLP.fromJSON(json0));
  const g1 = gradientAt(json0, X, y);
  const v1 = g1.map((g) => beta * 0 + g);
  const theta1 = theta0.map((t, i) => t - eta * v1[i]);
  const g2 = gradientAt(withParameters(json0, theta1), X, y);
  const v2 = v1.map((v, i) => beta * v + g2[i]);
  const theta2 = theta1.map((t, i) => t - eta * v2[i]);
  assertClose(flat(net), theta2, 1e-14, 'θ after 2 momentum steps');
  // the default β is 0.9
  const d = MLP.fromJSON(json0);
  d.fit(X, y, { epochs: 2, learningRate: eta, optimizer: { name: 'momentum' } });
  const w1 = theta0.map((t, i) => t - eta * g1[i]);
  const h2 = gradientAt(withParameters(json0, w1), X, y);
  assertClose(flat(d), w1.map((t, i) => t - eta * (0.9 * g1[i] + h2[i])), 1e-14, 'β = 0.9');
});

test('Adam: two steps with bias correction, θ ← θ − η·m̂/(√v̂ + ε), by hand', () => {
  const eta = 0.05;
  const [b1, b2, eps] = [0.85, 0.99, 1e-6];
  const json0 = fresh().toJSON();
  const net = MLP.fromJSON(json0);
  net.fit(X, y, { epochs: 2, learningRate: eta, optimizer: { name: 'adam', beta1: b1, beta2: b2, epsilon: eps } });
  let theta = flat(MLP.fromJSON(json0));
  let m = theta.map(() => 0);
  let v = theta.map(() => 0);
  for (let t = 1; t <= 2; t++) {
    const g = gradientAt(withParameters(json0, theta), X, y);
    m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
    v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
    const mHat = m.map((mi) => mi / (1 - b1 ** t));
    const vHat = v.map((vi) => vi / (1 - b2 ** t));
    theta = theta.map((th, i) => th - (eta * mHat[i]) / (Math.sqrt(vHat[i]) + eps));
  }
  assertClose(flat(net), theta, 1e-13, 'θ after 2 Adam steps');
  // defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8: the first step moves every parameter by ≈ η·sign(g)
  const d = MLP.fromJSON(json0);
  d.fit(X, y, { epochs: 1, learningRate: eta, optimizer: { name: 'adam' } });
  const g = gradientAt(json0, X, y);
  const theta0 = flat(MLP.fromJSON(json0));
  flat(d).forEach((th, i) => {
    const expected = theta0[i] - (eta * g[i]) / (Math.abs(g[i]) + 1e-8);
    assert.ok(Math.abs(th - expected) < 1e-15, `parameter ${i}: ${th} vs ${expected}`);
  });
});

test('sgd named explicitly is the default', () => {
  assert.deepEqual(fresh().fit(X, y, { epochs: 3, learningRate: 0.3, optimizer: { name: 'sgd' } }),
    fresh().fit(X, y, { epochs: 3, learningRate: 0.3 }));
});

test('L2: the history adds (λ/2)·Σ‖W[l]‖², and one step follows the gradient of that objective (finite differences; biases not decayed)', () => {
  const lambda = 0.3;
  const eta = 0.01;
  const json0 = fresh().toJSON();
  const net = MLP.fromJSON(json0);
  const h = net.fit(X, y, { epochs: 1, learningRate: eta, l2: lambda });
  const start = MLP.fromJSON(json0);
  const penalty = (m: MLP): number => 0.5 * lambda * m.parameters().filter((p) => p.name.startsWith('W')).reduce((s, p) => s + p.value.data.reduce((q, w) => q + w * w, 0), 0);
  assert.ok(Math.abs(h.loss[0] - (start.lossOn(X, y) + penalty(start))) < 1e-15, `loss ${h.loss[0]}`);
  // the step taken, (θ0 − θ1)/η, against central differences of J(θ) = L + (λ/2)·Σ‖W‖²
  const before = flat(start);
  const after = flat(net);
  let k = 0;
  for (const p of start.parameters()) {
    for (let i = 0; i < p.value.size; i++, k++) {
      const original = p.value.data[i];
      const J = (t: number): number => {
        p.value.data[i] = t;
        const value = start.lossOn(X, y) + penalty(start);
        p.value.data[i] = original;
        return value;
      };
      const fd = numericalDerivative(J, original);
      const taken = (before[k] - after[k]) / eta;
      assert.ok(Math.abs(taken - fd) < 1e-8 * Math.max(1, Math.abs(fd)), `${p.name}[${i}]: step ${taken} vs dJ ${fd}`);
    }
  }
  // dW[l] after fit is the regularised gradient: backward's dW[l] + λ·W[l]
  const g = MLP.fromJSON(json0);
  g.forward(X);
  g.backward(y);
  for (let l = 1; l <= net.L; l++) {
    g.dW[l].data.forEach((d, i) => assert.ok(Math.abs(net.dW[l].data[i] - (d + lambda * g.W[l].data[i])) < 1e-15));
    assert.ok(net.db[l].equals(g.db[l]));
  }
});

test('validation: valLoss and valAccuracy after each epoch\'s last update, also for the observer and onEpoch', () => {
  const val = makeCircles({ nSamples: 30, factor: 0.5, noise: 0.1, seed: 9 });
  const snapshots: MLPJSON[] = [];
  const infos: { valLoss?: number; valAccuracy?: number }[] = [];
  const seen: FitEpoch[] = [];
  setFitObserver({ start: () => ({ epoch: (e) => seen.push(e), end: () => undefined }) });
  let h;
  try {
    h = fresh().fit(X, y, {
      epochs: 4, learningRate: 0.3, batchSize: 16, l2: 0.01, validation: { X: val.X, y: val.y },
      onEpoch: (info) => { snapshots.push(info.net.toJSON()); infos.push({ valLoss: info.valLoss, valAccuracy: info.valAccuracy }); },
    });
  } finally {
    setFitObserver(null);
  }
  assert.ok(h.valLoss !== undefined && h.valAccuracy !== undefined);
  assert.equal(h.valLoss.length, 4);
  snapshots.forEach((json, e) => {
    const net = MLP.fromJSON(json);
    const penalty = 0.5 * 0.01 * net.parameters().filter((p) => p.name.startsWith('W')).reduce((s, p) => s + p.value.data.reduce((q, w) => q + w * w, 0), 0);
    assert.ok(Math.abs((h.valLoss as number[])[e] - (net.lossOn(val.X, val.y) + penalty)) < 1e-13, `valLoss ${e}`);
    assert.equal((h.valAccuracy as number[])[e], accuracy(val.y, net.predict(val.X)), `valAccuracy ${e}`);
  });
  assert.deepEqual(infos, h.valLoss.map((v, e) => ({ valLoss: v, valAccuracy: (h.valAccuracy as number[])[e] })));
  assert.deepEqual(seen.map((e) => [e.loss, e.accuracy, e.valLoss, e.valAccuracy]),
    h.loss.map((l, e) => [l, h.accuracy[e], (h.valLoss as number[])[e], (h.valAccuracy as number[])[e]]));
  // without validation the history has no such entries
  assert.deepEqual(Object.keys(fresh().fit(X, y, { epochs: 1, learningRate: 0.1 })), ['loss', 'accuracy']);
});

test('no matrices are allocated per epoch or per step: mini-batches with a remainder, Adam, L2 and validation', () => {
  const { X: Xs, y: ys } = makeSpiral({ nSamples: 103, nClasses: 3, noise: 0.05, seed: 1 });
  const val = makeSpiral({ nSamples: 40, nClasses: 3, noise: 0.05, seed: 2 });
  const net = new MLP({ layers: [2, 8, 3], activations: [tanh, softmax], loss: categoricalCrossEntropy, seed: 2 });
  const counts: number[] = [];
  net.fit(Xs, ys, {
    epochs: 6, learningRate: 0.05, batchSize: 10, optimizer: { name: 'adam' }, l2: 1e-3, validation: val,
    onEpoch: () => { counts.push(matrixAllocationCount()); },
  });
  const perEpoch = counts.slice(1).map((c, i) => c - counts[i]);
  assert.deepEqual(perEpoch, [0, 0, 0, 0, 0]);
});

test('X and y stay in wasm memory: per epoch no copy depends on n; forward copies X once, backward reuses it', { skip: !wasmKernelsAvailable() }, () => {
  const make = (n: number): { X: Matrix; y: Matrix } => {
    const r = seededRandom(n);
    return { X: new Matrix(n, 50).map(() => r.normal()), y: new Matrix(n, 10).map(() => (r.uniform() < 0.5 ? 0 : 1)) };
  };
  const copiesPerEpoch = (n: number): number[] => {
    const d = make(n);
    const net = new MLP({ layers: [50, 40, 10], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 3 });
    const at: number[] = [];
    net.fit(d.X, d.y, { epochs: 4, learningRate: 1e-3, onEpoch: () => { at.push(wasmKernelStats.copiedValues); } });
    return at.slice(1).map((c, i) => c - at[i]);
  };
  const small = copiesPerEpoch(400);
  assert.deepEqual(copiesPerEpoch(800), small, 'twice the samples, the same copies per epoch');
  // only parameter-shaped operands: W[1] once (z[1]; no da[0] in fit), W[2] twice, dW[l] once, b[l] and db[l] once
  assert.deepEqual(small, Array(3).fill(2 * 50 * 40 + 3 * 40 * 10 + 2 * (40 + 10)));

  const d = make(400);
  const net = new MLP({ layers: [50, 40, 10], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 3 });
  net.forward(d.X); // buffers exist
  net.backward(d.y);
  const c0 = wasmKernelStats.copiedValues;
  net.forward(d.X);
  const c1 = wasmKernelStats.copiedValues;
  net.backward(d.y);
  const c2 = wasmKernelStats.copiedValues;
  // forward: X once, W[1], b[1], W[2], b[2]
  assert.equal(c1 - c0, 400 * 50 + 50 * 40 + 40 + 40 * 10 + 10);
  // backward: y (dL/dŷ), then per layer dW[l] out, db[l] out, W[l] in (da[l−1]); never X again
  assert.equal(c2 - c1, 400 * 10 + (40 * 10 + 10 + 40 * 10) + (50 * 40 + 40 + 50 * 40));
});

test('every fit option is validated; unknown keys are errors', () => {
  const net = fresh();
  const base = { epochs: 1, learningRate: 0.1 };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ batchsize: 4 }, /^Error: MLP\.fit: unknown option 'batchsize' \(did you mean 'batchSize'\?\); the known ones are epochs, learningRate, batchSize, seed, random, optimizer, l2, validation, onEpoch$/],
    [{ momentum: 0.9 }, /^Error: MLP\.fit: unknown option 'momentum'; the known ones are epochs, learningRate, batchSize/],
    [{ batchSize: 0 }, /^Error: MLP\.fit: batchSize must be an integer ≥ 1 \(samples per step; ≥ n = 50 means the full batch\); received 0$/],
    [{ batchSize: 2.5 }, /batchSize must be an integer ≥ 1 .*received 2\.5$/],
    [{ batchSize: '8' }, /batchSize must be an integer ≥ 1 .*received string "8"$/],
    [{ seed: NaN }, /^Error: MLP\.fit: seed must be a string or a finite number; received NaN$/],
    [{ seed: 1, random: seededRandom(1) }, /^Error: MLP\.fit: give either seed or random, not both$/],
    [{ random: { uniform: Math.random } }, /^Error: MLP\.fit: random must be a RandomSource with uniform\(\) and normal\(\) methods; received object$/],
    [{ optimizer: 'adam' }, /^Error: MLP\.fit: optimizer must be an object \{ name: 'sgd' \}, \{ name: 'momentum', beta\? \} or \{ name: 'adam', beta1\?, beta2\?, epsilon\? \}; received string "adam"$/],
    [{ optimizer: null }, /optimizer must be an object .*received null$/],
    [{ optimizer: { name: 'rmsprop' } }, /^Error: MLP\.fit: optimizer\.name must be 'sgd', 'momentum' or 'adam'; received string "rmsprop"$/],
    [{ optimizer: {} }, /optimizer\.name must be 'sgd', 'momentum' or 'adam'; received undefined$/],
    [{ optimizer: { name: 'sgd', beta: 0.9 } }, /^Error: MLP\.fit: unknown key of optimizer \{ name: 'sgd' \} 'beta'; the known ones are name$/],
    [{ optimizer: { name: 'momentum', betta: 0.9 } }, /^Error: MLP\.fit: unknown key of optimizer \{ name: 'momentum' \} 'betta' \(did you mean 'beta'\?\); the known ones are name, beta$/],
    [{ optimizer: { name: 'momentum', beta: 1 } }, /^Error: MLP\.fit: optimizer\.beta must be a number in \[0, 1\); received 1$/],
    [{ optimizer: { name: 'momentum', beta: -0.1 } }, /optimizer\.beta must be a number in \[0, 1\); received -0\.1$/],
    [{ optimizer: { name: 'adam', beta1: 1.5 } }, /^Error: MLP\.fit: optimizer\.beta1 must be a number in \[0, 1\); received 1\.5$/],
    [{ optimizer: { name: 'adam', beta2: NaN } }, /optimizer\.beta2 must be a number in \[0, 1\); received NaN$/],
    [{ optimizer: { name: 'adam', epsilon: 0 } }, /^Error: MLP\.fit: optimizer\.epsilon must be a finite number > 0; received 0$/],
    [{ optimizer: { name: 'adam', lr: 0.1 } }, /unknown key of optimizer \{ name: 'adam' \} 'lr'; the known ones are name, beta1, beta2, epsilon$/],
    [{ l2: -1 }, /^Error: MLP\.fit: l2 must be a finite number ≥ 0 \(the λ of \(λ\/2\)·Σ_l ‖W\[l\]‖²\); received -1$/],
    [{ l2: Infinity }, /l2 must be a finite number ≥ 0 .*received Infinity$/],
    [{ l2: '0.1' }, /l2 must be a finite number ≥ 0 .*received string "0\.1"$/],
    [{ validation: null }, /^Error: MLP\.fit: validation must be an object \{ X, y \} of held-out data; received null$/],
    [{ validation: [X, y] }, /validation must be an object \{ X, y \} of held-out data; received an array$/],
    [{ validation: { X, y, w: 1 } }, /^Error: MLP\.fit: unknown key of validation 'w'; the known ones are X, y$/],
    [{ validation: { X: Matrix.zeros(5, 3), y: Matrix.zeros(5, 1) } }, /^Error: MLP\.fit: validation\.X must be n x 2 \(n ≥ 1 samples as rows, layers\[0\] = 2 columns\); received 5x3$/],
    [{ validation: { X } }, /^Error: MLP\.fit: validation\.y must be a Matrix \(e\.g\. Matrix\.from\(rows\)\); received undefined$/],
    [{ validation: { X, y: Matrix.zeros(49, 1) } }, /^Error: MLP\.fit: validation\.y must be 50x1 \(one row per sample of validation\.X, layers\[L\] = 1 columns\); received 49x1$/],
    [{ validation: { X, y: Matrix.filled(50, 1, 2) } }, /^Error: MLP\.fit: validation\.y must hold labels in \[0, 1\] for binaryCrossEntropy; received 2 at row 0/],
    [{ validation: { X: Matrix.filled(1, 2, NaN), y: Matrix.zeros(1, 1) } }, /MLP\.fit: validation\.X must hold finite numbers; received NaN at row 0, column 0/],
  ];
  for (const [extra, message] of cases) {
    assert.throws(() => net.fit(X, y, { ...base, ...extra } as FitOptions), message, JSON.stringify(Object.keys(extra)));
  }
  assert.throws(() => net.fit(X, y, [] as unknown as FitOptions), /^Error: MLP\.fit: options must be an object \{ epochs, learningRate, … \}; received an array$/);
  // nothing was trained by the refused calls
  assert.deepEqual(net.toJSON(), fresh().toJSON());
});

test('mini-batch training on mean squared error and a multi-class problem behaves: the loss falls', () => {
  const { X: Xs, y: ys } = makeSpiral({ nSamples: 120, nClasses: 4, noise: 0.02, seed: 6 });
  const net = new MLP({ layers: [2, 32, 32, 4], activations: [tanh, tanh, softmax], loss: categoricalCrossEntropy, seed: 1, init: 'xavier' });
  const h = net.fit(Xs, ys, { epochs: 200, learningRate: 0.1, batchSize: 16, optimizer: { name: 'momentum' } });
  assert.ok(h.loss[199] < 0.5 * h.loss[0], `${h.loss[0]} -> ${h.loss[199]}`);
  assert.ok(h.accuracy[199] > 0.8, `accuracy ${h.accuracy[199]}`);
  const reg = new MLP({ layers: [2, 6, 1], activations: [tanh, relu], loss: meanSquaredError, seed: 2 });
  const target = new Matrix(X.rows, 1).map((_, i) => X.get(i, 0) ** 2);
  const r = reg.fit(X, target, { epochs: 100, learningRate: 0.05, batchSize: 5, l2: 1e-4 });
  assert.ok(r.loss[99] < r.loss[0], `${r.loss[0]} -> ${r.loss[99]}`);
});

test('optimizer state carries over to the next fit with the same optimizer: a + b epochs = a epochs, then b', () => {
  const data = makeCircles({ nSamples: 120, factor: 0.5, noise: 0.1, seed: 4 });
  for (const optimizer of [{ name: 'momentum' as const, beta: 0.8 }, { name: 'adam' as const }]) {
    const whole = fresh();
    const hWhole = whole.fit(data.X, data.y, { epochs: 6, learningRate: 0.05, optimizer });
    const split = fresh();
    const h1 = split.fit(data.X, data.y, { epochs: 2, learningRate: 0.05, optimizer });
    const h2 = split.fit(data.X, data.y, { epochs: 4, learningRate: 0.05, optimizer });
    assert.deepEqual([...h1.loss, ...h2.loss], hWhole.loss);
    assert.deepEqual(split.toJSON(), whole.toJSON());
    // reset (or another optimizer in between) starts from zero state: the second part differs
    const reset = fresh();
    reset.fit(data.X, data.y, { epochs: 2, learningRate: 0.05, optimizer });
    reset.resetOptimizer();
    const h3 = reset.fit(data.X, data.y, { epochs: 4, learningRate: 0.05, optimizer });
    assert.notDeepEqual(h3.loss, h2.loss);
    const other = fresh();
    other.fit(data.X, data.y, { epochs: 2, learningRate: 0.05, optimizer });
    other.fit(data.X, data.y, { epochs: 0, learningRate: 0.05, optimizer: { name: 'sgd' } });
    assert.deepEqual(other.fit(data.X, data.y, { epochs: 4, learningRate: 0.05, optimizer }).loss, h3.loss);
  }
});
