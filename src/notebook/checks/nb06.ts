/**
 * The self-checks of notebook 06 (the published run and its errata): the start the tutorial would have
 * had with one random stream instead of two seeds (erratum 7), the tutorial's backward pass with errata 1 and 4 fixed,
 * and the step sizes the published update really takes on the gradient of the mean loss (erratum 5).
 * The oracles are the replay of the published program (`replayTutorialRun`), numpy's generator
 * (`NumpyRandomState`) and central differences of the loss; the failures name the erratum a wrong
 * answer repeats and never print the answer.
 */
import { relu, sigmoid, tanh } from '../../core/activations';
import { gradientCheck } from '../../core/gradcheck';
import { binaryCrossEntropy } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { makeCircles } from '../../data/datasets';
import { NumpyRandomState } from '../../replay/numpy-random';
import { replayTutorialRun } from '../../replay/replay';
import { fail, pass, type Verdict } from '../check';
import {
  callLearner, caseRandom, commonFactor, describeAnswer, factorText, matches, percent, randomLabels, randomMatrix,
  worstEntry,
} from './answers';

/** What the learner's {@link verifyOneStreamStart} function returns: a data set and an initial network. */
export interface TutorialStart {
  X: Matrix;
  y: Matrix;
  net: MLP;
}

/**
 * Exercise: the start the tutorial's program would have had without `initialize()` re-seeding
 * (erratum 7): ONE numpy generator seeded with 0 draws the data of
 * `make_circles(n_samples=1000, factor=0.5, noise=0.1)` and then, continuing, the 2-4-3-1
 * relu-relu-sigmoid network's weights (W[l], then b[l], as 0.1·randn). Checked bit for bit: the data
 * against the replay's, the weights against the continued stream. Recognises the tutorial's own
 * two-seed start (re-seeded with 42), a generator restarted from seed 0 for the weights, the
 * library's own generator for the data, the default factor 0.8, missing noise, the wrong scheme,
 * and a wrong architecture or loss.
 */
