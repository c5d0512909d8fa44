/**
 * The self-checks of notebook 08 (the same network in TensorFlow.js). Each `verify…` takes the
 * TensorFlow.js module (so that this file loads without it: notebooks that never use TensorFlow.js
 * pay nothing) and the learner's function, compares the result with the library's own float64
 * computation on the same float32-rounded numbers, and returns `pass(…)` or `fail(problem, hint)`.
 * The tolerance is float32's: TensorFlow.js computes in float32 (unit roundoff 2⁻²⁴ ≈ 6e-8), so
 * results agree to about 1e-6 relative, and a wrong formula is off by far more.
 */
import type * as TF from '@tensorflow/tfjs';
import { Activation, identity, relu, sigmoid, tanh } from '../../core/activations';
import { binaryCrossEntropy, meanSquaredError } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { seededRandom } from '../../core/random';
import { fail, pass, type Verdict } from '../check';

/** The TensorFlow.js module, as `import * as tf from '@tensorflow/tfjs'` gives it. */
export type TensorFlow = typeof TF;

/** The float32 tolerance of these checks: |got − expected| ≤ tol · max(1, |expected|). */
export const FLOAT32_TOLERANCE = 1e-5;

function close(got: number, expected: number, tol = FLOAT32_TOLERANCE): boolean {
  return Number.isFinite(got) && Math.abs(got - expected) <= tol * Math.max(1, Math.abs(expected));
}

function allClose(got: ArrayLike<number>, expected: ArrayLike<number>, tol = FLOAT32_TOLERANCE): boolean {
  if (got.length !== expected.length) return false;
  for (let i = 0; i < got.length; i++) if (!close(got[i], expected[i], tol)) return false;
  return true;
}

function worst(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < got.length; i++) {
    const e = Number.isFinite(got[i]) ? Math.abs(got[i] - expected[i]) / Math.max(1, Math.abs(expected[i])) : Infinity;
    w = Math.max(w, e);
  }
  return w;
}

function describeError(e: number): string {
  if (!Number.isFinite(e)) return 'a non-finite amount';
  return e >= 0.01 ? `${Number((100 * e).toPrecision(2))}%` : e.toExponential(1);
}

function checkTf(where: string, tf: unknown): TensorFlow {
  const t = tf as Partial<TensorFlow> | null;
  if (t === null || typeof t !== 'object' || typeof t.tensor2d !== 'function' || typeof t.tidy !== 'function') {
    throw new Error(`${where}: tf must be the TensorFlow.js module (import * as tf from '@tensorflow/tfjs'); received ${t === null ? 'null' : typeof t}`);
  }
  return t as TensorFlow;
}

/** The Matrix as a float32 tensor of the same shape. */
export function toTensor(tf: TensorFlow, m: Matrix): TF.Tensor2D {
  return tf.tensor2d(Array.from(m.data), [m.rows, m.cols], 'float32');
}

function randomMatrix(rows: number, cols: number, seed: number, lo = -1, hi = 1): Matrix {
  const r = seededRandom(seed);
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = Math.fround(lo + (hi - lo) * r.uniform());
  return m;
}

