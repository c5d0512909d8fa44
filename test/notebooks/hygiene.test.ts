/**
 * Committed notebooks are clean and follow the course conventions (TEAM.md), checked by
 * scripts/lib/course.ts: no outputs, no execution counts, kernelspec tslab, cell ids; tags
 * (`parameters` on at most one cell, `check` cells make exactly one check('Exercise N.k', …) call
 * on an exercise that a solution cell or a `### Exercise N.k:` heading defines, `solution` cells
 * start with `// Exercise N.k: …` and hold matched, indented BEGIN/END SOLUTION regions);
 * `metadata.course` well formed, and, for a notebook that has it (a rewritten course notebook),
 * at least 3 solution regions and 3 check cells. The checker itself is tested on broken copies.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkCalls, conventionProblems, introSentence, solutionRegions, stubSource, studentNotebook,
} from '../../scripts/lib/course';
import { clone, type Notebook, source, tags } from '../../scripts/lib/notebook';
import { courseNotebooks, ROOT, SMOKE_NOTEBOOK } from '../support/jupyter';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', '99-coursework.ipynb');
const read = (f: string): Notebook => JSON.parse(fs.readFileSync(f, 'utf8')) as Notebook;
const stems = courseNotebooks().map((f) => path.basename(f, '.ipynb'));

for (const file of [...courseNotebooks(), SMOKE_NOTEBOOK, FIXTURE]) {
  const name = path.relative(ROOT, file);
  test(`${name} is committed clean`, () => {
    const nb = read(file);
    assert.equal(nb.nbformat, 4, 'nbformat 4');
    assert.equal(nb.metadata.kernelspec?.name, 'tslab', 'metadata.kernelspec.name is "tslab"');
    const code = nb.cells.map((c, i) => ({ ...c, index: i })).filter((c) => c.cell_type === 'code');
    assert.ok(code.length > 0, 'has code cells');
    for (const c of code) {
      assert.deepEqual(c.outputs ?? [], [], `cell ${c.index} has no outputs (clear them before committing)`);
      assert.equal(c.execution_count ?? null, null, `cell ${c.index} has no execution count`);
    }
  });
  test(`${name} follows the course conventions (tags, exercises, metadata.course)`, () => {
    const nb = read(file);
    const known = file === FIXTURE ? [...stems, '99-coursework'] : stems;
    assert.deepEqual(conventionProblems(nb, file, known), []);
    // The student build of it works (every solution cell can be stubbed).
    const student = studentNotebook(nb, name);
    assert.equal(student.cells.length, nb.cells.length);
  });
}

test('the fixture exercises every convention the pipeline handles', () => {
  const nb = read(FIXTURE);
  const all = nb.cells.map((c) => tags(c));
  assert.ok(all.filter((t) => t.includes('solution')).length >= 3);
  assert.ok(all.filter((t) => t.includes('check')).length >= 3);
  assert.equal(all.filter((t) => t.includes('parameters')).length, 1);
  const code = nb.cells.map(source).join('\n');
  assert.match(code, /livePlot\(/);
  assert.match(code, /type: 'heatmap'/);
  assert.match(code, /type: 'contour'/);
  assert.match(code, /type: 'bar'/);
  assert.ok(nb.metadata.course, 'has metadata.course');
});

describe('the convention checker catches what breaks a student build or a grade', () => {
  const base = read(FIXTURE);
  const solutionIndex = base.cells.findIndex((c) => tags(c).includes('solution'));
  const checkIndex = base.cells.findIndex((c) => tags(c).includes('check'));
  const broken = (edit: (nb: Notebook) => void): string[] => {
    const nb = clone(base);
    edit(nb);
    return conventionProblems(nb, FIXTURE, ['99-coursework']);
  };
  test('the fixture itself passes', () => assert.deepEqual(broken(() => undefined), []));
  test('a solution cell without its id line', () => {
    const p = broken((nb) => { nb.cells[solutionIndex].source = source(nb.cells[solutionIndex]).replace(/^\/\/ Exercise 99\.1: /, '// '); });
    assert.ok(p.some((x) => /must start with a line "\/\/ Exercise N\.k/.test(x)), p.join('\n'));
  });
  test('a BEGIN without END, an END without BEGIN, a region at top level', () => {
    assert.ok(broken((nb) => { nb.cells[solutionIndex].source = source(nb.cells[solutionIndex]).replace(/\n\s*\/\/ END SOLUTION/, ''); })
      .some((x) => /BEGIN SOLUTION without an END SOLUTION/.test(x)));
    assert.ok(broken((nb) => { nb.cells[solutionIndex].source = source(nb.cells[solutionIndex]).replace(/\n\s*\/\/ BEGIN SOLUTION/, ''); })
      .some((x) => /END SOLUTION without a BEGIN SOLUTION/.test(x)));
    assert.ok(broken((nb) => { nb.cells[solutionIndex].source = '// Exercise 99.1: x\n// BEGIN SOLUTION\nconst a = 1;\n// END SOLUTION'; })
      .some((x) => /not indented/.test(x)));
  });
  test('a check of an exercise nobody defines, a check cell with two calls, an untagged check', () => {
    assert.ok(broken((nb) => { nb.cells[checkIndex].source = "check('Exercise 99.9', () => verifySquare(square));"; })
      .some((x) => /checks Exercise 99\.9, which no solution cell/.test(x)));
    assert.ok(broken((nb) => { nb.cells[checkIndex].source = "check('Exercise 99.1', () => verifySquare(square));\ncheck('Exercise 99.1', () => verifySquare(square));"; })
      .some((x) => /exactly one check/.test(x)));
    assert.ok(broken((nb) => { nb.cells[checkIndex].metadata.tags = []; }).some((x) => /calls check\(…\) but is not tagged/.test(x)));
  });
  test('an exercise numbered for another notebook, two parameters cells, a repeated cell id', () => {
    assert.ok(broken((nb) => { nb.cells[solutionIndex].source = source(nb.cells[solutionIndex]).replace('Exercise 99.1', 'Exercise 4.1'); })
      .some((x) => /numbered "Exercise 99\.k"/.test(x)));
    assert.ok(broken((nb) => { nb.cells[checkIndex].metadata.tags = ['check', 'parameters']; }).some((x) => /at most one/.test(x)));
    assert.ok(broken((nb) => { nb.cells[1].id = nb.cells[0].id; }).some((x) => /repeats the cell id/.test(x)));
  });
  test('metadata.course: malformed fields, unknown prerequisites; the minimums apply once it exists', () => {
    assert.ok(broken((nb) => { nb.metadata.course = { summary: '', prerequisites: 'none', minutes: 2.5 }; }).length >= 3);
    assert.ok(broken((nb) => { (nb.metadata.course as { prerequisites: string[] }).prerequisites = ['07-nowhere']; })
      .some((x) => /07-nowhere/.test(x)));
    const fewer = broken((nb) => { nb.cells = nb.cells.filter((c) => !tags(c).includes('check')); });
    assert.ok(fewer.some((x) => /has 0 check cells; a course notebook/.test(x)), fewer.join('\n'));
    // Without metadata.course (a notebook not yet rewritten) the minimums do not apply.
    assert.deepEqual(broken((nb) => {
      delete nb.metadata.course;
      nb.cells = nb.cells.filter((c) => !tags(c).includes('check') && !tags(c).includes('solution'));
    }), []);
  });
});

test('stubs replace each region at its indentation and keep everything else', () => {
  const src = '// Exercise 7.2: two parts\nfunction f(x: number): number {\n    // BEGIN SOLUTION\n    return x + 1;\n    // END SOLUTION\n}\nconst g = (y: number): number => {\n  // BEGIN SOLUTION\n  const t = y * 2;\n  return t;\n  // END SOLUTION\n};';
  assert.equal(solutionRegions(src).regions.length, 2);
  assert.equal(stubSource(src, 'Exercise 7.2'),
    '// Exercise 7.2: two parts\nfunction f(x: number): number {\n    throw new Error("Exercise 7.2: write your code here");\n}\n' +
    'const g = (y: number): number => {\n  throw new Error("Exercise 7.2: write your code here");\n};');
  assert.deepEqual(checkCalls("check('Exercise 7.2', () => v(f));\ncheck(\"Exercise  7.3\", () => w())"), ['Exercise 7.2', 'Exercise 7.3']);
});

test('a notebook without metadata.course still gets a visible summary from its introduction', () => {
  const nb = read(FIXTURE);
  assert.match(introSentence(nb) ?? '', /^The tooling's own course notebook: it exercises/);
});

/** The names in the first column of the README's API table (`### API`), e.g. `new MLP(…)` → MLP. */
function readmeApiNames(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const api = readme.split('### API')[1]?.split('\n## ')[0]?.split('\n### ')[0] ?? '';
  const names = new Set<string>();
  for (const line of api.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| name') || line.startsWith('|---')) continue;
    const first = line.split(' | ')[0].slice(2);
    for (const [, span] of first.matchAll(/`([^`]*)`/g)) {
      const m = /^(?:new\s+)?([A-Za-z_]\w*)/.exec(span);
      if (m && !span.startsWith('net.')) names.add(m[1]);
    }
  }
  return [...names];
}

test("every name of the README's API table exists, and the setup cell of every notebook that trains imports it", async () => {
  const names = readmeApiNames();
  assert.ok(names.length >= 30, `API names found in the README: ${names.join(', ')}`);
  const lib = (await import('../../src')) as Record<string, unknown>;
  const sources = ['core', 'data', 'replay'].flatMap((d) => fs.readdirSync(path.join(ROOT, 'src', d))
    .filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(ROOT, 'src', d, f), 'utf8'))).join('\n');
  for (const n of names) {
    assert.ok(n in lib || new RegExp(`export (interface|type) ${n}\\b`).test(sources), `the README lists ${n}, which the library does not export`);
  }
  const training = courseNotebooks().filter((f) => read(f).cells.some((c) => tags(c).includes('parameters') && /\bepochs\b/.test(source(c))));
  assert.ok(training.length >= 4, `notebooks that train: ${training.map((f) => path.basename(f)).join(', ')}`);
  for (const f of training) {
    const setup = source(read(f).cells.find((c) => c.cell_type === 'code')!);
    const imported = new Set([...setup.matchAll(/import(?: type)? \{([^}]*)\} from '\.\.\/dist';/g)].flatMap((m) => m[1].match(/\w+/g) ?? []));
    const missing = names.filter((n) => !imported.has(n));
    assert.deepEqual(missing, [], `${path.basename(f)}: the setup cell imports every public name the README lists (a learner's edit can use any of them)`);
  }
});
