/**
 * The course's notebook conventions (TEAM.md), as code: exercises, solution regions and their
 * student stubs, self-check cells, the settings cell and `metadata.course`. Used by the student
 * build (scripts/export.ts), the grader (scripts/grade.ts) and the hygiene test.
 *
 * - A solution cell is tagged `solution`; its first line is `// Exercise N.k: …`; each answer sits
 *   between a `// BEGIN SOLUTION` line and an `// END SOLUTION` line inside a function body. The
 *   student build replaces each region, markers included, with
 *   `throw new Error("Exercise N.k: write your code here");` at the BEGIN line's indentation.
 * - A check cell is tagged `check` and makes exactly one call `check('Exercise N.k', () => …)`.
 * - An exercise is announced by a markdown heading `### Exercise N.k: title` (N = notebook number).
 */
import * as path from 'node:path';
import { clone, type CourseInfo, type Notebook, type Cell, source, tags, text } from './notebook';

export const SOLUTION_TAG = 'solution';
export const CHECK_TAG = 'check';
export const PARAMETERS_TAG = 'parameters';
/** Tag the student build gives a solution cell whose regions became stubs (styled "your code"). */
export const STUB_TAG = 'stub';

const BEGIN = /^([ \t]*)\/\/\s*BEGIN SOLUTION\s*$/;
const END = /^[ \t]*\/\/\s*END SOLUTION\s*$/;
const EXERCISE_ID = /Exercise\s+(\d+(?:\.\d+)*)/;
/** The first line of a solution cell: `// Exercise N.k: …`. */
const SOLUTION_FIRST_LINE = /^\s*\/\/\s*(Exercise\s+\d+(?:\.\d+)*)\s*:/;
/** A markdown exercise heading: `### Exercise N.k: title`. */
const EXERCISE_HEADING = /^#{2,4}\s+(Exercise\s+\d+(?:\.\d+)*)\s*[:.]/;
/** A check call: `check('Exercise N.k', …` (any quote). */
const CHECK_CALL = /\bcheck\s*\(\s*(['"`])(Exercise\s+[^'"`]+)\1\s*,/g;

/** The stub that replaces a solution region. */
export function stubLine(exercise: string, indent = ''): string {
  return `${indent}throw new Error(${JSON.stringify(`${exercise}: write your code here`)});`;
}

/** The message the stub throws, as a check quotes it. */
export function stubMessage(exercise: string): string {
  return `${exercise}: write your code here`;
}

/** Normalises "Exercise  5.1" to "Exercise 5.1". */
export function exerciseId(s: string): string | null {
  const m = EXERCISE_ID.exec(s);
  return m ? `Exercise ${m[1]}` : null;
}

/** One solution region of a cell: lines `begin`..`end` (0-based, the marker lines included). */
export interface SolutionRegion {
  begin: number;
  end: number;
  indent: string;
  /** The answer's lines, between the markers. */
  lines: string[];
}

/** The solution regions of a cell's source, and what is wrong with its markers. */
export function solutionRegions(src: string): { regions: SolutionRegion[]; problems: string[] } {
  const all = src.split('\n');
  const regions: SolutionRegion[] = [];
  const problems: string[] = [];
  let open: { line: number; indent: string } | null = null;
  all.forEach((line, i) => {
    const b = BEGIN.exec(line);
    if (b) {
      if (open) problems.push(`line ${i + 1}: BEGIN SOLUTION inside the region opened on line ${open.line + 1}`);
      open = { line: i, indent: b[1] };
      return;
    }
    if (END.test(line)) {
      if (!open) {
        problems.push(`line ${i + 1}: END SOLUTION without a BEGIN SOLUTION`);
        return;
      }
      const { line: begin, indent } = open;
      regions.push({ begin, end: i, indent, lines: all.slice(begin + 1, i) });
      if (indent === '') problems.push(`line ${begin + 1}: the region is not indented (it must sit inside a function body)`);
      open = null;
    }
  });
  if (open) problems.push(`line ${(open as { line: number }).line + 1}: BEGIN SOLUTION without an END SOLUTION`);
  return { regions, problems };
}

/** The exercise id a solution cell names on its first line (`// Exercise N.k: …`), or null. */
export function solutionExercise(cell: Cell): string | null {
  const first = source(cell).split('\n')[0] ?? '';
  const m = SOLUTION_FIRST_LINE.exec(first);
  return m ? exerciseId(m[1]) : null;
}

/** The exercise ids of the `check('Exercise N.k', …)` calls in a cell's source. */
export function checkCalls(src: string): string[] {
  return [...src.matchAll(CHECK_CALL)].map((m) => exerciseId(m[2]) ?? m[2].trim());
}

/** The exercise ids announced by markdown headings `### Exercise N.k: title`. */
export function exerciseHeadings(nb: Notebook): string[] {
  const ids: string[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    for (const line of source(cell).split('\n')) {
      const m = EXERCISE_HEADING.exec(line.trim());
      if (m) ids.push(exerciseId(m[1])!);
    }
  }
  return ids;
}

/** The student version of a solution cell's source: every region replaced by its stub. */
export function stubSource(src: string, exercise: string): string {
  const { regions } = solutionRegions(src);
  const all = src.split('\n');
  for (const r of [...regions].reverse()) all.splice(r.begin, r.end - r.begin + 1, stubLine(exercise, r.indent));
  return all.join('\n');
}

/** Every line of every solution region of the notebook (trimmed, non-empty), with its exercise. */
export function solutionLines(nb: Notebook): Array<{ exercise: string; line: string }> {
  const out: Array<{ exercise: string; line: string }> = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code' || !tags(cell).includes(SOLUTION_TAG)) continue;
    const exercise = solutionExercise(cell) ?? '(no id)';
    for (const r of solutionRegions(source(cell)).regions) {
      for (const line of r.lines) if (line.trim()) out.push({ exercise, line: line.trim() });
    }
  }
  return out;
}

/**
 * A clean copy for learners: outputs and execution counts cleared, each solution cell's regions
 * replaced by stubs (the cell then tagged `stub` instead of `solution`); everything else intact.
 * @throws when a solution cell has no exercise id or broken markers (it could leak its answer)
 */
export function studentNotebook(nb: Notebook, name = 'notebook'): Notebook {
  const copy = clone(nb);
  copy.cells.forEach((cell, i) => {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.cell_type !== 'code' || !tags(cell).includes(SOLUTION_TAG)) return;
    const exercise = solutionExercise(cell);
    const { regions, problems } = solutionRegions(source(cell));
    if (!exercise) throw new Error(`studentNotebook(${name}): solution cell ${i} does not start with "// Exercise N.k: …"`);
    if (problems.length) throw new Error(`studentNotebook(${name}): solution cell ${i} (${exercise}): ${problems.join('; ')}`);
    if (regions.length === 0) throw new Error(`studentNotebook(${name}): solution cell ${i} (${exercise}) has no BEGIN/END SOLUTION region`);
    cell.source = stubSource(source(cell), exercise);
    cell.metadata.tags = tags(cell).map((t) => (t === SOLUTION_TAG ? STUB_TAG : t));
  });
  return copy;
}

/**
 * The handout version of an executed notebook: solution cells stubbed as in
 * {@link studentNotebook} and without their outputs; check cells without their outputs (a check's
 * result belongs to the learner's run); every other cell with the outputs of the teacher's run.
 */
export function handoutNotebook(executed: Notebook, name = 'notebook'): Notebook {
  const student = studentNotebook(executed, name);
  executed.cells.forEach((cell, i) => {
    const t = tags(cell);
    if (cell.cell_type !== 'code' || t.includes(SOLUTION_TAG) || t.includes(CHECK_TAG)) return;
    student.cells[i].outputs = clone(cell.outputs ?? []);
    student.cells[i].execution_count = cell.execution_count ?? null;
  });
  return student;
}

/** The number N of a notebook file `N-name.ipynb` (`05-implementing-backprop` → 5), or null. */
export function notebookNumber(file: string): number | null {
  const m = /^(\d+)[-_]/.exec(path.basename(file));
  return m ? Number(m[1]) : null;
}

/** `metadata.course` read leniently: the valid fields, and what is missing or malformed. */
export function courseInfo(nb: Notebook): { info: Partial<CourseInfo>; problems: string[]; present: boolean } {
  const raw = nb.metadata?.course;
  if (raw === undefined) return { info: {}, problems: ['metadata.course is missing'], present: false };
  const problems: string[] = [];
  const info: Partial<CourseInfo> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { info, problems: ['metadata.course is not an object'], present: true };
  const c = raw as Record<string, unknown>;
  if (typeof c.summary === 'string' && c.summary.trim()) info.summary = c.summary.trim();
  else problems.push('metadata.course.summary must be a non-empty string');
  if (Array.isArray(c.prerequisites) && c.prerequisites.every((p) => typeof p === 'string')) info.prerequisites = c.prerequisites as string[];
  else problems.push('metadata.course.prerequisites must be a list of notebook file stems ([] for none)');
  if (typeof c.minutes === 'number' && Number.isInteger(c.minutes) && c.minutes > 0) info.minutes = c.minutes;
  else problems.push('metadata.course.minutes must be a positive integer');
  return { info, problems, present: true };
}

/** The first markdown `# ` heading of the notebook, or the fallback. */
export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    for (const line of source(cell).split('\n')) {
      const m = /^#\s+(.+)$/.exec(line.trim());
      if (m) return m[1].trim();
    }
  }
  return fallback;
}

