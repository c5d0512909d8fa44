import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, RandomSource, makeCircles, makeMoons, seededRandom, trainTestSplit } from '../../src';

const radius = (X: Matrix, i: number): number => Math.hypot(X.get(i, 0), X.get(i, 1));

test('makeCircles: ⌊n/2⌋ outer points labelled 0 on radius 1, the rest labelled 1 on radius factor', () => {
  for (const n of [1, 2, 7, 100]) {
    const { X, y } = makeCircles({ nSamples: n, factor: 0.3, seed: 5 });
    assert.deepEqual(X.shape, [n, 2]);
    assert.deepEqual(y.shape, [n, 1]);
    const labels = y.toArray().map((r) => r[0]);
    assert.equal(labels.filter((v) => v === 0).length, Math.floor(n / 2));
    assert.equal(labels.filter((v) => v === 1).length, n - Math.floor(n / 2));
    labels.forEach((label, i) => assert.ok(Math.abs(radius(X, i) - (label === 0 ? 1 : 0.3)) < 1e-12, `point ${i}`));
  }
});

test('makeCircles without shuffle keeps scikit-learn order: outer circle first, evenly spaced from angle 0', () => {
  const { X, y } = makeCircles({ nSamples: 8, factor: 0.5, shuffle: false, seed: 0 });
  assert.deepEqual(y.toArray().map((r) => r[0]), [0, 0, 0, 0, 1, 1, 1, 1]);
  const expected = [[1, 0], [0, 1], [-1, 0], [0, -1], [0.5, 0], [0, 0.5], [-0.5, 0], [0, -0.5]];
  expected.forEach(([px, py], i) => assert.ok(Math.abs(X.get(i, 0) - px) < 1e-15 && Math.abs(X.get(i, 1) - py) < 1e-15, `point ${i}`));
});

test('makeCircles noise: the radial spread matches the noise level', () => {
  const { X, y } = makeCircles({ nSamples: 4000, factor: 0.5, noise: 0.1, seed: 11 });
  // each coordinate gets N(0, 0.1²): the deviation from the circle along the radius has σ ≈ 0.1
  const dev = y.toArray().map((r, i) => radius(X, i) - (r[0] === 0 ? 1 : 0.5));
  const sd = Math.sqrt(dev.reduce((s, d) => s + d * d, 0) / dev.length);
  assert.ok(Math.abs(sd - 0.1) < 0.01, `radial σ ${sd}`);
});

test('same seed gives identical bytes; different seeds differ', () => {
  const a = makeCircles({ nSamples: 300, factor: 0.5, noise: 0.1, seed: 42 });
  const b = makeCircles({ nSamples: 300, factor: 0.5, noise: 0.1, seed: 42 });
  const c = makeCircles({ nSamples: 300, factor: 0.5, noise: 0.1, seed: 43 });
  assert.deepEqual(Buffer.from(a.X.data.buffer), Buffer.from(b.X.data.buffer));
  assert.deepEqual(Buffer.from(a.y.data.buffer), Buffer.from(b.y.data.buffer));
  assert.notDeepEqual(Buffer.from(a.X.data.buffer), Buffer.from(c.X.data.buffer));
  const m1 = makeMoons({ nSamples: 50, noise: 0.2, seed: 'x' });
  const m2 = makeMoons({ nSamples: 50, noise: 0.2, seed: 'x' });
  assert.ok(m1.X.equals(m2.X) && m1.y.equals(m2.y));
});

test('makeMoons: the upper arc (cos t, sin t) labelled 0, the lower arc (1 − cos t, 0.5 − sin t) labelled 1', () => {
  const { X, y } = makeMoons({ nSamples: 9, shuffle: false, seed: 0 });
  assert.deepEqual(y.toArray().map((r) => r[0]), [0, 0, 0, 0, 1, 1, 1, 1, 1]);
  for (let i = 0; i < 9; i++) {
    const [px, py] = [X.get(i, 0), X.get(i, 1)];
    if (y.get(i, 0) === 0) assert.ok(Math.abs(Math.hypot(px, py) - 1) < 1e-12 && py >= -1e-15);
    else assert.ok(Math.abs(Math.hypot(px - 1, py - 0.5) - 1) < 1e-12 && py <= 0.5 + 1e-15);
  }
  assert.deepEqual([X.get(0, 0), X.get(3, 0)], [1, -1]); // t = 0 and t = π exactly
});

test('a custom RandomSource drives the data: shuffle then noise', () => {
  let draws = 0;
  const zero: RandomSource = { uniform: () => 0, normal: () => { draws++; return 1; } };
  const { X } = makeCircles({ nSamples: 4, factor: 0.5, noise: 0.5, shuffle: false, random: zero });
  assert.equal(draws, 8);
  assert.deepEqual(X.toArray()[0], [1.5, 0.5]);
});

test('trainTestSplit: disjoint parts that together are the data, seeded', () => {
  const { X, y } = makeCircles({ nSamples: 101, factor: 0.5, seed: 1 });
  const s = trainTestSplit(X, y, { testFraction: 0.2, seed: 7 });
  assert.equal(s.XTest.rows, 20);
  assert.equal(s.XTrain.rows, 81);
  const key = (M: Matrix, i: number): string => `${M.get(i, 0)},${M.get(i, 1)}`;
  const all = new Set(Array.from({ length: 101 }, (_, i) => key(X, i)));
  const parts = [...Array.from({ length: 81 }, (_, i) => key(s.XTrain, i)), ...Array.from({ length: 20 }, (_, i) => key(s.XTest, i))];
  assert.equal(new Set(parts).size, 101);
  parts.forEach((k) => assert.ok(all.has(k)));
  const again = trainTestSplit(X, y, { testFraction: 0.2, random: seededRandom(7) });
  assert.ok(again.XTest.equals(s.XTest) && again.yTrain.equals(s.yTrain));
});
