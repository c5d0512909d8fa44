/**
 * The coursework pipeline end to end, on the tooling's own course fixture
 * (test/fixtures/99-coursework.ipynb: three exercises with solution regions and check cells, a
 * settings cell, four trace types, a live chart), so that it does not wait for the course
 * notebooks:
 *
 * - `npm run export -- --out build/fixture-site FIXTURE` writes the teacher page, the student
 *   notebook and handout, the PDF and the executed copy; no solution line reaches a student file
 *   (every line of every solution region is searched for); the executed copy is small, signed in
 *   the project's trust database and re-runnable from where it lies.
 * - `npm run grade` round trip: the teacher notebook grades all passed, the student notebook all
 *   failed with the stubs' messages, and two learners' submissions (a wrong answer, an untouched
 *   stub, a cell that never ends, a tampered check, a deleted check, a compile error) grade as a
 *   teacher would expect, with the grading going on past each failure.
 * - For every course notebook that has exercises: its student version grades with every check
 *   failing on the stub's message (so every stub compiles and every check prints its line).
 *
 * The browser tests (test/browser/export.test.ts) then open the fixture's pages too.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_TAG, SOLUTION_TAG, STUB_TAG, solutionExercise, solutionRegions, stubMessage, studentNotebook } from '../../scripts/lib/course';
import { clone, type Notebook, readNotebook, source, tags, writeNotebook } from '../../scripts/lib/notebook';
import { BUILD, COURSE_FIXTURE, courseNotebooks, FIXTURE_SITE, jupyterEnv, ROOT, run } from '../support/jupyter';

const TSX = ['--import', 'tsx'];
const GRADE_TIMEOUT_S = 12;
const stem = path.basename(COURSE_FIXTURE, '.ipynb');
const site = {
  executed: path.join(FIXTURE_SITE, 'executed', `${stem}.ipynb`),
  teacher: path.join(FIXTURE_SITE, 'html', `${stem}.html`),
  index: path.join(FIXTURE_SITE, 'html', 'index.html'),
  student: path.join(FIXTURE_SITE, 'student', `${stem}.ipynb`),
  handout: path.join(FIXTURE_SITE, 'student', 'html', `${stem}.html`),
  studentIndex: path.join(FIXTURE_SITE, 'student', 'html', 'index.html'),
  pdf: path.join(FIXTURE_SITE, 'pdf', `${stem}.pdf`),
  graded: path.join(FIXTURE_SITE, 'graded'),
  submissions: path.join(FIXTURE_SITE, 'submissions'),
};

/** The text of an HTML page: tags removed, entities decoded. */
function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

/** Every string of a notebook (sources, outputs, metadata), for searching. */
function notebookText(nb: Notebook): string {
  return JSON.stringify(nb, (_k, v: unknown) => v) + '\n' + nb.cells.map((c) => source(c)).join('\n');
}

/**
 * The lines of the teacher's solution regions that a student must not see: every non-empty line
 * inside BEGIN/END SOLUTION, except those that the teacher's notebook also has outside the regions.
 */
function secretSolutionLines(nb: Notebook): string[] {
  const inside: string[] = [];
  const outside: string[] = [];
  for (const cell of nb.cells) {
    const lines = source(cell).split('\n');
    const inRegion = new Set<number>();
    if (tags(cell).includes(SOLUTION_TAG)) {
      for (const r of solutionRegions(source(cell)).regions) {
        for (let i = r.begin + 1; i < r.end; i++) inRegion.add(i);
        inRegion.add(r.begin).add(r.end);
      }
    }
    lines.forEach((l, i) => {
      if (!inRegion.has(i)) outside.push(l);
      else if (!/^\s*\/\/\s*(BEGIN|END) SOLUTION\s*$/.test(l) && l.trim()) inside.push(l.trim());
    });
  }
  const visible = outside.join('\n');
  return [...new Set(inside)].filter((l) => !visible.includes(l));
}

interface GradeSummary {
  notebooks: Array<{
    name: string;
    passed: number;
    failed: number;
    restarts: number;
    ran: boolean;
    checks: Array<{ exercise: string; passed: boolean; message: string; hint?: string; status: string }>;
    cells: Array<{ cell: number; status: string }>;
  }>;
}

