/**
 * Runs a fixture notebook whose cells are expected to fail through the real tslab kernel
 * (test/support/run_with_errors.py: nbclient, every cell run, a pause after each failing cell) and
 * reads the executed copy back: per code cell its source, reply status, stdout, stderr, rich outputs
 * and the iopub message counts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD, jupyterEnv, ROOT, run } from './jupyter';

/** One executed code cell. */
export interface ExecutedCell {
  index: number;
  source: string;
  /** The first line of the source (fixture cells start with a `// title` comment). */
  title: string;
  /** execute_reply status: "ok", "error" or "abort". */
  status: string;
  stdout: string;
  stderr: string;
  /** display_data / execute_result outputs (the saved state of each). */
  displays: Array<{ data: Record<string, string> }>;
  /** iopub messages of each type the cell produced (e.g. update_display_data). */
  messages: Record<string, number>;
  /** Seconds from the kernel going busy to idle for this cell. */
  seconds: number;
}

interface RawCell {
  cell_type: string;
  source: string | string[];
  metadata: {
    bp_reply_status?: string;
    bp_messages?: Record<string, number>;
    execution?: Record<string, string>;
  };
  outputs?: Array<{ output_type: string; name?: string; text?: string | string[]; data?: Record<string, string | string[]> }>;
}

const join = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : s ?? '');

/**
 * Executes `notebook` (a path under the project) and returns its code cells, executed.
 * The executed copy goes to build/fixtures/NAME.ipynb.
 */
export async function executeFixture(notebook: string, timeoutSeconds = 120): Promise<{ cells: ExecutedCell[]; log: string; out: string }> {
  const python = path.join(ROOT, '.venv', 'bin', 'python');
  if (!fs.existsSync(python)) throw new Error(`${python} is missing: run 'npm install' (or 'npm run setup:jupyter')`);
  const out = path.join(BUILD, 'fixtures', path.basename(notebook));
  fs.rmSync(out, { force: true });
  const result = await run(
    python,
    [path.join(ROOT, 'test', 'support', 'run_with_errors.py'), notebook, out, '--timeout', String(timeoutSeconds)],
    { env: jupyterEnv(), timeoutMs: 5 * 60_000 },
  );
  const log = `${result.stdout}${result.stderr}`;
  if (!fs.existsSync(out)) throw new Error(`run_with_errors.py wrote no notebook (exit ${result.code}):\n${log}`);
  const nb = JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: RawCell[] };
  const cells: ExecutedCell[] = [];
  nb.cells.forEach((c, index) => {
    if (c.cell_type !== 'code') return;
    const source = join(c.source);
    const outputs = c.outputs ?? [];
    const stream = (name: string): string => outputs.filter((o) => o.output_type === 'stream' && o.name === name).map((o) => join(o.text)).join('');
    const ex = c.metadata.execution ?? {};
    const seconds = ex['iopub.status.busy'] && ex['iopub.status.idle']
      ? (Date.parse(ex['iopub.status.idle']) - Date.parse(ex['iopub.status.busy'])) / 1000 : NaN;
    cells.push({
      index, source, title: source.split('\n')[0], status: c.metadata.bp_reply_status ?? 'none',
      stdout: stream('stdout'), stderr: stream('stderr'),
      displays: outputs.filter((o) => o.output_type === 'display_data' || o.output_type === 'execute_result')
        .map((o) => ({ data: Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, join(v)])) })),
      messages: c.metadata.bp_messages ?? {}, seconds,
    });
  });
  return { cells, log, out };
}

/** The cell whose first line is `title`. */
export function cellTitled(cells: ExecutedCell[], title: string): ExecutedCell {
  const c = cells.find((x) => x.title === title);
  if (!c) throw new Error(`no cell titled ${JSON.stringify(title)}; titles: ${cells.map((x) => x.title).join(' | ')}`);
  return c;
}

/** The 1-based lines of a cell marked with a `// <-` comment. */
export function markedLines(source: string): number[] {
  return source.split('\n').map((l, i) => (l.includes('// <-') ? i + 1 : 0)).filter((i) => i > 0);
}