function thrown(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Exercise 8.1: mean squared error in TensorFlow.js, with the library's convention
// ---------------------------------------------------------------------------------------------

/**
 * Exercise: the library's mean squared error L = (1/n) Σ_s Σ_i (y_si − ŷ_si)² written in
 * TensorFlow.js ops, `mse(y, yhat)` → a scalar tensor. Checked on n x 1 and n x 3 targets against
 * `meanSquaredError.f` (float64 on the same float32 numbers). Recognises: the mean over all n·k
 * entries (TensorFlow.js's own `tf.losses.meanSquaredError` convention), the sum without 1/n, a
 * factor ½, the wrong sign, the root of the mean, no square.
 */
export function verifyTfMeanSquaredError(tf: TensorFlow, mse: (y: TF.Tensor, yhat: TF.Tensor) => TF.Tensor): Verdict {
  const where = 'verifyTfMeanSquaredError';
  checkTf(where, tf);
  if (typeof mse !== 'function') return fail(`mse is ${typeof mse}, not a function.`, 'define mse(y, yhat) in the exercise cell and run it.');
  const cases = [
    { y: randomMatrix(7, 1, 81, 0, 1), yhat: randomMatrix(7, 1, 82, 0, 1) },
    { y: randomMatrix(5, 3, 83), yhat: randomMatrix(5, 3, 84) },
  ];
  for (const c of cases) {
    const n = c.y.rows;
    const k = c.y.cols;
    const expected = meanSquaredError.f(c.y, c.yhat);
    let got: number;
    let size: number;
    try {
      const r = tf.tidy(() => mse(toTensor(tf, c.y), toTensor(tf, c.yhat)));
      if (r === null || typeof r !== 'object' || typeof (r as TF.Tensor).dataSync !== 'function') {
        return fail('mse did not return a tensor.', 'return the TensorFlow.js expression itself, e.g. a tf.mean(…) of the squared differences.');
      }
      size = r.size;
      got = r.dataSync()[0];
      r.dispose();
    } catch (e) {
      return fail(`mse threw an error on a ${n}x${k} batch: ${thrown(e)}.`, 'use element-wise ops (tf.sub, tf.square) and reductions (tf.sum, tf.mean); both arguments are n x k tensors.');
    }
    if (size !== 1) {
      return fail(`mse returned ${size} numbers for a ${n}x${k} batch, not one.`, 'L is a single number: reduce over the samples and the output units.');
    }
    if (close(got, expected)) continue;
    const ratio = got / expected;
    const rootMean = Math.sqrt(expected);
    let plain = 0;
    for (let i = 0; i < c.y.data.length; i++) plain += c.yhat.data[i] - c.y.data[i];
    if (k > 1 && close(ratio, 1 / k, 1e-4)) {
      return fail(`for ${n} samples of ${k} outputs, L is ${k} times too small: it is the mean over all ${n * k} entries.`,
        'that is tf.losses.meanSquaredError\'s convention; the library averages over the n samples only and sums over the outputs: sum, then divide by n.');
    }
    if (close(ratio, n, 1e-4)) return fail(`L is ${n} times too large for ${n} samples: the 1/n of the mean is missing.`, 'take the mean over the samples (or divide the sum by n).');
    if (close(ratio, 0.5, 1e-4)) return fail('L is half the expected value.', 'the library\'s loss has no factor ½: (y − ŷ)² summed over the outputs, averaged over the samples.');
    if (close(ratio, -1, 1e-4)) return fail('L has the wrong sign.', 'a squared error is never negative: check the sign in front of your expression.');
    if (close(got, rootMean, 1e-4)) return fail('this is the square root of the expected L (a root-mean-square error).', 'leave out the square root.');
    if (close(Math.abs(got), Math.abs(plain / n), 1e-4) || close(Math.abs(got), Math.abs(plain / (n * k)), 1e-4)) {
      return fail('the differences are not squared.', 'square y − ŷ entry by entry (tf.square) before summing.');
    }
    return fail(`on a ${n}x${k} batch, L differs from the library's meanSquaredError by ${describeError(Math.abs(got - expected) / Math.max(1, Math.abs(expected)))}.`,
      'L = (1/n) Σ_s Σ_i (y_si − ŷ_si)²: square, sum over everything, divide by the number of rows n.');
  }
  return pass(`matches the library's meanSquaredError on ${cases.map((c) => `${c.y.rows}x${c.y.cols}`).join(' and ')} batches (to float32 precision).`);
}

// ---------------------------------------------------------------------------------------------
// Exercise 8.2: from a Layers model back to the library's network
// ---------------------------------------------------------------------------------------------

/**
 * The networks whose Layers models `verifyNetworkFromModel` reads back: a 2-4-3-1 like the
 * notebook's and two others, all with non-zero biases (so that biases left out are noticed).
 */
export function modelTestNetworks(): MLP[] {
  const nets = [
    new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 42, init: 'xavier' }),
    new MLP({ layers: [3, 5, 2], activations: [tanh, identity], loss: meanSquaredError, seed: 3, init: 'xavier' }),
    new MLP({ layers: [2, 6, 2, 1], activations: [sigmoid, tanh, sigmoid], loss: binaryCrossEntropy, seed: 5, init: 'xavier' }),
  ];
  nets.forEach((net, k) => {
    for (let l = 1; l <= net.L; l++) {
      net.W[l].data.set(net.W[l].data.map(Math.fround));
      net.b[l].data.set(randomMatrix(1, net.layers[l], 200 + 10 * k + l, -0.5, 0.5).data);
    }
  });
  return nets;
}