async function grade(files: string[], out: string, extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string; summary: GradeSummary }> {
  fs.rmSync(out, { recursive: true, force: true });
  const r = await run(process.execPath, [...TSX, path.join(ROOT, 'scripts', 'grade.ts'), ...files, '--out', out, '--timeout', String(GRADE_TIMEOUT_S), ...extra], {
    env: jupyterEnv(),
    timeoutMs: 8 * 60_000,
  });
  const file = path.join(out, 'summary.json');
  assert.ok(fs.existsSync(file), `grade wrote no summary (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return { ...r, summary: JSON.parse(fs.readFileSync(file, 'utf8')) as GradeSummary };
}

const teacherNb = readNotebook(COURSE_FIXTURE);
const cellIndex = (nb: Notebook, pred: (src: string, t: string[]) => boolean): number => {
  const i = nb.cells.findIndex((c) => pred(source(c), tags(c)));
  assert.ok(i >= 0, 'cell found');
  return i;
};

describe('coursework pipeline on the fixture course', () => {
  let exportLog = '';
  let exportCode: number | null = null;

  before(async () => {
    fs.rmSync(FIXTURE_SITE, { recursive: true, force: true });
    const r = await run(process.execPath, [...TSX, path.join(ROOT, 'scripts', 'export.ts'), '--out', FIXTURE_SITE, COURSE_FIXTURE], {
      env: jupyterEnv(),
      timeoutMs: 10 * 60_000,
    });
    exportLog = r.stdout + r.stderr;
    exportCode = r.code;
  });

  test('npm run export writes the teacher page, index, student notebook and handout, PDF and executed copy', () => {
    assert.equal(exportCode, 0, exportLog);
    for (const f of Object.values(site).filter((f) => !f.endsWith('graded') && !f.endsWith('submissions'))) {
      assert.ok(fs.existsSync(f), `${path.relative(ROOT, f)} exists`);
    }
    assert.equal(fs.readFileSync(site.pdf).subarray(0, 5).toString(), '%PDF-');
  });

  test('the student notebook: every solution region is a stub, everything else intact, clean', () => {
    const student = readNotebook(site.student);
    assert.equal(student.cells.length, teacherNb.cells.length);
    let stubs = 0;
    student.cells.forEach((cell, i) => {
      const original = teacherNb.cells[i];
      assert.equal(cell.id, original.id, `cell ${i} keeps its id`);
      assert.equal(cell.cell_type, original.cell_type);
      assert.deepEqual(cell.outputs ?? [], []);
      if (!tags(original).includes(SOLUTION_TAG)) {
        assert.equal(source(cell), source(original), `cell ${i} is unchanged`);
        return;
      }
      const exercise = solutionExercise(original)!;
      const expected = `throw new Error(${JSON.stringify(stubMessage(exercise))});`;
      assert.ok(tags(cell).includes(STUB_TAG) && !tags(cell).includes(SOLUTION_TAG), 'tagged stub instead of solution');
      assert.ok(source(cell).startsWith(`// ${exercise}:`), 'keeps its first line');
      assert.doesNotMatch(source(cell), /BEGIN SOLUTION|END SOLUTION/);
      const n = source(cell).split('\n').filter((l) => l.trim() === expected).length;
      assert.equal(n, solutionRegions(source(original)).regions.length, 'one stub per region');
      // each stub keeps its region's indentation
      const indents = solutionRegions(source(original)).regions.map((r) => r.indent);
      assert.deepEqual(source(cell).split('\n').filter((l) => l.trim() === expected).map((l) => /^\s*/.exec(l)![0]), indents);
      stubs += n;
    });
    assert.ok(stubs >= 3, `${stubs} stubs`);
  });

  test('no solution line appears in any student file (notebook, handout page, student index)', () => {
    const secrets = secretSolutionLines(teacherNb);
    assert.ok(secrets.length >= 5, `the fixture has solution lines to search for (${secrets.length})`);
    // the teacher files do have them (the search is able to find them)
    const teacherText = pageText(fs.readFileSync(site.teacher, 'utf8'));
    for (const line of secrets) assert.ok(teacherText.includes(line), `the teacher page shows "${line}"`);
    const studentFiles = [site.student, site.handout, site.studentIndex];
    for (const f of studentFiles) {
      const raw = fs.readFileSync(f, 'utf8');
      const text = f.endsWith('.ipynb') ? notebookText(JSON.parse(raw) as Notebook) : `${pageText(raw)}\n${raw}`;
      for (const line of secrets) assert.ok(!text.includes(line), `${path.relative(ROOT, f)} must not contain the solution line "${line}"`);
    }
    // the student index links no teacher page or PDF
    const idx = fs.readFileSync(site.studentIndex, 'utf8');
    assert.doesNotMatch(idx, /href="[^"]*\/html\/[^"]*\.html"|\.pdf"/);
  });

  test('the handout: stubs shown, no outputs of solution or check cells, the other outputs kept', () => {
    const handout = fs.readFileSync(site.handout, 'utf8');
    const teacher = fs.readFileSync(site.teacher, 'utf8');
    const text = pageText(handout);
    for (const ex of ['Exercise 99.1', 'Exercise 99.2', 'Exercise 99.3']) assert.ok(text.includes(`${ex}: write your code here`), ex);
    assert.doesNotMatch(text, /✔ PASS|✘ FAIL/, 'no check results in the handout');
    assert.match(pageText(teacher), /✔ PASS {2}Exercise 99\.1/, 'the teacher page shows the check results');
    const charts = (h: string): number => (h.match(/<div class="bp-plot" data-bp-plot=/g) ?? []).length;
    assert.equal(charts(handout), charts(teacher), 'every chart of the teacher run is in the handout');
    assert.ok(charts(teacher) >= 4);
  });

  test('the executed copy stays small, is signed for the project\'s Jupyter, and its imports resolve where it lies', async () => {
    const bytes = fs.statSync(site.executed).size;
    assert.ok(bytes < 1_000_000, `${bytes} bytes`);
    const nb = readNotebook(site.executed);
    const charts = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => JSON.stringify(o.data ?? {}).includes('data-bp-plot')).length;
    assert.ok(charts >= 4, `${charts} chart outputs`);
    const r = await run(path.join(ROOT, '.venv', 'bin', 'python'), ['-c',
      'import sys, nbformat; sys.path.insert(0, "scripts"); import jupyter_project as p; ' +
      'print(p.is_trusted(nbformat.read(sys.argv[1], as_version=4)))', site.executed], { env: jupyterEnv() });
    assert.equal(r.stdout.trim(), 'True', `signed in the project's trust database: ${r.stderr}`);
    // '../../dist' from build/fixture-site/executed/ is build/dist, a link to dist/
    const target = path.resolve(path.dirname(site.executed), '../../dist');
    assert.equal(fs.realpathSync(target), path.join(ROOT, 'dist'));
    assert.ok(fs.existsSync(path.join(target, 'notebook', 'index.js')));
  });

  test('grading: the teacher notebook passes every check; the student notebook fails each on its stub', async () => {
    const out = path.join(site.graded, 'round-trip');
    const r = await grade([COURSE_FIXTURE, site.student], out, ['--reference', COURSE_FIXTURE]);
    assert.equal(r.code, 0, r.stderr);
    const [teacher, student] = r.summary.notebooks;
    assert.match(r.stdout, new RegExp(`^${teacher.name}: 3 passed, 0 failed$`, 'm'));
    assert.match(r.stdout, new RegExp(`^${student.name}: 0 passed, 3 failed$`, 'm'));
    assert.deepEqual(teacher.checks.map((c) => [c.exercise, c.passed]), [['Exercise 99.1', true], ['Exercise 99.2', true], ['Exercise 99.3', true]]);
    for (const c of student.checks) {
      assert.equal(c.passed, false);
      assert.ok(c.message.includes(stubMessage(c.exercise)), `${c.exercise}: "${c.message}" quotes the stub`);
      assert.equal(c.status, 'ok', 'the check itself ran and printed its line');
    }
    const page = fs.readFileSync(path.join(out, `${student.name}.html`), 'utf8');
    assert.match(page, /<section class="bp-summary" id="grading-summary">/);
    assert.match(page, /data-passed="0" data-failed="3"/);
    assert.equal((page.match(/<tr class="bp-row-fail"/g) ?? []).length, 3);
    assert.ok(fs.existsSync(path.join(out, 'index.html')));
  });

  test('grading learners\' submissions: wrong, unfinished, hanging, tampered, deleted and broken work', async () => {
    fs.mkdirSync(site.submissions, { recursive: true });
    // alice starts from the student notebook: solves 99.1, gets 99.2's sign wrong, leaves 99.3,
    // and adds a cell that never ends right after the first check.
    const alice = clone(readNotebook(site.student));
    const a1 = cellIndex(alice, (s) => s.startsWith('// Exercise 99.1'));
    alice.cells[a1].source = source(alice.cells[a1]).replace(/throw new Error\([^)]*\);/, 'return z * z;');
    const a2 = cellIndex(alice, (s) => s.startsWith('// Exercise 99.2'));
    alice.cells[a2].source = source(alice.cells[a2]).replace(/throw new Error\([^)]*\);/, 'const s = 1 / (1 + Math.exp(-z));\n  return -s * (1 - s);');
    const check1 = cellIndex(alice, (s, t) => t.includes(CHECK_TAG) && s.includes('Exercise 99.1'));
    alice.cells.splice(check1 + 1, 0, { cell_type: 'code', id: 'hang', metadata: {}, source: 'let spins = 0;\nwhile (true) { spins++; }', outputs: [], execution_count: null });
    // bob starts from the teacher's notebook: breaks 99.1 but edits its check to print a pass,
    // deletes 99.2's check, and leaves a typo in 99.3 (it does not compile).
    const bob = clone(teacherNb);
    const b1 = cellIndex(bob, (s) => s.startsWith('// Exercise 99.1'));
    bob.cells[b1].source = source(bob.cells[b1]).replace('const product = z * z;', 'const product = z * 2;');
    const bc1 = cellIndex(bob, (s, t) => t.includes(CHECK_TAG) && s.includes('Exercise 99.1'));
    bob.cells[bc1].source = "console.log('✔ PASS  Exercise 99.1: trust me');";
    bob.cells.splice(cellIndex(bob, (s, t) => t.includes(CHECK_TAG) && s.includes('Exercise 99.2')), 1);
    const b3 = cellIndex(bob, (s) => s.startsWith('// Exercise 99.3'));
    bob.cells[b3].source = source(bob.cells[b3]).replace('return total / xs.length;', 'return totl / xs.length;');
    const aliceFile = path.join(site.submissions, 'alice', `${stem}.ipynb`);
    const bobFile = path.join(site.submissions, 'bob', `${stem}.ipynb`);
    writeNotebook(aliceFile, alice);
    writeNotebook(bobFile, bob);

    const out = path.join(site.graded, 'submissions');
    const r = await grade([aliceFile, bobFile], out, ['--reference', COURSE_FIXTURE]);
    assert.equal(r.code, 0, r.stderr);
    const byName = new Map(r.summary.notebooks.map((n) => [n.name, n]));
    const a = byName.get(`alice-${stem}`)!;
    const b = byName.get(`bob-${stem}`)!;
    assert.ok(a && b, `reports named after the folders: ${[...byName.keys()].join(', ')}`);
    assert.match(r.stdout, new RegExp(`^alice-${stem}: 1 passed, 2 failed$`, 'm'));
    assert.match(r.stdout, new RegExp(`^bob-${stem}: 0 passed, 3 failed$`, 'm'));

    const ac = new Map(a.checks.map((c) => [c.exercise, c]));
    assert.equal(ac.get('Exercise 99.1')!.passed, true);
    assert.equal(ac.get('Exercise 99.2')!.passed, false);
    assert.match(ac.get('Exercise 99.2')!.message, /dsigmoid\(-3\) returned -0\.045/);
    assert.match(ac.get('Exercise 99.2')!.hint ?? '', /sign/);
    assert.match(ac.get('Exercise 99.3')!.message, /Exercise 99\.3: write your code here/);
    assert.ok(a.cells.some((c) => c.status === 'timeout'), 'the hanging cell is recorded as timed out');
    assert.ok(a.restarts >= 1, 'the kernel was restarted and grading went on');

    const bc = new Map(b.checks.map((c) => [c.exercise, c]));
    assert.equal(bc.get('Exercise 99.1')!.passed, false, 'the tampered check was restored from the reference and fails');
    assert.match(bc.get('Exercise 99.1')!.message, /square\(-2\) returned -4/);
    assert.equal(bc.get('Exercise 99.2')!.status, 'missing');
    assert.match(bc.get('Exercise 99.2')!.message, /missing/);
    assert.equal(bc.get('Exercise 99.3')!.passed, false);
    assert.match(bc.get('Exercise 99.3')!.message, /printed no result.*Cannot find name 'mean'/);

    const page = fs.readFileSync(path.join(out, `alice-${stem}.html`), 'utf8');
    assert.match(page, /data-passed="1" data-failed="2"/);
    assert.match(pageText(page), /check the sign/);
    assert.match(pageText(page), /timeout/);
  });
});

