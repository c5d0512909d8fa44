/**
 * Speed benchmark: median milliseconds per training epoch (float64) and GFLOP/s on the shared
 * workloads, on one thread and on two, side by side with the numpy peer (the tutorial's numpy
 * code, ../shared/bench/numpy-peer, on 1 and 2 OpenBLAS threads) run in the same rounds.
 *
 *   npm run bench                      # all workloads of ../shared/bench/workloads.json, 3 rounds
 *   npm run bench -- W1,W3             # some of them
 *   npm run bench -- W3 --rounds 5     # more rounds
 *   npm run bench -- --no-numpy        # without the numpy peer
 *   BENCH_WORKLOADS=path npm run bench
 *
 * The machine's cores are shared (other people's tests run on them), so the bench is built to be
 * read as ratios within one run: each round times, for every workload, our fit on 1 and 2 threads,
 * our step on 1 and 2 threads, and numpy on 1 and 2 threads, one after the other; the table gives
 * the median over the rounds of each (each itself a median over epochs), and the load average
 * before and after.
 *
 * Each of our timings is the median over the workload's epochs (or 1.5 s, at least 5 epochs) on a
 * network initialised like the numpy peer's, preceded by a warm-up of at least 0.3 s of the same
 * calls on the same network, after which its parameters are restored to their initial values, so
 * that V8's optimising compilers (for JavaScript and for wasm) have done their work and the timed
 * epochs start where the numpy peer's do (which has nothing to warm up beyond its one warm-up epoch):
 * - fit: an epoch of `MLP.fit`, which is forward, backward and update plus fit's bookkeeping: the
 *   loss and accuracy of the epoch's forward pass (its history) and the divergence checks;
 * - step: forward(X), backward(y), update(η) through the public methods, the epoch of the numpy
 *   peer (whose epoch computes no loss or accuracy); forward() also returns a copy of ŷ.
 * Threads: `setKernelThreads(1)` or `(2)` before building the network (its batch buffers then live
 * in an ordinary or a shared wasm memory). FLOPs per epoch are counted as the numpy peer counts
 * them: 6 · n · Σ_l n_{l−1}·n_l (three matrix products per layer, two flops per multiply-add).
 * "matrices/epoch" counts the Matrix objects that fit allocates per epoch (matrixAllocationCount),
 * "copied/epoch" the float64 values that fit copies into or out of WebAssembly memory per epoch.
 * The ratio columns are numpy's best time (the faster of its 1 and 2 threads) over ours: above 1,
 * we are faster. A second table gives the best of the rounds of each column, the timings least
 * disturbed by other processes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  Activation, MLP, Matrix, binaryCrossEntropy, makeCircles, matrixAllocationCount, relu, seededRandom, sigmoid,
} from '../src';
import { wasmKernelStats, wasmKernelsAvailable } from '../src/kernels/wasm';
import { kernelThreads, setKernelThreads } from '../src/kernels/threads';
import { Workload, findShared, findWorkloads, median } from './workloads';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 3);
const { spec, ids } = findWorkloads(args[0]);
const byName: Record<string, Activation> = { relu, sigmoid };

function data(w: Workload): { X: Matrix; y: Matrix } {
  const n = w.nSamples;
  const [d, k] = [w.layers[0], w.layers[w.layers.length - 1]];
  if (d === 2 && k === 1) return makeCircles({ nSamples: n, factor: 0.5, noise: 0.1, seed: 0 });
  // "uniform [0,1) pixels, one-hot targets over k classes"
  const r = seededRandom(2);
  const X = new Matrix(n, d);
  for (let i = 0; i < X.data.length; i++) X.data[i] = r.uniform();
  const y = new Matrix(n, k);
  for (let s = 0; s < n; s++) y.data[s * k + Math.floor(r.uniform() * k)] = 1;
  return { X, y };
}

/** Runs `work` on `net` for at least 0.3 s (and 3 times), then restores net's initial parameters. */
function warmUp(net: MLP, work: () => void): void {
  const initial = net.parameters().map((p) => p.value.data.slice());
  const end = performance.now() + 300;
  for (let i = 0; i < 3 || performance.now() < end; i++) work();
  net.parameters().forEach((p, i) => p.value.data.set(initial[i]));
}

