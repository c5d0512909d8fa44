/**
 * `npm run grade`: runs learners' notebooks through the kernel and reports their self-checks.
 *
 *     npm run grade -- FILE.ipynb [FILE.ipynb ...] [--out build/graded] [--timeout 60]
 *                      [--reference notebooks/|FILE.ipynb|none] [--jobs 2] [--strict]
 *
 * Each notebook runs in a fresh tslab kernel (scripts/execute_notebooks.py --grade): every code
 * cell runs whatever failed before it, each with a time limit (--timeout seconds); a cell that
 * hangs or kills the kernel is recorded, the kernel restarted and the state rebuilt, and grading
 * goes on. Each `check` cell's result is read from the line it printed (`✔ PASS  Exercise N.k: …`
 * / `✘ FAIL  Exercise N.k: … Hint: …`, parsed by parseCheckLine of src/notebook/check.ts); a check
 * cell that printed no such line (it did not compile, timed out, or its request was dropped) is a
 * failure that says why.
 *
 * The check cells are the teacher's: when a reference notebook exists (by default
 * notebooks/<same name>.ipynb; --reference names a folder, a file, or `none`), each check cell
 * of the submission is restored from it (a learner cannot edit a check into passing), and a check
 * the reference has but the submission lost counts as failed.
 *
 * Prints one line per notebook, `NAME: N passed, M failed`, and writes
 *
 *     OUT/NAME.html       the executed notebook as a page, with a summary table at the top
 *                         (each check, passed or failed, with what it found and its hint)
 *     OUT/NAME.ipynb      the executed notebook (signed: opens trusted in `npm start -- OUT/NAME.ipynb`)
 *     OUT/index.html      every graded notebook and its score
 *     OUT/summary.json    the results, for scripts
 *
 * Exit status: 0 when every notebook was graded (whatever its score; with --strict, 2 when a
 * check failed), 1 when a notebook could not be graded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCheckLine } from '../src/notebook/check';
import { CHECK_TAG, checkCalls, exerciseId, notebookTitle } from './lib/course';
import { type Cell, type Notebook, readNotebook, source, streamText, tags, writeNotebook } from './lib/notebook';
import { esc, finishPage } from './lib/page';
import { BUILD, rel, ROOT, runPython } from './lib/project';
import { standalonePage } from './lib/site';

interface Args {
  files: string[];
  out: string;
  timeout: number;
  reference: string;
  jobs: number;
  strict: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], out: path.join(BUILD, 'graded'), timeout: 60, reference: path.join(ROOT, 'notebooks'), jobs: 2, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`grade: ${x} needs a value`);
      return v;
    };
    if (x === '--out') a.out = path.resolve(value());
    else if (x === '--timeout') a.timeout = Number(value());
    else if (x === '--reference') a.reference = value();
    else if (x === '--jobs') a.jobs = Number(value());
    else if (x === '--strict') a.strict = true;
    else if (x === '-h' || x === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').match(/\/\*\*([\s\S]*?)\*\//)![1].replace(/^ \* ?/gm, ''));
      process.exit(0);
    } else if (x.startsWith('-')) throw new Error(`grade: unknown option ${x} (see --help)`);
    else a.files.push(path.resolve(x));
  }
  if (a.files.length === 0) throw new Error('grade: name the notebooks to grade: npm run grade -- FILE.ipynb [FILE.ipynb ...]');
  if (!Number.isFinite(a.timeout) || a.timeout <= 0) throw new Error(`grade: --timeout must be a positive number of seconds; received ${a.timeout}`);
  for (const f of a.files) if (!fs.existsSync(f)) throw new Error(`grade: ${f} does not exist`);
  return a;
}

/** One check's grade. */
export interface CheckGrade {
  exercise: string;
  passed: boolean;
  message: string;
  hint?: string;
  /** Index and id of the check cell in the graded notebook (absent when the check cell is missing). */
  cell?: number;
  cellId?: string;
  /** How the check cell ran: ok, error, timeout, dropped, dead, missing. */
  status: string;
}

/** What the Python runner reports per cell. */
interface CellRun {
  cell: number;
  id?: string;
  status: 'ok' | 'error' | 'timeout' | 'dropped' | 'dead';
  detail: string;
  seconds: number;
}

interface NotebookRun {
  notebook: string;
  executed: string;
  ok: boolean;
  problem: string | null;
  restarts: number;
  cells: CellRun[];
}

/** The reference notebook for a submission, or null. */
function referenceFor(file: string, reference: string): string | null {
  if (reference === 'none') return null;
  const r = path.resolve(reference);
  if (fs.existsSync(r) && fs.statSync(r).isFile()) return r;
  const candidate = path.join(r, path.basename(file));
  return fs.existsSync(candidate) ? candidate : null;
}

