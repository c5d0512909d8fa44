/**
 * Profile of the matrix products of the shared workloads: for each layer l of each workload, the
 * three products of a training epoch, timed on operands that live in wasm memory (as the MLP's
 * batch buffers do), on one thread and on two, with GFLOP/s. It shows where an epoch's time goes
 * and how much the second thread gives each product.
 *
 *   npm run bench:products                # every workload of ../shared/bench/workloads.json
 *   npm run bench:products -- W2,W3
 *   npm run bench:products -- --sweep     # the threshold sweep: n x 64 · 64 x 64 for growing n
 *
 * Each time is the median of repeated calls after a warm-up (at least 0.2 s). The machine's cores
 * are shared, so compare the columns of one run, not runs.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Matrix, matmulInto, matmulTInto, tmatmulInto } from '../src';
import { KernelWorkspace } from '../src/kernels/wasm';
import { setKernelThreads } from '../src/kernels/threads';
import { addBiasAndActivate } from '../src/kernels/activation-loops';
import { relu } from '../src';
import { findWorkloads, median } from './workloads';

type Kind = 'A·B' | 'Aᵀ·B' | 'A·Bᵀ';

/** Median ms of `f` over repeated calls (at least 5, up to 0.6 s), after 0.2 s of warm-up. */
function time(f: () => void): number {
  const warm = performance.now() + 200;
  do f(); while (performance.now() < warm);
  const times: number[] = [];
  const stop = performance.now() + 600;
  while (times.length < 5 || (performance.now() < stop && times.length < 500)) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** ms of one product C (n x m) = op(A)·op(B) with k terms, on `threads` threads, operands in wasm memory. */
function timeProduct(kind: Kind, n: number, m: number, k: number, threads: 1 | 2): number {
  setKernelThreads(threads);
  const ws = new KernelWorkspace(n * k + k * m + n * m + 64, 4, 64);
  const fill = (rows: number, cols: number): Matrix => {
    const x = new Matrix(rows, cols, ws.alloc(rows * cols));
    for (let i = 0; i < x.data.length; i++) x.data[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
    return x;
  };
  const c = fill(n, m);
  if (kind === 'A·B') {
    const a = fill(n, k);
    const b = fill(k, m);
    return time(() => matmulInto(c, a, b));
  }
  if (kind === 'Aᵀ·B') {
    const a = fill(k, n);
    const b = fill(k, m);
    return time(() => tmatmulInto(c, a, b));
  }
  const a = fill(n, k);
  const b = fill(m, k);
  return time(() => matmulTInto(c, a, b));
}

function row(label: string, kind: Kind, n: number, m: number, k: number): [number, number] {
  const flop = 2 * n * m * k;
  const one = timeProduct(kind, n, m, k, 1);
  const two = timeProduct(kind, n, m, k, 2);
  console.log(`${label.padEnd(26)} ${`${n}x${k}·${k}x${m}`.padEnd(22)} ${one.toFixed(3).padStart(9)} ${(flop / one / 1e6).toFixed(1).padStart(7)}` +
    ` ${two.toFixed(3).padStart(9)} ${(flop / two / 1e6).toFixed(1).padStart(7)} ${(one / two).toFixed(2).padStart(6)}`);
  return [one, two];
}

const args = process.argv.slice(2);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores shared)`);
console.log(`${'product'.padEnd(26)} ${'shape'.padEnd(22)} ${'1t ms'.padStart(9)} ${'GFLOP/s'.padStart(7)} ${'2t ms'.padStart(9)} ${'GFLOP/s'.padStart(7)} ${'2t/1t'.padStart(6)}`);
if (args.includes('--sweep')) {
  for (const n of [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]) row(`sweep z = a·W (64x64)`, 'A·B', n, 64, 64);
  for (const n of [16, 32, 64, 128, 256, 512, 1024, 4096]) row(`sweep dW = aᵀ·dz (64x64)`, 'Aᵀ·B', 64, 64, n);
  console.log(`${'element-wise'.padEnd(26)} ${'entries'.padEnd(22)} ${'1t ms'.padStart(9)} ${''.padStart(7)} ${'2t ms'.padStart(9)} ${''.padStart(7)} ${'2t/1t'.padStart(6)}`);
  for (const rows of [256, 512, 1024, 2048, 4096, 16384]) {
    const ms = ([1, 2] as const).map((threads) => {
      setKernelThreads(threads);
      const ws = new KernelWorkspace(2 * rows * 64 + 64, 4, 256);
      const z = new Matrix(rows, 64, ws.alloc(rows * 64));
      const a = new Matrix(rows, 64, ws.alloc(rows * 64));
      const b = new Matrix(1, 64);
      return time(() => addBiasAndActivate(z, a, b, relu));
    });
    console.log(`${'sweep z += b; a = relu(z)'.padEnd(26)} ${`${rows}x64 = ${rows * 64}`.padEnd(22)} ${ms[0].toFixed(3).padStart(9)} ${''.padStart(7)} ` +
      `${ms[1].toFixed(3).padStart(9)} ${''.padStart(7)} ${(ms[0] / ms[1]).toFixed(2).padStart(6)}`);
  }
} else {
  const { spec, ids } = findWorkloads(args[0]);
  for (const id of ids) {
    const w = spec[id];
    const n = w.nSamples;
    let one = 0;
    let two = 0;
    for (let l = 1; l < w.layers.length; l++) {
      const [p, q] = [w.layers[l - 1], w.layers[l]];
      const add = ([x, y]: [number, number]): void => {
        one += x;
        two += y;
      };
      add(row(`${id} z[${l}] = a[${l - 1}]·W[${l}]`, 'A·B', n, q, p));
      add(row(`${id} dW[${l}] = a[${l - 1}]ᵀ·dz[${l}]`, 'Aᵀ·B', p, q, n));
      add(row(`${id} da[${l - 1}] = dz[${l}]·W[${l}]ᵀ`, 'A·Bᵀ', n, p, q));
    }
    console.log(`${`${id} all products`.padEnd(49)} ${one.toFixed(3).padStart(9)} ${''.padStart(7)} ${two.toFixed(3).padStart(9)} ${''.padStart(7)} ${(one / two).toFixed(2).padStart(6)}`);
  }
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
