/**
 * Two threads for the large products (src/kernels/threads.ts): the same bits as one thread for
 * every kind of product and for whole training runs; the switch (setKernelThreads and
 * BACKPROP_THREADS); no worker keeps a process alive; an interrupted product (tslab's interrupt)
 * leaves the next ones right; and the library without Node: the browser bundle of src/index.ts in
 * a context with no Buffer, process, require or SharedArrayBuffer (one thread, wasm), and with no
 * WebAssembly either (the TypeScript loops), giving the bits of the Node process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import vm from 'node:vm';
import { buildSync } from 'esbuild';
import {
  Activation, MLP, Matrix, binaryCrossEntropy, kernelThreads, makeCircles, matmulInto, matmulTInto,
  meanSquaredError, relu, setKernelThreads, sigmoid, tanh, tmatmulInto,
} from '../../src';
import { KernelWorkspace, setStagingLimits, setWasmKernelsEnabled, wasmKernelStats } from '../../src/kernels/wasm';
import { THREAD_MIN_ENTRIES, THREAD_MIN_WORK, threadStats, workerReady } from '../../src/kernels/threads';
import { activationGradientInto, addBiasAndActivate } from '../../src/kernels/activation-loops';
import { sumColumnsInto } from '../../src';

const root = resolve(__dirname, '../..');

function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Starts the worker (with a large product) and waits until it is ready. */
async function readyWorker(): Promise<void> {
  setKernelThreads(2);
  product('A·B', 300, 300, 300, 0, 2); // (compiles the shared-memory kernels and starts the worker)
  for (let i = 0; i < 2000 && !workerReady(); i++) await sleep(10);
  assert.equal(workerReady(), true, 'the worker thread started');
}

type Product = 'A·B' | 'Aᵀ·B' | 'A·Bᵀ';

/** op(A)·op(B) (C n x m, k terms) with operands in a workspace made under `threads`, inputs from `seed`. */
function product(name: Product, n: number, m: number, k: number, seed: number, threads: 1 | 2): Float64Array {
  setKernelThreads(threads);
  const ws = new KernelWorkspace(n * k + k * m + n * m + 64, 4, 16);
  const next = generator(seed);
  const make = (rows: number, cols: number): Matrix => {
    const x = new Matrix(rows, cols, ws.alloc(rows * cols));
    for (let i = 0; i < x.data.length; i++) x.data[i] = next();
    return x;
  };
  const a = name === 'Aᵀ·B' ? make(k, n) : make(n, k);
  const b = name === 'A·Bᵀ' ? make(m, k) : make(k, m);
  const c = make(n, m);
  if (name === 'A·B') matmulInto(c, a, b);
  else if (name === 'Aᵀ·B') tmatmulInto(c, a, b);
  else matmulTInto(c, a, b);
  return c.data.slice();
}

function assertSameBits(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], want[i]), `${what}: entry ${i}: ${got[i]} vs ${want[i]}`);
}

test('kernelThreads / setKernelThreads: 2 by default here (Node, 2 CPUs), 1 when set; bad counts are refused', () => {
  setKernelThreads(2);
  assert.equal(kernelThreads(), 2);
  setKernelThreads(1);
  assert.equal(kernelThreads(), 1);
  setKernelThreads(2);
  assert.throws(() => setKernelThreads(3 as 2), /^Error: setKernelThreads: count must be 1 or 2; received 3$/);
});

