/**
 * The fast kernels against plain loops: the matrix products (TypeScript and WebAssembly, on
 * ordinary arrays and on views inside wasm memory), the element-wise layer steps, the wasm σ and
 * exp against activations.ts and Math.exp, and "no matrix allocated per epoch" once warmed up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Activation, MLP, Matrix, addRowVectorInPlace, binaryCrossEntropy, identity, leakyRelu, makeCircles,
  matmulInto, matmulTInto, matrixAllocationCount, meanSquaredError, relu, sigmoid, sumColumnsInto, tanh,
  tmatmulInto, transposeInto,
} from '../../src';
import { activationGradientInto, addBiasAndActivate } from '../../src/kernels/activation-loops';
import { lossGradientInto, lossKernelsAgree } from '../../src/kernels/loss-loops';
import { KERNELS_WASM_SOURCE_SHA256 } from '../../src/kernels/wasm-binary';
import {
  KernelWorkspace, WasmActivation, decodeBase64, setStagingLimits, setWasmKernelsEnabled, sigmoidKernelAgrees,
  wasmAddBiasActivate, wasmKernelStats, wasmKernelsAvailable,
} from '../../src/kernels/wasm';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A deterministic uniform generator on [−1, 1). */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
}

type Place = 'array' | 'wasm';

/** A pool of wasm memory for test matrices (one workspace per test, large enough for its operands). */
function workspaceFor(values: number): KernelWorkspace {
  return new KernelWorkspace(values, 8, values);
}

function filled(rows: number, cols: number, next: () => number, where: Place, ws: KernelWorkspace | null): Matrix {
  const m = where === 'wasm' && ws !== null ? new Matrix(rows, cols, ws.alloc(rows * cols)) : new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = next();
  return m;
}

/** op(A)·op(B) by the textbook triple loop, each sum from p = 0 up; also Σ|a·b| for the tolerance. */
function naive(
  a: Matrix, b: Matrix, transA: boolean, transB: boolean,
): { c: Float64Array; scale: Float64Array; n: number; m: number } {
  const n = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const m = transB ? b.rows : b.cols;
  const c = new Float64Array(n * m);
  const scale = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a.data[p * a.cols + i] : a.data[i * a.cols + p];
        const y = transB ? b.data[j * b.cols + p] : b.data[p * b.cols + j];
        s += x * y;
        abs += Math.abs(x * y);
      }
      c[i * m + j] = s;
      scale[i * m + j] = abs;
    }
  }
  return { c, scale, n, m };
}