/** TensorFlow.js's name of a library activation in a dense layer ('identity' is 'linear'). */
export function layersActivationName(f: Activation): 'relu' | 'sigmoid' | 'tanh' | 'linear' {
  if (f === relu) return 'relu';
  if (f === sigmoid) return 'sigmoid';
  if (f === tanh) return 'tanh';
  if (f === identity) return 'linear';
  throw new Error(`layersActivationName: no dense-layer activation for '${f.name}' in these checks`);
}

/** A Sequential model of dense layers with the network's sizes, activations and weights (the checks' oracle). */
export function layersModelOf(tf: TensorFlow, net: MLP): TF.Sequential {
  const model = tf.sequential();
  for (let l = 1; l <= net.L; l++) {
    const layer = tf.layers.dense({
      units: net.layers[l], activation: layersActivationName(net.activations[l - 1]), ...(l === 1 ? { inputShape: [net.layers[0]] } : {}),
    });
    model.add(layer);
    layer.setWeights([toTensor(tf, net.W[l]), tf.tensor1d(Array.from(net.b[l].data), 'float32')]);
  }
  return model;
}

/** ŷ of `net` with some parts left out, for recognising mistakes. */
function variant(net: MLP, X: Matrix, options: { noBias?: boolean }): Matrix {
  let a = X;
  for (let l = 1; l <= net.L; l++) {
    let z = a.matmul(net.W[l]);
    if (!options.noBias) z = z.addRowVector(net.b[l]);
    const f: Activation = net.activations[l - 1];
    a = z.map((v) => f.f(v));
  }
  return a;
}

/**
 * Exercise: `fromModel(model)` reads a TensorFlow.js Sequential model of dense layers back into the
 * library: an `MLP` with the same layer sizes, activations ('linear' is `identity`) and weights
 * (each layer's kernel is W[l], n_{l−1} x n_l, and its bias b[l]). Checked on the models of three
 * networks (2-4-3-1 relu/relu/sigmoid, 3-5-2 tanh/identity, 2-6-2-1 sigmoid/tanh/sigmoid): the
 * learner's network must predict what the model predicts. Recognises: something other than an MLP,
 * other layer sizes, the biases left out, the output activation replaced, other activations.
 */