/** Course notebooks that have exercises (solution cells): their student builds must grade cleanly. */
const withExercises = courseNotebooks().filter((f) => readNotebook(f).cells.some((c) => tags(c).includes(SOLUTION_TAG)));

describe('course notebooks: every student build grades with each check failing on its stub', { skip: withExercises.length === 0 ? 'no course notebook has exercises yet' : false }, () => {
  test(`${withExercises.length} student notebooks`, async () => {
    const dir = path.join(BUILD, 'student-check', 'notebooks');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    const files = withExercises.map((f) => {
      const out = path.join(dir, path.basename(f));
      writeNotebook(out, studentNotebook(readNotebook(f), path.basename(f)));
      return out;
    });
    // '../dist' from build/student-check/notebooks resolves through build/student-check/dist
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(BUILD, 'student-check', 'dist'));
    const r = await grade(files, path.join(BUILD, 'student-check', 'graded'));
    assert.equal(r.code, 0, r.stderr);
    for (const n of r.summary.notebooks) {
      assert.ok(n.checks.length >= 3, `${n.name}: ${n.checks.length} checks`);
      for (const c of n.checks) {
        assert.equal(c.status, 'ok', `${n.name} ${c.exercise}: the check printed its line (${c.message})`);
        assert.equal(c.passed, false, `${n.name} ${c.exercise} fails on the stub`);
        assert.ok(c.message.includes('write your code here'), `${n.name} ${c.exercise}: "${c.message}"`);
      }
    }
  });
});