interface Ours {
  fitMs: number;
  stepMs: number;
  allocPerEpoch: number;
  copiedPerEpoch: number;
}

/** Our fit and step timings for workload w on `threads` threads. */
function ours(w: Workload, X: Matrix, y: Matrix, threads: 1 | 2): Ours {
  setKernelThreads(threads);
  const acts = w.activations.map((a) => byName[a]);
  const budgetMs = 1500;

  // fit: the library's training loop, timed between successive onEpoch calls.
  const net = new MLP({ layers: w.layers, activations: acts, loss: binaryCrossEntropy, seed: 42 });
  warmUp(net, () => net.fit(X, y, { epochs: 2, learningRate: w.learningRate, onEpoch: () => true }));
  net.fit(X, y, { epochs: 1, learningRate: w.learningRate }); // the warm-up epoch, as the numpy peer's
  const fitTimes: number[] = [];
  let budgetEnd = performance.now() + budgetMs;
  let last = 0;
  let allocBefore = 0;
  let copiedBefore = 0;
  net.fit(X, y, {
    epochs: w.epochs + 1,
    learningRate: w.learningRate,
    onEpoch: ({ epoch }) => {
      const now = performance.now();
      if (epoch === 0) {
        allocBefore = matrixAllocationCount();
        copiedBefore = wasmKernelStats.copiedValues;
      } else {
        fitTimes.push(now - last);
      }
      last = now;
      return !(now > budgetEnd && fitTimes.length >= 5);
    },
  });
  const allocPerEpoch = (matrixAllocationCount() - allocBefore) / Math.max(1, fitTimes.length);
  const copiedPerEpoch = (wasmKernelStats.copiedValues - copiedBefore) / Math.max(1, fitTimes.length);

  // step: forward, backward, update, as the numpy peer's epoch (a fresh network, same seed).
  const stepNet = new MLP({ layers: w.layers, activations: acts, loss: binaryCrossEntropy, seed: 42 });
  const step = (): void => {
    stepNet.forward(X);
    stepNet.backward(y);
    stepNet.update(w.learningRate);
  };
  warmUp(stepNet, step);
  step(); // the warm-up epoch
  const stepTimes: number[] = [];
  budgetEnd = performance.now() + budgetMs;
  for (let e = 0; e < w.epochs; e++) {
    const start = performance.now();
    step();
    const now = performance.now();
    stepTimes.push(now - start);
    if (now > budgetEnd && stepTimes.length >= 5) break;
  }
  return { fitMs: median(fitTimes), stepMs: median(stepTimes), allocPerEpoch, copiedPerEpoch };
}

const peer = args.includes('--no-numpy') ? undefined : findShared('numpy-peer');
const numpyUsable = peer !== undefined && existsSync('/usr/bin/python3') &&
  spawnSync('/usr/bin/python3', ['-c', 'import numpy, sklearn'], { stdio: 'ignore' }).status === 0;
if (peer !== undefined && !numpyUsable) {
  console.log('(numpy peer skipped: /usr/bin/python3 with numpy and sklearn not found; apt-get install python3-numpy python3-sklearn)');
}

/** numpy's ms per epoch for workload id on `threads` OpenBLAS threads, or NaN. */
function numpy(id: string, threads: 1 | 2): number {
  if (!numpyUsable || peer === undefined) return NaN;
  const run = spawnSync(peer, [id], { env: { ...process.env, NUMPY_THREADS: String(threads) }, encoding: 'utf8' });
  const line = run.stdout.split('\n').find((l) => l.startsWith(`${id} `));
  const match = line === undefined ? null : /\]\s+([\d.]+)\s+[\d.]+\s*$/.exec(line);
  return match === null ? NaN : Number(match[1]);
}

