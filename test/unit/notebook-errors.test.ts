/**
 * Errors as a learner reads them (src/notebook/errors.ts, kernel.ts).
 *
 * - The token alignment (Myers diff) against an independent LCS oracle.
 * - Declared names, stack parsing, diagnostics hints on their own.
 * - The whole pipeline in this process: tslab's own converter and executor (as its kernel creates
 *   them) run cells after the kernel hooks are installed, and the text tslab prints for each error
 *   is checked. The line each error must point at is marked in the cell by a `// <-` comment and
 *   found by text search (not by the code under test). test/notebooks/errors.test.ts runs the same
 *   kind of cells through the real Jupyter kernel.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as util from 'node:util';
import fc from 'fast-check';
import {
  CellHistory, cellNames, diagnosticHint, formatCellError, matchSequences, parseStack, type TypeScriptModule,
} from '../../src/notebook/errors';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require('@tslab/typescript-for-tslab') as TypeScriptModule;

/** Length of a longest common subsequence, by the textbook O(N·M) table. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(prev[j], prev[j - 1]);
      diag = up;
    }
  }
  return prev[b.length];
}

describe('token alignment', () => {
  test('matchSequences finds a longest common subsequence (LCS table oracle)', () => {
    const seq = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'x'), { maxLength: 40 });
    fc.assert(fc.property(seq, seq, (a, b) => {
      const m = matchSequences(a, b)!;
      let last = -1;
      let count = 0;
      m.forEach((i, j) => {
        if (i < 0) return;
        assert.equal(a[i], b[j], 'matched keys are equal');
        assert.ok(i > last, 'matches keep their order');
        last = i;
        count++;
      });
      assert.equal(count, lcsLength(a, b));
    }), { numRuns: 400 });
  });

  test('matchSequences gives up beyond maxEdits', () => {
    assert.equal(matchSequences(['a', 'b', 'c'], ['x', 'y', 'z'], 2), null);
    assert.deepEqual(Array.from(matchSequences(['a', 'b', 'c'], ['x', 'y', 'z'], 6)!), [-1, -1, -1]);
  });
});

describe('cell names and stacks', () => {
  test('cellNames lists top-level declarations and assignments', () => {
    const n = cellNames(ts, [
      "import { a, b as c } from 'x';", "import * as ns from 'y';", 'import d from "z";',
      'const e = 1, { f, g: [h, , i] } = o;', 'let j: number;', 'function k() { const inner = 1; }',
      'class L {}', 'enum M { A }', 'interface N {}', 'type O = number;', 'p = q = 3;', 'r += 1;', 'if (s) { t = 1; }',
    ].join('\n'));
    assert.deepEqual(n.declares, ['a', 'c', 'ns', 'd', 'e', 'f', 'h', 'i', 'j', 'k', 'L', 'M', 'N', 'O']);
    assert.deepEqual(n.assigns, ['p', 'q', 'r']);
  });

  test('parseStack reads named, anonymous, async and bracketed frames', () => {
    const frames = parseStack([
      'Error: x', '    at fail (/p/src/core/mlp.ts:93:9)', '    at <notebook cell 3>:4:29',
      '    at async Proxy.g [as h] (<notebook cell 2>:5:22)', '    at node:internal/x:1:2', 'not a frame',
    ].join('\n'));
    assert.deepEqual(frames, [
      { name: 'fail', file: '/p/src/core/mlp.ts', line: 93, column: 9, async: false },
      { name: '', file: '<notebook cell 3>', line: 4, column: 29, async: false },
      { name: 'Proxy.g [as h]', file: '<notebook cell 2>', line: 5, column: 22, async: true },
      { name: '', file: 'node:internal/x', line: 1, column: 2, async: false },
    ]);
  });

  test('values that are not Errors are shown as they are, with why no line is known', () => {
    const ctx = { history: new CellHistory(ts), valueOf: () => undefined, isLibraryFile: () => false, show: (v: unknown) => util.inspect(v) };
    assert.equal(formatCellError('oops', ctx).split('\n')[0], 'oops');
    assert.match(formatCellError('oops', ctx), /a string was thrown, not an Error/);
    assert.equal(formatCellError({ code: 7 }, ctx).split('\n')[0], '{ code: 7 }');
    assert.match(formatCellError(42, ctx), /^42\n\(a value of type number was thrown/);
  });

  test('diagnosticHint names a failed declaring cell, and says nothing for "Did you mean"', () => {
    const h = new CellHistory(ts);
    const failed = h.begin('// make it\nconst made = f();');
    failed.status = 'failed';
    const current = h.begin('made.x');
    assert.match(diagnosticHint("1:1 - Cannot find name 'made'.", h, current)!,
      /made is declared by the cell starting "\/\/ make it", which failed when it last ran/);
    assert.equal(diagnosticHint("1:1 - Cannot find name 'mde'. Did you mean 'made'?", h, current), undefined);
    assert.match(diagnosticHint("1:1 - Cannot find name 'other'.", h, current)!, /If other is declared in a cell above, run that cell first/);
    assert.equal(diagnosticHint("1:1 - Type 'string' is not assignable to type 'number'.", h, current), undefined);
  });
});

/** tslab's converter and executor in this process, with the kernel hooks installed. */
interface InProcessKernel {
  run(src: string): Promise<{ ok: boolean; stderr: string; stdout: string }>;
}