export function verifyNetworkFromModel(tf: TensorFlow, fromModel: (model: TF.LayersModel) => MLP): Verdict {
  const where = 'verifyNetworkFromModel';
  checkTf(where, tf);
  if (typeof fromModel !== 'function') return fail(`fromModel is ${typeof fromModel}, not a function.`, 'define the function in the exercise cell and run it.');
  const nets = modelTestNetworks();
  for (const net of nets) {
    const name = `${net.layers.join('-')} (${net.activations.map((f) => layersActivationName(f)).join(', ')})`;
    const X = randomMatrix(9, net.layers[0], 90 + net.layers.length, -2, 2);
    const model = layersModelOf(tf, net);
    const modelOut = tf.tidy(() => (model.predict(toTensor(tf, X)) as TF.Tensor).dataSync());
    let got: MLP;
    try {
      got = fromModel(model);
    } catch (e) {
      model.dispose();
      if (/loss \w+ takes ln ŷ/.test(thrown(e))) {
        return fail(`reading the model of the ${name} network threw: ${thrown(e)}.`,
          'a Layers model of dense layers carries no loss, and a cross-entropy refuses an output that can leave [0, 1]: ' +
          "give MLP.fromJSON a loss that suits every output (e.g. 'meanSquaredError'); only the predictions are compared.");
      }
      return fail(`reading the model of the ${name} network threw: ${thrown(e)}.`,
        'for each layer of model.layers: getWeights() gives [kernel, bias]; kernel.arraySync() is W[l] as rows, n_{l−1} x n_l; ' +
        'getConfig().activation names the activation; then build the MLP (e.g. MLP.fromJSON({ layers, activations, loss, W, b })), ' +
        'with a loss that suits the output layer (binaryCrossEntropy needs a sigmoid output; meanSquaredError fits a linear one).');
    }
    model.dispose();
    if (!(got instanceof MLP)) return fail(`fromModel returned ${got === null ? 'null' : typeof got}, not an MLP.`, "return the library's network, e.g. MLP.fromJSON({ … }).");
    if (got.layers.length !== net.layers.length || got.layers.some((n, i) => n !== net.layers[i])) {
      return fail(`for the ${name} network your MLP has layers [${got.layers.join(', ')}], not [${net.layers.join(', ')}].`,
        "layers[0] is the input size (the first kernel's rows), then one entry per dense layer (its units).");
    }
    const yhat = got.predict(X);
    if (allClose(yhat.data, modelOut)) continue;
    if (allClose(modelOut, variant(got, X, { noBias: true }).data) || got.b.slice(1).every((b) => b.data.every((v) => v === 0))) {
      return fail(`for the ${name} network your MLP has other biases than the model (are they all 0?).`, "each layer's getWeights()[1] is its bias b[l]: copy it too.");
    }
    const fixed = MLP.fromJSON({ ...got.toJSON(), activations: net.activations.map((f) => f.name) });
    if (allClose(fixed.predict(X).data, modelOut)) {
      const names = got.activations.map((f) => f.name).join(', ');
      return fail(`for the ${name} network the weights are right but the activations are [${names}].`,
        "map each layer's getConfig().activation to the library's: 'relu' → relu, 'sigmoid' → sigmoid, 'tanh' → tanh, 'linear' → identity.");
    }
    return fail(`for the ${name} network your MLP's ŷ differs from the model's by up to ${describeError(worst(yhat.data, modelOut))}.`,
      'the kernel of layer l is W[l] with n_{l−1} rows and n_l columns (no transpose); take the layers in order.');
  }
  return pass(`the networks read from the models of the ${nets.map((n) => n.layers.join('-')).join(', ')} networks predict what the models predict (to float32 precision).`);
}

// ---------------------------------------------------------------------------------------------
// Exercise 8.3: one gradient-descent step with tf.variableGrads
// ---------------------------------------------------------------------------------------------

/**
 * Exercise: `step(variables, loss, eta)` performs one step of gradient descent on TensorFlow.js
 * variables, θ ← θ − η·∂L/∂θ for every θ in `variables`, with the gradients from TensorFlow.js's
 * automatic differentiation (`tf.variableGrads(loss)` or `tf.grads`). Checked on a 2-3-1
 * tanh/sigmoid network with binary cross-entropy, for two learning rates, against the library's
 * `forward`, `backward`, `update(η)` on the same float32 numbers. Recognises: nothing assigned, the
 * wrong sign, η left out, some variables not updated, two steps instead of one.
 */