export function verifyOneStreamStart(fn: () => TutorialStart): Verdict {
  const where = 'verifyOneStreamStart';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function () => ({ X, y, net }); received ${typeof fn}`);
  const got = callLearner(fn);
  if (!got.ok) return fail(`your function threw: ${got.error}.`, 'one generator: const random = new NumpyRandomState(0); then makeCircles({ …, random: random }) and new MLP({ …, random: random }).');
  const v = got.value;
  if (v === null || typeof v !== 'object') return fail(`your function returned ${describeAnswer(v)}.`, 'return an object { X, y, net }.');
  const replay = replayTutorialRun({ epochs: 0 });
  const { X, y } = replay.data;
  if (!(v.X instanceof Matrix) || !(v.y instanceof Matrix)) return fail(`X is ${describeAnswer(v.X)} and y is ${describeAnswer(v.y)}.`, 'return the data set\'s X and y, as makeCircles gives them.');
  if (v.X.rows !== X.rows || v.X.cols !== 2 || v.y.rows !== X.rows || v.y.cols !== 1) {
    return fail(`X is ${v.X.rows}x${v.X.cols} and y is ${v.y.rows}x${v.y.cols}; the tutorial's are ${X.rows}x2 and ${X.rows}x1.`, 'make_circles(n_samples=1000): nSamples: 1000.');
  }
  if (!v.X.equals(X) || !v.y.equals(y)) {
    const radius = (label: number): number => {
      let s = 0;
      let k = 0;
      for (let i = 0; i < v.X.rows; i++) if (v.y.data[i] === label) { s += Math.hypot(v.X.data[2 * i], v.X.data[2 * i + 1]); k++; }
      return k === 0 ? 0 : s / k;
    };
    const inner = radius(1);
    if (Math.abs(inner - 0.8) < 0.05) return fail('your inner circle has radius about 0.8, the default factor.', 'the tutorial calls make_circles with factor=0.5.');
    const clean = makeCircles({ nSamples: 1000, factor: 0.5, random: new NumpyRandomState(0) });
    if (v.X.equals(clean.X)) return fail('your points lie exactly on the circles: no noise.', 'the tutorial adds Gaussian noise of standard deviation 0.1 (noise: 0.1).');
    if (Math.abs(inner - 0.5) < 0.05) {
      return fail('your data are two circles of the right radii, but not the tutorial\'s points.',
        'the data come from numpy\'s generator after np.random.seed(0): random: new NumpyRandomState(0) (the option seed: 0 uses the library\'s own generator, a different stream).');
    }
    return fail(`your data differ from make_circles(n_samples=1000, factor=0.5, noise=0.1) after np.random.seed(0) (inner radius ${Number(inner.toPrecision(3))}).`,
      'makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, random: … }) with a NumpyRandomState(0).');
  }
  const net = v.net;
  if (!(net instanceof MLP)) return fail(`net is ${describeAnswer(net)}, not an MLP.`, 'build it with new MLP({ layers, activations, loss, random }).');
  if (net.layers.join('-') !== '2-4-3-1') return fail(`your network is ${net.layers.join('-')}; the tutorial's is 2-4-3-1.`, 'layers: [2, 4, 3, 1].');
  const names = net.activations.map((f) => f.name).join(', ');
  if (names !== 'relu, relu, sigmoid') return fail(`your network's activations are ${names}; the tutorial's are relu, relu, sigmoid.`, 'activations: [relu, relu, sigmoid].');
  if (net.loss !== binaryCrossEntropy) return fail(`your network's loss is ${net.loss.name}.`, 'the tutorial trains on the cross-entropy: loss: binaryCrossEntropy.');
  const stream = new NumpyRandomState(0);
  makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, random: stream });
  const expected = new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, random: stream });
  const reseeded = new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, random: new NumpyRandomState(42) });
  const restarted = new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, random: new NumpyRandomState(0) });
  const same = (a: MLP, b: MLP): boolean => [1, 2, 3].every((l) => a.W[l].equals(b.W[l]) && a.b[l].equals(b.b[l]));
  if (!same(net, expected)) {
    if (same(net, reseeded)) {
      return fail('your weights are the tutorial\'s own: numpy re-seeded with 42.',
        'that is what initialize(seed=42) does (np.random.seed(42)); without it the weights continue the stream that drew the data: pass the same NumpyRandomState to makeCircles and to new MLP (Tutorial erratum 7).');
    }
    if (same(net, restarted)) {
      return fail('your weights come from a new generator seeded with 0.',
        'a fresh NumpyRandomState(0) starts the stream again, with the draws the data already used; continue the data\'s own generator instead.');
    }
    if (Math.max(...Array.from(net.b[1].data).map(Math.abs)) === 0) {
      return fail('your biases b[1] are all zero.', 'the tutorial draws the biases too, b[l] = 0.1·randn(1, n_l): the default init \'normal\' with σ = 0.1.');
    }
    return fail('your weights are not the continuation of the data\'s stream.',
      'one NumpyRandomState(0): first makeCircles draws with it, then new MLP({ …, random: it }) with the default init (\'normal\', σ = 0.1) draws W[1], b[1], W[2], …');
  }
  const n = X.rows;
  return pass(`your data equal the replay's bit for bit and your weights continue their stream; n·L at this start is ${(n * net.lossOn(X, y)).toFixed(8)}, ` +
    `where the published run starts at ${replay.loss[0].toFixed(8)}.`);
}

/** The gradients the learner's {@link verifyFixedBackward} function returns. */
export interface Gradients {
  dW: Matrix[];
  db: Matrix[];
}

/** The learner's function: the tutorial's backward pass, fixed, on a library network. */
export type TutorialBackward = (net: MLP, X: Matrix, y: Matrix) => Gradients;

/**
 * Exercise: the tutorial's backward pass with errata 1 and 4 fixed, on a library network whose
 * output is a sigmoid with binary cross-entropy: σ' not doubled, dL/dŷ of the MEAN loss (with its
 * 1/n), db[l] the column sums of dz[l]. The result must be the gradient of the mean loss, checked
 * against central differences (`gradientCheck`) on the tutorial's 2-4-3-1 relu network and on a
 * 2-5-1 tanh network, for batches of 8 and 20. Recognises each uncorrected erratum by its factor
 * (2 from dsigmoid, n from the summed loss, 1/n from np.mean) and a sign error.
 */
