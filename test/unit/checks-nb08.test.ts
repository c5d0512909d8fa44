/**
 * The self-checks of notebook 08 (TensorFlow.js) pass on the solutions, catch the classic mistakes
 * with a hint, and never print the expected value. Runs TensorFlow.js's pure-JavaScript CPU backend.
 */
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { type Activation, identity, relu, sigmoid, tanh } from '../../src/core/activations';
import { MLP, type MLPJSON } from '../../src/core/mlp';
import { evaluateCheck } from '../../src/notebook/check';
import { assertFails, assertPasses } from '../support/verdicts';
import { verifyNetworkFromModel, verifyTfMeanSquaredError, verifyTfSgdStep } from '../../src/notebook/checks/nb08';

before(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
});

// ----- Exercise 8.1
const mse = (y: tf.Tensor, yhat: tf.Tensor): tf.Tensor => tf.sum(tf.square(tf.sub(y, yhat))).div(y.shape[0]);

test('verifyTfMeanSquaredError: the solution passes', () => {
  assertPasses(verifyTfMeanSquaredError(tf, mse));
  // another correct form: mean over samples of the per-sample sums
  assertPasses(verifyTfMeanSquaredError(tf, (y, yhat) => tf.mean(tf.sum(tf.square(yhat.sub(y)), 1))));
});

test('verifyTfMeanSquaredError: classic mistakes fail with a hint', () => {
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => tf.losses.meanSquaredError(y, yhat)), /mean over all 15 entries/, /tf\.losses\.meanSquaredError/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => tf.sum(tf.square(tf.sub(y, yhat)))), /1\/n of the mean is missing/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => mse(y, yhat).mul(0.5)), /half/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => mse(y, yhat).neg()), /wrong sign/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => tf.sqrt(mse(y, yhat))), /square root/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => tf.square(tf.sub(y, yhat))), /returned 7 numbers/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => tf.sum(tf.sub(yhat, y)).div(y.shape[0])), /not squared/);
  assertFails(verifyTfMeanSquaredError(tf, (y, yhat) => mse(y, yhat).add(0.3)), /differs from the library/);
  assertFails(verifyTfMeanSquaredError(tf, (() => 1) as unknown as (y: tf.Tensor, yhat: tf.Tensor) => tf.Tensor), /did not return a tensor/);
});

test('verifyTfMeanSquaredError: a stub becomes a failing check line', () => {
  const stub = (): tf.Tensor => {
    throw new Error('Exercise 8.1: write your code here');
  };
  const r = evaluateCheck('Exercise 8.1', () => verifyTfMeanSquaredError(tf, stub));
  assert.equal(r.passed, false);
  assert.match(r.message, /write your code here/);
});

// ----- Exercise 8.2
const ACTIVATIONS: Record<string, Activation> = { relu, sigmoid, tanh, linear: identity };

function fromModel(model: tf.LayersModel): MLP {
  const layers: number[] = [];
  const activations: string[] = [];
  const W: number[][][] = [];
  const b: number[][] = [];
  for (const layer of model.layers) {
    const [kernel, bias] = layer.getWeights();
    const rows = kernel.arraySync() as number[][];
    if (layers.length === 0) layers.push(rows.length);
    layers.push(rows[0].length);
    W.push(rows);
    b.push(Array.from(bias.dataSync()));
    activations.push(ACTIVATIONS[String(layer.getConfig().activation)].name);
  }
  return MLP.fromJSON({ layers, activations, loss: 'meanSquaredError', W, b });
}

test('verifyNetworkFromModel: the solution passes', () => {
  assertPasses(verifyNetworkFromModel(tf, fromModel));
});

test('verifyNetworkFromModel: classic mistakes fail with a hint', () => {
  const edit = (change: (json: MLPJSON) => MLPJSON) => (model: tf.LayersModel): MLP => MLP.fromJSON(change(fromModel(model).toJSON()));
  assertFails(verifyNetworkFromModel(tf, edit((j) => ({ ...j, b: j.b.map((v) => v.map(() => 0)) }))), /other biases/, /getWeights\(\)\[1\]/);
  assertFails(verifyNetworkFromModel(tf, edit((j) => ({ ...j, activations: j.activations.map(() => 'relu') }))), /activations are \[relu, relu, relu\]/, /'linear' → identity/);
  assertFails(verifyNetworkFromModel(tf, edit((j) => ({ ...j, activations: [...j.activations.slice(0, -1), 'identity'] }))), /activations are/);
  assertFails(verifyNetworkFromModel(tf, edit((j) => ({ ...j, W: j.W.map((m) => m.map((r) => r.map((v) => v * 1.01))) }))), /differs from the model's/, /no transpose/);
  assertFails(verifyNetworkFromModel(tf, () => { throw new Error('kernel.arraySync is not a function'); }), /threw: kernel\.arraySync/, /getWeights/);
  assertFails(verifyNetworkFromModel(tf, (() => ({})) as unknown as (m: tf.LayersModel) => MLP), /not an MLP/);
  // binary cross-entropy for every model: the core refuses it for the linear output of the 3-5-2 network
  assertFails(verifyNetworkFromModel(tf, edit((j) => ({ ...j, loss: 'binaryCrossEntropy' }))), /takes ln ŷ/, /carries no loss.*'meanSquaredError'/);
  const square = (model: tf.LayersModel): MLP => {
    const net = fromModel(model);
    return new MLP({ layers: [net.layers[0], ...net.layers.slice(1).map(() => 2)], activations: net.activations.slice(), loss: net.loss, seed: 1 });
  };
  assertFails(verifyNetworkFromModel(tf, square), /has layers \[2, 2, 2, 2\], not \[2, 4, 3, 1\]/);
});

// ----- Exercise 8.3
function sgdStep(variables: tf.Variable[], loss: () => tf.Scalar, eta: number): void {
  const { value, grads } = tf.variableGrads(loss, variables);
  for (const v of variables) v.assign(v.sub(grads[v.name].mul(eta)));
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
}

test('verifyTfSgdStep: the solution passes; an optimizer does too', () => {
  assertPasses(verifyTfSgdStep(tf, sgdStep));
  assertPasses(verifyTfSgdStep(tf, (variables, loss, eta) => {
    tf.train.sgd(eta).minimize(loss, false, variables);
  }));
});

test('verifyTfSgdStep: classic mistakes fail with a hint', () => {
  const withRule = (rule: (v: tf.Variable, g: tf.Tensor, eta: number) => tf.Tensor) => (variables: tf.Variable[], loss: () => tf.Scalar, eta: number): void => {
    const { grads } = tf.variableGrads(loss, variables);
    for (const v of variables) v.assign(rule(v, grads[v.name], eta));
  };
  assertFails(verifyTfSgdStep(tf, () => undefined), /no variable changed/, /assign/);
  assertFails(verifyTfSgdStep(tf, withRule((v, g, eta) => v.add(g.mul(eta)))), /uphill/);
  assertFails(verifyTfSgdStep(tf, withRule((v, g) => v.sub(g))), /η = 0\.05 was left out/);
  assertFails(verifyTfSgdStep(tf, withRule((v, g, eta) => v.sub(g.mul(2 * eta)))), /twice as far/);
  assertFails(verifyTfSgdStep(tf, (variables, loss, eta) => sgdStep(variables.filter((v) => !/b\[/.test(v.name)), () => loss(), eta)), /b\[1\], b\[2\] did not change/);
  assertFails(verifyTfSgdStep(tf, (variables, loss) => sgdStep(variables, loss, 0.2)), /differs from W ← W − η·dW/);
});