export function verifyTfSgdStep(tf: TensorFlow, step: (variables: TF.Variable[], loss: () => TF.Scalar, eta: number) => void): Verdict {
  const where = 'verifyTfSgdStep';
  checkTf(where, tf);
  if (typeof step !== 'function') return fail(`step is ${typeof step}, not a function.`, 'define step(variables, loss, eta) in the exercise cell and run it.');
  for (const eta of [0.05, 0.5]) {
    const net = new MLP({ layers: [2, 3, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 11, init: 'xavier' });
    for (const p of net.parameters()) p.value.data.set(p.value.data.map(Math.fround));
    const X = randomMatrix(12, 2, 121, -2, 2);
    const y = randomMatrix(12, 1, 122, 0, 1).map((v) => (v > 0.5 ? 1 : 0));
    const before = net.parameters().map((p) => Float64Array.from(p.value.data));
    net.forward(X);
    net.backward(y);
    const grads = net.parameters().map((p) => Float64Array.from(p.grad.data));
    net.update(eta);
    const after = net.parameters().map((p) => Float64Array.from(p.value.data));
    const names = net.parameters().map((p) => p.name);
    const variables = net.parameters().map((p, i) => tf.variable(tf.tensor2d(Array.from(before[i]), [p.value.rows, p.value.cols], 'float32'), true, `${where}-${eta}-${p.name}-${Date.now()}-${i}`));
    const Xt = toTensor(tf, X);
    const yt = toTensor(tf, y);
    const loss = (): TF.Scalar => tf.tidy(() => {
      let a: TF.Tensor = Xt;
      for (let l = 1; l <= net.L; l++) {
        const z = a.matMul(variables[2 * (l - 1)]).add(variables[2 * (l - 1) + 1]);
        a = l < net.L ? tf.tanh(z) : tf.sigmoid(z);
      }
      const p = a.clipByValue(1e-7, 1 - 1e-7);
      return tf.neg(tf.mean(yt.mul(tf.log(p)).add(tf.sub(1, yt).mul(tf.log(tf.sub(1, p)))))) as TF.Scalar;
    });
    const cleanup = (): void => {
      variables.forEach((v) => v.dispose());
      Xt.dispose();
      yt.dispose();
    };
    try {
      step(variables, loss, eta);
    } catch (e) {
      cleanup();
      return fail(`step threw an error: ${thrown(e)}.`, 'tf.variableGrads(loss) returns { value, grads } with grads[v.name] for every trainable variable v; then v.assign(v.sub(grad.mul(eta))).');
    }
    const now = variables.map((v) => v.dataSync());
    cleanup();
    const moved = now.map((v, i) => Array.from(v).map((x, j) => x - before[i][j]));
    const expectedMove = grads.map((g) => Array.from(g).map((x) => -eta * x));
    const same = (f: (g: number) => number, which: number[] = names.map((_, i) => i)): boolean =>
      which.every((i) => allClose(moved[i], Array.from(grads[i]).map(f), 1e-6));
    if (now.every((v, i) => allClose(v, after[i], 1e-6))) continue;
    if (same(() => 0)) return fail('no variable changed.', 'compute the new value and store it with v.assign(…): tensors themselves never change.');
    if (same((g) => eta * g)) return fail('every variable moved uphill, by +η·∂L/∂θ.', 'gradient descent subtracts the gradient: θ ← θ − η·∂L/∂θ.');
    if (same((g) => -g)) return fail(`the variables moved by the whole gradient: η = ${eta} was left out.`, 'multiply each gradient by eta before subtracting it.');
    if (same((g) => -2 * eta * g)) return fail('the variables moved twice as far as one step.', 'take one step: compute the gradients once and assign once per variable.');
    const stuck = names.filter((_, i) => allClose(moved[i], new Array(moved[i].length).fill(0), 1e-9));
    if (stuck.length > 0 && stuck.length < names.length) {
      return fail(`${stuck.join(', ')} did not change while the other parameters did.`, 'update every variable in the list (weights and biases).');
    }
    const bad = names.find((_, i) => !allClose(moved[i], expectedMove[i], 1e-6)) ?? names[0];
    return fail(`with η = ${eta}, ${bad} after your step differs from W ← W − η·dW (the library's update).`, 'use the gradient of loss() with respect to each variable, computed before any variable changes.');
  }
  return pass('one step equals the library\'s forward, backward and update(η) for η = 0.05 and 0.5 (to float32 precision).');
}
