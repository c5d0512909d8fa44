/**
 * `npm run export`: the coursework, teacher and student builds, from the same sources.
 *
 *     npm run export [-- [--out build] [--force] [--no-pdf] [--timeout 60] [NOTEBOOK.ipynb ...]]
 *
 * For the notebooks (default notebooks/*.ipynb, in file order) it writes, never over the sources:
 *
 *     OUT/executed/NAME.ipynb      the executed notebook (reused when newer than the notebook and
 *                                  dist/, as `npm run test:notebooks` leaves it); signed, so it
 *                                  opens trusted in `npm start -- OUT/executed/NAME.ipynb`, and
 *                                  re-runs there (OUT/dist links to dist/)
 *     OUT/html/NAME.html           teacher page: code, solutions and outputs
 *     OUT/html/index.html          the course site: what each notebook teaches, prerequisites,
 *                                  time, links to every page, handout, PDF and notebook
 *     OUT/student/NAME.ipynb       clean notebook for learners: each solution region replaced by
 *                                  `throw new Error("Exercise N.k: write your code here");`
 *     OUT/student/html/NAME.html   handout page: the same stubs, no outputs of solution and check
 *                                  cells; OUT/student/html/index.html lists the handouts only
 *     OUT/pdf/NAME.pdf             each teacher page printed by the test browser (A4)
 *     OUT/html/export-summary.json sizes, charts, bundles, formulas per page
 *
 * Every page is one file that works from disk offline: math is typeset here (MathJax in Node,
 * SVG), and the smallest official plotly.js 4 bundle that draws the page's traces is inlined once.
 * The export fails when a page would load from the network, when math has errors, when a page
 * exceeds --max-bytes (default 2 MB), or when any solution line would reach a student file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  conventionProblems, courseInfo, handoutNotebook, introSentence, notebookTitle, solutionLines, studentNotebook, solutionRegions,
  SOLUTION_TAG,
} from './lib/course';
import { type Notebook, readNotebook, writeNotebook, source, tags, text } from './lib/notebook';
import { finishPage, htmlText, type PageStats } from './lib/page';
import { printPdfs } from './lib/pdf';
import { checkBundleVersions } from './lib/plotly-bundles';
import { BUILD, linkImports, newestMtime, rel, ROOT, runPython } from './lib/project';
import { indexPage, type SiteEntry } from './lib/site';

interface Args {
  out: string;
  force: boolean;
  pdf: boolean;
  timeout: number;
  jobs: number;
  maxBytes: number;
  notebooks: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { out: BUILD, force: false, pdf: true, timeout: 60, jobs: 2, maxBytes: 2_000_000, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`export: ${x} needs a value`);
      return v;
    };
    if (x === '--out') a.out = path.resolve(value());
    else if (x === '--force') a.force = true;
    else if (x === '--no-pdf') a.pdf = false;
    else if (x === '--timeout') a.timeout = Number(value());
    else if (x === '--jobs') a.jobs = Number(value());
    else if (x === '--max-bytes') a.maxBytes = Number(value());
    else if (x === '-h' || x === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').match(/\/\*\*([\s\S]*?)\*\//)![1].replace(/^ \* ?/gm, ''));
      process.exit(0);
    } else if (x.startsWith('-')) throw new Error(`export: unknown option ${x} (see --help)`);
    else a.notebooks.push(path.resolve(x));
  }
  if (a.notebooks.length === 0) {
    const dir = path.join(ROOT, 'notebooks');
    a.notebooks = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  }
  return a;
}

interface Entry {
  file: string;
  stem: string;
  nb: Notebook;
  title: string;
  executed: string;
  student: string;
  teacherPage: string;
  handoutPage: string;
  pdf: string;
}

/** Solution lines that must not reach a student file: those not also written outside the regions. */
export function secretLines(nb: Notebook): string[] {
  const outside: string[] = [];
  for (const cell of nb.cells) {
    const src = source(cell);
    if (cell.cell_type === 'code' && tags(cell).includes(SOLUTION_TAG)) {
      const all = src.split('\n');
      const inRegion = new Set<number>();
      for (const r of solutionRegions(src).regions) for (let i = r.begin; i <= r.end; i++) inRegion.add(i);
      outside.push(all.filter((_, i) => !inRegion.has(i)).join('\n'));
    } else {
      outside.push(src);
    }
  }
  const visible = outside.join('\n');
  return [...new Set(solutionLines(nb).map((s) => s.line))].filter((line) => !visible.includes(line));
}