test('two threads give the bits of one for every kind of product (blocked and thin), and the worker computes pieces of them', async () => {
  await readyWorker();
  // Shapes above THREAD_MIN_WORK: blocked products with k < 256 and k > 256 (blocks of terms),
  // more rows than columns and the reverse (split by rows or by columns), and the thin kinds.
  const shapes: [Product, number, number, number][] = [
    ['A·B', 1000, 130, 300], ['A·B', 70, 900, 301], ['A·B', 3001, 64, 64], ['A·B', 5000, 2, 70], ['A·B', 4000, 64, 2],
    ['A·B', 2, 3000, 90], ['A·B', 777, 1, 777],
    ['Aᵀ·B', 300, 130, 1500], ['Aᵀ·B', 64, 64, 3333], ['Aᵀ·B', 2, 64, 9000], ['Aᵀ·B', 200, 1, 9000], ['Aᵀ·B', 700, 300, 2],
    ['A·Bᵀ', 1500, 300, 128], ['A·Bᵀ', 4000, 2, 64], ['A·Bᵀ', 2, 4000, 70], ['A·Bᵀ', 5003, 65, 1], ['A·Bᵀ', 50, 2000, 300],
  ];
  const jobs = threadStats.jobs;
  const pieces = threadStats.workerPieces;
  let seed = 1;
  for (const [name, n, m, k] of shapes) {
    assert.ok(n * m * k >= THREAD_MIN_WORK, `${name} ${n}x${m}x${k} is large enough to be shared`);
    const one = product(name, n, m, k, seed, 1);
    const before = wasmKernelStats.threadedProducts;
    const two = product(name, n, m, k, seed, 2);
    assert.equal(wasmKernelStats.threadedProducts - before, 1, `${name} ${n}x${k}·${k}x${m} ran on two threads`);
    assertSameBits(two, one, `${name} ${n}x${k}·${k}x${m}`);
    seed++;
  }
  assert.equal(threadStats.jobs - jobs, shapes.length);
  // The worker wakes within microseconds of a job, and the products take milliseconds: it takes
  // pieces (retrying a few products in case this machine was too busy to schedule it).
  for (let r = 0; r < 50 && threadStats.workerPieces === pieces; r++) product('A·B', 2000, 200, 300, r, 2);
  assert.ok(threadStats.workerPieces > pieces, 'the worker thread computed pieces');
});

test('two threads give the bits of one for the element-wise kernels: bias + relu / σ / identity, relu\', column sums', async () => {
  await readyWorker();
  // Odd and even row and column counts: pieces of an even number of rows keep the pairs of
  // entries (and their biases) where one thread has them; an odd total ends on a lone entry.
  for (const [n, k] of [[20001, 5], [4099, 64], [70001, 1], [9000, 33], [33333, 3]] as [number, number][]) {
    assert.ok(n * k >= THREAD_MIN_ENTRIES);
    const run = (threads: 1 | 2): Float64Array[] => {
      setKernelThreads(threads);
      const ws = new KernelWorkspace(8 * n * k + 64, 10, 4 * k + 64);
      const next = generator(n + k);
      const view = (): Matrix => new Matrix(n, k, ws.alloc(n * k));
      const z = view();
      z.data.forEach((_, i) => (z.data[i] = next() * (i % 3 === 0 ? 40 : 2)));
      const b = Matrix.rowVector(Array.from({ length: k }, () => next()));
      const a = view();
      const out: Float64Array[] = [];
      for (const f of [relu, sigmoid, tanh]) { // (tanh: the bias by addRowVectorInPlace, identity in wasm)
        const zf = view();
        zf.data.set(z.data);
        addBiasAndActivate(zf, a, b, f);
        out.push(zf.data.slice(), a.data.slice());
      }
      const da = view();
      da.data.forEach((_, i) => (da.data[i] = next()));
      const dz = view();
      activationGradientInto(dz, da, z, a, relu);
      out.push(dz.data.slice());
      const sums = new Float64Array(k);
      sumColumnsInto(sums, da.data, n, k);
      out.push(sums);
      return out;
    };
    const one = run(1);
    const jobs = threadStats.jobs;
    const two = run(2);
    assert.ok(threadStats.jobs > jobs, `${n}x${k}: element-wise jobs ran on two threads`);
    one.forEach((want, i) => assertSameBits(two[i], want, `${n}x${k}: result ${i}`));
  }
  setKernelThreads(2);
});

test('streamed products (past the staging limit) on two threads give the bits of one', async () => {
  await readyWorker();
  setStagingLimits({ oneShot: 1 << 20, piece: 1 << 19, resident: 1 << 20 });
  try {
    for (const [name, n, m, k] of [['A·B', 3000, 40, 300], ['Aᵀ·B', 128, 100, 5000], ['A·Bᵀ', 3000, 8, 200]] as [Product, number, number, number][]) {
      const run = (threads: 1 | 2): Float64Array => {
        setKernelThreads(threads);
        const next = generator(n + m + k);
        const a = name === 'Aᵀ·B' ? new Matrix(k, n) : new Matrix(n, k);
        const b = name === 'A·Bᵀ' ? new Matrix(m, k) : new Matrix(k, m);
        a.data.forEach((_, i) => (a.data[i] = next()));
        b.data.forEach((_, i) => (b.data[i] = next()));
        const c = new Matrix(n, m);
        if (name === 'A·B') matmulInto(c, a, b);
        else if (name === 'Aᵀ·B') tmatmulInto(c, a, b);
        else matmulTInto(c, a, b);
        return c.data;
      };
      const one = run(1);
      const before = wasmKernelStats.threadedProducts;
      const two = run(2);
      assert.ok(wasmKernelStats.threadedProducts > before, `${name}: pieces ran on two threads`);
      assertSameBits(two, one, `${name} ${n}x${k}·${k}x${m}`);
    }
  } finally {
    setStagingLimits(null);
    setKernelThreads(2);
  }
});