/** The id a check cell checks (from its check(…) call), or null. */
function checkedId(cell: Cell): string | null {
  return checkCalls(source(cell))[0] ?? exerciseId(source(cell));
}

/**
 * Restores the submission's check cells from the reference (by exercise id) and lists the
 * reference's checks that the submission lacks.
 */
export function restoreChecks(submission: Notebook, reference: Notebook | null): { nb: Notebook; missing: string[]; restored: number } {
  if (!reference) return { nb: submission, missing: [], restored: 0 };
  const canonical = new Map<string, Cell>();
  for (const c of reference.cells) {
    if (c.cell_type !== 'code' || !tags(c).includes(CHECK_TAG)) continue;
    const id = checkedId(c);
    if (id && !canonical.has(id)) canonical.set(id, c);
  }
  const present = new Set<string>();
  let restored = 0;
  for (const c of submission.cells) {
    if (c.cell_type !== 'code') continue;
    const id = tags(c).includes(CHECK_TAG) ? checkedId(c) : null;
    // A check cell is recognised by its tag, or (tag removed) by the reference's exact call.
    const match = id ? canonical.get(id) : [...canonical.values()].find((r) => source(r).trim() === source(c).trim());
    if (!match) continue;
    const matchId = checkedId(match)!;
    present.add(matchId);
    if (source(c) !== source(match)) restored += 1;
    c.source = source(match);
    c.metadata.tags = [...new Set([...tags(c), CHECK_TAG])];
  }
  return { nb: submission, missing: [...canonical.keys()].filter((id) => !present.has(id)), restored };
}

/** `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

/**
 * The line of a cell's stderr that says what went wrong: a runtime error's `Name: message` line
 * (tslab prints the code location first), else the first lines (compile errors: `6:10 - Cannot find name …`).
 */
export function errorSummary(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /^(?:Uncaught\s+)?[A-Z][A-Za-z]*(?:Error|Exception)\b/.test(l));
  return (error ?? lines.slice(0, 2).join(' ')).slice(0, 300);
}

/** The reason a check cell printed no result line, from how it ran. */
function noLineReason(run: CellRun | undefined, timeout: number): { message: string; hint: string } {
  switch (run?.status) {
    case 'timeout':
      return { message: `the check did not finish within the time limit of ${timeout} s.`, hint: 'look for a loop that never ends in the code it calls.' };
    case 'dead':
      return { message: 'the kernel died while the check ran.', hint: 'the code it calls may exhaust memory or exit the process.' };
    case 'dropped':
      return { message: 'the kernel dropped the check (it arrived right after an error, several times).', hint: 'run the notebook again; fix the error in the cell before it.' };
    case 'error':
      return {
        message: `the check cell failed and printed no result: ${(errorSummary(run.detail) || 'an error').replace(/\.$/, '')}.`,
        hint: /Cannot find name|is not defined/.test(run.detail)
          ? 'a name the check uses is not defined: run (and fix) the exercise cell above it and the cells before.'
          : 'fix the error shown in the check cell, then run it again.',
      };
    case 'ok':
      return { message: 'the check cell ran but printed no ✔ PASS / ✘ FAIL line.', hint: 'restore the check cell as it was in the handout.' };
    default:
      return { message: 'the check cell was not run.', hint: 'the notebook could not be run to this cell.' };
  }
}

/** The grades of a graded notebook's check cells. */
export function gradeChecks(nb: Notebook, runs: CellRun[], missing: string[], timeout: number): CheckGrade[] {
  const byCell = new Map(runs.map((r) => [r.cell, r]));
  const grades: CheckGrade[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code' || !tags(cell).includes(CHECK_TAG)) return;
    const exercise = checkedId(cell) ?? `check in cell ${index}`;
    const run = byCell.get(index);
    const lines = streamText(cell, 'stdout').split('\n').map((l) => parseCheckLine(l)).filter((r) => r !== null);
    const mine = lines.filter((r) => r!.exercise === exercise);
    const result = (mine.length ? mine : lines).at(-1);
    const base = { exercise, cell: index, cellId: cell.id, status: run?.status ?? 'not run' };
    if (result && run?.status !== 'timeout') {
      grades.push({ ...base, passed: result.passed, message: result.message, ...(result.hint ? { hint: result.hint } : {}) });
    } else {
      grades.push({ ...base, passed: false, ...noLineReason(run, timeout) });
    }
  });
  for (const exercise of missing) {
    grades.push({ exercise, passed: false, status: 'missing', message: 'the check cell for this exercise is missing from the notebook.', hint: 'restore the check cell from the handout.' });
  }
  return grades;
}

