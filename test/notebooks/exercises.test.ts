/**
 * Exercises check themselves, in every notebooks/*.ipynb:
 *
 * - Structure. A cell tagged `solution` starts with `// Exercise N.k: …` (N = the notebook's number),
 *   holds `// BEGIN SOLUTION` … `// END SOLUTION` regions, and is answered by a later cell tagged
 *   `check` whose one statement is `check('Exercise N.k', () => …)`; every exercise has a markdown
 *   heading `### Exercise N.k: …`; no region markers outside solution cells. A notebook of the course
 *   (one with `metadata.course`) has at least three checked code exercises.
 * - Execution. The notebooks run as committed, and every check line is ✔ PASS. Then the student
 *   version of each notebook, with every solution region replaced by
 *   `throw new Error("Exercise N.k: write your code here");` (what a student build does), runs with no
 *   failing cell, and every check line is ✘ FAIL quoting that message, with a hint.
 *
 * Executed copies: build/exercises/ (NAME.ipynb as committed, NAME.student.ipynb stubbed).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCheckLine, type CheckResult } from '../../src/notebook/check';
import { BUILD, courseNotebooks, jupyterEnv, ROOT, run, tempDir, type ExecutionSummary } from '../support/jupyter';

interface Output { output_type: string; name?: string; text?: string | string[] }
interface Cell { cell_type: string; source: string | string[]; metadata: { tags?: string[] }; outputs?: Output[] }
interface Notebook { cells: Cell[]; metadata: { course?: unknown } }

const MIN_EXERCISES = 3;
const OUT_DIR = path.join(BUILD, 'exercises');
const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : s ?? '');
const tags = (c: Cell): string[] => c.metadata?.tags ?? [];
const read = (file: string): Notebook => JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
const rel = (p: string): string => path.relative(ROOT, p);

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const EXERCISE_LINE = /^\/\/ (Exercise (\d+)\.(\d+)):/;
const CHECK_CALL = /\bcheck\(\s*(['"])(Exercise \d+\.\d+)\1\s*,/g;

/** The notebook's number N from its file name (01-… → 1). */
function chapterOf(file: string): number | null {
  const m = /^(\d+)-/.exec(path.basename(file));
  return m ? Number(m[1]) : null;
}

/** The stub a student build puts in place of a solution region. */
function stubLine(indent: string, exercise: string): string {
  return `${indent}throw new Error("${exercise}: write your code here");`;
}

/** A solution cell's source with every region replaced by the stub; throws when the markers do not pair up. */
function stubSource(source: string, exercise: string): string {
  const out: string[] = [];
  let open: string | null = null;
  for (const line of source.split('\n')) {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open !== null) throw new Error(`${exercise}: nested // BEGIN SOLUTION`);
      open = begin[1];
      out.push(stubLine(open, exercise));
    } else if (END.test(line)) {
      if (open === null) throw new Error(`${exercise}: // END SOLUTION without BEGIN`);
      open = null;
    } else if (open === null) {
      out.push(line);
    }
  }
  if (open !== null) throw new Error(`${exercise}: // BEGIN SOLUTION without END`);
  return out.join('\n');
}

/** The exercise id of a solution cell ("Exercise 3.2"), from its first line. */
function exerciseOf(cell: Cell): string | null {
  const m = EXERCISE_LINE.exec(text(cell.source).split('\n')[0]);
  return m ? m[1] : null;
}

/** The exercise ids named by the check(…) calls of a cell. */
function checkCalls(cell: Cell): string[] {
  return Array.from(text(cell.source).matchAll(CHECK_CALL), (m) => m[2]);
}

/** The notebook as a student gets it: every solution region stubbed. */
function studentVersion(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((c) => {
      if (!tags(c).includes('solution')) return c;
      const exercise = exerciseOf(c);
      if (!exercise) throw new Error('a solution cell has no // Exercise N.k: first line');
      const src = stubSource(text(c.source), exercise).split('\n');
      return { ...c, source: src.map((l, i) => (i < src.length - 1 ? `${l}\n` : l)) };
    }),
  };
}

/** The check lines a cell printed. */
function checkLines(cell: Cell): CheckResult[] {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === 'stream' && o.name === 'stdout')
    .flatMap((o) => text(o.text).split('\n'))
    .map((l) => parseCheckLine(l))
    .filter((r): r is CheckResult => r !== null);
}

const notebooks = courseNotebooks();

