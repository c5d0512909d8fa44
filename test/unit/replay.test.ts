import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReplayOptions, formatNumpyFloat, formatPythonFloat, replayTutorial, replayTutorialRun } from '../../src/replay/replay';

// The published run (a copy of shared/reference/seed-training-log.txt) and the tutorial's own program
// run with other options (scripts/make-fixtures.py imports /work/shared/bench/tutorial_mlp.py).
const fixtures = join(__dirname, '..', 'fixtures');
const published = readFileSync(join(fixtures, 'seed-training-log.txt'), 'utf8').replace(/\n$/, '').split('\n');
interface Run { options: Required<ReplayOptions>; lines?: string[]; loss: string[]; accuracy: number[] }
const runs = JSON.parse(readFileSync(join(fixtures, 'tutorial-runs.json'), 'utf8')) as { default: Run; runs: Run[] };
const formats = JSON.parse(readFileSync(join(fixtures, 'numpy-format.json'), 'utf8')) as { values: [string, string, string][] };

const fromBits = (hex: string): number => new DataView(new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16))).buffer).getFloat64(0);

test('the default replay prints the published run, all 151 lines character for character', () => {
  assert.equal(published.length, 151);
  const lines = replayTutorial();
  assert.equal(lines.length, published.length);
  lines.forEach((line, i) => assert.equal(line, published[i], `line ${i + 1}`));
});

test('replayTutorialRun: losses within 1e-12 (relative) of the program\'s unrounded ones, accuracies equal', () => {
  for (const run of [{ ...runs.default, options: {} }, ...runs.runs]) {
    const got = replayTutorialRun(run.options);
    assert.equal(got.loss.length, run.loss.length);
    run.loss.forEach((bits, i) => {
      const expected = fromBits(bits);
      if (Number.isNaN(expected)) assert.ok(Number.isNaN(got.loss[i]), `loss ${i}: expected NaN, got ${got.loss[i]}`);
      else assert.ok(Math.abs(got.loss[i] - expected) <= 1e-12 * Math.abs(expected), `loss ${i}: ${got.loss[i]} vs ${expected}`);
    });
    assert.deepEqual(got.accuracy, run.accuracy);
    assert.equal(got.lines.length, 1 + got.options.epochs);
  }
});

test('the default run\'s resolved options are the published ones, and its data is make_circles(1000)', () => {
  const run = replayTutorialRun({ epochs: 1 });
  assert.deepEqual(run.options, { ...runs.default.options, epochs: 1 });
  assert.deepEqual(run.data.X.shape, [1000, 2]);
  assert.equal(run.data.y.sum(), 500);
});

test('other options: the same lines as the tutorial\'s program run with them (incl. divergence to NaN)', () => {
  assert.ok(runs.runs.length >= 3);
  assert.ok(runs.runs.some((r) => r.lines!.some((l) => l.includes('[[nan]]'))), 'one run should reach NaN');
  for (const run of runs.runs) {
    const lines = replayTutorial(run.options);
    assert.equal(lines.length, run.lines!.length, JSON.stringify(run.options));
    lines.forEach((line, i) => assert.equal(line, run.lines![i], `${JSON.stringify(run.options)} line ${i + 1}`));
  }
});

test('formatNumpyFloat(v) is the inside of numpy\'s str(np.array([[v]])); formatPythonFloat(v) is repr(v)', () => {
  assert.ok(formats.values.length > 100);
  for (const [bits, numpyStr, pythonRepr] of formats.values) {
    const v = fromBits(bits);
    assert.equal(`[[${formatNumpyFloat(v)}]]`, numpyStr, `numpy str of ${v}`);
    assert.equal(formatPythonFloat(v), pythonRepr, `repr of ${v}`);
  }
});

test('replayTutorial rejects bad options with the parameter, the expected range and what came', () => {
  const cases: [unknown, RegExp][] = [
    [{ dataSeed: -1 }, /dataSeed must be an integer in \[0, 2\*\*32 - 1\].*received -1/],
    [{ initSeed: 2 ** 32 }, /initSeed must be an integer in \[0, 2\*\*32 - 1\].*received 4294967296/],
    [{ nSamples: 0 }, /nSamples must be an integer ≥ 1; received 0/],
    [{ nSamples: 10.5 }, /nSamples must be an integer ≥ 1; received 10.5/],
    [{ factor: 1 }, /factor must be a number in \[0, 1\); received 1/],
    [{ noise: -0.1 }, /noise must be a finite number ≥ 0; received -0.1/],
    [{ noise: NaN }, /noise must be a finite number ≥ 0; received NaN/],
    [{ epochs: -3 }, /epochs must be an integer ≥ 0; received -3/],
    [{ learningRate: Infinity }, /learningRate must be a finite number ≥ 0; received Infinity/],
    [{ learningRate: '0.1' }, /learningRate must be a finite number ≥ 0; received "0.1"/],
    [{ layers: [2] }, /layers must be an array of at least 2 positive integers.*received \[2\]/],
    [{ layers: [2, 0, 1] }, /layers must be an array of at least 2 positive integers.*received \[2, 0, 1\]/],
    [{ layers: [3, 4, 1] }, /layers\[0\] must be 2 .*received 3/],
    [{ layers: [2, 4, 2] }, /layers\[2\] must be 1 .*received 2/],
    [{ epoch: 5 }, /unknown option "epoch"; expected some of dataSeed, .*learningRate/],
    [null, /options must be an object .*received null/],
    [[1], /options must be an object .*received \[1\]/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => replayTutorial(options as ReplayOptions), message, JSON.stringify(options));
    assert.throws(() => replayTutorial(options as ReplayOptions), /^Error: replayTutorial: /);
  }
  assert.deepEqual(replayTutorial({ epochs: 0 }), [published[0]]);
  assert.deepEqual(replayTutorial({ epochs: undefined, learningRate: undefined })[150], published[150]);
});

test('formatters reject non-numbers', () => {
  assert.throws(() => formatNumpyFloat('1' as unknown as number), /formatNumpyFloat: value must be a number; received "1"/);
  assert.throws(() => formatPythonFloat(undefined as unknown as number), /formatPythonFloat: value must be a number; received undefined/);
});