function summaryHtml(name: string, grades: CheckGrade[], run: NotebookRun, info: { reference: string | null; restored: number; timeout: number; failedCells: CellRun[] }): string {
  const passed = grades.filter((g) => g.passed).length;
  const rows = grades.map((g) => {
    const where = g.cellId ? `<a href="#${esc(`cell-id=${g.cellId}`)}">${esc(g.exercise)}</a>` : esc(g.exercise);
    const result = g.passed ? '<span class="bp-result bp-pass">✓ passed</span>' : '<span class="bp-result bp-fail">✗ failed</span>';
    return `<tr class="${g.passed ? 'bp-row-pass' : 'bp-row-fail'}" data-exercise="${esc(g.exercise)}" data-passed="${g.passed}"><td class="bp-nowrap">${where}</td><td>${result}</td><td>${esc(g.message)}</td><td class="bp-hint">${g.hint ? esc(g.hint) : ''}</td></tr>`;
  }).join('\n');
  const other = info.failedCells.filter((c) => !grades.some((g) => g.cell === c.cell));
  const otherHtml = other.length
    ? `<p><strong>Other cells that did not run cleanly:</strong> ${other.map((c) => `<a href="#${esc(`cell-id=${c.id ?? ''}`)}">cell ${c.cell}</a> (${esc(c.status)}${c.detail ? `: ${esc(shorten(errorSummary(c.detail), 240))}` : ''})`).join('; ')}.</p>`
    : '';
  const notes = [
    `time limit ${info.timeout} s per cell`,
    info.reference ? `checks from ${esc(rel(info.reference))}${info.restored ? ` (${info.restored} edited check cell${info.restored > 1 ? 's' : ''} restored)` : ''}` : 'checks as written in the notebook (no reference)',
    run.restarts ? `kernel restarted ${run.restarts} time${run.restarts > 1 ? 's' : ''}` : '',
  ].filter(Boolean).join(' · ');
  return `<section class="bp-summary" id="grading-summary"><h2>Grading summary: ${esc(name)}</h2>
<p class="bp-score" data-passed="${passed}" data-failed="${grades.length - passed}"><strong>${passed} passed, ${grades.length - passed} failed</strong> of ${grades.length} check${grades.length === 1 ? '' : 's'} <span class="bp-hint">(${notes})</span></p>
${grades.length ? `<table><thead><tr><th>Check</th><th>Result</th><th>What the check found</th><th>Hint</th></tr></thead><tbody>
${rows}
</tbody></table>` : '<p class="bp-missing">This notebook has no check cells.</p>'}
${run.problem ? `<p class="bp-fail">The notebook could not be run to the end: ${esc(run.problem)}</p>` : ''}
${otherHtml}
</section>`;
}

