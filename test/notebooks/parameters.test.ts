/**
 * Experiments survive edits, in every notebooks/*.ipynb whose cell tagged `parameters` declares
 * training settings: a cell inserted right after it redeclares those it declares (`dataset` →
 * 'moons', `hidden` → [8, 8], `seed` → 7, `epochs` → fewer, with the cell's own type annotations),
 * the notebook runs through the real tslab kernel, and
 *
 * - no cell fails (no error output, no stderr);
 * - the printed lines and chart titles name the new values and no longer the old ones: the data set's
 *   name, the network written as n₀-8-8-n_L, "seed 7", "N epochs".
 *
 * Executed copies: build/parameters/NAME.edited.ipynb.
 */
import { parseCheckLine } from '../../src/notebook/check';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD, courseNotebooks, jupyterEnv, ROOT, run, tempDir, type ExecutionSummary } from '../support/jupyter';

interface Output { output_type: string; name?: string; text?: string | string[]; data?: Record<string, string | string[]> }
interface Cell { cell_type: string; source: string | string[]; metadata: { tags?: string[] }; outputs?: Output[]; id?: string }
interface Notebook { cells: Cell[]; metadata: Record<string, unknown>; nbformat: number; nbformat_minor: number }

const OUT_DIR = path.join(BUILD, 'parameters');
const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : s ?? '');
const read = (file: string): Notebook => JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
const isParameters = (c: Cell): boolean => c.cell_type === 'code' && (c.metadata?.tags ?? []).includes('parameters');

/** One declaration of a parameters cell: `const NAME: TYPE = VALUE;`. */
interface Setting { name: string; type: string; value: string }

/** The declarations of a parameters cell (one per line, as the notebooks write them). */
export function settingsOf(source: string): Setting[] {
  const out: Setting[] = [];
  for (const m of source.matchAll(/^\s*const\s+(\w+)\s*:\s*([^=]+?)\s*=\s*(.+?);/gm)) out.push({ name: m[1], type: m[2], value: m[3] });
  return out;
}

/** The edit of one setting and what the outputs must then say (and no longer say). */
interface Edit { name: string; value: string; mustSay: RegExp; mustNotSay: RegExp }