function studentFileText(file: string): string {
  const raw = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.ipynb')) {
    const nb = JSON.parse(raw) as Notebook;
    return nb.cells.map((c) => `${source(c)}\n${(c.outputs ?? []).map((o) => `${text(o.text)}${JSON.stringify(o.data ?? {})}`).join('\n')}`).join('\n') + JSON.stringify(nb.metadata);
  }
  return `${htmlText(raw)}\n${raw}`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const out = args.out;
  const version = checkBundleVersions();
  const dirs = {
    executed: path.join(out, 'executed'),
    html: path.join(out, 'html'),
    student: path.join(out, 'student'),
    handouts: path.join(out, 'student', 'html'),
    pdf: path.join(out, 'pdf'),
    work: path.join(out, '.work'),
  };
  // The pages, handouts and PDFs are rewritten whole (no page of an older build stays behind);
  // executed copies are kept for reuse.
  for (const d of [dirs.html, dirs.handouts, dirs.pdf, dirs.work]) fs.rmSync(d, { recursive: true, force: true });
  for (const f of fs.existsSync(dirs.student) ? fs.readdirSync(dirs.student) : []) {
    if (f.endsWith('.ipynb')) fs.rmSync(path.join(dirs.student, f));
  }
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const stems = args.notebooks.map((f) => path.basename(f, '.ipynb'));
  const dup = stems.find((s, i) => stems.indexOf(s) !== i);
  if (dup) throw new Error(`export: two notebooks are named ${dup}.ipynb; give them different names`);

  // 1. Conventions (warnings) and student notebooks.
  const entries: Entry[] = args.notebooks.map((file, i) => {
    const nb = readNotebook(file);
    const stem = stems[i];
    for (const p of conventionProblems(nb, file, stems)) console.warn(`export: warning: ${rel(file)}: ${p}`);
    const entry: Entry = {
      file, stem, nb, title: notebookTitle(nb, stem),
      executed: path.join(dirs.executed, `${stem}.ipynb`),
      student: path.join(dirs.student, `${stem}.ipynb`),
      teacherPage: path.join(dirs.html, `${stem}.html`),
      handoutPage: path.join(dirs.handouts, `${stem}.html`),
      pdf: path.join(dirs.pdf, `${stem}.pdf`),
    };
    const student = studentNotebook(nb, rel(file));
    writeNotebook(entry.student, student);
    linkImports(path.dirname(file), entry.student, student);
    return entry;
  });
  console.log(`export: ${entries.length} student notebook(s) -> ${rel(dirs.student)}`);

  // 2. Executed copies: reuse fresh ones, execute the rest.
  const distTime = newestMtime(path.join(ROOT, 'dist'));
  const stale = entries.filter((e) => args.force || !fs.existsSync(e.executed) ||
    fs.statSync(e.executed).mtimeMs <= Math.max(fs.statSync(e.file).mtimeMs, distTime));
  const runSummary = path.join(dirs.executed, 'export-run.json');
  if (stale.length) {
    console.log(`export: executing ${stale.length} notebook(s) (${entries.length - stale.length} fresh executed copies reused)`);
    const plan = path.join(dirs.work, 'execute-plan.json');
    fs.writeFileSync(plan, JSON.stringify(stale.map((e) => ({ source: e.file, executed: e.executed, cwd: path.dirname(e.file) }))));
    const code = await runPython('execute_notebooks.py', ['--plan', plan, '--summary', runSummary, '--timeout', String(args.timeout), '--jobs', String(args.jobs)], { allowFailure: true });
    if (code !== 0) {
      console.error('export: a notebook failed to execute (see above); nothing was exported');
      return 1;
    }
  } else {
    console.log(`export: all ${entries.length} executed copies are fresh (reused)`);
  }
  const seconds = new Map<string, number>();
  for (const f of [path.join(dirs.executed, 'summary.json'), runSummary]) {
    if (!fs.existsSync(f)) continue;
    for (const r of (JSON.parse(fs.readFileSync(f, 'utf8')) as { notebooks: Array<{ executed: string; seconds: number }> }).notebooks) {
      seconds.set(path.resolve(ROOT, r.executed), r.seconds);
    }
  }

  // 3. Render teacher pages and handouts (nbconvert, one Python process).
  const renderPlan: Array<{ notebook: string; html: string; title: string }> = [];
  for (const e of entries) {
    const executed = readNotebook(e.executed);
    const handout = path.join(dirs.work, `${e.stem}.handout.ipynb`);
    writeNotebook(handout, handoutNotebook(executed, rel(e.executed)));
    renderPlan.push({ notebook: e.executed, html: path.join(dirs.work, `${e.stem}.teacher.raw.html`), title: e.title });
    renderPlan.push({ notebook: handout, html: path.join(dirs.work, `${e.stem}.handout.raw.html`), title: e.title });
  }
  const planFile = path.join(dirs.work, 'render-plan.json');
  fs.writeFileSync(planFile, JSON.stringify(renderPlan));
  await runPython('render_html.py', [planFile]);
  console.log(`export: ${renderPlan.length} pages rendered by nbconvert (${elapsed()})`);

  // 4. Finish the pages: math, chart library, navigation.
  const problems: string[] = [];
  const rows: Array<Record<string, unknown>> = [];
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    const next = entries[i + 1];
    const relFrom = (from: string, to: string): string => path.relative(path.dirname(from), to).split(path.sep).join('/');
    const teacher = finishPage(fs.readFileSync(path.join(dirs.work, `${e.stem}.teacher.raw.html`), 'utf8'), {
      title: e.title,
      badge: 'Teacher edition: with solutions',
      index: { href: 'index.html', title: 'Course index' },
      prev: prev && { href: relFrom(e.teacherPage, prev.teacherPage), title: prev.title },
      next: next && { href: relFrom(e.teacherPage, next.teacherPage), title: next.title },
      alternates: [
        { href: relFrom(e.teacherPage, e.handoutPage), title: 'Handout' },
        ...(args.pdf ? [{ href: relFrom(e.teacherPage, e.pdf), title: 'PDF' }] : []),
      ],
    });
    const handout = finishPage(fs.readFileSync(path.join(dirs.work, `${e.stem}.handout.raw.html`), 'utf8'), {
      title: e.title,
      badge: 'Handout',
      index: { href: 'index.html', title: 'Course index' },
      prev: prev && { href: relFrom(e.handoutPage, prev.handoutPage), title: prev.title },
      next: next && { href: relFrom(e.handoutPage, next.handoutPage), title: next.title },
      alternates: [{ href: relFrom(e.handoutPage, e.student), title: 'Notebook (.ipynb)' }],
    });
    fs.writeFileSync(e.teacherPage, teacher.html);
    fs.writeFileSync(e.handoutPage, handout.html);
    for (const [kind, page] of [['teacher', teacher.stats], ['handout', handout.stats]] as Array<[string, PageStats]>) {
      if (page.mathErrors.length) problems.push(`${e.stem} (${kind}): TeX errors: ${page.mathErrors.join(' | ')}`);
      if (page.bytes > args.maxBytes) problems.push(`${e.stem} (${kind}): ${(page.bytes / 1e6).toFixed(2)} MB, over the ${(args.maxBytes / 1e6).toFixed(1)} MB limit`);
    }
    // No solution line may reach a student file.
    const secrets = secretLines(e.nb);
    for (const f of [e.student, e.handoutPage]) {
      const t = studentFileText(f);
      for (const line of secrets) if (t.includes(line)) problems.push(`${rel(f)} contains the solution line "${line}"`);
    }
    const course = courseInfo(e.nb);
    rows.push({
      notebook: rel(e.file),
      stem: e.stem,
      title: e.title,
      course: course.present ? course.info : null,
      courseProblems: course.problems,
      executed: rel(e.executed),
      executedBytes: fs.statSync(e.executed).size,
      seconds: seconds.get(e.executed) ?? null,
      teacher: path.relative(dirs.html, e.teacherPage),
      handout: path.relative(dirs.html, e.handoutPage).split(path.sep).join('/'),
      studentNotebook: path.relative(dirs.html, e.student).split(path.sep).join('/'),
      pdf: args.pdf ? path.relative(dirs.html, e.pdf).split(path.sep).join('/') : null,
      teacherPage: teacher.stats,
      handoutPage: handout.stats,
      solutionLines: secrets.length,
      charts: teacher.stats.charts,
    });
    console.log(`  ${e.stem}: teacher ${(teacher.stats.bytes / 1e6).toFixed(2)} MB (${teacher.stats.charts} charts, plotly.js ${teacher.stats.bundle ?? 'none'}, ${teacher.stats.formulas} formulas), ` +
      `handout ${(handout.stats.bytes / 1e6).toFixed(2)} MB`);
  });

  console.log(`export: pages finished (${elapsed()})`);

  // 5. The indexes.
  const site = (variant: 'teacher' | 'student'): SiteEntry[] => entries.map((e) => {
    const c = courseInfo(e.nb);
    const from = variant === 'teacher' ? dirs.html : dirs.handouts;
    const r = (to: string): string => path.relative(from, to).split(path.sep).join('/');
    const links = variant === 'teacher'
      ? [
        { href: r(e.teacherPage), label: 'Teacher page' },
        { href: r(e.handoutPage), label: 'Handout' },
        ...(args.pdf ? [{ href: r(e.pdf), label: 'PDF' }] : []),
        { href: r(e.student), label: 'Student notebook' },
      ]
      : [{ href: r(e.handoutPage), label: 'Handout' }, { href: r(e.student), label: 'Notebook (.ipynb)' }];
    return { stem: e.stem, title: e.title, info: c.info, infoProblems: c.problems, links, fallbackSummary: introSentence(e.nb) ?? undefined };
  });
  fs.writeFileSync(path.join(dirs.html, 'index.html'), indexPage({
    title: 'Backprop Notebooks: teacher edition',
    intro: 'Back-propagation from scratch in TypeScript. Teacher pages show the solutions; handouts and student ' +
      'notebooks have a stub in place of each solution. Every page works offline, from disk.',
    entries: site('teacher'),
    primaryLabel: 'Teacher page',
    otherLinks: [{ href: path.relative(dirs.html, path.join(dirs.handouts, 'index.html')).split(path.sep).join('/'), label: 'Student index' }],
  }));
  fs.writeFileSync(path.join(dirs.handouts, 'index.html'), indexPage({
    title: 'Backprop Notebooks',
    intro: 'Back-propagation from scratch in TypeScript. Read a handout, then open its notebook in JupyterLab and ' +
      'write the code of each exercise where it says "write your code here"; the check cell below it tells you ' +
      'whether it is right.',
    entries: site('student'),
    primaryLabel: 'Handout',
  }));

  // 6. PDFs of the teacher pages.
  let pdfs: Awaited<ReturnType<typeof printPdfs>> = [];
  if (args.pdf) {
    pdfs = await printPdfs(entries.map((e) => ({ html: e.teacherPage, pdf: e.pdf, title: e.title })));
    console.log(`export: ${pdfs.length} PDFs printed (${elapsed()})`);
    for (const p of pdfs) {
      const row = rows.find((r) => r.stem === path.basename(p.pdf, '.pdf'))!;
      row.pdfBytes = p.bytes;
      row.pdfPages = p.pages;
    }
  }
  fs.writeFileSync(path.join(dirs.html, 'export-summary.json'), JSON.stringify({ plotly: version, notebooks: rows }, null, 2) + '\n');
  fs.rmSync(dirs.work, { recursive: true, force: true });
  const total = rows.reduce((s, r) => s + (r.teacherPage as PageStats).bytes + (r.handoutPage as PageStats).bytes, 0);
  console.log(`export: ${entries.length} notebook(s) -> ${rel(dirs.html)}, ${rel(dirs.student)}${args.pdf ? `, ${rel(dirs.pdf)}` : ''} ` +
    `(${(total / 1e6).toFixed(1)} MB of pages in all) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (problems.length) {
    for (const p of problems) console.error(`export: error: ${p}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e: Error) => {
    console.error(`export: ${e.message}`);
    process.exit(1);
  });
}
