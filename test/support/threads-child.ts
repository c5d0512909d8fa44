/**
 * A child process for test/unit/threads.test.ts: uses the two-thread products, prints one JSON
 * line of what it saw, and must then exit by itself (the worker thread may not keep it alive).
 *
 *   node --import tsx test/support/threads-child.ts exit        # a threaded product, then the end of the script
 *   node --import tsx test/support/threads-child.ts setting     # what BACKPROP_THREADS chose
 *   node --import tsx test/support/threads-child.ts interrupt   # threaded products in a loop that SIGINT breaks
 *
 * In `interrupt` mode it prints `looping` once the loop runs (inside vm.runInThisContext with
 * breakOnSigint, as tslab runs a cell); the test then sends SIGINT, and the child checks that the
 * next products are right.
 */
import vm from 'node:vm';
import { Matrix, matmulInto, tmatmulInto } from '../../src';
import { KernelWorkspace, wasmKernelStats } from '../../src/kernels/wasm';
import { kernelThreads, setKernelThreads, threadStats, threadsBusy, workerReady } from '../../src/kernels/threads';

const mode = process.argv[2];

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (up to 20 s) until the worker has started; false if it never does. */
function waitForWorker(): boolean {
  for (let i = 0; i < 2000; i++) {
    if (workerReady()) return true;
    sleep(10);
  }
  return false;
}

/** Operands of an n x k · k x m product in a workspace created under the current thread setting. */
function operands(n: number, k: number, m: number): { a: Matrix; b: Matrix; c: Matrix } {
  const ws = new KernelWorkspace(n * k + k * m + n * m + 64, 4, 16);
  const a = new Matrix(n, k, ws.alloc(n * k));
  const b = new Matrix(k, m, ws.alloc(k * m));
  const c = new Matrix(n, m, ws.alloc(n * m));
  for (let i = 0; i < a.data.length; i++) a.data[i] = Math.sin(i * 0.37);
  for (let i = 0; i < b.data.length; i++) b.data[i] = Math.cos(i * 0.11);
  return { a, b, c };
}

function sameBits(x: Float64Array, y: Float64Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

/** C = A·B on one thread (reference bits) and on two threads. */
function oneAndTwo(n: number, k: number, m: number): { reference: Float64Array; two: Float64Array } {
  setKernelThreads(1);
  const one = operands(n, k, m);
  matmulInto(one.c, one.a, one.b);
  setKernelThreads(2);
  const two = operands(n, k, m);
  matmulInto(two.c, two.a, two.b);
  return { reference: one.c.data.slice(), two: two.c.data };
}

if (mode === 'exit') {
  setKernelThreads(2);
  operands(8, 8, 8); // (creates nothing threaded: the worker starts on the first large product)
  const warm = operands(600, 300, 200);
  matmulInto(warm.c, warm.a, warm.b); // starts the worker
  const ready = waitForWorker();
  const before = wasmKernelStats.threadedProducts;
  let same = true;
  for (let r = 0; r < 5; r++) {
    const { reference, two } = oneAndTwo(600, 300, 200);
    same = same && sameBits(reference, two);
  }
  console.log(JSON.stringify({ ready, threaded: wasmKernelStats.threadedProducts - before, same, workerPieces: threadStats.workerPieces }));
} else if (mode === 'setting') {
  const { a, b, c } = operands(600, 300, 200);
  matmulInto(c, a, b);
  sleep(300);
  matmulInto(c, a, b);
  console.log(JSON.stringify({ threads: kernelThreads(), threaded: wasmKernelStats.threadedProducts, workersStarted: threadStats.workersStarted }));
} else if (mode === 'interrupt') {
  setKernelThreads(2);
  const big = operands(1200, 700, 300);
  matmulInto(big.c, big.a, big.b);
  const ready = waitForWorker();
  const dW = new Matrix(700, 300); // an ordinary array: this product runs in the shared scratch memory
  const g = globalThis as unknown as Record<string, unknown>;
  g.step = (): void => {
    matmulInto(big.c, big.a, big.b);
    tmatmulInto(dW, big.a, big.c);
  };
  g.tell = (): void => void process.stdout.write('looping\n');
  let interrupted = '';
  try {
    vm.runInThisContext('tell(); for (;;) step();', { breakOnSigint: true });
  } catch (error) {
    interrupted = String(error);
  }
  const busyAfterInterrupt = threadsBusy();
  // The next products, on both threads, must be right.
  let same = true;
  for (let r = 0; r < 3; r++) {
    const { reference, two } = oneAndTwo(700, 300, 400);
    same = same && sameBits(reference, two);
  }
  console.log(JSON.stringify({ ready, interrupted, busyAfterInterrupt, same, threaded: wasmKernelStats.threadedProducts }));
} else {
  console.error(`threads-child: unknown mode ${mode}`);
  process.exit(2);
}