function editsFor(settings: Setting[]): Edit[] {
  const edits: Edit[] = [];
  const get = (name: string): Setting | undefined => settings.find((s) => s.name === name);
  const dataset = get('dataset');
  if (dataset) {
    const old = JSON.parse(dataset.value.replace(/'/g, '"')) as string;
    const next = old === 'moons' ? 'circles' : 'moons';
    edits.push({ name: 'dataset', value: `'${next}'`, mustSay: new RegExp(`\\b${next}\\b`), mustNotSay: new RegExp(`\\b${old}\\b`, 'i') });
  }
  const hidden = get('hidden');
  if (hidden) {
    const old = JSON.parse(hidden.value) as number[];
    const next = old.join(',') === '8,8' ? [5, 5] : [8, 8];
    const name = (h: number[]): RegExp => new RegExp(`\\b\\d+-${h.join('-')}-\\d+\\b`);
    edits.push({ name: 'hidden', value: `[${next.join(', ')}]`, mustSay: name(next), mustNotSay: name(old) });
  }
  const seed = get('seed');
  if (seed) {
    const old = Number(seed.value);
    const next = old === 7 ? 3 : 7;
    edits.push({ name: 'seed', value: String(next), mustSay: new RegExp(`\\bseed ${next}\\b`), mustNotSay: new RegExp(`\\bseed ${old}\\b`) });
  }
  const epochs = get('epochs');
  if (epochs) {
    const old = Number(epochs.value);
    const next = old > 60 ? 60 : Math.max(1, old - 1);
    edits.push({ name: 'epochs', value: String(next), mustSay: new RegExp(`\\b${next} epochs\\b`), mustNotSay: new RegExp(`\\b${old} epochs\\b`) });
  }
  return edits;
}

/** The notebook with a cell after its parameters cell that redeclares the edited settings. */
function edited(nb: Notebook, settings: Setting[], edits: Edit[]): Notebook {
  const at = nb.cells.findIndex(isParameters);
  const lines = edits.map((e) => `const ${e.name}: ${settings.find((s) => s.name === e.name)!.type} = ${e.value};`);
  const cell: Cell = { cell_type: 'code', metadata: {}, source: lines.join('\n'), outputs: [], id: 'edited-settings' };
  (cell as unknown as { execution_count: null }).execution_count = null;
  return { ...nb, cells: [...nb.cells.slice(0, at + 1), cell, ...nb.cells.slice(at + 1)] };
}

/**
 * Every printed line (stdout) and every chart title (the `"title":{"text":…}` strings inside chart
 * outputs). Self-check lines (`✔ PASS` / `✘ FAIL`) are left out: they describe the check's own test
 * cases, not the run the settings describe.
 */
export function describedOutputs(nb: Notebook): { lines: string[]; titles: string[] } {
  const lines: string[] = [];
  const titles: string[] = [];
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      if (o.output_type === 'stream' && o.name === 'stdout') {
        lines.push(...text(o.text).split('\n').filter((line) => parseCheckLine(line) === null));
      }
      const html = text(o.data?.['text/html']);
      if (!html.includes('data-bp-plot=')) continue;
      for (const m of html.matchAll(/"title":\{"text":("(?:[^"\\]|\\.)*")/g)) titles.push(JSON.parse(m[1]) as string);
    }
  }
  return { lines, titles };
}

/** The training settings of a notebook's parameters cell that the test knows how to edit (none: not a training notebook). */
const trainingEdits = (file: string): Edit[] => {
  const cell = read(file).cells.find(isParameters);
  return cell ? editsFor(settingsOf(text(cell.source))) : [];
};
/** Notebooks whose parameters cell declares training settings (dataset, hidden, seed, epochs). */
const withParameters = courseNotebooks().filter((f) => trainingEdits(f).length > 0);
/** Notebooks with a parameters cell of other knobs only (e.g. a point x0): nothing here to redeclare. */
const otherParameters = courseNotebooks().filter((f) => read(f).cells.some(isParameters) && trainingEdits(f).length === 0);

describe('experiments survive edits of the parameters cell (tslab kernel)', () => {
  let summary: ExecutionSummary | undefined;
  let log = '';
  const plans = new Map<string, { copy: string; edits: Edit[] }>();

  before(async () => {
    if (withParameters.length === 0) return;
    const work = tempDir('bp-parameters-');
    fs.mkdirSync(path.join(work, 'notebooks'));
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(work, 'dist'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));
    for (const file of withParameters) {
      const nb = read(file);
      const settings = settingsOf(text(nb.cells.find(isParameters)!.source));
      const edits = editsFor(settings);
      const copy = path.join(work, 'notebooks', path.basename(file).replace(/\.ipynb$/, '.edited.ipynb'));
      fs.writeFileSync(copy, JSON.stringify(edited(nb, settings, edits), null, 1));
      plans.set(file, { copy, edits });
    }
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
    const summaryPath = path.join(OUT_DIR, 'summary.json');
    const result = await run(
      path.join(ROOT, '.venv', 'bin', 'python'),
      [path.join(ROOT, 'scripts', 'execute_notebooks.py'), '--out', OUT_DIR, '--summary', summaryPath, '--jobs', '2',
        '--timeout', '60', ...Array.from(plans.values(), (p) => p.copy)],
      { env: jupyterEnv(), timeoutMs: 10 * 60_000 },
    );
    log = result.stdout + result.stderr;
    if (fs.existsSync(summaryPath)) summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as ExecutionSummary;
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('notebooks whose parameters cell has no training settings are listed, not edited', (t) => {
    t.diagnostic(otherParameters.length === 0 ? 'none'
      : otherParameters.map((f) => `${path.relative(ROOT, f)}: ${settingsOf(text(read(f).cells.find(isParameters)!.source)).map((x) => x.name).join(', ')}`).join('; '));
    for (const f of otherParameters) assert.equal(trainingEdits(f).length, 0);
  });

  test('the settings cell parser reads typed declarations', () => {
    const s = settingsOf("const dataset: DatasetName = 'circles';   // which\nconst hidden: number[] = [4, 3];\nconst seed: number = 0;");
    assert.deepEqual(s, [
      { name: 'dataset', type: 'DatasetName', value: "'circles'" },
      { name: 'hidden', type: 'number[]', value: '[4, 3]' },
      { name: 'seed', type: 'number', value: '0' },
    ]);
  });

  for (const file of withParameters) {
    test(`${path.relative(ROOT, file)}: redeclared settings run, and every printed line and chart title follows them`, (t) => {
      const plan = plans.get(file)!;
      assert.ok(plan.edits.length > 0, 'the parameters cell declares at least one of dataset, hidden, seed, epochs');
      assert.ok(summary, `execute_notebooks.py wrote no summary:\n${log}`);
      const r = summary.notebooks.find((x) => path.basename(x.notebook) === path.basename(plan.copy));
      assert.ok(r, `no result for ${path.basename(plan.copy)}:\n${log}`);
      if (r.failure) {
        assert.fail(`${path.basename(plan.copy)} (${plan.edits.map((e) => `${e.name} = ${e.value}`).join(', ')}): cell ${r.failure.cell ?? '?'} failed\n` +
          `--- source ---\n${r.failure.sourceHead}\n--- stderr ---\n${r.failure.stderr}\n--- error ---\n${r.failure.error}`);
      }
      const out = describedOutputs(read(path.resolve(ROOT, r.executed)));
      const all = [...out.lines, ...out.titles];
      t.diagnostic(`edits: ${plan.edits.map((e) => `${e.name} = ${e.value}`).join(', ')}; ${out.lines.length} printed lines, ${out.titles.length} chart titles`);
      for (const e of plan.edits) {
        assert.ok(all.some((s) => e.mustSay.test(s)), `after ${e.name} = ${e.value}, some printed line or chart title mentions it (${e.mustSay})`);
        const stale = all.filter((s) => e.mustNotSay.test(s));
        assert.deepEqual(stale, [], `after ${e.name} = ${e.value}, no printed line or chart title still says ${e.mustNotSay}`);
      }
    });
  }
});
