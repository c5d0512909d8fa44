import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { NumpyRandomState } from '../../src/replay/numpy-random';
import { fma, glibcLog } from '../../src/replay/glibc-log';
import { makeCircles, makeMoons } from '../../src/data/datasets';

// Oracles written by scripts/make-fixtures.py from numpy's legacy RandomState, libm and scikit-learn.
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as T;

interface SeedFixture {
  seed: number;
  uint32: [number, number][];
  randomSample: number[];
  normal: number[];
  randn3x4: number[][];
  interleaved: { op: string; out: number | number[] | number[][] }[];
  shuffles: Record<string, number[]>;
  randomInterval: [number, number[]][];
}
const numpy = fixture<{ versions: Record<string, string>; seeds: SeedFixture[]; log: [string, string][]; fma: string[][] }>(
  'numpy-random.json',
);

/** A float64 from the 16 hex digits of its bit pattern (how fixtures carry NaN, ±inf and −0). */
const fromBits = (hex: string): number => new DataView(new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16))).buffer).getFloat64(0);

test('fixtures record the numpy and scikit-learn versions they came from', () => {
  assert.match(numpy.versions.numpy, /^\d+\.\d+/);
  assert.match(numpy.versions.sklearn, /^\d+\.\d+/);
});

test('NumpyRandomState(seed) gives numpy\'s raw uint32 stream, across two regenerations of the state', () => {
  for (const s of numpy.seeds) {
    const rs = new NumpyRandomState(s.seed);
    const stream = Array.from({ length: s.uint32[s.uint32.length - 1][0] + 1 }, () => rs.nextUint32());
    for (const [i, expected] of s.uint32) assert.equal(stream[i], expected, `seed ${s.seed}, draw ${i}`);
  }
});

test('uniform() and randomSample(n) equal numpy\'s random_sample bit for bit', () => {
  for (const s of numpy.seeds) {
    const rs = new NumpyRandomState(s.seed);
    s.randomSample.forEach((v, i) => assert.equal(rs.uniform(), v, `seed ${s.seed}, draw ${i}`));
    assert.deepEqual(Array.from(new NumpyRandomState(s.seed).randomSample(s.randomSample.length)), s.randomSample);
  }
});

test('normal() equals numpy\'s legacy standard_normal bit for bit (200 draws per seed)', () => {
  for (const s of numpy.seeds) {
    const rs = new NumpyRandomState(s.seed);
    s.normal.forEach((v, i) => assert.equal(rs.normal(), v, `seed ${s.seed}, draw ${i}`));
  }
});

test('randn(3, 4) fills row by row like numpy\'s randn(3, 4)', () => {
  for (const s of numpy.seeds) {
    const m = new NumpyRandomState(s.seed).randn(3, 4);
    assert.deepEqual(m.shape, [3, 4]);
    assert.deepEqual(m.toArray(), s.randn3x4);
  }
});

test('the cached second Gaussian survives uniforms, raw draws and shuffles in between, as in numpy', () => {
  for (const s of numpy.seeds) {
    const rs = new NumpyRandomState(s.seed);
    for (const [k, step] of s.interleaved.entries()) {
      const where = `seed ${s.seed}, step ${k} (${step.op})`;
      if (step.op === 'normal') assert.equal(rs.normal(), step.out, where);
      else if (step.op === 'uniform') assert.equal(rs.uniform(), step.out, where);
      else if (step.op === 'uint32') assert.equal(rs.nextUint32(), step.out, where);
      else if (step.op.startsWith('shuffle:')) {
        const a = Array.from({ length: Number(step.op.slice(8)) }, (_, i) => i);
        rs.shuffle(a);
        assert.deepEqual(a, step.out, where);
      } else if (step.op.startsWith('randn:')) {
        const [r, c] = step.op.slice(6).split('x').map(Number);
        assert.deepEqual(rs.randn(r, c).toArray(), step.out, where);
      } else assert.fail(`unknown step ${step.op}`);
    }
  }
});

test('shuffle permutes like numpy\'s RandomState.shuffle of arange(n), one generator for n = 0, 1, 2, 3, 10, 1000', () => {
  for (const s of numpy.seeds) {
    const rs = new NumpyRandomState(s.seed);
    for (const [n, expected] of Object.entries(s.shuffles)) {
      const a = Array.from({ length: Number(n) }, (_, i) => i);
      rs.shuffle(a);
      assert.deepEqual(a, expected, `seed ${s.seed}, n ${n}`);
    }
  }
});

test('randomInterval(max) draws as numpy\'s masked rejection sampler, including the 64-bit branch', () => {
  for (const s of numpy.seeds) {
    const rs = new NumpyRandomState(s.seed);
    for (const [max, expected] of s.randomInterval) {
      for (const v of expected) assert.equal(rs.randomInterval(max), v, `seed ${s.seed}, max ${max}`);
    }
  }
});

