/** makeXor, makeGaussians, makeSpiral, oneHot, the multi-class accuracy, and makeDataset's new names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATASET_NAMES, GAUSSIANS_NOISE, Matrix, RandomSource, accuracy, makeDataset, makeGaussians, makeSpiral, makeXor, oneHot,
  seededRandom,
} from '../../src';

const labelOf = (y: Matrix, i: number): number => (y.cols === 1 ? y.get(i, 0) : y.row(i).indexOf(1));
const sameBytes = (a: Matrix, b: Matrix): boolean => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)
  .equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));

test('makeXor: points in [−1, 1]², class 1 exactly where the coordinates differ in sign, ⌊n/2⌋ in class 0', () => {
  for (const n of [1, 2, 9, 400]) {
    const { X, y } = makeXor({ nSamples: n, seed: n });
    assert.deepEqual(X.shape, [n, 2]);
    assert.deepEqual(y.shape, [n, 1]);
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const [x1, x2] = X.row(i);
      assert.ok(x1 >= -1 && x1 < 1 && x2 > -1 && x2 < 1, `point ${i} (${x1}, ${x2})`);
      const label = y.get(i, 0);
      assert.ok(label === 0 || label === 1);
      if (x1 !== 0 && x2 !== 0) assert.equal(label, x1 * x2 < 0 ? 1 : 0, `point ${i} (${x1}, ${x2}) label ${label}`);
      if (label === 0) zeros++;
    }
    assert.equal(zeros, Math.floor(n / 2));
  }
  // noise moves the points, not the labels
  const clean = makeXor({ nSamples: 300, seed: 4 });
  const noisy = makeXor({ nSamples: 300, noise: 0.1, seed: 4 });
  assert.ok(noisy.y.equals(clean.y));
  const moved = noisy.X.sub(clean.X);
  const sd = Math.sqrt(moved.map((v) => v * v).mean());
  assert.ok(Math.abs(sd - 0.1) < 0.01, `noise σ ${sd}`);
});

test('makeGaussians: ⌊n/2⌋ points around (−0.5, −0.5) labelled 0, the rest around (0.5, 0.5), spread σ = noise (default 0.3)', () => {
  const { X, y } = makeGaussians({ nSamples: 4001, seed: 7 });
  assert.deepEqual([X.shape, y.shape], [[4001, 2], [4001, 1]]);
  for (const [label, centre, count] of [[0, -0.5, 2000], [1, 0.5, 2001]] as const) {
    const rows = Array.from({ length: 4001 }, (_, i) => i).filter((i) => y.get(i, 0) === label);
    assert.equal(rows.length, count);
    for (const j of [0, 1]) {
      const values = rows.map((i) => X.get(i, j));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      assert.ok(Math.abs(mean - centre) < 0.03, `class ${label} mean ${mean}`);
      assert.ok(Math.abs(sd - GAUSSIANS_NOISE) < 0.02, `class ${label} σ ${sd}`);
    }
  }
  const tight = makeGaussians({ nSamples: 10, noise: 0, seed: 1 });
  for (let i = 0; i < 10; i++) assert.deepEqual(tight.X.row(i), tight.y.get(i, 0) === 0 ? [-0.5, -0.5] : [0.5, 0.5]);
});

test('makeSpiral: k arms, r = (i + 1)/m out to 1, θ = 2πc/k + 2πr; n x 1 labels for 2 classes, one-hot rows for more', () => {
  for (const [n, k] of [[7, 2], [100, 2], [100, 3], [10, 10], [61, 5]] as const) {
    const { X, y } = makeSpiral({ nSamples: n, nClasses: k, seed: 3 });
    assert.deepEqual(X.shape, [n, 2]);
    assert.deepEqual(y.shape, [n, k === 2 ? 1 : k]);
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      if (k > 2) {
        assert.equal(y.row(i).reduce((s, v) => s + v, 0), 1, 'one-hot row sums to 1');
        assert.ok(y.row(i).every((v) => v === 0 || v === 1));
      }
      const c = labelOf(y, i);
      counts[c]++;
      const [px, py] = X.row(i);
      const r = Math.hypot(px, py);
      assert.ok(r > 0 && r <= 1 + 1e-15, `radius ${r}`);
      // the angle of the point equals 2πc/k + 2πr modulo 2π
      const want = (2 * Math.PI * c) / k + 2 * Math.PI * r;
      const d = Math.atan2(py, px) - want;
      const wrapped = Math.abs(d - 2 * Math.PI * Math.round(d / (2 * Math.PI)));
      assert.ok(wrapped < 1e-9, `point ${i} of class ${c}: angle off by ${wrapped}`);
    }
    assert.deepEqual(counts, counts.map((_, c) => Math.floor(((c + 1) * n) / k) - Math.floor((c * n) / k)));
  }
  // default: two classes
  assert.deepEqual(makeSpiral({ nSamples: 20, seed: 1 }).y.shape, [20, 1]);
});

test('new data sets: same seed same bytes, another seed other points, a RandomSource is used as given', () => {
  const makers = [
    (seed: number | string) => makeXor({ nSamples: 200, noise: 0.1, seed }),
    (seed: number | string) => makeGaussians({ nSamples: 200, seed }),
    (seed: number | string) => makeSpiral({ nSamples: 200, nClasses: 3, noise: 0.1, seed }),
  ];
  for (const make of makers) {
    const a = make(5);
    const b = make(5);
    assert.ok(sameBytes(a.X, b.X) && sameBytes(a.y, b.y));
    assert.ok(!sameBytes(a.X, make(6).X));
    assert.ok(!sameBytes(a.X, make('5x').X));
  }
  const viaSource = makeSpiral({ nSamples: 200, nClasses: 3, noise: 0.1, random: seededRandom(5) });
  assert.ok(sameBytes(viaSource.X, makers[2](5).X));
  // shuffled: the classes are mixed, not in blocks
  const { y } = makeSpiral({ nSamples: 200, nClasses: 4, seed: 1 });
  const firstQuarter = new Set(Array.from({ length: 50 }, (_, i) => labelOf(y, i)));
  assert.equal(firstQuarter.size, 4);
  // every draw goes through the source: uniform for the shuffle (and XOR's points), normal for the noise
  let uniforms = 0;
  let normals = 0;
  const counting: RandomSource = { uniform: () => { uniforms++; return 0.25; }, normal: () => { normals++; return 0; } };
  makeXor({ nSamples: 10, noise: 0.5, random: counting });
  assert.deepEqual([uniforms, normals], [2 * 10 + 9, 2 * 10]);
});

test('oneHot: Y_ij = 1 when labels[i] = j; from an array or an n x 1 Matrix; bad labels are named', () => {
  assert.deepEqual(oneHot([2, 0, 1], 3).toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(oneHot(Matrix.columnVector([1, 1, 0]), 2).toArray(), [[0, 1], [0, 1], [1, 0]]);
  assert.throws(() => oneHot([0, 3], 3), /^Error: oneHot: labels\[1\] must be an integer class label in 0\.\.2; received 3$/);
  assert.throws(() => oneHot([0, 0.5], 3), /oneHot: labels\[1\] must be an integer class label in 0\.\.2; received 0\.5/);
  assert.throws(() => oneHot([0, -1], 3), /received -1/);
  assert.throws(() => oneHot([0, 1], 0), /^Error: oneHot: k must be an integer ≥ 1; received 0$/);
  assert.throws(() => oneHot(Matrix.zeros(2, 2), 2), /^Error: oneHot: labels must be an n x 1 Matrix \(or an array\) of class labels; received 2x2$/);
  assert.throws(() => oneHot('012' as unknown as number[], 3), /oneHot: labels must be an array or an n x 1 Matrix of class labels; received string "012"/);
  assert.throws(() => oneHot([], 3), /oneHot: labels must hold at least one label; received none/);
});

test('accuracy over k classes: arg-max of ŷ against one-hot rows, or against n x 1 class labels', () => {
  const yhat = Matrix.from([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.4, 0.1, 0.5]]);
  const labels = Matrix.columnVector([1, 0, 1, 2]);
  assert.equal(accuracy(labels, yhat), 0.75);
  assert.equal(accuracy(oneHot(labels, 3), yhat), 0.75);
  assert.throws(() => accuracy(Matrix.columnVector([1, 0, 3, 2]), yhat), /^Error: accuracy: y \(n x 1 class labels for a 4x3 yhat\) must hold integers in 0\.\.2; received 3 at row 2$/);
  assert.throws(() => accuracy(Matrix.columnVector([1, 0, 1]), yhat), /accuracy: y and yhat must have the same shape; received y 3x1 and yhat 4x3/);
  // one output: thresholded at 0.5, as before
  assert.equal(accuracy(Matrix.columnVector([1, 0]), Matrix.columnVector([0.6, 0.6])), 0.5);
});

test('makeDataset knows the five names; nClasses reaches the spiral only', () => {
  assert.deepEqual(DATASET_NAMES, ['circles', 'moons', 'xor', 'gaussians', 'spiral']);
  assert.ok(makeDataset('xor', { nSamples: 50, noise: 0.1, seed: 2 }).X.equals(makeXor({ nSamples: 50, noise: 0.1, seed: 2 }).X));
  assert.ok(makeDataset('gaussians', { nSamples: 50, seed: 2 }).X.equals(makeGaussians({ nSamples: 50, seed: 2 }).X));
  assert.ok(makeDataset('gaussians', { nSamples: 50, noise: 0.1, seed: 2 }).X.equals(makeGaussians({ nSamples: 50, noise: 0.1, seed: 2 }).X));
  const s = makeDataset('spiral', { nSamples: 60, nClasses: 3, noise: 0.05, seed: 2 });
  assert.ok(s.X.equals(makeSpiral({ nSamples: 60, nClasses: 3, noise: 0.05, seed: 2 }).X));
  assert.deepEqual(s.y.shape, [60, 3]);
  assert.deepEqual(makeDataset('spiral', { nSamples: 60, seed: 2 }).y.shape, [60, 1]);
  makeDataset('moons', { nSamples: 10, nClasses: 2, seed: 1 }); // 2 is what it has
  assert.throws(() => makeDataset('circles', { nSamples: 10, nClasses: 3, seed: 1 }), /^Error: makeDataset: nClasses applies to 'spiral' only \('circles' has 2 classes\); received 3$/);
  assert.throws(() => makeDataset('xor', { nSamples: 10, factor: 0.5, seed: 1 } as never), /^Error: makeDataset: unknown option 'factor'; the known ones are nSamples, noise, seed, random, nClasses$/);
  // all five on one scale: every clean point within [−1, 2] x [−1, 1]
  for (const name of DATASET_NAMES) {
    const { X } = makeDataset(name, { nSamples: 300, noise: name === 'gaussians' ? 0 : undefined, seed: 1 });
    for (let i = 0; i < X.rows; i++) {
      const [a, b] = X.row(i);
      assert.ok(a >= -1 && a <= 2 && b >= -1 && b <= 1, `${name} point (${a}, ${b})`);
    }
  }
});

test('new generators check their options', () => {
  assert.throws(() => makeXor({ nSamples: 0, seed: 1 }), /^Error: makeXor: nSamples must be an integer ≥ 1; received 0$/);
  assert.throws(() => makeXor({ nSamples: 5, noise: -1, seed: 1 }), /^Error: makeXor: noise must be a finite number ≥ 0; received -1$/);
  assert.throws(() => makeXor({ nSamples: 5 } as never), /makeXor: seed is required/);
  assert.throws(() => makeGaussians(null as never), /^Error: makeGaussians: options must be an object like \{ nSamples, noise, seed \}; received null$/);
  assert.throws(() => makeGaussians({ nSamples: 5, noise: NaN, seed: 1 }), /makeGaussians: noise must be a finite number ≥ 0; received NaN/);
  assert.throws(() => makeSpiral({ nSamples: 5, nClasses: 1, seed: 1 }), /^Error: makeSpiral: nClasses must be an integer ≥ 2; received 1$/);
  assert.throws(() => makeSpiral({ nSamples: 5, nClasses: 2.5, seed: 1 }), /makeSpiral: nClasses must be an integer ≥ 2; received 2\.5/);
  assert.throws(() => makeSpiral({ nSamples: 3, nClasses: 4, seed: 1 }), /^Error: makeSpiral: nClasses must be at most nSamples = 3 \(every class needs a point\); received 4$/);
});
