/**
 * The self-checks of notebook 07 (the playground: what each unit computes, dead units, one Adam
 * step, back-propagation through softmax, the L2-penalised loss). Each `verify…` takes
 * the learner's function, compares it with an independent computation (the library's forward pass
 * on the same points, or loops written out here) on the notebook's network and on other networks,
 * and returns `pass(…)` or `fail(problem, hint)`; it recognises the classic mistakes (a transposed
 * weight index, a missing bias, a missing activation, a sign error, looking at one sample only) and
 * never prints the expected answer.
 */
import { Activation, identity, relu, sigmoid, softmax, tanh } from '../../core/activations';
import { binaryCrossEntropy, categoricalCrossEntropy } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { seededRandom } from '../../core/random';
import { fail, pass, type Verdict } from '../check';
import { planeGrid } from '../charts';
import { unitGridsOn, NetworkProbe } from '../playground/views';
import { close, thrownMessage as thrown } from './learner';


function randomPoints(n: number, seed: number): Matrix {
  const r = seededRandom(seed);
  const m = new Matrix(n, 2);
  for (let i = 0; i < m.data.length; i++) m.data[i] = -2 + 4 * r.uniform();
  return m;
}

/** z[1] of `net` at one point, by the library's forward pass. */
function z1At(net: MLP, x1: number, x2: number): number[] {
  const probe = new NetworkProbe(net);
  return Array.from(probe.run(net, Matrix.from([[x1, x2]])).z[1].data);
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.1: the line where a layer-1 unit switches
// ---------------------------------------------------------------------------------------------

/**
 * Exercise: `switchLine(W1, b1, j, x1)` returns the x₂ at which z[1]ⱼ = x₁·W[1]₁ⱼ + x₂·W[1]₂ⱼ + b[1]ⱼ
 * is zero: the straight edge in unit j's picture, x₂ = −(W[1]₁ⱼ·x₁ + b[1]ⱼ) / W[1]₂ⱼ (in code, with j from 0:
 * W[1]₁ⱼ = W1.get(0, j), W[1]₂ⱼ = W1.get(1, j)). Checked on the
 * notebook's network `net` (every unit j, several x₁) and on a second network, by evaluating z[1]ⱼ
 * at (x₁, x₂) with the library's forward pass. Recognises: the wrong sign, the bias left out, the
 * two inputs' weights swapped, a transposed index (W[1] is n₀ x n₁: `W1.get(i, j)` is input i to unit j).
 */
export function verifySwitchLine(switchLine: (W1: Matrix, b1: Matrix, j: number, x1: number) => number, net: MLP): Verdict {
  if (typeof switchLine !== 'function') return fail(`switchLine is ${typeof switchLine}, not a function.`, 'define it in the exercise cell and run that cell.');
  if (!(net instanceof MLP) || net.layers[0] !== 2) {
    throw new Error(`verifySwitchLine: net must be an MLP with two inputs (the notebook's network); received ${net instanceof MLP ? net.layers.join('-') : typeof net}`);
  }
  const other = new MLP({ layers: [2, 5, 1], activations: [tanh, sigmoid], loss: binaryCrossEntropy, seed: 71, init: 'normal', sigma: 1 });
  for (const n of [net, other]) {
    const W1 = n.W[1];
    const b1 = n.b[1];
    for (let j = 0; j < n.layers[1]; j++) {
      const w0 = W1.get(0, j);
      const w1 = W1.get(1, j);
      const bj = b1.get(0, j);
      if (Math.abs(w1) < 1e-9) continue; // the line is vertical: no x₂ for a given x₁
      for (const x1 of [-1.3, 0, 0.7, 2.1]) {
        let x2: number;
        try {
          x2 = switchLine(W1, b1, j, x1);
        } catch (e) {
          return fail(`switchLine threw for unit j = ${j}: ${thrown(e)}.`,
            `W[1] is n₀ x n₁ = ${W1.rows}x${W1.cols}: the weight from input i to unit j is W1.get(i, j), the bias b1.get(0, j).`);
        }
        if (typeof x2 !== 'number' || !Number.isFinite(x2)) {
          return fail(`switchLine returned ${String(x2)} for unit j = ${j}, x₁ = ${x1}.`, 'return a number: the x₂ of the point on the line.');
        }
        const z = z1At(n, x1, x2)[j];
        const scale = Math.abs(w0 * x1) + Math.abs(w1 * x2) + Math.abs(bj);
        if (Math.abs(z) <= 1e-9 * Math.max(1, scale)) continue;
        const at = (f: () => number): boolean => close(x2, f(), 1e-9);
        const where = `for unit j = ${j} at x₁ = ${x1}, z[1]ⱼ at your point is ${z.toPrecision(3)}, not 0`;
        if (at(() => (w0 * x1 + bj) / w1)) return fail(`${where}: the sign is flipped.`, 'solve x₁·w₀ + x₂·w₁ + b = 0 for x₂ step by step; moving a term across the = changes its sign.');
        if (at(() => -(w0 * x1) / w1)) return fail(`${where}: the bias is missing.`, 'z[1]ⱼ includes b[1]ⱼ; the line is where the whole z[1]ⱼ is 0.');
        if (Math.abs(w0) > 1e-9 && at(() => -(w1 * x1 + bj) / w0)) {
          return fail(`${where}: the weights of x₁ and x₂ are swapped.`, 'x₁ is multiplied by W[1] row 0 (W1.get(0, j)), x₂ by row 1 (W1.get(1, j)).');
        }
        if (j < W1.rows && Math.abs(W1.get(j, 1)) > 1e-12 && at(() => -(W1.get(j, 0) * x1 + bj) / W1.get(j, 1))) {
          return fail(`${where}: the weight index is transposed.`, `W[1] is n₀ x n₁ = ${W1.rows}x${W1.cols}: the weight from input i to unit j is W1.get(i, j), not W1.get(j, i).`);
        }
        return fail(`${where}.`, 'x₂ = −(W[1]₁ⱼ·x₁ + b[1]ⱼ) / W[1]₂ⱼ, with W[1]₁ⱼ = W1.get(0, j) and W[1]₂ⱼ = W1.get(1, j): check each index and the bias.');
      }
    }
  }
  return pass(`z[1]ⱼ = 0 on your line for every unit of the ${net.layers.join('-')} network and of a second network, at four x₁ each.`);
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.2: a layer-2 picture from the layer-1 pictures
// ---------------------------------------------------------------------------------------------

/**
 * Exercise: `layerTwoPicture(pictures, W2, b2, k, f)` computes unit k of layer 2 at every grid point
 * from the pictures of layer 1 (`pictures[j][i]` = a[1]ⱼ at grid point i):
 * a[2]ₖ = f(Σⱼ a[1]ⱼ·W[2]ⱼₖ + b[2]ₖ). Checked against the library's forward pass of the whole grid,
 * on the notebook's network (when it has two hidden layers or more) and on a second one with other
 * widths and activations. Recognises: a
 * transposed index, the bias left out, the activation left out (z[2]ₖ instead of a[2]ₖ), a wrong
 * number of values.
 */
export function verifyLayerTwoPicture(
  layerTwoPicture: (pictures: readonly Float64Array[], W2: Matrix, b2: Matrix, k: number, f: Activation) => ArrayLike<number>,
  net: MLP,
  X: Matrix,
): Verdict {
  if (typeof layerTwoPicture !== 'function') return fail(`layerTwoPicture is ${typeof layerTwoPicture}, not a function.`, 'define it in the exercise cell and run that cell.');
  if (!(net instanceof MLP) || net.layers[0] !== 2) {
    throw new Error(`verifyLayerTwoPicture: net must be an MLP with two inputs (the notebook's network); received ${net instanceof MLP ? net.layers.join('-') : typeof net}`);
  }
  const other = new MLP({ layers: [2, 3, 5, 1], activations: [tanh, sigmoid, sigmoid], loss: binaryCrossEntropy, seed: 72, init: 'normal', sigma: 1 });
  // a network with one hidden layer has no layer 2 to picture: then only the second network is tried
  const nets = net.L >= 3 ? [net, other] : [other];
  for (const n of nets) {
    const grid = planeGrid(X, 12);
    const grids = unitGridsOn(n, grid, new NetworkProbe(n));
    const f = n.activations[1];
    for (let k = 0; k < n.layers[2]; k++) {
      let got: ArrayLike<number>;
      try {
        got = layerTwoPicture(grids.layers[1], n.W[2], n.b[2], k, f);
      } catch (e) {
        return fail(`layerTwoPicture threw for unit k = ${k}: ${thrown(e)}.`,
          `W[2] is n₁ x n₂ = ${n.W[2].rows}x${n.W[2].cols}: the weight from unit j of layer 1 to unit k is W2.get(j, k).`);
      }
      const expected = grids.layers[2][k];
      if (got === null || typeof got !== 'object' || typeof got.length !== 'number' || got.length !== expected.length) {
        return fail(`for unit k = ${k} layerTwoPicture returned ${got === null ? 'null' : typeof got === 'object' ? `${got.length} values` : typeof got}, not one value per grid point (${expected.length}).`,
          'return a Float64Array with one value per grid point, like each of the pictures you are given.');
      }
      let ok = true;
      for (let i = 0; i < expected.length && ok; i++) ok = close(got[i], expected[i], 1e-9);
      if (ok) continue;
      const candidate = (transposed: boolean, bias: boolean, activate: boolean): boolean => {
        for (let i = 0; i < expected.length; i++) {
          let z = bias ? n.b[2].get(0, k) : 0;
          for (let j = 0; j < n.layers[1]; j++) {
            const w = transposed ? (k < n.W[2].rows && j < n.W[2].cols ? n.W[2].get(k, j) : NaN) : n.W[2].get(j, k);
            z += grids.layers[1][j][i] * w;
          }
          if (!close(got[i], activate ? f.f(z) : z, 1e-9)) return false;
        }
        return true;
      };
      const where = `for unit k = ${k} of the ${n.layers.join('-')} network`;
      if (candidate(false, true, false)) return fail(`${where} your picture is z[2]ₖ: the activation is missing.`, 'apply f (the argument f, e.g. f.f(z)) to the weighted sum.');
      if (candidate(false, false, true)) return fail(`${where} the bias b[2]ₖ is missing.`, 'add b2.get(0, k) to the weighted sum before the activation.');
      if (candidate(true, true, true)) return fail(`${where} the weight index is transposed.`, 'the weight from unit j of layer 1 to unit k of layer 2 is W2.get(j, k) (W[2] is n₁ x n₂).');
      return fail(`${where} your picture differs from the network's a[2]ₖ.`, 'a[2]ₖ at point i is f(Σⱼ pictures[j][i]·W2.get(j, k) + b2.get(0, k)), the sum over every unit j of layer 1.');
    }
  }
  return pass(nets.length === 2
    ? `every layer-2 picture of the ${net.layers.join('-')} network and of a second network equals the network's own a[2]ₖ.`
    : `every layer-2 picture of a 2-3-5-1 network equals the network's own a[2]ₖ (the ${net.layers.join('-')} network has no layer 2 of hidden units).`);
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.3: dead units
// ---------------------------------------------------------------------------------------------

/**
 * The networks and inputs `verifyDeadUnits` tries, with the dead units known by construction: a
 * 2-6-5-1 ReLU network in which unit 1 of layer 1 has a bias of −100 (dead), unit 4 of layer 1 is
 * negative on every sample but the last (alive), unit 3 of layer 1 has zero weights and a positive
 * bias (alive: constant output, f' = 1), and unit 2 of layer 2 has a bias of −100 (dead); and a
 * tanh network, which has none.
 */
export function deadUnitCases(): Array<{ net: MLP; X: Matrix; name: string }> {
  const X = randomPoints(40, 73);
  const net = new MLP({ layers: [2, 6, 5, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 74, init: 'he' });
  for (let l = 1; l <= 2; l++) net.b[l].data.fill(0.1);
  net.b[1].set(0, 1, -100);
  net.W[1].set(0, 3, 0);
  net.W[1].set(1, 3, 0);
  net.b[1].set(0, 3, 0.5);
  // unit 4 of layer 1: z = x₁ − t with t just below the largest x₁, so only the sample with the largest x₁ is positive
  let last = 0;
  for (let s = 1; s < X.rows; s++) if (X.get(s, 0) > X.get(last, 0)) last = s;
  let second = -Infinity;
  for (let s = 0; s < X.rows; s++) if (s !== last) second = Math.max(second, X.get(s, 0));
  net.W[1].set(0, 4, 1);
  net.W[1].set(1, 4, 0);
  net.b[1].set(0, 4, -(second + X.get(last, 0)) / 2);
  // put that sample last, so that looking at the first sample only sees the unit as dead
  const order = Array.from({ length: X.rows }, (_, s) => s).filter((s) => s !== last).concat([last]);
  const Xo = Matrix.from(order.map((s) => X.row(s)));
  net.b[2].set(0, 2, -100);
  const tanhNet = new MLP({ layers: [2, 4, 3, 1], activations: [tanh, tanh, sigmoid], loss: binaryCrossEntropy, seed: 75, init: 'xavier' });
  const identityNet = new MLP({ layers: [2, 3, 1], activations: [identity, sigmoid], loss: binaryCrossEntropy, seed: 76, init: 'xavier' });
  return [
    { net, X: Xo, name: '2-6-5-1 relu network' },
    { net: tanhNet, X: Xo, name: '2-4-3-1 tanh network' },
    { net: identityNet, X: Xo, name: '2-3-1 identity network' },
  ];
}

/** The dead units by loops over the samples: [l, j] pairs (j from 0) with f_l'(z[l]_sj) = 0 for every s. */
function deadByLoops(net: MLP, X: Matrix): Array<[number, number]> {
  const dead: Array<[number, number]> = [];
  let a = X.toArray();
  for (let l = 1; l < net.L; l++) {
    const f = net.activations[l - 1];
    const z = a.map((row) => Array.from({ length: net.layers[l] }, (_, j) =>
      row.reduce((s, v, i) => s + v * net.W[l].get(i, j), net.b[l].get(0, j))));
    for (let j = 0; j < net.layers[l]; j++) if (z.every((row) => f.df(row[j]) === 0)) dead.push([l, j]);
    a = z.map((row) => row.map((v) => f.f(v)));
  }
  return dead;
}

const pairText = (p: ReadonlyArray<readonly [number, number]>): string => (p.length === 0 ? 'none' : p.map(([l, j]) => `[${l}, ${j}]`).join(', '));

/**
 * Exercise: `deadUnits(net, X)` lists the hidden units that are dead on the inputs X, as [l, j]
 * pairs (layer l = 1..L−1, unit j from 0): f_l'(z[l]_sj) = 0 for every sample s, so no gradient
 * reaches them. Checked on networks built with known dead and alive units (a unit alive on one
 * sample only, a unit with zero weights but a positive bias) and on tanh and identity networks.
 * Recognises: looking at one sample only, judging by the weights, including the output layer,
 * units numbered from 1.
 */
export function verifyDeadUnits(deadUnits: (net: MLP, X: Matrix) => Array<[number, number]>): Verdict {
  if (typeof deadUnits !== 'function') return fail(`deadUnits is ${typeof deadUnits}, not a function.`, 'define it in the exercise cell and run that cell.');
  for (const c of deadUnitCases()) {
    const expected = deadByLoops(c.net, c.X);
    let got: Array<[number, number]>;
    try {
      got = deadUnits(c.net, c.X);
    } catch (e) {
      return fail(`deadUnits threw on the ${c.name}: ${thrown(e)}.`, 'run net.forward(X) (or your own loop) and look at z[l] of every hidden layer l = 1..L−1.');
    }
    if (!Array.isArray(got) || got.some((p) => !Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v)))) {
      return fail(`deadUnits returned ${Array.isArray(got) ? 'a list whose entries are not [l, j] pairs of integers' : typeof got} on the ${c.name}.`, 'return an array of [layer, unit] pairs, e.g. [[1, 0], [2, 3]], [] when no unit is dead.');
    }
    const key = (p: readonly [number, number]): string => `${p[0]},${p[1]}`;
    const gotKeys = new Set(got.map(key));
    const expectedKeys = new Set(expected.map(key));
    if (gotKeys.size === expectedKeys.size && [...gotKeys].every((k) => expectedKeys.has(k))) continue;
    if (got.some(([l]) => l === c.net.L)) return fail(`on the ${c.name} your list includes the output layer ${c.net.L}.`, 'only hidden layers l = 1..L−1 have units that can die this way; the output layer is ŷ.');
    if (got.length === expected.length && got.every(([l, j]) => expectedKeys.has(key([l, j - 1])))) {
      return fail(`on the ${c.name} your unit numbers are one too high.`, 'number the units from 0, as net.a[l].column(j) does.');
    }
    const extra = got.filter((p) => !expectedKeys.has(key(p)));
    const missing = expected.filter((p) => !gotKeys.has(key(p)));
    if (extra.length > 0) {
      const onlyFirst = deadByFirstSample(c.net, c.X).map(key);
      if (extra.every((p) => onlyFirst.includes(key(p)))) {
        return fail(`on the ${c.name} you list ${pairText(extra)} as dead, but that unit is active on some sample.`, 'a unit is dead only if f\'(z) = 0 on EVERY sample: check all rows of z[l], not one.');
      }
      if (extra.some(([l, j]) => c.net.W[l].column(j).every((w) => w === 0))) {
        return fail(`on the ${c.name} you list ${pairText(extra)} as dead, but it outputs a positive constant (zero weights, positive bias).`,
          'dead means no gradient gets through: f\'(z[l]) = 0 on every sample. Zero weights alone do not stop it (its bias still learns, and its weights get dW = a[l−1]ᵀ dz).');
      }
      return fail(`on the ${c.name} you list ${pairText(extra)}, which ${extra.length === 1 ? 'is' : 'are'} not dead.`, 'compute z[l] on every sample and test f_l\'(z) = 0 (f.df(z)) for each unit.');
    }
    return fail(`on the ${c.name} your list misses ${missing.length} dead unit${missing.length === 1 ? '' : 's'}.`, 'check every hidden layer l = 1..L−1, not just layer 1, and every unit j of it.');
  }
  return pass('your list of dead units is right for a ReLU network with known dead and alive units, a tanh network and an identity network.');
}

function deadByFirstSample(net: MLP, X: Matrix): Array<[number, number]> {
  return deadByLoops(net, Matrix.from([X.row(0)]));
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.4: one Adam step
// ---------------------------------------------------------------------------------------------

/**
 * A learner's Adam step for one parameter array: updates θ, m and v in place for step t = 1, 2, …
 * (m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², θ ← θ − η·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ),
 * v̂ = v/(1 − β₂ᵗ)).
 */
export type AdamStep = (theta: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, t: number,
  eta: number, beta1: number, beta2: number, epsilon: number) => void;

interface AdamVariant { name: string; step: (theta: number, m: number, v: number, t: number, g: number) => number }

/** θ after one step by a variant of the update rule, from θ and the moving averages m, v already updated with g. */
function adamVariants(eta: number, beta1: number, beta2: number, epsilon: number): AdamVariant[] {
  const c1 = (t: number): number => 1 - Math.pow(beta1, t);
  const c2 = (t: number): number => 1 - Math.pow(beta2, t);
  return [
    { name: 'no bias correction', step: (th, m, v) => th - (eta * m) / (Math.sqrt(v) + epsilon) },
    { name: 'sign', step: (th, m, v, t) => th + (eta * (m / c1(t))) / (Math.sqrt(v / c2(t)) + epsilon) },
    { name: 'no square root', step: (th, m, v, t) => th - (eta * (m / c1(t))) / (v / c2(t) + epsilon) },
    { name: 'epsilon inside', step: (th, m, v, t) => th - (eta * (m / c1(t))) / Math.sqrt(v / c2(t) + epsilon) },
    { name: 'gradient for m', step: (th, _m, v, t, g) => th - (eta * g) / (Math.sqrt(v / c2(t)) + epsilon) },
  ];
}

/** The reference step (PyTorch's Adam, written out): returns the new θ, m, v. */
function adamReference(theta: number, g: number, m: number, v: number, t: number, eta: number, beta1: number, beta2: number, epsilon: number): [number, number, number] {
  const m1 = beta1 * m + (1 - beta1) * g;
  const v1 = beta2 * v + (1 - beta2) * g * g;
  const mHat = m1 / (1 - Math.pow(beta1, t));
  const vHat = v1 / (1 - Math.pow(beta2, t));
  return [theta - (eta * mHat) / (Math.sqrt(vHat) + epsilon), m1, v1];
}

const ADAM_HINTS: Record<string, [string, string]> = {
  'no bias correction': ['the bias corrections are missing.', 'm and v start at 0, so early on they are too small: section 7.7 corrects them into m̂ and v̂ before the step.'],
  sign: ['the step goes uphill (the sign is flipped).', 'like gradient descent, Adam moves θ against the gradient: subtract the step.'],
  'no square root': ['the step divides by v̂ instead of its square root.', 'v̂ estimates g², which has the units of g squared; the step divides by something of the size of |g|.'],
  'epsilon inside': ['ε is inside the square root.', 'the course (like PyTorch) adds ε after taking the square root.'],
  'gradient for m': ['the step uses the gradient g where it should use the moving average.', 'the numerator of the step is the bias-corrected average of the gradients so far, not this step\'s g.'],
};

/**
 * Exercise: `adamStep(θ, g, m, v, t, η, β₁, β₂, ε)` updates one parameter array in place. Checked
 * (1) on hand cases — four parameters over three steps with β₁ = 0.8, β₂ = 0.95, ε = 1e-3, a zero
 * gradient among them — against the update written out here (θ, m and v after each step), and (2)
 * against the library: Adam steps from back-propagated gradients must reproduce `fit`'s Adam on a
 * 2-4-3-1 network for four epochs. Recognises: missing bias corrections, a flipped sign, a missing
 * square root, ε inside the square root, g in place of m̂, m and v not kept between steps (or
 * stored bias-corrected), t counted from 0.
 */
export function verifyAdamStep(adamStep: AdamStep): Verdict {
  if (typeof adamStep !== 'function') return fail(`adamStep is ${typeof adamStep}, not a function.`, 'define it in the exercise cell and run that cell.');
  // (1) hand cases
  const eta = 0.1;
  const beta1 = 0.8;
  const beta2 = 0.95;
  const epsilon = 1e-3;
  const grads = [[0.3, -2.0, 0.0, 5.0], [0.1, -1.0, 0.4, -5.0], [-0.2, 0.5, 0.0, 4.0]];
  const theta = Float64Array.from([0.5, -1.2, 2.0, 0.01]);
  const m = new Float64Array(4);
  const v = new Float64Array(4);
  const ref = { theta: Array.from(theta), m: [0, 0, 0, 0], v: [0, 0, 0, 0] };
  for (let t = 1; t <= grads.length; t++) {
    const g = Float64Array.from(grads[t - 1]);
    const before = { theta: ref.theta.slice(), m: ref.m.slice(), v: ref.v.slice() };
    for (let i = 0; i < 4; i++) [ref.theta[i], ref.m[i], ref.v[i]] = adamReference(ref.theta[i], g[i], ref.m[i], ref.v[i], t, eta, beta1, beta2, epsilon);
    try {
      adamStep(theta, g, m, v, t, eta, beta1, beta2, epsilon);
    } catch (e) {
      return fail(`adamStep threw at step t = ${t}: ${thrown(e)}.`, 'update theta[i], m[i] and v[i] in place for every i, using the arguments you are given.');
    }
    const where = `on the hand case (β₁ = ${beta1}, β₂ = ${beta2}, ε = ${epsilon}), step t = ${t}`;
    const bad = Array.from(theta).findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      return fail(`${where}: θ[${bad}] became ${theta[bad]}.`, t === 1
        ? 'the first step is t = 1, and then 1 − β₁ᵗ = 1 − β₁ is not 0; use the t you are given.'
        : 'check the divisions: √v̂ + ε is never 0.');
    }
    if (theta.every((x, i) => close(x, ref.theta[i], 1e-9))) {
      if (!m.every((x, i) => close(x, ref.m[i], 1e-9)) || !v.every((x, i) => close(x, ref.v[i], 1e-9))) {
        if (m.every((x) => x === 0) && v.every((x) => x === 0)) {
          return fail(`${where}: θ is right but m and v are still 0 afterwards.`, 'write the new moving averages back into m[i] and v[i]: the next step starts from them.');
        }
        return fail(`${where}: θ is right but m or v is not the moving average.`, 'store the moving averages m and v themselves in the arrays, not the bias-corrected m̂, v̂.');
      }
      continue;
    }
    // diagnose from the reference state before this step
    for (const variant of adamVariants(eta, beta1, beta2, epsilon)) {
      const matches = Array.from(theta).every((x, i) => {
        const gi = g[i];
        const m1 = beta1 * before.m[i] + (1 - beta1) * gi;
        const v1 = beta2 * before.v[i] + (1 - beta2) * gi * gi;
        return close(x, variant.step(before.theta[i], m1, v1, t, gi), 1e-9);
      });
      if (matches) return fail(`${where}: ${ADAM_HINTS[variant.name][0]}`, ADAM_HINTS[variant.name][1]);
    }
    if (t > 1 && theta.every((x, i) => {
      const [th] = adamReference(before.theta[i], g[i], 0, 0, 1, eta, beta1, beta2, epsilon);
      return close(x, th, 1e-9);
    })) {
      return fail(`${where}: θ moves as if every step were the first.`, 'm and v carry over between steps (update them in place), and t counts the steps: 1, 2, 3, …');
    }
    const worst = Array.from(theta).reduce((w, x, i) => Math.max(w, Math.abs(x - ref.theta[i])), 0);
    return fail(`${where}: θ is off by up to ${worst.toPrecision(2)}.`, 'follow the update of section 7.7 entry by entry and in its order: first m and v, then their bias corrections, then θ.');
  }
  // (2) the library's Adam, from back-propagated gradients
  const X = randomPoints(24, 77);
  const y = new Matrix(24, 1);
  for (let s = 0; s < 24; s++) y.data[s] = X.get(s, 0) * X.get(s, 1) > 0 ? 1 : 0;
  const net = new MLP({ layers: [2, 4, 3, 1], activations: [tanh, tanh, sigmoid], loss: binaryCrossEntropy, seed: 78, init: 'xavier' });
  const library = MLP.fromJSON(net.toJSON());
  const epochs = 4;
  const rate = 0.05;
  library.fit(X, y, { epochs, learningRate: rate, optimizer: { name: 'adam' } });
  const params = net.parameters();
  const state = params.map((p) => ({ m: new Float64Array(p.value.data.length), v: new Float64Array(p.value.data.length) }));
  for (let t = 1; t <= epochs; t++) {
    net.forward(X);
    net.backward(y);
    try {
      params.forEach((p, k) => adamStep(p.value.data, Float64Array.from(p.grad.data), state[k].m, state[k].v, t, rate, 0.9, 0.999, 1e-8));
    } catch (e) {
      return fail(`adamStep threw on the library network at step t = ${t}: ${thrown(e)}.`, 'it must work for parameter arrays of any length.');
    }
  }
  const mine = net.parameters();
  const other = library.parameters();
  for (let k = 0; k < mine.length; k++) {
    const ok = Array.from(mine[k].value.data).every((x, i) => close(x, other[k].value.data[i], 1e-9));
    if (!ok) {
      return fail(`your steps do not reproduce the library's Adam for ${mine[k].name} of a 2-4-3-1 network after ${epochs} full-batch epochs (η = ${rate}, β₁ = 0.9, β₂ = 0.999, ε = 1e-8).`,
        'the hand cases passed, so look at what differs here: arrays longer than four entries, or values of t, β₁, β₂, ε other than the first case\'s.');
    }
  }
  return pass(`θ, m and v are right over three hand steps, and your steps reproduce fit's Adam on a 2-4-3-1 network for ${epochs} epochs.`);
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.5: back-propagation through softmax
// ---------------------------------------------------------------------------------------------

/** Row-wise softmax of z, written out (max subtracted). */
function softmaxRows(z: number[][]): number[][] {
  return z.map((row) => {
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((x) => x / s);
  });
}

/** dz = J·da per row with the explicit Jacobian J = diag(a) − a·aᵀ (symmetric). */
function jacobianProduct(a: number[][], da: number[][]): number[][] {
  return a.map((row, i) => row.map((_, j) => row.reduce((s, ak, k) => s + ((j === k ? row[j] : 0) - row[j] * ak) * da[i][k], 0)));
}

/**
 * Exercise: `softmaxBackward(a, da)` returns dz[L] (`n x k`) for a softmax layer a = softmax(z)
 * row by row, given da = dL/da: dz_ij = Σ_k (∂a_ik/∂z_ij)·da_ik = a_ij·(da_ij − Σ_k a_ik·da_ik),
 * the Jacobian-vector product. Checked against the product with the explicit k x k Jacobian
 * diag(a_i) − a_i a_iᵀ of each row, on random rows (k = 4 and k = 2) and on the cross-entropy's
 * da = −y/(n·ŷ), where dz must come out as (ŷ − y)/n. Recognises: only the Jacobian's diagonal
 * (a(1 − a)·da, as for a sigmoid), the sum's sign, an unweighted sum Σ da, the sum taken down a
 * column (over samples), the leading a left out, a transposed result.
 */
export function verifySoftmaxBackward(softmaxBackward: (a: Matrix, da: Matrix) => Matrix): Verdict {
  if (typeof softmaxBackward !== 'function') return fail(`softmaxBackward is ${typeof softmaxBackward}, not a function.`, 'define it in the exercise cell and run that cell.');
  const r = seededRandom(79);
  const rand = (n: number, k: number, s = 1): number[][] => Array.from({ length: n }, () => Array.from({ length: k }, () => s * r.normal()));
  const cases: Array<{ name: string; a: number[][]; da: number[][]; y?: number[][] }> = [];
  for (const [n, k] of [[5, 4], [3, 2]] as const) cases.push({ name: `${n} x ${k} random rows`, a: softmaxRows(rand(n, k, 1.5)), da: rand(n, k) });
  const a3 = softmaxRows(rand(6, 3, 2));
  const y3 = a3.map((_, i) => [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0)));
  cases.push({ name: "the cross-entropy's da = −y/(n·ŷ)", a: a3, da: y3.map((row, i) => row.map((t, j) => -t / (6 * a3[i][j]))), y: y3 });
  for (const c of cases) {
    const n = c.a.length;
    const k = c.a[0].length;
    const expected = jacobianProduct(c.a, c.da);
    let got: Matrix;
    try {
      got = softmaxBackward(Matrix.from(c.a), Matrix.from(c.da));
    } catch (e) {
      return fail(`softmaxBackward threw on ${c.name}: ${thrown(e)}.`, 'a and da are n x k: loop over the rows i and the columns j.');
    }
    if (!(got instanceof Matrix)) return fail(`softmaxBackward returned ${got === null ? 'null' : typeof got}, not a Matrix.`, 'return an n x k Matrix, e.g. new Matrix(a.rows, a.cols) filled in.');
    if (got.rows === k && got.cols === n && n !== k) return fail(`on ${c.name} your dz is ${k}x${n}: transposed.`, 'dz has the shape of z and a: one row per sample, n x k.');
    if (got.rows !== n || got.cols !== k) return fail(`on ${c.name} your dz is ${got.rows}x${got.cols}; it must be ${n}x${k}.`, 'dz has the shape of z and a: n x k.');
    const g = got.toArray();
    const same = (f: (i: number, j: number) => number): boolean => g.every((row, i) => row.every((x, j) => close(x, f(i, j), 1e-9)));
    if (same((i, j) => expected[i][j])) continue;
    const dot = (i: number): number => c.a[i].reduce((s, x, kk) => s + x * c.da[i][kk], 0);
    const where = `on ${c.name} your dz differs from the Jacobian-vector product`;
    if (same((i, j) => c.a[i][j] * (1 - c.a[i][j]) * c.da[i][j])) {
      return fail(`${where}: it keeps only the Jacobian's diagonal, a(1 − a)·da.`, 'softmax mixes a row: a_ij depends on every z_ik, so dz_ij collects da_ik·∂a_ik/∂z_ij from every k, not just k = j.');
    }
    if (same((i, j) => c.a[i][j] * (c.da[i][j] + dot(i)))) return fail(`${where}: the sum enters with the wrong sign.`, '∂a_ik/∂z_ij = a_ik(δ_jk − a_ij): the off-diagonal entries are negative.');
    if (same((i, j) => c.a[i][j] * (c.da[i][j] - c.da[i].reduce((s, x) => s + x, 0)))) {
      return fail(`${where}: the sum Σ_k da_ik is not weighted by a_ik.`, 'the term subtracted is Σ_k a_ik·da_ik, the da of the row averaged with the weights a.');
    }
    const colDot = (j: number): number => c.a.reduce((s, row, ii) => s + row[j] * c.da[ii][j], 0);
    if (same((i, j) => c.a[i][j] * (c.da[i][j] - colDot(j)))) return fail(`${where}: the sum runs down a column, over the samples.`, 'softmax works within one row (one sample): sum over the columns k of row i.');
    if (same((i, j) => c.da[i][j] - dot(i))) return fail(`${where}: the factor a_ij in front is missing.`, 'every entry of the Jacobian has a factor a: it survives into the last line of the derivation.');
    return fail(`${where} (the product with diag(a) − a·aᵀ).`, 'write dz_ij as the sum over k of da_ik times ∂a_ik/∂z_ij, as section 7.10 does, and simplify before coding it.');
  }
  return pass("dz is the Jacobian-vector product on every case, and with the cross-entropy's da it is (ŷ − y)/n.");
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.6: the loss with an L2 penalty
// ---------------------------------------------------------------------------------------------

/** The penalty variants a learner may write, as functions of the weights and biases. */
function penaltyParts(net: MLP): { w2: number; b2: number; w1: number; last2: number; norms: number } {
  let w2 = 0;
  let b2 = 0;
  let w1 = 0;
  let norms = 0;
  for (let l = 1; l <= net.L; l++) {
    let s = 0;
    for (const w of net.W[l].data) {
      s += w * w;
      w1 += Math.abs(w);
    }
    w2 += s;
    norms += Math.sqrt(s);
    for (const b of net.b[l].data) b2 += b * b;
  }
  let last2 = 0;
  for (const w of net.W[net.L].data) last2 += w * w;
  return { w2, b2, w1, last2, norms };
}

/**
 * Exercise: `penalisedLoss(net, X, y, λ)` returns the objective that `fit` with `l2: λ` minimises,
 * J = L(y, ŷ) + (λ/2)·Σ_l ‖W[l]‖² (every squared weight, no biases), without changing the network.
 * Checked against `fit` itself (the loss it reports for a first epoch with `l2`, measured before its
 * update) on a two-class and a three-class network with biases that are not 0, at two values of λ.
 * Recognises: the ½ left out, the biases included, Σ|W| (L1) instead of Σ W², norms not squared,
 * only the last layer's weights, the data loss left out, a changed network.
 */
export function verifyPenalisedLoss(penalisedLoss: (net: MLP, X: Matrix, y: Matrix, lambda: number) => number): Verdict {
  if (typeof penalisedLoss !== 'function') return fail(`penalisedLoss is ${typeof penalisedLoss}, not a function.`, 'define it in the exercise cell and run that cell.');
  const X = randomPoints(30, 80);
  const y2 = new Matrix(30, 1);
  const y3 = new Matrix(30, 3);
  for (let s = 0; s < 30; s++) {
    y2.data[s] = X.get(s, 0) + X.get(s, 1) > 0 ? 1 : 0;
    y3.data[3 * s + (Math.floor(3 * (Math.atan2(X.get(s, 1), X.get(s, 0)) + Math.PI) / (2 * Math.PI)) % 3)] = 1;
  }
  const two = new MLP({ layers: [2, 5, 3, 1], activations: [relu, tanh, sigmoid], loss: binaryCrossEntropy, seed: 81, init: 'normal', sigma: 0.8 });
  const three = new MLP({ layers: [2, 6, 3], activations: [tanh, softmax], loss: categoricalCrossEntropy, seed: 82, init: 'normal', sigma: 0.8 });
  for (const [net, y, name] of [[two, y2, '2-5-3-1 network'], [three, y3, '2-6-3 softmax network']] as const) {
    for (const lambda of [0.02, 0.5]) {
      const copy = MLP.fromJSON(net.toJSON());
      const expected = copy.fit(X, y, { epochs: 1, learningRate: 1e-9, l2: lambda }).loss[0];
      const before = JSON.stringify(net.toJSON());
      let got: number;
      try {
        got = penalisedLoss(net, X, y, lambda);
      } catch (e) {
        return fail(`penalisedLoss threw on the ${name}: ${thrown(e)}.`, 'net.lossOn(X, y) gives L; loop over l = 1..net.L and the entries of net.W[l].data for the penalty.');
      }
      if (JSON.stringify(net.toJSON()) !== before) return fail(`penalisedLoss changed the weights of the ${name}.`, 'only read net.W[l] and net.b[l]; do not train or edit them.');
      if (typeof got !== 'number' || !Number.isFinite(got)) return fail(`penalisedLoss returned ${String(got)} on the ${name}.`, 'return one finite number, J.');
      if (close(got, expected, 1e-9)) continue;
      const L = net.lossOn(X, y);
      const p = penaltyParts(net);
      const where = `on the ${name} with λ = ${lambda}, your J differs from fit's`;
      const is = (v: number): boolean => close(got, v, 1e-9);
      if (is(L + lambda * p.w2)) return fail(`${where}: the factor ½ is missing.`, 'the penalty is (λ/2)·Σ W², so that its gradient is exactly λ·W.');
      if (is(L + 0.5 * lambda * (p.w2 + p.b2))) return fail(`${where}: the biases are in the penalty.`, 'L2 (weight decay) penalises the weights W[l] only, not the biases b[l].');
      if (is(L + 0.5 * lambda * p.w1) || is(L + lambda * p.w1)) return fail(`${where}: the penalty sums |w| (that is L1).`, 'square each weight: Σ_l Σ_ij (W[l]_ij)².');
      if (is(L + 0.5 * lambda * p.norms)) return fail(`${where}: each layer's norm ‖W[l]‖ is not squared.`, 'sum the squares of the weights themselves; no square root.');
      if (is(L + 0.5 * lambda * p.last2)) return fail(`${where}: only the last layer's weights are penalised.`, 'the sum runs over every layer l = 1..L.');
      if (is(0.5 * lambda * p.w2)) return fail(`${where}: the data loss L is missing.`, 'J is the loss L(y, ŷ) (net.lossOn(X, y)) plus the penalty.');
      return fail(`${where}.`, 'J is the data loss plus the penalty of section 7.9; compute each part separately and compare them with the derivation.');
    }
  }
  return pass("your J equals fit's reported loss with l2 on a two-class and a three-class network at two values of λ.");
}
