/**
 * The self-checks of notebook 07 (the playground: what each unit computes). Each `verify…` takes
 * the learner's function, compares it with an independent computation (the library's forward pass
 * on the same points, or loops written out here) on the notebook's network and on other networks,
 * and returns `pass(…)` or `fail(problem, hint)`; it recognises the classic mistakes (a transposed
 * weight index, a missing bias, a missing activation, a sign error, looking at one sample only) and
 * never prints the expected answer.
 */
import { Activation, identity, relu, sigmoid, tanh } from '../../core/activations';
import { binaryCrossEntropy } from '../../core/losses';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { seededRandom } from '../../core/random';
import { fail, pass, type Verdict } from '../check';
import { planeGrid } from '../charts';
import { unitGridsOn, NetworkProbe } from '../playground/views';

const TOLERANCE = 1e-9;

function close(got: number, expected: number, tol = TOLERANCE): boolean {
  return Number.isFinite(got) && Math.abs(got - expected) <= tol * Math.max(1, Math.abs(expected));
}

function thrown(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

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
 * Exercise: `switchLine(W1, b1, j, x1)` returns the x₂ at which z[1]ⱼ = x₁·W[1]₀ⱼ + x₂·W[1]₁ⱼ + b[1]ⱼ
 * is zero: the straight edge in unit j's picture, x₂ = −(W[1]₀ⱼ·x₁ + b[1]ⱼ) / W[1]₁ⱼ. Checked on the
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
        return fail(`${where}.`, 'x₂ = −(W[1]₀ⱼ·x₁ + b[1]ⱼ) / W[1]₁ⱼ, with W[1]₀ⱼ = W1.get(0, j): check each index and the bias.');
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