let kernel: InProcessKernel;
let closeConverter = (): void => undefined;

after(() => closeConverter()); // its file watchers would keep the process alive

before(async () => {
  process.chdir(path.join(ROOT, 'test', 'fixtures')); // the converter's rootDir, as a notebook's folder
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createConverter } = require('tslab/dist/converter');
  const { createExecutor } = require('tslab/dist/executor');
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const conv = createConverter({ isJS: false, isBrowser: false });
  closeConverter = () => conv.close();
  const executor = createExecutor(process.cwd(), { node: conv, browser: conv, close: () => conv.close() }, {
    log: (...a: unknown[]) => process.stdout.write(`${util.format(...a)}\n`),
    error: (...a: unknown[]) => process.stderr.write(`${util.format(...a)}\n`),
  });
  jupyter.lastWriteDisplayData = () => undefined; // as while the kernel serves an execute request
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hooks = require('../../src/notebook/kernel') as typeof import('../../src/notebook/kernel');
  assert.equal(hooks.installKernelHooks(), true, 'hooks install in a tslab executor process');
  kernel = {
    async run(src) {
      // As tslab's kernel does for each execute request: a new output writer, stdout/stderr to the cell.
      jupyter.lastWriteDisplayData = () => undefined;
      const saved = { out: process.stdout.write, err: process.stderr.write };
      let stdout = '';
      let stderr = '';
      process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
      process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
      try {
        const ok = await executor.execute(src);
        return { ok, stderr, stdout };
      } finally {
        process.stdout.write = saved.out;
        process.stderr.write = saved.err;
      }
    },
  };
  const setup = await kernel.run([
    "const lib = require('../../src');",
    'const { MLP, makeCircles, relu, sigmoid, binaryCrossEntropy } = lib;',
    'const data = makeCircles({ nSamples: 50, factor: 0.5, noise: 0.1, seed: 0 });',
    'const net = new MLP({ layers: [2, 3, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 1 });',
    'function boom(n?: number): number { throw new Error(`boom ${n ?? ""}`.trim()); }',
  ].join('\n'));
  assert.ok(setup.ok, setup.stderr);
});

const INTERNAL = /node:internal|tslab[\\/]dist|dist[\\/]core|src[\\/]core|evalmachine|<notebook cell|__tslab__/;

/** The 1-based line of the cell marked with `// <-` (the `n`-th such mark). */
function markedLine(src: string, n = 0): number {
  const lines = src.split('\n');
  const marked = lines.map((l, i) => (l.includes('// <-') ? i + 1 : 0)).filter((i) => i > 0);
  assert.ok(marked[n], `cell has a // <- mark number ${n}`);
  return marked[n];
}