function importsResolveFrom(dir: string, nb: Notebook): boolean {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const m of source(cell).matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/g)) {
      const head = m[1].split('/').filter((p) => p && p !== '.');
      const ups = head.findIndex((p) => p !== '..');
      if (ups < 0) continue;
      if (!fs.existsSync(path.resolve(dir, head.slice(0, ups + 1).join('/')))) return false;
    }
  }
  return true;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const work = path.join(args.out, '.work');
  fs.mkdirSync(work, { recursive: true });
  // Names: the file stem, prefixed by its folder when two submissions share a stem.
  const stems = args.files.map((f) => path.basename(f, '.ipynb'));
  const names = args.files.map((f, i) => (stems.filter((s) => s === stems[i]).length > 1 ? `${path.basename(path.dirname(f))}-${stems[i]}` : stems[i]));
  if (new Set(names).size !== names.length) throw new Error('grade: two submissions would get the same report name; put them in differently named folders');

  const jobs = args.files.map((file, i) => {
    const submission = readNotebook(file);
    const referenceFile = referenceFor(file, args.reference);
    const reference = referenceFile ? readNotebook(referenceFile) : null;
    const { nb, missing, restored } = restoreChecks(submission, reference);
    const copy = path.join(work, `${names[i]}.ipynb`);
    writeNotebook(copy, nb);
    // Run it where its imports resolve: its own folder, else its reference's, else notebooks/.
    const candidates = [path.dirname(file), ...(referenceFile ? [path.dirname(referenceFile)] : []), path.join(ROOT, 'notebooks')];
    const cwd = candidates.find((d) => importsResolveFrom(d, nb)) ?? path.join(ROOT, 'notebooks');
    return { file, name: names[i], copy, executed: path.join(args.out, `${names[i]}.ipynb`), cwd, missing, restored, referenceFile };
  });
  const plan = path.join(work, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify(jobs.map((j) => ({ source: j.copy, executed: j.executed, cwd: j.cwd }))));
  const runFile = path.join(args.out, 'grade-run.json');
  await runPython('execute_notebooks.py', ['--grade', '--plan', plan, '--summary', runFile, '--timeout', String(args.timeout), '--jobs', String(args.jobs)], { allowFailure: true, quiet: true });
  if (!fs.existsSync(runFile)) throw new Error('grade: the notebook runner wrote no results (see the errors above)');
  const runs = (JSON.parse(fs.readFileSync(runFile, 'utf8')) as { notebooks: NotebookRun[] }).notebooks;

  const renderPlan: Array<{ notebook: string; html: string; title: string }> = [];
  const results: Array<{ name: string; file: string; title: string; grades: CheckGrade[]; run: NotebookRun; job: (typeof jobs)[number] }> = [];
  for (const job of jobs) {
    const run = runs.find((r) => path.resolve(ROOT, r.executed) === job.executed);
    if (!run || !fs.existsSync(job.executed)) throw new Error(`grade: no result for ${rel(job.file)}`);
    const nb = readNotebook(job.executed); // its imports were linked by the runner (finish_copy)
    const grades = gradeChecks(nb, run.cells, job.missing, args.timeout);
    const title = notebookTitle(nb, job.name);
    results.push({ name: job.name, file: job.file, title, grades, run, job });
    renderPlan.push({ notebook: job.executed, html: path.join(work, `${job.name}.raw.html`), title });
  }
  const planFile = path.join(work, 'render-plan.json');
  fs.writeFileSync(planFile, JSON.stringify(renderPlan));
  await runPython('render_html.py', [planFile]);

  let anyFailed = false;
  let anyProblem = false;
  const index: string[] = [];
  results.forEach((r, i) => {
    const passed = r.grades.filter((g) => g.passed).length;
    const failed = r.grades.length - passed;
    anyFailed ||= failed > 0;
    anyProblem ||= !r.run.ok;
    const failedCells = r.run.cells.filter((c) => c.status !== 'ok');
    const top = summaryHtml(r.title, r.grades, r.run, { reference: r.job.referenceFile, restored: r.job.restored, timeout: args.timeout, failedCells });
    const prev = results[i - 1];
    const next = results[i + 1];
    const page = finishPage(fs.readFileSync(path.join(work, `${r.name}.raw.html`), 'utf8'), {
      title: r.title,
      badge: `Graded: ${passed} passed, ${failed} failed`,
      index: { href: 'index.html', title: 'Graded notebooks' },
      prev: prev && { href: `${prev.name}.html`, title: prev.title },
      next: next && { href: `${next.name}.html`, title: next.title },
      alternates: [{ href: `${r.name}.ipynb`, title: 'Notebook (.ipynb)' }],
      top,
    });
    fs.writeFileSync(path.join(args.out, `${r.name}.html`), page.html);
    console.log(`${r.name}: ${passed} passed, ${failed} failed${r.run.ok ? '' : ` (could not be run to the end: ${r.run.problem})`}`);
    index.push(`<tr><td><a href="${esc(r.name)}.html">${esc(r.name)}</a></td><td>${esc(r.title)}</td><td>${passed}</td><td>${failed}</td><td>${esc(rel(r.file))}</td></tr>`);
  });
  fs.writeFileSync(path.join(args.out, 'index.html'), standalonePage('Graded notebooks', `<h1>Graded notebooks</h1>
<table><thead><tr><th>Report</th><th>Notebook</th><th>Passed</th><th>Failed</th><th>File</th></tr></thead><tbody>
${index.join('\n')}
</tbody></table>`, 'bp-index'));
  fs.writeFileSync(path.join(args.out, 'summary.json'), JSON.stringify({
    timeout: args.timeout,
    notebooks: results.map((r) => ({
      name: r.name,
      file: rel(r.file),
      report: rel(path.join(args.out, `${r.name}.html`)),
      executed: rel(r.job.executed),
      reference: r.job.referenceFile ? rel(r.job.referenceFile) : null,
      restoredChecks: r.job.restored,
      passed: r.grades.filter((g) => g.passed).length,
      failed: r.grades.filter((g) => !g.passed).length,
      ran: r.run.ok,
      problem: r.run.problem,
      restarts: r.run.restarts,
      checks: r.grades,
      cells: r.run.cells.map((c) => ({ cell: c.cell, status: c.status, seconds: c.seconds })),
    })),
  }, null, 2) + '\n');
  fs.rmSync(work, { recursive: true, force: true });
  if (anyProblem) return 1;
  return args.strict && anyFailed ? 2 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
