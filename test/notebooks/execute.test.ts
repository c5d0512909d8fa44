/**
 * Executes every notebooks/*.ipynb (plus the tooling's smoke notebook) through the real tslab
 * kernel with scripts/execute_notebooks.py (nbclient, 2 notebooks at a time, per-cell timeout) and
 * fails on any error output or stderr text, naming the cell and quoting its source and stderr.
 * Executed copies go to build/executed/ (the sources are never written); build/executed/summary.json
 * records each notebook's time and chart count.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  courseNotebooks, EXECUTED_DIR, jupyterEnv, ROOT, run, SMOKE_NOTEBOOK,
  type ExecutionResult, type ExecutionSummary,
} from '../support/jupyter';

/** The whole run must stay under this (the course promises a quick `npm test`). */
const PER_CELL_TIMEOUT_SECONDS = 60;

const notebooks = [...courseNotebooks(), SMOKE_NOTEBOOK];
const rel = (p: string): string => path.relative(ROOT, p);

describe('notebook execution (tslab kernel)', () => {
  let summary: ExecutionSummary | undefined;
  let runLog = '';

  before(async () => {
    const summaryPath = path.join(EXECUTED_DIR, 'summary.json');
    fs.rmSync(summaryPath, { force: true });
    const python = path.join(ROOT, '.venv', 'bin', 'python');
    if (!fs.existsSync(python)) {
      throw new Error(`${python} is missing: run 'npm install' (or 'npm run setup:jupyter') to set up Jupyter`);
    }
    const result = await run(
      python,
      [
        path.join(ROOT, 'scripts', 'execute_notebooks.py'),
        '--out', EXECUTED_DIR,
        '--summary', summaryPath,
        '--jobs', '2',
        '--timeout', String(PER_CELL_TIMEOUT_SECONDS),
        ...notebooks,
      ],
      { env: jupyterEnv(), timeoutMs: 10 * 60_000, echo: true },
    );
    runLog = result.stdout + result.stderr;
    if (fs.existsSync(summaryPath)) summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as ExecutionSummary;
  });

  function resultFor(nb: string): ExecutionResult {
    assert.ok(summary, `execute_notebooks.py wrote no summary:\n${runLog}`);
    const r = summary.notebooks.find((x) => path.resolve(ROOT, x.notebook) === nb);
    assert.ok(r, `no result for ${rel(nb)}:\n${runLog}`);
    return r;
  }

  test('there are course notebooks in notebooks/', () => {
    assert.ok(courseNotebooks().length > 0, 'notebooks/ holds no .ipynb');
  });

  for (const nb of notebooks) {
    test(`${rel(nb)} runs without errors or stderr output`, (t) => {
      const r = resultFor(nb);
      t.diagnostic(`${r.seconds.toFixed(1)} s, ${r.codeCells} code cells, ${r.charts} charts`);
      if (r.failure) {
        const f = r.failure;
        assert.fail(
          `${rel(nb)}: cell ${f.cell ?? '?'} failed\n--- cell source (head) ---\n${f.sourceHead}\n` +
            `--- stderr ---\n${f.stderr.trimEnd()}\n${f.error ? `--- error ---\n${f.error.trimEnd()}\n` : ''}`,
        );
      }
      assert.equal(r.executedCells, r.codeCells, 'every code cell has run');
      assert.ok(fs.existsSync(path.resolve(ROOT, r.executed)), `executed copy ${r.executed} exists`);
    });
  }

  test('execution times (reported, not asserted: timing claims belong to benchmarks)', (t) => {
    assert.ok(summary, `execute_notebooks.py wrote no summary:\n${runLog}`);
    const lines = summary.notebooks.map((r) => `${r.notebook}: ${r.seconds.toFixed(1)} s, ${r.charts} charts`);
    t.diagnostic(`total ${summary.totalSeconds.toFixed(1)} s (${summary.jobs} at a time)\n${lines.join('\n')}`);
  });
});