const kernels = wasmKernelsAvailable() ? 'WebAssembly SIMD + TypeScript kernels' : 'TypeScript kernels only';
setKernelThreads(2);
const twoPossible = kernelThreads() === 2;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`${kernels}; two threads ${twoPossible ? 'available' : 'NOT available here (the 2t columns run on one thread)'}; ` +
  `${rounds} round(s); load average at start: ${load()}`);

type Row = { fit1: number[]; fit2: number[]; step1: number[]; step2: number[]; np1: number[]; np2: number[]; alloc: number; copied: number };
const rows: Record<string, Row> = {};
const datasets: Record<string, { X: Matrix; y: Matrix }> = {};
for (const id of ids) {
  rows[id] = { fit1: [], fit2: [], step1: [], step2: [], np1: [], np2: [], alloc: 0, copied: 0 };
  datasets[id] = data(spec[id]);
}
const f3 = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(3));
for (let r = 1; r <= rounds; r++) {
  for (const id of ids) {
    const w = spec[id];
    const { X, y } = datasets[id];
    const row = rows[id];
    const one = ours(w, X, y, 1);
    const two = ours(w, X, y, 2);
    const np1 = numpy(id, 1);
    const np2 = numpy(id, 2);
    row.fit1.push(one.fitMs);
    row.fit2.push(two.fitMs);
    row.step1.push(one.stepMs);
    row.step2.push(two.stepMs);
    row.np1.push(np1);
    row.np2.push(np2);
    row.alloc = Math.max(one.allocPerEpoch, two.allocPerEpoch);
    row.copied = two.copiedPerEpoch;
    console.log(`round ${r} ${id}: fit ${f3(one.fitMs)} / ${f3(two.fitMs)} ms, step ${f3(one.stepMs)} / ${f3(two.stepMs)} ms ` +
      `(1 / 2 threads); numpy ${f3(np1)} / ${f3(np2)} ms; load ${load()}`);
  }
}
setKernelThreads(2);

/** The result table over the rounds, with `pick` (the median, or the best) of each. */
function table(title: string, pick: (values: number[]) => number): void {
  console.log(`\n${title}`);
  console.log(`workload  layers            fit 1t            fit 2t            step 1t           step 2t           ` +
    `numpy 1t   numpy 2t   ratio fit 1t  ratio fit 2t  matrices/epoch  copied/epoch`);
  for (const id of ids) {
    const w = spec[id];
    const row = rows[id];
    let macs = 0;
    for (let l = 1; l < w.layers.length; l++) macs += w.layers[l - 1] * w.layers[l];
    const flop = 6 * w.nSamples * macs;
    const cell = (ms: number): string => `${ms.toFixed(3)} (${(flop / ms / 1e6).toFixed(1)})`.padEnd(17);
    const [fit1, fit2, step1, step2] = [pick(row.fit1), pick(row.fit2), pick(row.step1), pick(row.step2)];
    const [np1, np2] = [pick(row.np1), pick(row.np2)];
    const best = Math.min(np1, np2);
    const ratio = (ms: number): string => (Number.isNaN(best) ? '—' : `${(best / ms).toFixed(2)}x`).padStart(12);
    console.log(`${id.padEnd(9)} ${JSON.stringify(w.layers).padEnd(17)} ${cell(fit1)} ${cell(fit2)} ${cell(step1)} ${cell(step2)} ` +
      `${f3(np1).padStart(8)}   ${f3(np2).padStart(8)}   ${ratio(fit1)}  ${ratio(fit2)}  ${row.alloc.toFixed(1).padStart(14)}  ${row.copied.toFixed(0).padStart(12)}`);
  }
}
table(`medians over ${rounds} round(s), ms per epoch (GFLOP/s); load average at end: ${load()}`, median);
if (rounds > 1) table('best of the rounds (the least disturbed by other processes)', (v) => Math.min(...v));