const networks: { layers: number[]; activations: Activation[]; n: number }[] = [
  { layers: [2, 64, 64, 1], activations: [relu, relu, sigmoid], n: 3000 },
  { layers: [300, 64, 10], activations: [relu, sigmoid], n: 1200 },
  { layers: [5, 40, 2], activations: [tanh, relu], n: 5000 },
];

for (const net of networks) {
  test(`fit ${net.layers.join('-')} on ${net.n} samples: two threads train the very same network as one (every bit)`, async () => {
    await readyWorker();
    const next = generator(net.n);
    const d = net.layers[0];
    const k = net.layers[net.layers.length - 1];
    const { X, y } = d === 2 && k === 1 ? makeCircles({ nSamples: net.n, factor: 0.5, noise: 0.1, seed: 3 }) : (() => {
      const X = new Matrix(net.n, d);
      X.data.forEach((_, i) => (X.data[i] = next()));
      const y = new Matrix(net.n, k);
      for (let s = 0; s < net.n; s++) y.data[s * k + (s % k)] = 1;
      return { X, y };
    })();
    const loss = net.activations[net.activations.length - 1] === sigmoid ? binaryCrossEntropy : meanSquaredError;
    const train = (threads: 1 | 2): { loss: number[]; params: Float64Array[]; da0: Float64Array } => {
      setKernelThreads(threads);
      const mlp = new MLP({ layers: net.layers, activations: net.activations, loss, seed: 5 });
      const history = mlp.fit(X, y, { epochs: 6, learningRate: 1e-3 });
      return { loss: history.loss, params: mlp.parameters().map((p) => p.value.data.slice()), da0: mlp.da[0].data.slice() };
    };
    const one = train(1);
    const before = wasmKernelStats.threadedProducts;
    const two = train(2);
    setKernelThreads(2);
    assert.ok(wasmKernelStats.threadedProducts > before, 'some products ran on two threads');
    assert.deepEqual(two.loss, one.loss);
    two.params.forEach((p, i) => assertSameBits(p, one.params[i], `parameter ${i}`));
    assertSameBits(two.da0, one.da0, 'da[0]');
  });
}

// ---------------------------------------------------------------------------------------------
// Child processes: the worker never keeps a process alive; BACKPROP_THREADS; interrupting.
// ---------------------------------------------------------------------------------------------

/** Runs test/support/threads-child.ts in `mode`; resolves with its JSON line once it has exited by itself. */
function child(mode: string, env: Record<string, string> = {}, whileRunning?: (line: string, kill: () => void) => void):
Promise<{ code: number | null; result: Record<string, unknown> }> {
  return new Promise((done, failed) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'test/support/threads-child.ts'), mode], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      failed(new Error(`threads-child ${mode} did not exit by itself within 60 s; stdout: ${out}; stderr: ${err}`));
    }, 60_000);
    proc.stdout.on('data', (chunk: Buffer) => {
      out += String(chunk);
      if (whileRunning !== undefined && out.includes('looping\n')) whileRunning('looping', () => proc.kill('SIGINT'));
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) failed(new Error(`threads-child ${mode} printed no result (exit ${code}); stdout: ${out}; stderr: ${err}`));
      else done({ code, result: JSON.parse(line) as Record<string, unknown> });
    });
  });
}

test('a process that used the worker thread exits by itself when its script ends (the worker is unref\'ed)', async () => {
  const { code, result } = await child('exit');
  assert.equal(code, 0);
  assert.equal(result.ready, true);
  assert.equal(result.threaded, 5);
  assert.equal(result.same, true);
});

test('BACKPROP_THREADS=1 keeps every product on one thread (no worker is started); by default two', async () => {
  const one = await child('setting', { BACKPROP_THREADS: '1' });
  assert.deepEqual(one.result, { threads: 1, threaded: 0, workersStarted: 0 });
  const two = await child('setting', { BACKPROP_THREADS: '' });
  assert.equal(two.result.threads, 2);
  assert.equal(two.result.workersStarted, 1);
});

