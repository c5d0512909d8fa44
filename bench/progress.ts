/**
 * What the notebook's progress observer costs `MLP.fit`: milliseconds per fit of a W1-sized network
 * (layers 2-4-3-1, relu, relu, sigmoid, 1000 samples of makeCircles) for 2000 epochs,
 *   - none:    no observer registered (as in unit tests, scripts and the benchmark);
 *   - no-op:   an observer that does nothing (what fit's reporting itself costs);
 *   - quiet:   the progress observer as the kernel registers it (nothing shown before 1 s, so a fit
 *              of this size, well under a second, only pays the per-epoch bookkeeping);
 *   - drawing: the observer drawing from the first epoch (delay 0) at its normal rate (every 250 ms)
 *              into a display that builds the HTML and drops it: the cost of a long fit's live chart;
 *   - unlimited: drawing at every reading of its clock (interval 0, reads adapted to be about 2-20 ms
 *              apart), the cost the rate limit of 250 ms avoids.
 * Then, less exposed to the noise of a shared machine: the observer's own cost per epoch, timed
 * directly (the best of 20 batches of 200 000 calls of the epoch report as fit makes it, through
 * the same guard), next to the best ms/epoch of fit without an observer.
 * The conditions are interleaved round by round (noise on a shared machine hits them alike); each is
 * given as the median and the minimum over the rounds, with ratios to "none" of the same run.
 *
 *   node --import tsx bench/progress.ts [rounds]      # default 15 rounds
 */
import { performance } from 'node:perf_hooks';
import { MLP, binaryCrossEntropy, makeCircles, relu, sigmoid } from '../src';
import { observeFit, setFitObserver, type FitObserver } from '../src/core/observe';
import { createProgressObserver } from '../src/notebook/progress';

const rounds = Number(process.argv[2] ?? 15);
const epochs = 2000;
const { X, y } = makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, seed: 0 });
const network = (): MLP =>
  new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, seed: 42 });

let htmlBytes = 0;
let draws = 0;
const sink = { html(s: string): void { htmlBytes += s.length; draws++; } };
const conditions: Array<{ name: string; observer: FitObserver | null }> = [
  { name: 'none', observer: null },
  { name: 'no-op', observer: { start: () => ({ epoch(): void {}, end(): void {} }) } },
  { name: 'quiet', observer: createProgressObserver({ newDisplay: () => sink }) },
  { name: 'drawing', observer: createProgressObserver({ newDisplay: () => sink, delayMs: 0 }) },
  { name: 'unlimited', observer: createProgressObserver({ newDisplay: () => sink, delayMs: 0, intervalMs: 0 }) },
];

function timeFit(observer: FitObserver | null): number {
  const net = network();
  setFitObserver(observer);
  const t0 = performance.now();
  net.fit(X, y, { epochs, learningRate: 0.005 });
  const ms = performance.now() - t0;
  setFitObserver(null);
  return ms;
}

for (const c of conditions) timeFit(c.observer); // warm-up
const times = new Map<string, number[]>(conditions.map((c) => [c.name, []]));
const drawsPerFit = new Map<string, number>();
for (let r = 0; r < rounds; r++) {
  for (const c of conditions) {
    const before = draws;
    times.get(c.name)!.push(timeFit(c.observer));
    drawsPerFit.set(c.name, draws - before);
  }
}
const median = (v: number[]): number => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(times.get('none')!);
const baseMin = Math.min(...times.get('none')!);
console.log(`fit of 2-4-3-1 (relu, relu, sigmoid) on 1000 samples, ${epochs} epochs; median of ${rounds} rounds`);
console.log('observer     median ms/fit  ratio   min ms/fit  ratio   draws/fit');
for (const c of conditions) {
  const m = median(times.get(c.name)!);
  const lo = Math.min(...times.get(c.name)!);
  console.log(`${c.name.padEnd(12)} ${m.toFixed(1).padStart(13)}  ${(m / base).toFixed(3)}  ${lo.toFixed(1).padStart(10)}  ${(lo / baseMin).toFixed(3)}   ${String(drawsPerFit.get(c.name)).padStart(9)}`);
}
console.log(`(HTML built by the drawing conditions: ${(htmlBytes / 1e6).toFixed(1)} MB in all)`);

// The per-epoch cost of each observer by itself: fit's report (a fresh object per epoch) through the guard.
const start = { network: 'MLP 2-4-3-1', layers: [2, 4, 3, 1], epochs: 1e9, learningRate: 0.005, samples: 1000 };
const fitPerEpochUs = (baseMin / epochs) * 1000;
console.log(`\nobserver cost per epoch (best of 20 batches of 200000 reports), vs ${fitPerEpochUs.toFixed(1)} µs per epoch of fit:`);
for (const c of conditions) {
  if (c.observer === null || c.name === 'unlimited') continue; // (its drawing cost: see the table above)
  setFitObserver(c.observer);
  const run = observeFit(start)!;
  setFitObserver(null);
  let best = Infinity;
  let e = 0;
  for (let b = 0; b < 20; b++) {
    const t0 = performance.now();
    for (let i = 0; i < 200000; i++, e++) run.epoch({ epoch: e, epochs: 1e9, loss: 1 / (e + 1), accuracy: 0.5 });
    best = Math.min(best, (performance.now() - t0) / 200000);
  }
  run.end({ epochsRun: e, epochs: 1e9, stoppedEarly: true });
  console.log(`${c.name.padEnd(12)} ${(best * 1e6).toFixed(0).padStart(6)} ns  (${((best * 1000) / fitPerEpochUs * 100).toFixed(2)}% of an epoch)`);
}