/** |got − want| ≤ 1e-12·Σ|a·b| entry by entry (summation order may differ; rounding may not grow). */
function assertAgrees(got: Float64Array, want: Float64Array, scale: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-12 * scale[i] + 1e-300;
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}: entry ${i}: ${got[i]} vs ${want[i]} (tolerance ${tol})`);
  }
}

function sameBits(x: number, y: number): boolean {
  return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
}

function withWasm<T>(on: boolean, f: () => T): T {
  setWasmKernelsEnabled(on);
  try {
    return f();
  } finally {
    setWasmKernelsEnabled(true);
  }
}

const backends = [
  { name: 'TypeScript', wasm: false },
  { name: 'wasm', wasm: true },
];

type Product = 'A·B' | 'Aᵀ·B' | 'A·Bᵀ';
const products: { name: Product; transA: boolean; transB: boolean }[] = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'Aᵀ·B', transA: true, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
];

/** Runs one product (n x k)·(k x m) through the exported kernel, with operands placed as asked. */
function runProduct(
  kind: { name: Product; transA: boolean; transB: boolean }, n: number, m: number, k: number,
  seed: number, places: [Place, Place, Place],
): { got: Float64Array; want: ReturnType<typeof naive> } {
  const needsWasm = places.includes('wasm');
  const ws = needsWasm ? workspaceFor(n * k + k * m + n * m + 64) : null;
  const next = generator(seed);
  const a = kind.transA ? filled(k, n, next, places[0], ws) : filled(n, k, next, places[0], ws);
  const b = kind.transB ? filled(m, k, next, places[1], ws) : filled(k, m, next, places[1], ws);
  const out = filled(n, m, next, places[2], ws); // garbage in the output: the kernels must overwrite it
  if (kind.name === 'A·B') matmulInto(out, a, b);
  else if (kind.name === 'Aᵀ·B') tmatmulInto(out, a, b);
  else matmulTInto(out, a, b);
  return { got: out.data, want: naive(a, b, kind.transA, kind.transB) };
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

test('src/kernels/wasm-binary.ts was generated from the current assembly/kernels.ts (run `npm run build` if not)', () => {
  const source = readFileSync(resolve(__dirname, '../../assembly/kernels.ts'), 'utf8');
  assert.equal(KERNELS_WASM_SOURCE_SHA256, createHash('sha256').update(source).digest('hex'));
});

test('the WebAssembly kernels load in this Node (SIMD) and their σ agrees with activations.ts', () => {
  assert.equal(wasmKernelsAvailable(), true);
  assert.equal(sigmoidKernelAgrees(), true);
});

// ---------------------------------------------------------------------------------------------
// Matrix products
// ---------------------------------------------------------------------------------------------

const edgeSizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 13];

for (const backend of backends) {
  for (const kind of products) {
    test(`${backend.name} ${kind.name}: every k = 0..9 with edge row and column counts agrees with the triple loop`, () => {
      withWasm(backend.wasm, () => {
        let seed = 1;
        for (let k = 0; k <= 9; k++) {
          for (const n of edgeSizes) {
            for (const m of [0, 1, 2, 3, 4, 5, 7, 9]) {
              for (const places of [['array', 'array', 'array'], ['wasm', 'wasm', 'wasm'], ['wasm', 'array', 'wasm']] as [Place, Place, Place][]) {
                const { got, want } = runProduct(kind, n, m, k, seed++, places);
                assertAgrees(got, want.c, want.scale, `${n}x${k}·${k}x${m} (${places.join('/')})`);
              }
            }
          }
        }
      });
    });

    test(`${backend.name} ${kind.name}: larger and odd shapes (across the 256-term and 256-column blocks) agree with the triple loop`, () => {
      withWasm(backend.wasm, () => {
        const shapes: [number, number, number][] = [
          [33, 17, 65], [64, 64, 64], [101, 3, 130], [5, 300, 257], [258, 7, 513], [17, 130, 600], [1, 513, 300],
          [300, 1, 40], [127, 129, 31],
        ];
        let seed = 1000;
        for (const [n, m, k] of shapes) {
          for (const places of [['array', 'array', 'array'], ['wasm', 'wasm', 'wasm'], ['array', 'wasm', 'array']] as [Place, Place, Place][]) {
            const { got, want } = runProduct(kind, n, m, k, seed++, places);
            assertAgrees(got, want.c, want.scale, `${n}x${k}·${k}x${m} (${places.join('/')})`);
          }
        }
      });
    });
  }
}

test('wasm products add the terms of each entry in order (p = 0 up) when k ≤ 256: the same bits as the triple loop', () => {
  let seed = 5000;
  for (const kind of products) {
    for (const [n, m, k] of [[40, 9, 2], [37, 64, 64], [10, 5, 256], [9, 130, 100]] as [number, number, number][]) {
      const { got, want } = runProduct(kind, n, m, k, seed++, ['wasm', 'wasm', 'wasm']);
      for (let i = 0; i < got.length; i++) assert.ok(sameBits(got[i], want.c[i]), `${kind.name} ${n}x${k}·${k}x${m}: entry ${i}`);
    }
  }
});

test('the TypeScript A·B and A·Bᵀ loops give the same bits as the triple loop (sums from p = 0 up)', () => {
  withWasm(false, () => {
    let seed = 6000;
    for (const kind of [products[0], products[2]]) {
      for (const [n, m, k] of [[40, 9, 2], [37, 5, 3], [10, 5, 4], [9, 13, 50]] as [number, number, number][]) {
        const { got, want } = runProduct(kind, n, m, k, seed++, ['array', 'array', 'array']);
        for (let i = 0; i < got.length; i++) assert.ok(sameBits(got[i], want.c[i]), `${kind.name} ${n}x${k}·${k}x${m}: entry ${i}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Thin products (a dimension of 1 or 2): dedicated wasm loops that add each entry's terms in order,