test('interrupting a loop of two-thread products (SIGINT, as tslab interrupts a cell) leaves the next products right, and the process exits', async () => {
  let sent = false;
  const { code, result } = await child('interrupt', {}, (_line, kill) => {
    if (!sent) {
      sent = true;
      setTimeout(kill, 400); // in the middle of the loop's products
    }
  });
  assert.equal(code, 0);
  assert.equal(result.ready, true);
  assert.match(String(result.interrupted), /interrupted/i);
  assert.equal(result.same, true);
});

// ---------------------------------------------------------------------------------------------
// Without Node: the browser bundle.
// ---------------------------------------------------------------------------------------------

/** src/index.ts bundled for browsers (esbuild, as the exported pages bundle it), as one script defining `BP`. */
function browserBundle(): string {
  const result = buildSync({
    entryPoints: [resolve(root, 'src/index.ts')], bundle: true, format: 'iife', globalName: 'BP', platform: 'browser',
    write: false, logLevel: 'silent',
  });
  assert.deepEqual(result.warnings.map((w) => w.text), [], 'esbuild warnings');
  return result.outputFiles[0].text;
}

/** A training run and a few products computed by the library, as JSON-able numbers. */
const RUN = `(() => {
  const { MLP, Matrix, relu, sigmoid, binaryCrossEntropy, makeCircles } = BP;
  const { X, y } = makeCircles({ nSamples: 600, factor: 0.5, noise: 0.1, seed: 1 });
  const net = new MLP({ layers: [2, 64, 64, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 4 });
  const history = net.fit(X, y, { epochs: 5, learningRate: 1e-3 });
  const A = new Matrix(300, 200), B = new Matrix(200, 90);
  for (let i = 0; i < A.data.length; i++) A.data[i] = Math.sin(i);
  for (let i = 0; i < B.data.length; i++) B.data[i] = Math.cos(i);
  return JSON.stringify({
    loss: history.loss, W: net.W.slice(1).map((w) => Array.from(w.data)),
    AB: Array.from(A.matmul(B).data), AtA: Array.from(A.tmatmul(A).data), ABt: Array.from(B.matmulT(B).data),
    threads: BP.kernelThreads(),
  });
})()`;

function runInNode(): string {
  const g = globalThis as unknown as Record<string, unknown>;
  g.BP = require('../../src');
  try {
    return vm.runInThisContext(RUN) as string;
  } finally {
    delete g.BP;
  }
}

test('the browser bundle runs in a context without Buffer, process, require or SharedArrayBuffer: one thread, wasm, the bits of Node', async () => {
  const bundle = browserBundle();
  assert.ok(!/\bBuffer\./.test(bundle), 'the bundle uses no Buffer');
  const context = vm.createContext({});
  vm.runInContext('delete globalThis.SharedArrayBuffer;', context);
  assert.equal(vm.runInContext('typeof Buffer + typeof process + typeof require + typeof SharedArrayBuffer + typeof WebAssembly', context),
    'undefinedundefinedundefinedundefinedobject');
  vm.runInContext(bundle, context);
  const inBrowser = JSON.parse(vm.runInContext(RUN, context) as string) as Record<string, unknown>;
  assert.equal(inBrowser.threads, 1);
  await readyWorker();
  const inNode = JSON.parse(runInNode()) as Record<string, unknown>; // wasm, two threads
  assert.equal(inNode.threads, 2);
  delete inBrowser.threads;
  delete inNode.threads;
  assert.deepEqual(inBrowser, inNode);
});

test('the browser bundle without WebAssembly either: the TypeScript loops, the bits of Node\'s TypeScript loops', () => {
  const context = vm.createContext({});
  vm.runInContext('delete globalThis.SharedArrayBuffer; delete globalThis.WebAssembly;', context);
  vm.runInContext(browserBundle(), context);
  const inBrowser = JSON.parse(vm.runInContext(RUN, context) as string) as Record<string, unknown>;
  setWasmKernelsEnabled(false);
  let inNode: Record<string, unknown>;
  try {
    inNode = JSON.parse(runInNode()) as Record<string, unknown>;
  } finally {
    setWasmKernelsEnabled(true);
  }
  delete inBrowser.threads;
  delete inNode.threads;
  assert.deepEqual(inBrowser, inNode);
});