/** Minimums for a notebook that has `metadata.course` (a rewritten course notebook). */
export const MIN_SOLUTION_REGIONS = 3;
export const MIN_CHECK_CELLS = 3;

/**
 * Everything wrong with a notebook against the conventions; [] when it follows them.
 * @param nb the notebook (committed, clean)
 * @param file its path (for the notebook number N)
 * @param known the file stems of the course's notebooks (prerequisites must name them)
 */
export function conventionProblems(nb: Notebook, file: string, known: readonly string[] = []): string[] {
  const problems: string[] = [];
  const number = notebookNumber(file);
  const defined = new Set<string>(exerciseHeadings(nb));
  let regionCount = 0;
  let checkCount = 0;
  let parameterCells = 0;
  const ids = new Set<string>();
  nb.cells.forEach((cell, i) => {
    const where = `cell ${i}`;
    if (!cell.id) problems.push(`${where} has no cell id`);
    else if (ids.has(cell.id)) problems.push(`${where} repeats the cell id ${cell.id}`);
    else ids.add(cell.id);
    const t = tags(cell);
    if (t.includes(PARAMETERS_TAG)) {
      parameterCells += 1;
      if (cell.cell_type !== 'code') problems.push(`${where} is tagged parameters but is not a code cell`);
    }
    if (t.includes(SOLUTION_TAG)) {
      if (cell.cell_type !== 'code') {
        problems.push(`${where} is tagged solution but is not a code cell`);
        return;
      }
      const exercise = solutionExercise(cell);
      if (!exercise) problems.push(`${where} (solution) must start with a line "// Exercise N.k: …"`);
      else {
        defined.add(exercise);
        if (number !== null && !exercise.startsWith(`Exercise ${number}.`)) {
          problems.push(`${where} (${exercise}): exercises of notebook ${number} are numbered "Exercise ${number}.k"`);
        }
      }
      const { regions, problems: p } = solutionRegions(source(cell));
      for (const x of p) problems.push(`${where} (${exercise ?? 'solution'}): ${x}`);
      if (regions.length === 0) problems.push(`${where} (${exercise ?? 'solution'}) has no // BEGIN SOLUTION … // END SOLUTION region`);
      regionCount += regions.length;
    } else if (cell.cell_type === 'code' && solutionRegions(source(cell)).regions.length > 0) {
      problems.push(`${where} has a solution region but no "solution" tag`);
    }
    if (t.includes(CHECK_TAG)) {
      checkCount += 1;
      const calls = checkCalls(source(cell));
      if (cell.cell_type !== 'code') problems.push(`${where} is tagged check but is not a code cell`);
      else if (calls.length !== 1) problems.push(`${where} (check) must make exactly one check('Exercise N.k', …) call; found ${calls.length}`);
    } else if (cell.cell_type === 'code' && checkCalls(source(cell)).length > 0) {
      problems.push(`${where} calls check(…) but is not tagged "check"`);
    }
  });
  // every check cell checks an exercise that a solution cell or a heading defines
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code' || !tags(cell).includes(CHECK_TAG)) return;
    for (const id of checkCalls(source(cell))) {
      if (!defined.has(id)) problems.push(`cell ${i} checks ${id}, which no solution cell or "### ${id}: …" heading defines`);
    }
  });
  if (parameterCells > 1) problems.push(`${parameterCells} cells are tagged parameters; at most one may be`);
  const course = courseInfo(nb);
  if (course.present) {
    for (const p of course.problems) problems.push(p);
    for (const p of course.info.prerequisites ?? []) {
      if (known.length && !known.includes(p)) problems.push(`metadata.course.prerequisites names "${p}", which is not a course notebook (${known.join(', ')})`);
      if (p === path.basename(file, '.ipynb')) problems.push('metadata.course.prerequisites names the notebook itself');
    }
    // A notebook with metadata.course is a (re)written course notebook: it has its exercises.
    if (regionCount < MIN_SOLUTION_REGIONS) problems.push(`has ${regionCount} solution regions; a course notebook (one with metadata.course) needs at least ${MIN_SOLUTION_REGIONS}`);
    if (checkCount < MIN_CHECK_CELLS) problems.push(`has ${checkCount} check cells; a course notebook (one with metadata.course) needs at least ${MIN_CHECK_CELLS}`);
  }
  return problems;
}

/**
 * A one-sentence summary from the notebook's own text (the first paragraph after its title,
 * markdown and math stripped), for a notebook without `metadata.course.summary`; null if none.
 */
export function introSentence(nb: Notebook): string | null {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    for (const para of source(cell).split(/\n\s*\n/)) {
      const p = para.trim();
      if (!p || /^(#|\||```|\$\$|>|-|\*\s|\d+\.\s|!\[)/.test(p)) continue;
      const plain = p
        .replace(/\$\$[\s\S]*?\$\$/g, '…')
        .replace(/\$([^$]+)\$/g, (_m, tex: string) => tex.replace(/\\[a-zA-Z]+|[{}^_\\]/g, '').trim())
        .replace(/\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`/g, (_m, a?: string, b?: string, c?: string) => a ?? b ?? c ?? '')
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
        .replace(/\s+/g, ' ')
        .replace(/^(Overview|Summary)\s*[.:]\s*/i, '')
        .trim();
      const sentence = (/^(.{20,}?[.!?])(\s|$)/.exec(plain)?.[1] ?? plain);
      if (sentence.length < 12) continue;
      return sentence.length > 220 ? `${sentence.slice(0, 217).trimEnd()}…` : sentence;
    }
  }
  return null;
}