test('glibcLog equals libm\'s log bit for bit, where Math.log often does not', () => {
  let mathLogDiffers = 0;
  for (const [x, y] of numpy.log) {
    const xv = fromBits(x);
    assert.ok(Object.is(glibcLog(xv), fromBits(y)), `log(${xv}): expected ${fromBits(y)}, got ${glibcLog(xv)}`);
    if (!Object.is(Math.log(xv), fromBits(y))) mathLogDiffers++;
  }
  assert.ok(mathLogDiffers > 0, 'the fixture should include inputs where Math.log is off by an ulp');
});

test('fma(a, b, c) rounds a·b + c once (exact rational oracle)', () => {
  for (const [a, b, c, r] of numpy.fma) {
    const [av, bv, cv] = [fromBits(a), fromBits(b), fromBits(c)];
    assert.ok(Object.is(fma(av, bv, cv), fromBits(r)), `fma(${av}, ${bv}, ${cv}): expected ${fromBits(r)}, got ${fma(av, bv, cv)}`);
  }
});

/** x = m·2^e exactly, m an integer. */
function exact(x: number): { m: bigint; e: number } {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  const raw = v.getBigUint64(0);
  const biased = Number((raw >> 52n) & 0x7ffn);
  let m = raw & ((1n << 52n) - 1n);
  if (biased > 0) m |= 1n << 52n;
  if (raw >> 63n) m = -m;
  return { m, e: (biased > 0 ? biased : 1) - 1075 };
}

test('property: fma(a, b, −a·b) is the exact rounding error of the product a·b', () => {
  const moderate = fc.double({ min: -1e30, max: 1e30, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-30);
  fc.assert(
    fc.property(moderate, moderate, (a, b) => {
      const p = a * b;
      const [ea, eb, ep] = [exact(a), exact(b), exact(p)];
      const lo = Math.min(ea.e + eb.e, ep.e);
      const err = ea.m * eb.m * 2n ** BigInt(ea.e + eb.e - lo) - ep.m * 2n ** BigInt(ep.e - lo);
      return fma(a, b, -p) === Number(err) * 2 ** lo; // the error is a double: Number(err) is exact
    }),
    { numRuns: 2000 },
  );
});

test('NumpyRandomState rejects a seed numpy would reject, naming seed, the range and the value', () => {
  for (const bad of [-1, 2 ** 32, 1.5, NaN, Infinity]) {
    assert.throws(() => new NumpyRandomState(bad), (e: Error) =>
      /seed/.test(e.message) && /\[0, 2\*\*32 - 1\]/.test(e.message) && e.message.includes(`received ${bad}`));
  }
  assert.throws(() => new NumpyRandomState('7' as unknown as number), /seed must be an integer .*received "7"/);
  assert.throws(() => new NumpyRandomState(undefined as unknown as number), /received undefined/);
  assert.doesNotThrow(() => new NumpyRandomState(2 ** 32 - 1));
  assert.throws(() => new NumpyRandomState(0).randn(-1, 2), /randn: rows must be a non-negative integer; received -1/);
  assert.throws(() => new NumpyRandomState(0).randomSample(2.5), /randomSample: n must be a non-negative integer; received 2.5/);
  assert.throws(() => new NumpyRandomState(0).randomInterval(2 ** 53), /randomInterval: max must be an integer in \[0, 2\*\*53 - 1\]/);
});

interface DatasetCase {
  kind: 'circles' | 'moons';
  seed: number;
  n_samples: number;
  factor?: number;
  noise: number | null;
  shuffle?: boolean;
  X: number[][];
  y: number[];
}

test('makeCircles / makeMoons with NumpyRandomState(s) match scikit-learn after np.random.seed(s) to 1e-12', () => {
  const { cases } = fixture<{ cases: DatasetCase[] }>('sklearn-datasets.json');
  assert.ok(cases.some((c) => c.kind === 'moons') && cases.some((c) => c.noise === null) && cases.some((c) => c.noise === 0));
  for (const c of cases) {
    const options = {
      nSamples: c.n_samples,
      noise: c.noise ?? undefined,
      shuffle: c.shuffle,
      random: new NumpyRandomState(c.seed),
    };
    const { X, y } = c.kind === 'circles' ? makeCircles({ ...options, factor: c.factor }) : makeMoons(options);
    const where = `${c.kind} n=${c.n_samples} seed=${c.seed} noise=${c.noise} shuffle=${c.shuffle ?? true}`;
    assert.deepEqual(X.shape, [c.n_samples, 2], where);
    assert.deepEqual(y.column(0), c.y, where);
    const worst = Math.max(...c.X.flatMap((row, i) => row.map((v, j) => Math.abs(v - X.get(i, j)))));
    assert.ok(worst <= 1e-12, `${where}: max |difference| ${worst}`);
  }
});
