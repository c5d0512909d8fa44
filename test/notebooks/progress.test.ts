/**
 * Progress of long fits, through the real tslab kernel: test/fixtures/progress.ipynb runs a short
 * fit, a loop of short fits, and four fits longer than a second (sized on this machine by a probe):
 * one that runs to the end, one stopped early by onEpoch, one interrupted (Kernel > Interrupt: the
 * runner interrupts the kernel when the cell, tagged `interrupt-after-2s`, has run 2 s), one ended
 * by an error thrown in onEpoch.
 * In the executed notebook (nbclient applies each update_display_data to the saved output) a short
 * fit leaves no progress output; a long one leaves exactly one, holding its final state, after
 * updates in place at a bounded rate. Executed copy: build/fixtures/progress.ipynb.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../support/jupyter';
import { cellTitled, executeFixture, type ExecutedCell } from '../support/fixture-notebook';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'progress.ipynb');
const PROGRESS = /data-bp-fit-progress="([a-z]+)"/;

let cells: ExecutedCell[] = [];
let log = '';

/** The progress outputs of a cell: their state and status line. */
function progressOutputs(c: ExecutedCell): Array<{ state: string; line: string; html: string }> {
  return c.displays
    .map((d) => d.data['text/html'] ?? '')
    .filter((html) => PROGRESS.test(html))
    .map((html) => ({
      state: PROGRESS.exec(html)![1],
      line: /class="bp-fit-progress-line"[^>]*>([^<]*)</.exec(html)?.[1] ?? '',
      html,
    }));
}

/** Asserts that the live output was updated in place, at most about 4 times a second of the cell's run. */
function assertUpdatedInPlace(c: ExecutedCell): void {
  const updates = c.messages.update_display_data ?? 0;
  assert.equal(c.messages.display_data, 1, `${c.title}: one display_data message`);
  assert.ok(updates >= 1, `${c.title}: updated in place (${updates} update_display_data)`);
  assert.ok(Number.isFinite(c.seconds), `${c.title}: execution timing recorded`);
  // From 1 s on, one update per 250 ms at most, plus the final state.
  assert.ok(updates <= Math.ceil(Math.max(0, c.seconds - 1) / 0.25) + 2, `${c.title}: ${updates} updates in ${c.seconds} s`);
}

describe('progress of long fits in the tslab kernel (test/fixtures/progress.ipynb)', () => {
  before(async () => {
    const r = await executeFixture(FIXTURE);
    cells = r.cells;
    log = r.log;
  });

  test('every cell ran', () => {
    assert.ok(cells.length >= 6, `code cells: ${cells.length}\n${log}`);
    for (const c of cells) assert.ok(c.status === 'ok' || c.status === 'error', `${c.title}: status ${c.status}\n${log}`);
  });

  test('short fits (the probe, a short fit, a loop of short fits) show no progress', () => {
    for (const t of ['// Setup', '// Short fit: well under a second, shows nothing', '// Many short fits in a loop: quiet']) {
      const c = cellTitled(cells, t);
      assert.equal(c.status, 'ok', `${t}: ${c.stderr}`);
      assert.deepEqual(progressOutputs(c), [], `${t}: no progress output`);
      assert.equal(c.messages.display_data ?? 0, 0, `${t}: no display at all`);
    }
  });

  test('a long fit leaves exactly one progress output, in its final "done" state', () => {
    const c = cellTitled(cells, '// Long fit: about 4 s, runs to the end');
    assert.equal(c.status, 'ok', c.stderr);
    const m = /^long fit: (\d+) of (\d+) epochs$/m.exec(c.stdout);
    assert.ok(m, c.stdout);
    const p = progressOutputs(c);
    assert.equal(p.length, 1, 'one progress output');
    assert.equal(p[0].state, 'done');
    assert.match(p[0].line, new RegExp(`^✓ done: ${m[1]} / ${m[2]} epochs in \\d+\\.\\d s, L = [0-9.e-]+, accuracy [0-9.]+$`));
    assert.match(p[0].html, /data-bp-plot="/, 'with its loss chart');
    assertUpdatedInPlace(c);
  });

  test('a long fit stopped by onEpoch says so', () => {
    const c = cellTitled(cells, '// Long fit stopped early by onEpoch after 1.6 s');
    assert.equal(c.status, 'ok', c.stderr);
    const n = /^stopped after (\d+) epochs$/m.exec(c.stdout)?.[1];
    assert.ok(n, c.stdout);
    const p = progressOutputs(c);
    assert.equal(p.length, 1);
    assert.equal(p[0].state, 'stopped');
    assert.match(p[0].line, new RegExp(`^■ stopped early by onEpoch after ${n} / \\d+ epochs \\(\\d+\\.\\d s\\): L = `));
    assertUpdatedInPlace(c);
  });

  test('a long fit interrupted from the kernel menu ends in "interrupted"; the next cell says why its name is missing', () => {
    const c = cellTitled(cells, '// Long fit interrupted (the runner interrupts the kernel after 2 s)');
    assert.equal(c.status, 'error');
    assert.ok(c.stderr.startsWith('Interrupted: the kernel was asked to stop this cell'), c.stderr);
    const p = progressOutputs(c);
    assert.equal(p.length, 1);
    assert.equal(p[0].state, 'interrupted');
    assert.match(p[0].line, /^■ interrupted after \d+ \/ \d+ epochs \(\d+\.\d s\): L = /);
    assertUpdatedInPlace(c);
    const next = cellTitled(cells, '// Uses the result of the interrupted cell');
    const lines = next.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines[0], "2:13 - Cannot find name 'endlessHistory'.");
    assert.match(lines[1], /^ {2}endlessHistory is declared by the cell starting "\/\/ Long fit interrupted .*", which was interrupted when it last ran/);
  });

  test('a long fit ended by an error shows the error in its final state, and the cell shows the error', () => {
    const c = cellTitled(cells, '// Long fit ended by an error after 1.3 s');
    assert.equal(c.status, 'error');
    const epoch = /^gave up at epoch (\d+)\n/.exec(c.stderr)?.[1];
    assert.ok(epoch, c.stderr);
    const p = progressOutputs(c);
    assert.equal(p.length, 1);
    assert.equal(p[0].state, 'error');
    assert.ok(p[0].line.startsWith(`✗ stopped by an error after ${Number(epoch) + 1} / `), p[0].line);
    assert.ok(p[0].line.includes(`gave up at epoch ${epoch}`), p[0].line);
    assertUpdatedInPlace(c);
  });
});