// whatever k is, so they give the bits of the triple loop exactly.
// ---------------------------------------------------------------------------------------------

/** Random thin shapes: one of n, m, k is 1 or 2, the others from 1 to 700, many odd, some past 256. */
function thinShapes(count: number, seed: number): [number, number, number][] {
  const next = generator(seed);
  const pick = (): number => {
    const r = (next() + 1) / 2;
    return r < 0.3 ? 1 + Math.floor(r * 30) : r < 0.8 ? 1 + Math.floor(r * 150) : 257 + Math.floor(r * 400);
  };
  const out: [number, number, number][] = [];
  while (out.length < count) {
    const shape: [number, number, number] = [pick(), pick(), pick()];
    shape[out.length % 3] = 1 + (out.length % 2); // n, m or k is 1 or 2 in turn
    if (shape[0] * shape[1] * shape[2] >= 1024) out.push(shape); // smaller ones stay in TypeScript
  }
  return out;
}

for (const kind of products) {
  test(`wasm ${kind.name} thin products (n, m or k = 1 or 2; k up to 656) give the bits of the triple loop`, () => {
    let seed = 20000;
    let products = 0;
    for (const [n, m, k] of thinShapes(60, kind.name.length * 7)) {
      for (const places of [['wasm', 'wasm', 'wasm'], ['array', 'wasm', 'wasm'], ['wasm', 'array', 'array']] as [Place, Place, Place][]) {
        const before = wasmKernelStats.products;
        const { got, want } = runProduct(kind, n, m, k, seed++, places);
        products += wasmKernelStats.products - before;
        for (let i = 0; i < got.length; i++) {
          assert.ok(sameBits(got[i], want.c[i]), `${kind.name} ${n}x${k}·${k}x${m} (${places.join('/')}): entry ${i}: ${got[i]} vs ${want.c[i]}`);
        }
      }
    }
    assert.ok(products >= 60, `the wasm kernels computed ${products} of them`); // (not the TypeScript fallback)
  });
}

test('thin products: the TypeScript reference loops give the same bits (A·B, A·Bᵀ) or agree to 1e-12 (Aᵀ·B, two terms at a time)', () => {
  let seed = 21000;
  for (const kind of products) {
    for (const [n, m, k] of thinShapes(24, 99 + kind.name.length)) {
      const wasm = runProduct(kind, n, m, k, seed, ['wasm', 'wasm', 'wasm']);
      const ts = withWasm(false, () => runProduct(kind, n, m, k, seed, ['array', 'array', 'array']));
      seed++;
      if (kind.name === 'Aᵀ·B') {
        assertAgrees(wasm.got, ts.got, wasm.want.scale, `${kind.name} ${n}x${k}·${k}x${m}`);
      } else {
        for (let i = 0; i < ts.got.length; i++) assert.ok(sameBits(wasm.got[i], ts.got[i]), `${kind.name} ${n}x${k}·${k}x${m}: entry ${i}`);
      }
    }
  }
});