describe('exercises: structure', () => {
  for (const file of notebooks) {
    test(`${rel(file)}: solution regions, check cells and headings pair up`, () => {
      const nb = read(file);
      const chapter = chapterOf(file);
      const headings = new Set(nb.cells.filter((c) => c.cell_type === 'markdown')
        .flatMap((c) => Array.from(text(c.source).matchAll(/^###\s+(Exercise \d+\.\d+):/gm), (m) => m[1])));
      const solutions: Array<{ exercise: string; index: number }> = [];
      const checks: Array<{ exercise: string; index: number }> = [];
      nb.cells.forEach((c, index) => {
        const src = text(c.source);
        const hasMarkers = src.split('\n').some((l) => BEGIN.test(l) || END.test(l));
        if (tags(c).includes('solution')) {
          assert.equal(c.cell_type, 'code', `cell ${index}: a solution cell is a code cell`);
          const exercise = exerciseOf(c);
          assert.ok(exercise, `cell ${index}: a solution cell starts with "// Exercise N.k: …"; it starts with ${JSON.stringify(src.split('\n')[0])}`);
          if (chapter !== null) assert.match(exercise, new RegExp(`^Exercise ${chapter}\\.`), `cell ${index}: ${exercise} belongs to notebook ${chapter}`);
          assert.ok(hasMarkers, `cell ${index} (${exercise}) has // BEGIN SOLUTION … // END SOLUTION`);
          assert.doesNotThrow(() => stubSource(src, exercise), `cell ${index}: the markers pair up`);
          assert.ok(headings.has(exercise), `${exercise} has a markdown heading "### ${exercise}: …"`);
          solutions.push({ exercise, index });
        } else {
          assert.ok(!hasMarkers, `cell ${index}: solution markers only in cells tagged "solution"`);
        }
        if (tags(c).includes('check')) {
          const calls = checkCalls(c);
          assert.equal(calls.length, 1, `cell ${index}: a check cell makes exactly one check('Exercise N.k', …) call; found ${calls.length}`);
          checks.push({ exercise: calls[0], index });
        } else if (c.cell_type === 'code') {
          assert.equal(checkCalls(c).length, 0, `cell ${index}: check(…) calls only in cells tagged "check"`);
        }
      });
      for (const s of solutions) {
        assert.ok(checks.some((k) => k.exercise === s.exercise && k.index > s.index),
          `${s.exercise} (cell ${s.index}) is followed by a check cell calling check('${s.exercise}', …)`);
      }
      for (const k of checks) {
        assert.ok(solutions.some((s) => s.exercise === k.exercise && s.index < k.index),
          `the check of ${k.exercise} (cell ${k.index}) follows its solution cell`);
      }
      if (nb.metadata.course !== undefined) {
        assert.ok(solutions.length >= MIN_EXERCISES, `a course notebook has at least ${MIN_EXERCISES} code exercises; found ${solutions.length}`);
        assert.ok(checks.length >= MIN_EXERCISES, `a course notebook has at least ${MIN_EXERCISES} check cells; found ${checks.length}`);
      }
    });
  }
});

describe('exercises: solutions pass, stubs fail (tslab kernel)', () => {
  const withExercises = notebooks.filter((f) => read(f).cells.some((c) => tags(c).includes('check')));
  let summary: ExecutionSummary | undefined;
  let log = '';
  const student = new Map<string, string>();

  before(async () => {
    if (withExercises.length === 0) return;
    // The student copies live in a workspace of their own, next to links to dist/ and node_modules/,
    // so that '../dist' resolves as in the project.
    const work = tempDir('bp-exercises-');
    fs.mkdirSync(path.join(work, 'notebooks'));
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(work, 'dist'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));
    for (const file of withExercises) {
      const copy = path.join(work, 'notebooks', path.basename(file).replace(/\.ipynb$/, '.student.ipynb'));
      fs.writeFileSync(copy, JSON.stringify(studentVersion(read(file)), null, 1));
      student.set(file, copy);
    }
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
    const summaryPath = path.join(OUT_DIR, 'summary.json');
    const result = await run(
      path.join(ROOT, '.venv', 'bin', 'python'),
      [path.join(ROOT, 'scripts', 'execute_notebooks.py'), '--out', OUT_DIR, '--summary', summaryPath, '--jobs', '2',
        '--timeout', '60', ...withExercises, ...student.values()],
      { env: jupyterEnv(), timeoutMs: 15 * 60_000 },
    );
    log = result.stdout + result.stderr;
    if (fs.existsSync(summaryPath)) summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as ExecutionSummary;
    fs.rmSync(work, { recursive: true, force: true });
  });

  function executed(source: string): Notebook {
    assert.ok(summary, `execute_notebooks.py wrote no summary:\n${log}`);
    const r = summary.notebooks.find((x) => path.basename(x.notebook) === path.basename(source));
    assert.ok(r, `no result for ${path.basename(source)}:\n${log}`);
    if (r.failure) {
      assert.fail(`${path.basename(source)}: cell ${r.failure.cell ?? '?'} failed\n--- source ---\n${r.failure.sourceHead}\n` +
        `--- stderr ---\n${r.failure.stderr}\n--- error ---\n${r.failure.error}`);
    }
    return read(path.resolve(ROOT, r.executed));
  }

  for (const file of withExercises) {
    test(`${rel(file)}: every check passes on the committed solutions`, () => {
      const nb = executed(file);
      for (const [index, c] of nb.cells.entries()) {
        if (!tags(c).includes('check')) continue;
        const lines = checkLines(c);
        assert.equal(lines.length, 1, `cell ${index} prints one check line; printed ${lines.length}`);
        assert.equal(lines[0].exercise, checkCalls(c)[0]);
        assert.ok(lines[0].passed, `cell ${index}: ${lines[0].exercise} passes on the solution: ${lines[0].message} ${lines[0].hint ?? ''}`);
      }
    });

    test(`${rel(file)}: with every solution stubbed, no cell breaks and every check fails with the stub's message and a hint`, () => {
      const nb = executed(student.get(file) ?? file);
      let count = 0;
      for (const [index, c] of nb.cells.entries()) {
        if (!tags(c).includes('check')) continue;
        const lines = checkLines(c);
        assert.equal(lines.length, 1, `cell ${index} prints one check line; printed ${lines.length}`);
        const r = lines[0];
        assert.equal(r.exercise, checkCalls(c)[0]);
        assert.equal(r.passed, false, `cell ${index}: ${r.exercise} must fail on a stub; it printed PASS: ${r.message}`);
        assert.match(r.message, /Exercise \d+\.\d+: write your code here/, `cell ${index}: the failure quotes the stub`);
        assert.ok((r.hint ?? '').length > 0, `cell ${index}: the failure carries a hint`);
        count += 1;
      }
      assert.ok(count > 0);
    });
  }
});
