/**
 * Speed benchmark: median milliseconds per training epoch (forward, backward, update; float64) and
 * GFLOP/s on the shared workloads, for side-by-side ratios with the numpy peer.
 *
 *   npm run bench                 # all workloads, from ../shared/bench/workloads.json
 *   npm run bench -- W1,W3        # some of them
 *   BENCH_WORKLOADS=path npm run bench
 *
 * FLOPs per epoch are counted as the numpy peer counts them: 6 · n · Σ_l n_{l−1}·n_l
 * (three matrix products per layer, two flops per multiply-add).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  Activation, MLP, Matrix, binaryCrossEntropy, makeCircles, matrixAllocationCount, relu, seededRandom, sigmoid,
} from '../src';

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

console.log('workload  layers           ms/epoch  GFLOP/s  matrices allocated/epoch   (TypeScript, 1 thread)');
for (const id of wanted) {
  const w = spec[id];
  if (w === undefined || typeof w === 'string') {
    console.error(`unknown workload ${id}`);
    process.exit(2);
  }
  const { X, y } = data(w);
  const net = new MLP({ layers: w.layers, activations: w.activations.map((a) => byName[a]), loss: binaryCrossEntropy, seed: 42 });
  net.fit(X, y, { epochs: 1, learningRate: w.learningRate }); // warm-up: allocates the batch buffers
  const times: number[] = [];
  const budgetEnd = performance.now() + 3000;
  let last = 0;
  let allocBefore = 0;
  net.fit(X, y, {
    epochs: w.epochs + 1,
    learningRate: w.learningRate,
    onEpoch: ({ epoch }) => {
      const now = performance.now();
      if (epoch === 0) allocBefore = matrixAllocationCount();
      else times.push(now - last);
      last = now;
      return !(now > budgetEnd && times.length >= 5);
    },
  });
  const allocPerEpoch = (matrixAllocationCount() - allocBefore) / Math.max(1, times.length);
  times.sort((p, q) => p - q);
  const ms = times[Math.floor(times.length / 2)];
  let macs = 0;
  for (let l = 1; l < w.layers.length; l++) macs += w.layers[l - 1] * w.layers[l];
  const flop = 6 * w.nSamples * macs;
  console.log(`${id.padEnd(9)} ${JSON.stringify(w.layers).padEnd(16)} ${ms.toFixed(3).padStart(9)} ${(flop / ms / 1e6).toFixed(2).padStart(8)}  ${allocPerEpoch.toFixed(1).padStart(8)}`);
}
