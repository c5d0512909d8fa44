/**
 * Committed notebooks are clean: no outputs, no execution counts, the tslab kernelspec, and a first
 * code cell that calls loadPlotly() (so that every chart of the notebook can draw).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { courseNotebooks, ROOT, SMOKE_NOTEBOOK } from '../support/jupyter';

interface Cell { cell_type: string; source: string | string[]; outputs?: unknown[]; execution_count?: number | null }
interface Notebook { cells: Cell[]; metadata: { kernelspec?: { name?: string } }; nbformat: number }

const text = (s: string | string[]): string => (Array.isArray(s) ? s.join('') : s);

for (const file of [...courseNotebooks(), SMOKE_NOTEBOOK]) {
  test(`${path.relative(ROOT, file)} is committed clean`, () => {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
    assert.equal(nb.nbformat, 4, 'nbformat 4');
    assert.equal(nb.metadata.kernelspec?.name, 'tslab', 'metadata.kernelspec.name is "tslab"');
    const code = nb.cells.map((c, i) => ({ ...c, index: i })).filter((c) => c.cell_type === 'code');
    assert.ok(code.length > 0, 'has code cells');
    for (const c of code) {
      assert.deepEqual(c.outputs ?? [], [], `cell ${c.index} has no outputs (clear them before committing)`);
      assert.equal(c.execution_count ?? null, null, `cell ${c.index} has no execution count`);
    }
    assert.match(
      text(code[0].source),
      /\bloadPlotly\(\s*\)/,
      'the first code cell calls loadPlotly()',
    );
  });
}