test('thin products keep the sign of zero and propagate NaN and infinities like the triple loop', () => {
  for (const [n, m, k] of [[40, 1, 30], [40, 2, 31], [2, 40, 33], [1, 37, 40], [50, 40, 1], [50, 41, 2]] as [number, number, number][]) {
    for (const kind of products) {
      const ws = workspaceFor(n * k + k * m + n * m + 64);
      const a = kind.transA ? filled(k, n, () => 0, 'wasm', ws) : filled(n, k, () => 0, 'wasm', ws);
      const b = kind.transB ? filled(m, k, () => 0, 'wasm', ws) : filled(k, m, () => 0, 'wasm', ws);
      const specials = [-0, 0, 1, -1, Infinity, -Infinity, NaN, 1e308, -1e308, 5e-324];
      a.data.forEach((_, i) => (a.data[i] = specials[(i * 7) % specials.length]));
      b.data.forEach((_, i) => (b.data[i] = specials[(i * 3 + 1) % specials.length]));
      b.data[0] = -0;
      const out = filled(n, m, () => 99, 'wasm', ws);
      if (kind.name === 'A·B') matmulInto(out, a, b);
      else if (kind.name === 'Aᵀ·B') tmatmulInto(out, a, b);
      else matmulTInto(out, a, b);
      const want = naive(a, b, kind.transA, kind.transB).c;
      for (let i = 0; i < want.length; i++) assert.ok(sameBits(out.data[i], want[i]), `${kind.name} ${n}x${k}·${k}x${m}: entry ${i}: ${out.data[i]} vs ${want[i]}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Products too large for the scratch memory: streamed in pieces, or left to TypeScript. (With the
// limits made small here; the real ones are hundreds of MiB, and `new Matrix(17e6, 16).matmul(…)`
// streams 4.4 GB of operands through them.)
// ---------------------------------------------------------------------------------------------

function withLimits<T>(limits: Parameters<typeof setStagingLimits>[0], f: () => T): T {
  setStagingLimits(limits);
  try {
    return f();
  } finally {
    setStagingLimits(null);
  }
}

test('a product larger than the staging limit is streamed through the scratch memory, with the same bits as whole', () => {
  const small = { oneShot: 64 * 1024, piece: 16 * 1024, resident: 64 * 1024 };
  let seed = 22000;
  // (n, m, k) per kind: blocks of rows for A·B and A·Bᵀ, blocks of 256 terms for Aᵀ·B (k > 256 and
  // not a multiple of it), thin ones among them. A lives in a workspace with no room to stage the
  // others (so thin products, whose operands would otherwise stay in TypeScript, go to wasm too).
  const cases: [Product, number, number, number][] = [
    ['A·B', 700, 9, 40], ['A·B', 1203, 2, 300], ['A·B', 999, 70, 2], ['A·Bᵀ', 801, 13, 33], ['A·Bᵀ', 650, 1, 700],
    ['Aᵀ·B', 9, 7, 1700], ['Aᵀ·B', 30, 2, 2000], ['Aᵀ·B', 2, 33, 1500], ['Aᵀ·B', 16, 16, 600],
  ];
  for (const [name, n, m, k] of cases) {
    const kind = products.find((p) => p.name === name) as (typeof products)[number];
    const ws = new KernelWorkspace(n * k + 8, 1, 1);
    const next = generator(seed++);
    const a = kind.transA ? filled(k, n, next, 'wasm', ws) : filled(n, k, next, 'wasm', ws);
    const b = kind.transB ? filled(m, k, next, 'array', null) : filled(k, m, next, 'array', null);
    const run = (): Float64Array => {
      const out = filled(n, m, next, 'array', null);
      if (name === 'A·B') matmulInto(out, a, b);
      else if (name === 'Aᵀ·B') tmatmulInto(out, a, b);
      else matmulTInto(out, a, b);
      return out.data;
    };
    const whole = run();
    const before = wasmKernelStats.products;
    const copiedBefore = wasmKernelStats.copiedValues;
    const streamed = withLimits(small, run);
    assert.equal(wasmKernelStats.products - before, 1, `${name} ${n}x${k}·${k}x${m}: computed by the wasm kernels`);
    // Every operand went through the scratch memory once, in pieces: A, B and C.
    assert.equal(wasmKernelStats.copiedValues - copiedBefore, n * k + k * m + n * m, `${name} ${n}x${k}·${k}x${m}: values copied`);
    for (let i = 0; i < whole.length; i++) {
      assert.ok(sameBits(streamed[i], whole[i]), `${name} ${n}x${k}·${k}x${m}: entry ${i}: ${streamed[i]} vs ${whole[i]}`);
    }
    const want = naive(a, b, kind.transA, kind.transB);
    assertAgrees(streamed, want.c, want.scale, `${name} ${n}x${k}·${k}x${m} vs the triple loop`);
  }
});

test('a product whose operand kept whole exceeds the limit falls back to the TypeScript loops (no engine error)', () => {
  const tiny = { oneShot: 16 * 1024, piece: 8 * 1024, resident: 8 * 1024 };
  let seed = 23000;
  for (const [name, n, m, k] of [['A·B', 300, 40, 40], ['A·Bᵀ', 300, 40, 40], ['Aᵀ·B', 40, 40, 300]] as [Product, number, number, number][]) {
    const kind = products.find((p) => p.name === name) as (typeof products)[number];
    const before = wasmKernelStats.products;
    const got = withLimits(tiny, () => runProduct(kind, n, m, k, seed, ['array', 'array', 'array'])).got;
    assert.equal(wasmKernelStats.products, before, `${name}: not computed in wasm`);
    const reference = withWasm(false, () => runProduct(kind, n, m, k, seed, ['array', 'array', 'array'])).got;
    seed++;
    for (let i = 0; i < got.length; i++) assert.ok(sameBits(got[i], reference[i]), `${name}: entry ${i}`);
  }
  // Element-wise kernels whose staging would pass the limit leave the work to TypeScript too.
  const ws = new KernelWorkspace(4000, 2, 1);
  const z = new Matrix(100, 20, ws.alloc(2000));
  z.data.forEach((_, i) => (z.data[i] = i - 1000));
  const b = Matrix.rowVector(Array.from({ length: 20 }, (_, j) => j));
  const a = new Matrix(100, 20, ws.alloc(2000));
  withLimits({ oneShot: 64, piece: 64, resident: 64 }, () => addBiasAndActivate(z, a, b, relu));
  for (let i = 0; i < 2000; i++) assert.equal(a.data[i], Math.max(0, i - 1000 + (i % 20)));
});

test('a workspace past the 4 GiB of a wasm memory is refused with a named error before anything is allocated', () => {
  assert.throws(() => new KernelWorkspace(600_000_000, 4, 16), /^Error: new KernelWorkspace: 600000000 values .* a WebAssembly memory holds at most/);
});

test('decodeBase64 (no Buffer in browsers) gives the bytes Buffer gives', () => {
  const next = generator(5);
  for (const length of [0, 1, 2, 3, 4, 5, 100, 1001]) {
    const bytes = Uint8Array.from({ length }, () => Math.floor(((next() + 1) / 2) * 256));
    assert.deepEqual(decodeBase64(Buffer.from(bytes).toString('base64')), bytes);
  }
  assert.throws(() => decodeBase64('AB$D'), /decodeBase64: character "\$" at 2/);
});

test('products through the shared scratch memory survive its growth, and workspace views stay attached', () => {
  const ws = workspaceFor(64);
  const kept = new Matrix(4, 4, ws.alloc(16));
  kept.data.fill(7);
  let seed = 7000;
  for (const size of [8, 40, 200, 400]) {
    const { got, want } = runProduct(products[0], size, size, size, seed++, ['array', 'array', 'array']);
    assertAgrees(got, want.c, want.scale, `${size}³`);
  }
  assert.equal(kept.data.length, 16);
  assert.ok(kept.data.every((v) => v === 7));
});

test('KernelWorkspace: zero-filled views inside wasm memory; asking for more than it holds throws', () => {
  const ws = new KernelWorkspace(100, 2, 10);
  const v = ws.alloc(60);
  assert.ok(v instanceof Float64Array);
  assert.equal(v.length, 60);
  assert.ok(v.every((x) => x === 0));
  ws.alloc(40);
  assert.throws(() => ws.alloc(64), /out of room/);
});

// ---------------------------------------------------------------------------------------------
// Element-wise steps
// ---------------------------------------------------------------------------------------------

/** Values that exercise every branch: signs, zeros, tiny, huge, and the edges of the exp algorithm. */
function awkwardValues(count: number, seed: number): number[] {
  const next = generator(seed);
  const special = [0, -0, 1, -1, 1e-300, -1e-300, 5e-324, 2 ** -28, -(2 ** -28), 0.3465, -0.3465, 1.0397, -1.0397,
    20, -20, 36.8, -36.8, 700, -700, 709.8, -709.8, 745.2, -745.2, 1e308, -1e308, Infinity, -Infinity, NaN];
  const out = special.slice();
  while (out.length < count) {
    const r = next();
    out.push(out.length % 3 === 0 ? r * 800 : out.length % 3 === 1 ? r * 8 : r * 1e-3);
  }
  return out;
}

const custom: Activation = {
  name: 'softsign',
  f: (z) => z / (1 + Math.abs(z)),
  df: (z) => 1 / ((1 + Math.abs(z)) * (1 + Math.abs(z))),
  dfFromOutput: (z) => 1 / ((1 + Math.abs(z)) * (1 + Math.abs(z))),
};

for (const f of [relu, sigmoid, tanh, identity, leakyRelu, custom]) {
  for (const where of ['array', 'wasm'] as Place[]) {
    test(`${f.name} (${where}): bias + activation and the backward step give the same bits as the generic .f / .dfFromOutput`, () => {
      for (const [n, k] of [[31, 1], [20, 3], [17, 4], [9, 7], [1, 1], [0, 5]] as [number, number][]) {
        const ws = where === 'wasm' ? workspaceFor(5 * n * k + 16) : null;
        const values = awkwardValues(n * k, n * 31 + k).slice(0, n * k);
        const z = filled(n, k, () => 0, where, ws);
        z.data.set(values);
        const zRef = z.clone();
        const bias = Matrix.rowVector(Array.from({ length: k }, (_, j) => (j % 2 === 0 ? 0.25 * j : -0.5)));
        const a = filled(n, k, () => 99, where, ws);
        addBiasAndActivate(z, a, bias, f);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            const want = zRef.data[i * k + j] + bias.data[j];
            assert.ok(sameBits(z.data[i * k + j], want), `z(${i},${j})`);
            assert.ok(sameBits(a.data[i * k + j], f.f(want)), `${f.name}(${want}) = ${f.f(want)}, got ${a.data[i * k + j]}`);
          }
        }
        const da = filled(n, k, generator(n + k), where, ws);
        const dz = filled(n, k, () => 99, where, ws);
        activationGradientInto(dz, da, z, a, f);
        for (let i = 0; i < n * k; i++) {
          assert.ok(sameBits(dz.data[i], da.data[i] * f.dfFromOutput(z.data[i], a.data[i])), `dz[${i}]`);
        }
      }
    });
  }
}

test('a replaced built-in method is honoured: the dedicated loops are used only for the built-in functions', () => {
  const doubled: Activation = { ...relu, f: (z) => 2 * z };
  const z = Matrix.from([[1, -2, 3]]);
  const a = new Matrix(1, 3);
  addBiasAndActivate(z, a, Matrix.rowVector([0, 0, 0]), doubled);
  assert.deepEqual(Array.from(a.data), [2, -4, 6]);
});

test('wasm σ and exp give the bits of sigmoid.f and Math.exp on 400,000 values across the range', () => {
  const n = 200_000;
  const ws = workspaceFor(2 * n + 64);
  const z = ws.alloc(n);
  const a = ws.alloc(n);
  const next = generator(99);
  for (const range of [30, 1500]) {
    for (let i = 0; i < n; i++) z[i] = next() * range;
    const zs = z.slice();
    const b = new Float64Array(1); // bias 0: z + 0 = z (no −0 among these values)
    assert.ok(wasmAddBiasActivate(z, a, b, n, 1, WasmActivation.Sigmoid));
    for (let i = 0; i < n; i++) {
      assert.ok(sameBits(a[i], sigmoid.f(zs[i])), `σ(${zs[i]}): ${a[i]} vs ${sigmoid.f(zs[i])}`);
    }
  }
  const exp = (ws as unknown as { heap: { kernels: { exp(x: number): number } } }).heap.kernels.exp;
  for (let i = 0; i < 100_000; i++) {
    const x = next() * (i % 2 === 0 ? 750 : 3);
    assert.ok(sameBits(exp(x), Math.exp(x)), `exp(${x})`);
  }
  for (const x of awkwardValues(0, 1)) assert.ok(sameBits(exp(x), Math.exp(x)), `exp(${x})`);
});

test('the wasm gradient of the binary cross-entropy gives the bits of binaryCrossEntropy.dfInto', () => {
  assert.equal(lossKernelsAgree(), true);
  for (const [rows, cols] of [[1, 1], [7, 1], [100, 3], [33, 10]] as [number, number][]) {
    const n = rows * cols;
    const ws = workspaceFor(3 * n + 16);
    const next = generator(rows + cols);
    const y = new Matrix(rows, cols);
    const yhat = new Matrix(rows, cols, ws.alloc(n));
    for (let i = 0; i < n; i++) {
      y.data[i] = i % 7 === 3 ? (next() + 1) / 2 : i % 2;
      yhat.data[i] = i % 11 === 0 ? 0 : i % 13 === 0 ? 1 : (next() + 1) / 2;
    }
    const got = new Matrix(rows, cols, ws.alloc(n));
    lossGradientInto(binaryCrossEntropy, got, y, yhat);
    const want = binaryCrossEntropy.df(y, yhat);
    for (let i = 0; i < n; i++) assert.ok(sameBits(got.data[i], want.data[i]), `entry ${i} of ${rows}x${cols}`);
    const mse = new Matrix(rows, cols, ws.alloc(n));
    lossGradientInto(meanSquaredError, mse, y, yhat); // another loss: its own dfInto
    assert.deepEqual(Array.from(mse.data), Array.from(meanSquaredError.df(y, yhat).data));
  }
});

test('a workspace too small to stage an operand: the call runs in the shared memory and writes back', () => {
  const ws = new KernelWorkspace(200, 4, 1); // room to stage 1 value
  const z = new Matrix(10, 5, ws.alloc(50));
  const a = new Matrix(10, 5, ws.alloc(50));
  z.data.forEach((_, i) => (z.data[i] = i - 25));
  const b = Matrix.rowVector([1, -2, 3, -4, 5]);
  addBiasAndActivate(z, a, b, relu);
  for (let i = 0; i < 50; i++) {
    const v = i - 25 + b.data[i % 5];
    assert.equal(z.data[i], v);
    assert.equal(a.data[i], v > 0 ? v : 0);
  }
  const out = new Matrix(10, 7, ws.alloc(70));
  const w = Matrix.from(Array.from({ length: 5 }, (_, i) => Array.from({ length: 7 }, (_, j) => i - j)));
  matmulInto(out, z, w);
  assert.ok(out.maxAbsDiff(z.matmul(w)) === 0);
});

test('sumColumnsInto and addRowVectorInPlace give the same bits in wasm memory as the loops', () => {
  for (const [n, k] of [[0, 3], [1, 1], [33, 1], [40, 3], [65, 4], [70, 9], [129, 64]] as [number, number][]) {
    const ws = workspaceFor(3 * n * k + 64);
    const next = generator(n * 7 + k);
    const a = filled(n, k, next, 'wasm', ws);
    const plain = a.clone();
    const want = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) want[j] += plain.data[i * k + j];
    const got = new Float64Array(k).fill(5);
    sumColumnsInto(got, a.data, n, k);
    for (let j = 0; j < k; j++) assert.ok(sameBits(got[j], want[j]), `column ${j} of ${n}x${k}`);
    const b = filled(1, k, next, 'array', null);
    addRowVectorInPlace(a, b);
    for (let i = 0; i < n * k; i++) assert.ok(sameBits(a.data[i], plain.data[i] + b.data[i % k]), `entry ${i}`);
  }
  const t = new Float64Array(6);
  transposeInto(t, new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3);
  assert.deepEqual(Array.from(t), [1, 4, 2, 5, 3, 6]);
});

// ---------------------------------------------------------------------------------------------
// The MLP's training loop
// ---------------------------------------------------------------------------------------------

function data(n: number, d: number, k: number, seed: number): { X: Matrix; y: Matrix } {
  if (d === 2 && k === 1) return makeCircles({ nSamples: n, factor: 0.5, noise: 0.1, seed });
  const next = generator(seed);
  const X = new Matrix(n, d);
  for (let i = 0; i < X.data.length; i++) X.data[i] = (next() + 1) / 2;
  const y = new Matrix(n, k);
  for (let s = 0; s < n; s++) y.data[s * k + Math.floor(((next() + 1) / 2) * k)] = 1;
  return { X, y };
}

const networks: { layers: number[]; activations: Activation[]; n: number }[] = [
  { layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], n: 1000 },
  { layers: [2, 64, 64, 1], activations: [relu, relu, sigmoid], n: 500 },
  { layers: [78, 32, 10], activations: [relu, sigmoid], n: 300 },
  { layers: [3, 5, 2], activations: [tanh, identity], n: 7 },
];

for (const net of networks) {
  test(`fit ${net.layers.join('-')} on ${net.n} samples allocates no matrix per epoch once warmed up (wasm and TypeScript)`, () => {
    for (const on of [true, false]) {
      withWasm(on, () => {
        const { X, y } = data(net.n, net.layers[0], net.layers[net.layers.length - 1], 3);
        const loss = net.activations[net.activations.length - 1] === sigmoid ? binaryCrossEntropy : meanSquaredError;
        const mlp = new MLP({ layers: net.layers, activations: net.activations, loss, seed: 1 });
        mlp.fit(X, y, { epochs: 1, learningRate: 1e-3 });
        const before = matrixAllocationCount();
        mlp.fit(X, y, { epochs: 20, learningRate: 1e-3 });
        assert.equal(matrixAllocationCount() - before, 0);
      });
    }
  });

  test(`fit ${net.layers.join('-')}: the wasm kernels and the TypeScript kernels train the same network (to ~1e-12)`, () => {
    const { X, y } = data(net.n, net.layers[0], net.layers[net.layers.length - 1], 4);
    const loss = net.activations[net.activations.length - 1] === sigmoid ? binaryCrossEntropy : meanSquaredError;
    const run = (on: boolean): { history: number[]; W: Matrix[]; da0: Matrix } =>
      withWasm(on, () => {
        const mlp = new MLP({ layers: net.layers, activations: net.activations, loss, seed: 2 });
        const history = mlp.fit(X, y, { epochs: 10, learningRate: 1e-2 }).loss;
        return { history, W: mlp.W.slice(1).map((w) => w.clone()), da0: mlp.da[0].clone() };
      });
    const fast = run(true);
    const reference = run(false);
    fast.history.forEach((l, e) => assert.ok(Math.abs(l - reference.history[e]) <= 1e-12 * Math.abs(reference.history[e]), `loss at epoch ${e}`));
    fast.W.forEach((w, l) => {
      const scale = Math.max(...reference.W[l].data.map(Math.abs));
      assert.ok(w.maxAbsDiff(reference.W[l]) <= 1e-12 * scale, `W[${l + 1}]`);
    });
    const scale = Math.max(1e-300, ...reference.da0.data.map(Math.abs));
    assert.ok(fast.da0.maxAbsDiff(reference.da0) <= 1e-12 * scale, 'da[0]');
  });
}

test('the MLP keeps its batch buffers in wasm memory: per epoch only X, y, W, b, dW and db are copied', () => {
  const { X, y } = data(400, 50, 10, 5);
  const mlp = new MLP({ layers: [50, 40, 10], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 3 });
  mlp.fit(X, y, { epochs: 1, learningRate: 1e-3 });
  const before = wasmKernelStats.copiedValues;
  mlp.fit(X, y, { epochs: 4, learningRate: 1e-3 });
  const perEpoch = (wasmKernelStats.copiedValues - before) / 4;
  // X and y once per fit call (they stay in wasm memory for all epochs); per epoch W[l] twice and
  // dW[l] once per layer, except W[1] once (fit skips da[0] = dz[1]·W[1]ᵀ); b[l] and db[l] once each.
  const expected = (400 * 50 + 400 * 10) / 4 + 2 * 50 * 40 + 3 * 40 * 10 + 2 * (40 + 10);
  assert.equal(perEpoch, expected);
});
