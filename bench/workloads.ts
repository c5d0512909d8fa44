/**
 * The shared workloads (../shared/bench/workloads.json, found by walking up from the repository,
 * so that it is found from a git worktree too) and small helpers of the benchmarks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface Workload {
  label: string;
  layers: number[];
  nSamples: number;
  epochs: number;
  learningRate: number;
  activations: string[];
}

/** The first `shared/bench/<name>` in the repository's parent folders, or undefined. */
export function findShared(name: string): string | undefined {
  let dir = resolve(__dirname, '..');
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'bench', name);
    if (existsSync(candidate)) return resolve(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The workloads (BENCH_WORKLOADS or the shared file) and the ids asked for (comma-separated; default all). */
export function findWorkloads(wanted: string | undefined): { spec: Record<string, Workload>; ids: string[] } {
  const path = process.env.BENCH_WORKLOADS ?? findShared('workloads.json');
  if (path === undefined || !existsSync(path)) {
    console.error(`workloads file not found: ${path ?? '../shared/bench/workloads.json'} (set BENCH_WORKLOADS to its path)`);
    process.exit(2);
  }
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Workload | string>;
  const spec: Record<string, Workload> = {};
  for (const [id, w] of Object.entries(raw)) if (typeof w !== 'string' && !id.startsWith('_')) spec[id] = w;
  const ids = wanted === undefined || wanted.startsWith('--') ? Object.keys(spec) : wanted.split(',');
  for (const id of ids) {
    if (spec[id] === undefined) {
      console.error(`unknown workload ${id} (known: ${Object.keys(spec).join(', ')})`);
      process.exit(2);
    }
  }
  return { spec, ids };
}

/** The median of `values` (the upper one of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = values.slice().sort((p, q) => p - q);
  return sorted[Math.floor(sorted.length / 2)];
}
