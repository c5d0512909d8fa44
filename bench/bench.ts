/**
 * Speed benchmark: median milliseconds per training epoch (float64) and GFLOP/s on the shared
 * workloads, for side-by-side ratios with the numpy peer (../shared/bench/numpy-peer).
 *
 *   npm run bench                 # all workloads, from ../shared/bench/workloads.json
 *   npm run bench -- W1,W3        # some of them
 *   BENCH_WORKLOADS=path npm run bench
 *
 * Two timings per workload, each the median over the workload's epochs (or 3 s), on a network
 * initialised like the numpy peer's. Each is preceded by a warm-up of at least 0.3 s of the same
 * calls on the same network, after which its parameters are restored to their initial values, so
 * that V8's optimising compilers (for JavaScript and for wasm) have done their work and the timed
 * epochs start where the numpy peer's do (which has nothing to warm up beyond its one warm-up epoch):
 * - fit: an epoch of `MLP.fit`, which is forward, backward and update plus fit's bookkeeping: the
 *   loss and accuracy of the epoch's forward pass (its history) and the divergence checks;
 * - step: forward(X), backward(y), update(η) through the public methods, the epoch of the numpy
 *   peer (whose epoch computes no loss or accuracy); forward() also returns a copy of ŷ.
 * FLOPs per epoch are counted as the numpy peer counts them: 6 · n · Σ_l n_{l−1}·n_l (three matrix
 * products per layer, two flops per multiply-add); GFLOP/s is given for both timings.
 * "matrices/epoch" counts the Matrix objects that fit allocates per epoch (matrixAllocationCount),
 * "copied/epoch" the float64 values that fit copies into or out of WebAssembly memory per epoch
 * (the operands that do not live there: X, y, W[l], b[l], dW[l], db[l]).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  Activation, MLP, Matrix, binaryCrossEntropy, makeCircles, matrixAllocationCount, relu, seededRandom, sigmoid,
} from '../src';
import { wasmKernelStats, wasmKernelsAvailable } from '../src/kernels/wasm';

interface Workload {
  label: string;
  layers: number[];
  nSamples: number;
  epochs: number;
  learningRate: number;
  activations: string[];
}

const byName: Record<string, Activation> = { relu, sigmoid };
const specPath = process.env.BENCH_WORKLOADS ?? resolve(__dirname, '../../shared/bench/workloads.json');
if (!existsSync(specPath)) {
  console.error(`workloads file not found: ${specPath} (set BENCH_WORKLOADS to its path)`);
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Record<string, Workload | string>;
const wanted = (process.argv[2] ?? Object.keys(spec).filter((k) => !k.startsWith('_')).join(',')).split(',');

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

function median(times: number[]): number {
  const sorted = times.slice().sort((p, q) => p - q);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `work` on `net` for at least 0.3 s (and 3 times), then restores net's initial parameters. */
function warmUp(net: MLP, work: () => void): void {
  const initial = net.parameters().map((p) => p.value.data.slice());
  const end = performance.now() + 300;
  for (let i = 0; i < 3 || performance.now() < end; i++) work();
  net.parameters().forEach((p, i) => p.value.data.set(initial[i]));
}

const kernels = wasmKernelsAvailable() ? 'WebAssembly SIMD + TypeScript kernels' : 'TypeScript kernels only';
console.log(`workload  layers             fit ms/epoch  GFLOP/s   step ms/epoch  GFLOP/s   matrices/epoch  copied/epoch   (${kernels}, 1 thread)`);
for (const id of wanted) {
  const w = spec[id];
  if (w === undefined || typeof w === 'string') {
    console.error(`unknown workload ${id}`);
    process.exit(2);
  }
  const { X, y } = data(w);
  const acts = w.activations.map((a) => byName[a]);

  // fit: the library's training loop, timed between successive onEpoch calls.
  const net = new MLP({ layers: w.layers, activations: acts, loss: binaryCrossEntropy, seed: 42 });
  warmUp(net, () => net.fit(X, y, { epochs: 2, learningRate: w.learningRate, onEpoch: () => true }));
  net.fit(X, y, { epochs: 1, learningRate: w.learningRate }); // the warm-up epoch, as the numpy peer's
  const fitTimes: number[] = [];
  let budgetEnd = performance.now() + 3000;
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
  budgetEnd = performance.now() + 3000;
  for (let e = 0; e < w.epochs; e++) {
    const start = performance.now();
    step();
    const now = performance.now();
    stepTimes.push(now - start);
    if (now > budgetEnd && stepTimes.length >= 5) break;
  }

  let macs = 0;
  for (let l = 1; l < w.layers.length; l++) macs += w.layers[l - 1] * w.layers[l];
  const flop = 6 * w.nSamples * macs;
  const fitMs = median(fitTimes);
  const stepMs = median(stepTimes);
  console.log(`${id.padEnd(9)} ${JSON.stringify(w.layers).padEnd(18)} ${fitMs.toFixed(3).padStart(12)} ${(flop / fitMs / 1e6).toFixed(2).padStart(8)} ` +
    `${stepMs.toFixed(3).padStart(15)} ${(flop / stepMs / 1e6).toFixed(2).padStart(8)} ${allocPerEpoch.toFixed(1).padStart(16)} ${copiedPerEpoch.toFixed(0).padStart(13)}`);
}