/** Asserts that the error text shows `line` of the cell with a caret under `token` (its first occurrence). */
function assertShowsLine(text: string, src: string, line: number, token: string, label = 'this cell'): void {
  const code = src.split('\n')[line - 1];
  const i = text.indexOf(`line ${line} of ${label}`);
  assert.ok(i >= 0, `names line ${line} of ${label}:\n${text}`);
  const quoted = text.split('\n').findIndex((l) => l === `  ${line} | ${code}`);
  assert.ok(quoted >= 0, `quotes line ${line} (${JSON.stringify(code)}):\n${text}`);
  const caret = text.split('\n')[quoted + 1];
  const col = caret.indexOf('^') - caret.indexOf('|') - 2;
  assert.equal(code.slice(col, col + token.length), token, `caret under ${JSON.stringify(token)}:\n${text}`);
}

describe('errors through tslab’s executor with the kernel hooks', () => {
  test('a library error starts with its message and points at the cell line, past types, comments, blank lines', async () => {
    const src = [
      '// a mistake: 3 inputs for 2 columns',
      'type Shape = [number, number];',
      'const wrong: typeof net = new MLP({ layers: [3, 4, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, seed: 2 });',
      '',
      '/* net.fit( in a comment */',
      'const shape: Shape = [data.X.rows, data.X.cols];',
      'const trained = wrong.fit( // <-',
      '  data.X,',
      '  data.y,',
      '  { epochs: 10, learningRate: 0.1 },',
      ');',
    ].join('\n');
    const r = await kernel.run(src);
    assert.equal(r.ok, false);
    assert.ok(r.stderr.startsWith('MLP.fit: X must be n x 3'), r.stderr);
    assert.ok(r.stderr.includes('received 50x2'), r.stderr);
    assert.doesNotMatch(r.stderr, INTERNAL);
    assertShowsLine(r.stderr, src, markedLine(src), 'fit');
  });

  test('imports and top-level await before the failing line', async () => {
    const src = [
      "import * as nodePath from 'path';",
      "import { format } from 'util';",
      'const joined: string = nodePath.join("a", format("%d", 1));',
      'const waited = await Promise.resolve(joined.length);',
      '',
      '// predict wants a Matrix',
      'net.predict( // <-',
      '  waited as any);',
    ].join('\n');
    const r = await kernel.run(src);
    assert.ok(r.stderr.startsWith('MLP.predict: X must be a Matrix'), r.stderr);
    assert.doesNotMatch(r.stderr, INTERNAL);
    assertShowsLine(r.stderr, src, markedLine(src), 'predict');
  });

  test('an await of a rejected promise', async () => {
    const src = [
      'async function later(): Promise<number> {',
      '  await null;',
      '  boom(2); // <-',
      '  return 1;',
      '}',
      'const v = await later(); // <-',
    ].join('\n');
    const r = await kernel.run(src);
    assert.ok(r.stderr.startsWith('boom 2'), r.stderr);
    assert.doesNotMatch(r.stderr, INTERNAL);
    assertShowsLine(r.stderr, src, markedLine(src, 0), 'boom');
  });

  test('multi-line template literals, classes and enums before the failing line', async () => {
    const src = [
      'const note = `first',
      'second ${1 + 1}',
      'third`;',
      'enum Color { Red, Green }',
      'class Box { constructor(private readonly size: number) {} area(): number { return this.size ** 2; } }',
      'const box = new Box(Color.Green);',
      'console.log(note.length, box.area());',
      'boom(box.area()); // <-',
    ].join('\n');
    const r = await kernel.run(src);
    assert.ok(r.stderr.startsWith('boom 1'), r.stderr);
    assertShowsLine(r.stderr, src, markedLine(src), 'boom');
    assert.ok(r.stdout.includes('20 1'), r.stdout); // the cell ran up to the error
  });

  test('a TypeError in a function of an earlier cell shows both cells’ lines', async () => {
    const helper = ['// the learner’s helper', 'function lastOf(values: number[]): number {', '  return values[values.length - 1]; // <-', '}'].join('\n');
    assert.ok((await kernel.run(helper)).ok);
    const src = ['const nothing = undefined as number[] | undefined;', '', 'console.log(lastOf(nothing!)); // <-'].join('\n');
    const r = await kernel.run(src);
    assert.ok(r.stderr.startsWith("TypeError: Cannot read properties of undefined (reading 'length')"), r.stderr);
    assert.doesNotMatch(r.stderr, INTERNAL);
    assert.ok(r.stderr.includes(`in lastOf, at line ${markedLine(helper)} of the cell starting "// the learner’s helper":`), r.stderr);
    assertShowsLine(r.stderr, helper, markedLine(helper), 'length', 'the cell starting "// the learner’s helper"');
    assertShowsLine(r.stderr, src, markedLine(src), 'lastOf');
  });

  test('callbacks: the frames inside the library between two cell lines are hidden', async () => {
    const src = [
      'net.fit(data.X, data.y, { // <-',
      '  epochs: 5, learningRate: 0.1,',
      '  onEpoch: (info) => {',
      '    if (info.epoch === 2) boom(info.epoch); // <-',
      '  },',
      '});',
    ].join('\n');
    const r = await kernel.run(src);
    assert.ok(r.stderr.startsWith('boom 2'), r.stderr);
    assert.doesNotMatch(r.stderr, INTERNAL);
    const lines = r.stderr.split('\n');
    assert.ok(lines.includes(`in boom, at line 5 of the cell starting "const lib = require('../../src');":`), r.stderr);
    assert.ok(lines.includes(`called from onEpoch, at line ${markedLine(src, 1)} of this cell:`), r.stderr);
    assert.ok(lines.includes(`called from line ${markedLine(src, 0)} of this cell:`), r.stderr);
  });

  test('a value missing because its cell failed: which cell to run comes first', async () => {
    assert.ok((await kernel.run('// Training\nconst run = net.fit(data.X, data.y, { epochs: 3, learningRate: 0.1 });')).ok);
    const failing = await kernel.run('// Training, edited with a mistake\nconst run = net.fit(data.X, data.y, { epochs: 3, learningRate: -1 });');
    assert.ok(failing.stderr.startsWith('MLP.fit: learningRate must be'), failing.stderr);
    const src = '// the chart\nconst last = run.loss[run.loss.length - 1]; // <-';
    const r = await kernel.run(src);
    const lines = r.stderr.split('\n');
    assert.equal(lines[0], 'run is undefined: the cell that makes it, the cell starting "// Training, edited with a mistake", ' +
      'failed when it last ran. Fix that cell and run it, then run this cell again.');
    assert.equal(lines[1], "(TypeError: Cannot read properties of undefined (reading 'loss'))");
    assertShowsLine(r.stderr, src, markedLine(src), 'loss');
    // A library function given the missing value: its own message first, then the hint.
    const lib = await kernel.run('const acc = lib.accuracy(data.y, run); // <-');
    assert.match(lib.stderr.split('\n')[0], /^accuracy: /);
    assert.ok(lib.stderr.includes('run is undefined: the cell that makes it, the cell starting "// Training, edited with a mistake"'), lib.stderr);
  });

  test('"Cannot find name" after the declaring cell failed on its first run gets a hint line', async () => {
    const failing = await kernel.run('// Makes a result\nconst neverMade = net.fit(data.X, data.y, { epochs: 3, learningRate: 0 });');
    assert.equal(failing.ok, false);
    const r = await kernel.run('console.log(neverMade.loss.length);');
    assert.equal(r.ok, false);
    const lines = r.stderr.split('\n');
    assert.equal(lines[0], "1:13 - Cannot find name 'neverMade'.", 'tslab’s diagnostic stays as it is');
    assert.equal(lines[1], '  neverMade is declared by the cell starting "// Makes a result", which failed when it last ran, ' +
      'so the kernel dropped its declarations. Fix that cell and run it, then run this cell again.');
  });

  test('a compile error of the cell itself is left to tslab', async () => {
    const r = await kernel.run('const n: number = "text";');
    assert.equal(r.ok, false);
    assert.equal(r.stderr, "1:7 - Type 'string' is not assignable to type 'number'.\n");
  });

  test('thrown strings and errors with a cause', async () => {
    const s = await kernel.run("throw 'plain text';");
    assert.ok(s.stderr.startsWith('plain text\n(a string was thrown, not an Error'), s.stderr);
    const src = "const inner = new RangeError('inner problem');\nthrow new Error('outer problem', { cause: inner }); // <-";
    const c = await kernel.run(src);
    const lines = c.stderr.split('\n');
    assert.equal(lines[0], 'outer problem');
    assert.equal(lines[1], 'Caused by: RangeError: inner problem');
    assertShowsLine(c.stderr, src, markedLine(src), 'new');
  });

  // BP_RANDOM_CELLS=400 runs more of them.
  test('random cells: the error points at the line of the failing call, whatever surrounds it', async () => {
    let unique = 0;
    const templates: Array<(i: number) => string[]> = [
      (i) => [`type T${i} = { a: number; b?: string };`],
      (i) => [`interface I${i} {`, '  x: number;', '}'],
      (i) => [`// a comment that mentions boom(${i}) and net.fit(`],
      () => [''],
      () => ['/* a block comment', '   boom( */'],
      (i) => [`const v${i}: number = data.X.rows as number;`],
      (i) => [`const o${i} = {`, '  a: 1,', '  b: [1, 2, 3].map((x: number) => x * 2),', '};'],
      (i) => [`const s${i} = \`multi`, `line \${${i} + 1}`, 'end`;'],
      (i) => [`let u${i}: string | undefined = undefined;`, `u${i} = 'x';`],
      (i) => [`enum E${i} { A, B }`],
      (i) => [`function f${i}<T>(x: T): T {`, '  return x;', '}'],
      (i) => [`const n${i} = net.predict(data.X)!.rows;`],
      (i) => [`const [p${i}, q${i}] = [1, 2];`],
      (i) => [`import { format as fmt${i} } from 'util';`],
      (i) => [`import nodeFs${i} from 'fs';`],
      (i) => [`import * as nodePath${i} from "path";`],
      (i) => [`const e${i} = [data.X.rows, data.X.cols] as const;`, `void e${i};`],
      (i) => [`class C${i} { constructor(private readonly v: number) {} get twice(): number { return this.v * 2; } }`],
      () => ['for (let k = 0; k < 2; k++) {', '  void k;', '}'],
      (i) => ['Math.max(', '  1,', `  ${i},`, ');'],
      (i) => [`const w${i} = await Promise.resolve(${i});`],
    ];
    const failing: Array<(i: number) => string[]> = [
      (i) => [`boom(${i}); // <-`],
      (i) => ['Math.max(', '  0,', `  boom(${i}), // <-`, ');'],
      (i) => [`const z${i}: number = [1, 2].map((x) => x + 1).length + boom(${i}); // <-`],
    ];
    const pick = fc.array(fc.nat(templates.length - 1), { maxLength: 8 });
    await fc.assert(fc.asyncProperty(pick, pick, fc.nat(failing.length - 1), async (before, after, which) => {
      const lines = [
        ...before.flatMap((t) => templates[t](++unique)),
        ...failing[which](++unique),
        ...after.flatMap((t) => templates[t](++unique)),
      ];
      const src = lines.join('\n');
      const r = await kernel.run(src);
      assert.equal(r.ok, false, src);
      assert.ok(r.stderr.startsWith('boom '), `${src}\n---\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, INTERNAL);
      assertShowsLine(r.stderr, src, markedLine(src), 'boom');
    }), { numRuns: Number(process.env.BP_RANDOM_CELLS ?? 40) });
  });

  test('lastCellError returns the original error; a cell that succeeds still prints its value', async () => {
    await kernel.run("boom(9);");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lastCellError } = require('../../src/notebook/kernel') as typeof import('../../src/notebook/kernel');
    const e = lastCellError() as Error;
    assert.ok(e instanceof Error);
    assert.equal(e.message, 'boom 9');
    assert.match(e.stack!, /<notebook cell \d+>/, 'the original stack is kept');
    const ok = await kernel.run('const twice = 2 * 21;\ntwice');
    assert.equal(ok.ok, true);
    assert.equal(ok.stdout, '42\n');
  });
});
