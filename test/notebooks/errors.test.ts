/**
 * Errors as a learner sees them, through the real tslab kernel: test/fixtures/errors.ipynb makes one
 * mistake per cell (library errors in cells with imports, types, comments, blank lines, multi-line
 * calls and top-level await; a learner's TypeError in a function of an earlier cell; a value missing
 * because the cell that makes it failed; a name whose declaring cell failed; a thrown string; an
 * error thrown in an onEpoch callback; a rejected promise nobody awaits). Every cell runs (a pause after each failure, as tslab drops
 * requests that arrive within ~200 ms of one) and the saved outputs are checked: the error text
 * starts with the library's message, contains no frame of the library, tslab, Node or the compiled
 * cell, and quotes the cell line marked `// <-` in the fixture. Executed copy: build/fixtures/errors.ipynb.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../support/jupyter';
import { cellTitled, executeFixture, markedLines, type ExecutedCell } from '../support/fixture-notebook';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'errors.ipynb');
const INTERNAL = /node:internal|tslab[\\/]dist|dist[\\/]core|src[\\/]core|evalmachine|<notebook cell|__tslab__|node_modules/;

let cells: ExecutedCell[] = [];
let log = '';

/** Asserts the error text quotes the cell's marked line (`n`-th mark) as "line N of <label>" with its code. */
function assertQuotes(text: string, cell: ExecutedCell, n = 0, label = 'this cell'): void {
  const line = markedLines(cell.source)[n];
  assert.ok(line, `${cell.title}: has a // <- mark number ${n}`);
  const code = cell.source.split('\n')[line - 1];
  assert.ok(text.includes(`line ${line} of ${label}:`), `${cell.title}: names line ${line} of ${label}:\n${text}`);
  assert.ok(text.split('\n').includes(`  ${line} | ${code}`), `${cell.title}: quotes line ${line}:\n${text}`);
}

function failed(title: string): ExecutedCell {
  const c = cellTitled(cells, title);
  assert.equal(c.status, 'error', `${title}: the cell fails`);
  assert.ok(c.stderr.length > 0, `${title}: writes its error to stderr`);
  assert.doesNotMatch(c.stderr, INTERNAL, `${title}: no internal frames`);
  return c;
}

describe('errors in the tslab kernel (test/fixtures/errors.ipynb)', () => {
  before(async () => {
    const r = await executeFixture(FIXTURE);
    cells = r.cells;
    log = r.log;
  });

  test('every code cell ran (none dropped after an error)', () => {
    assert.ok(cells.length >= 15, `code cells: ${cells.length}\n${log}`);
    for (const c of cells) assert.ok(c.status === 'ok' || c.status === 'error', `${c.title}: status ${c.status}\n${log}`);
    for (const t of ['// Setup', '// Data and a network', '// Training', "// The learner's helper"]) {
      const c = cellTitled(cells, t);
      assert.equal(c.status, 'ok', `${t}: ${c.stderr}`);
      assert.equal(c.stderr, '');
    }
  });

  test('a library error in a multi-line call after types, comments and blank lines', () => {
    const c = failed('// Library error: a network with 3 inputs for 2-column data');
    assert.ok(c.stderr.startsWith('MLP.fit: X must be n x 3'), c.stderr);
    assert.match(c.stderr.split('\n')[0], /received 200x2$/);
    assertQuotes(c.stderr, c);
  });

  test('a library error after top-level await', () => {
    const c = failed('// Top-level await, then a bad call');
    assert.ok(c.stderr.startsWith('MLP.predict: X must be a Matrix'), c.stderr);
    assertQuotes(c.stderr, c);
  });

  test('a value missing because the cell that makes it failed: the learner reads which cell to run', () => {
    const edited = failed('// Training again, with a mistake');
    assert.ok(edited.stderr.startsWith('MLP.fit: learningRate must be'), edited.stderr);
    assertQuotes(edited.stderr, edited);
    const c = failed('// Uses the result of the failed cell');
    const lines = c.stderr.split('\n');
    assert.equal(lines[0], 'run is undefined: the cell that makes it, the cell starting "// Training again, with a mistake", ' +
      'failed when it last ran. Fix that cell and run it, then run this cell again.');
    assert.equal(lines[1], "(TypeError: Cannot read properties of undefined (reading 'loss'))");
    assertQuotes(c.stderr, c);
  });

  test('a kit helper given the missing value: its need() message first, then which cell failed', () => {
    const c = failed('// A chart of the failed run');
    assert.ok(c.stderr.startsWith('trainingCurvesFigure: runs[0].history is undefined'), c.stderr);
    assert.ok(c.stderr.includes('run is undefined: the cell that makes it, the cell starting "// Training again, with a mistake"'), c.stderr);
    assertQuotes(c.stderr, c);
  });

  test('a TypeError in the learner’s own function shows its line in the earlier cell and the calling line', () => {
    const helper = cellTitled(cells, "// The learner's helper");
    const c = failed('// Calls the helper with nothing');
    assert.ok(c.stderr.startsWith("TypeError: Cannot read properties of undefined (reading 'length')"), c.stderr);
    assert.ok(c.stderr.includes(`in lastOf, at line ${markedLines(helper.source)[0]} of the cell starting "// The learner's helper":`), c.stderr);
    assertQuotes(c.stderr, helper, 0, `the cell starting "// The learner's helper"`);
    assertQuotes(c.stderr, c);
  });

  test('a thrown string is shown, with why no line is known', () => {
    const c = failed('// A thrown string');
    assert.ok(c.stderr.startsWith('a string, not an Error\n'), c.stderr);
    assert.match(c.stderr, /a string was thrown, not an Error/);
  });

  test('"Cannot find name" for a declaration of a failed cell: tslab’s diagnostic, then which cell failed', () => {
    const first = failed('// Makes a result, but fails on its first run');
    assertQuotes(first.stderr, first);
    const c = failed('// Needs the result of the cell that failed');
    const lines = c.stderr.split('\n').filter((l) => l.trim().length > 0);
    assert.equal(lines[0], "2:13 - Cannot find name 'neverMade'.");
    assert.equal(lines[1], '  neverMade is declared by the cell starting "// Makes a result, but fails on its first run", ' +
      'which failed when it last ran, so the kernel dropped its declarations. Fix that cell and run it, then run this cell again.');
  });

  test('an error thrown in an onEpoch callback: the callback’s line, then the fit call', () => {
    const c = failed('// onEpoch throws');
    assert.ok(c.stderr.startsWith('stop at epoch 3\n'), c.stderr);
    assert.ok(c.stderr.includes(`in onEpoch, at line ${markedLines(c.source)[1]} of this cell:`), c.stderr);
    assertQuotes(c.stderr, c, 1);
    assertQuotes(c.stderr, c, 0);
  });

  test('a rejected promise nobody awaits, reported while the cell runs: tslab’s label, then the short text', () => {
    const c = cellTitled(cells, '// A promise nobody awaits');
    assert.equal(c.status, 'ok', 'the cell itself did not fail');
    assert.ok(c.stderr.startsWith('UnhandledPromiseRejection: nobody awaits this promise\n'), c.stderr);
    assert.doesNotMatch(c.stderr, INTERNAL);
    assertQuotes(c.stderr, c);
    assert.equal(c.stdout, 'the cell went on\n');
  });

  test('lastCellError() gives the original value of the last error shown', () => {
    const c = cellTitled(cells, '// The original error of the last failing cell (or of the last error printed)');
    assert.equal(c.status, 'ok', c.stderr);
    assert.equal(c.stdout, 'true nobody awaits this promise\n');
  });
});