export function verifyFixedBackward(fn: TutorialBackward): Verdict {
  const where = 'verifyFixedBackward';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (net, X, y) => { dW, db }; received ${typeof fn}`);
  const random = caseRandom(where);
  const specs = [
    { layers: [2, 4, 3, 1], acts: [relu, relu, sigmoid], n: 8 },
    { layers: [2, 5, 1], acts: [tanh, sigmoid], n: 20 },
  ];
  for (const spec of specs) {
    const net = new MLP({ layers: spec.layers, activations: spec.acts, loss: binaryCrossEntropy, random, sigma: 0.6 });
    const X = randomMatrix(random, spec.n, 2);
    const y = randomLabels(random, spec.n, 1);
    const check = gradientCheck(net, X, y);
    const expected = { dW: [] as Matrix[], db: [] as Matrix[] };
    for (const t of check.tensors) {
      const m = new Matrix(t.shape[0], t.shape[1]);
      for (const e of t.entries) m.data[e.index] = e.numerical;
      const l = Number(/\[(\d+)\]/.exec(t.name)![1]);
      if (t.name.startsWith('W')) expected.dW[l] = m;
      else expected.db[l] = m;
    }
    const name = `a ${spec.layers.join('-')} network (${spec.acts.map((f) => f.name).join(', ')}) on n = ${spec.n} samples`;
    const got = callLearner(() => fn(net, X.clone(), y.clone()));
    if (!got.ok) return fail(`your function threw for ${name}: ${got.error}`, 'run net.forward(X), then the tutorial\'s loop from l = L down to 1 on net.z, net.a, net.W.');
    const v = got.value;
    if (v === null || typeof v !== 'object' || !Array.isArray(v.dW) || !Array.isArray(v.db)) {
      return fail(`your function returned ${describeAnswer(v)}.`, 'return { dW, db }, two arrays indexed by layer 1..L.');
    }
    const n = spec.n;
    const L = spec.layers.length - 1;
    for (let l = L; l >= 1; l--) {
      for (const [what, m, exp] of [[`dW[${l}]`, v.dW[l], expected.dW[l]], [`db[${l}]`, v.db[l], expected.db[l]]] as Array<[string, unknown, Matrix]>) {
        if (!(m instanceof Matrix) || m.rows !== exp.rows || m.cols !== exp.cols) {
          return fail(`your ${what} for ${name} is ${describeAnswer(m)}; it must be ${exp.rows}x${exp.cols}.`, 'keep the tutorial\'s shapes: dW[l] = a[l−1]ᵀ·dz[l], db[l] a 1 x n_l row.');
        }
        if (matches(m, exp, 1e-6)) continue;
        const factor = commonFactor(m, exp, 1e-5);
        const hints: Array<[number, string]> = [
          [2, 'the output layer still uses the doubled derivative 2σ(1 − σ): σ\'(z) = σ(z)(1 − σ(z)) (Tutorial erratum 1).'],
          [n, 'dL/dŷ is still the derivative of the summed loss: divide it by n so that it belongs to the mean loss (Tutorial erratum 4).'],
          [2 * n, 'two errata left: divide dL/dŷ by n (the mean loss, erratum 4) and drop the 2 of dsigmoid (erratum 1).'],
          [1 / n, what.startsWith('db') ? 'db[l] still averages over the samples (np.mean): with the 1/n now inside dz[l], add the rows up instead (sumColumns).'
            : 'the 1/n appears twice: once in dL/dŷ is enough.'],
          [2 / n, 'db[l] still averages (np.mean: use the column sums) and the output still uses the doubled σ\' (erratum 1).'],
          [-1, 'the gradient has the opposite sign: dL/dŷ = (1/n)(−y/ŷ + (1 − y)/(1 − ŷ)).'],
        ];
        if (factor !== null) {
          for (const [c, hint] of hints) {
            if (Math.abs(factor - c) <= 1e-4 * Math.abs(c)) return fail(`your ${what} for ${name} is ${factorText(factor)} times the gradient of the mean loss.`, hint);
          }
        }
        const w = worstEntry(m, exp);
        return fail(`your ${what} for ${name} differs from central differences of the mean loss by ${percent(w.error)}` +
          (factor !== null ? ` (it is ${factorText(factor)} times the gradient)` : '') + '.',
          'fix three places of the published backward: the 2 of dsigmoid, the missing 1/n of d_cross_entropy, and np.mean for db.');
      }
    }
  }
  return pass('your fixed backward gives the gradient of the mean loss (central differences) on the tutorial\'s 2-4-3-1 relu network and on a 2-5-1 tanh network.');
}

/** What the learner's {@link verifyEffectiveSteps} function returns: the steps on the mean loss's gradient. */
export interface EffectiveSteps {
  /** The factor s_W with W[l] ← W[l] − s_W·∂L/∂W[l] (L the mean loss). */
  onW: number;
  /** The factor s_b with b[l] ← b[l] − s_b·∂L/∂b[l]. */
  onB: number;
}

/**
 * Exercise: the steps that the tutorial's update `W -= η·dW`, `b -= η·db` (with its doubled σ', its
 * summed dW and its averaged db) takes along the gradient of the MEAN loss, for a learning rate η
 * and n samples: s_W = 2nη, s_b = 2η. Checked at several (η, n) and by reproduction: gradient descent
 * on the mean loss with the learner's steps, from the tutorial's start, must print the published
 * losses (n·L to 1e-9) for the first 12 iterations. Recognises a forgotten factor 2 (erratum 1),
 * a forgotten n (erratum 4), the n put on the biases, and swapped steps.
 */
export function verifyEffectiveSteps(fn: (eta: number, n: number) => EffectiveSteps): Verdict {
  const where = 'verifyEffectiveSteps';
  if (typeof fn !== 'function') throw new Error(`${where}: fn must be your function (eta, n) => { onW, onB }; received ${typeof fn}`);
  for (const [eta, n] of [[0.005, 1000], [0.01, 50], [0.2, 7]] as Array<[number, number]>) {
    const got = callLearner(() => fn(eta, n));
    if (!got.ok) return fail(`your function threw for η = ${eta}, n = ${n}: ${got.error}`, 'return { onW: …, onB: … }, two numbers computed from eta and n.');
    const v = got.value;
    if (v === null || typeof v !== 'object' || typeof v.onW !== 'number' || typeof v.onB !== 'number') {
      return fail(`your function returned ${describeAnswer(v)} for η = ${eta}, n = ${n}.`, 'return an object { onW, onB } of two numbers.');
    }
    const sW = 2 * n * eta;
    const sB = 2 * eta;
    const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.abs(b);
    if (near(v.onW, sW) && near(v.onB, sB)) continue;
    const at = `for η = ${eta}, n = ${n}`;
    if (near(v.onW, sB) && near(v.onB, sW)) return fail(`${at} your two steps are swapped.`, 'dW is summed over the samples (n times the mean\'s), db averaged: the n belongs to the weights.');
    if (near(v.onW, n * eta)) return fail(`${at} your step on W is n·η: the doubled σ' is missing.`, 'dsigmoid returns 2σ(1 − σ), which doubles every gradient below the output (Tutorial erratum 1).');
    if (near(v.onW, 2 * eta)) return fail(`${at} your step on W is 2η: the summed loss is missing.`, 'the tutorial\'s dW = a[l−1]ᵀ·dz sums over the n samples without a 1/n, so it is n times the mean loss\'s (Tutorial erratum 4).');
    if (!near(v.onW, sW)) return fail(`${at} your step on W is ${Number(v.onW.toPrecision(4))}, which is ${factorText(v.onW / eta)}·η.`, 'count the factors dW_tut carries over ∂L/∂W[l] of the mean loss: one from dsigmoid, one from the sum over samples.');
    if (near(v.onB, 2 * n * eta)) return fail(`${at} your step on b is 2nη.`, 'db = np.mean(dz) divides by n, which cancels the n of the summed loss: only the 2 of dsigmoid is left.');
    if (near(v.onB, eta)) return fail(`${at} your step on b is η: the doubled σ' is missing.`, 'the 2 of dsigmoid doubles db too (Tutorial erratum 1).');
    return fail(`${at} your step on b is ${Number(v.onB.toPrecision(4))}, which is ${factorText(v.onB / eta)}·η.`, 'count the factors db_tut carries over ∂L/∂b[l]: dsigmoid\'s, and np.mean\'s 1/n against the sum\'s n.');
  }
  // Reproduction: the library's correct gradients of the mean loss with these steps print the published losses.
  const epochs = 12;
  const replay = replayTutorialRun({ epochs });
  const { X, y } = replay.data;
  const n = X.rows;
  const steps = fn(replay.options.learningRate, n);
  const net = new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, random: new NumpyRandomState(42) });
  for (let e = 0; e < epochs; e++) {
    const yhat = net.forward(X);
    const L = net.loss.f(y, yhat);
    const printed = replay.loss[e + 1];
    if (!(Math.abs(n * L - printed) <= 1e-9 * printed)) {
      return fail(`with your steps, iteration ${e} gives n·L = ${(n * L).toFixed(8)}, the tutorial printed ${printed.toFixed(8)}.`, 'the steps must reproduce the published run exactly.');
    }
    net.backward(y);
    for (let l = 1; l <= net.L; l++) {
      const W = net.W[l].data;
      const dW = net.dW[l].data;
      for (let i = 0; i < W.length; i++) W[i] -= steps.onW * dW[i];
      const b = net.b[l].data;
      const db = net.db[l].data;
      for (let i = 0; i < b.length; i++) b[i] -= steps.onB * db[i];
    }
  }
  return pass(`s_W = 2nη and s_b = 2η at three (η, n), and with them correct gradient descent on the mean loss prints the tutorial's first ${epochs} losses to 1e-9.`);
}
