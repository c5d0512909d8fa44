/** The notebook kit's pure parts: the check line contract, describe helpers, labels, need(). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  FAIL_MARK, PASS_MARK, check, evaluateCheck, fail, firstEpochReaching, fmt, formatCheckLine, layersName,
  need, parseCheckLine, pass, reachSentence, sub, sym,
} from '../../src/notebook';

test('check lines: pass and fail print one line each and parse back', () => {
  const ok = evaluateCheck('Exercise 1.2', () => pass('all 201 values within 1e-7'));
  assert.deepEqual(ok, { exercise: 'Exercise 1.2', passed: true, message: 'all 201 values within 1e-7' });
  assert.equal(formatCheckLine(ok), `${PASS_MARK}  Exercise 1.2: all 201 values within 1e-7`);
  const bad = evaluateCheck('Exercise 3.1', () => fail('dW[2] is off by 0.31.', 'check the sign of dL/dŷ.'));
  const line = formatCheckLine(bad);
  assert.equal(line, `${FAIL_MARK}  Exercise 3.1: dW[2] is off by 0.31. Hint: check the sign of dL/dŷ.`);
  assert.deepEqual(parseCheckLine(line), bad);
  assert.deepEqual(parseCheckLine(formatCheckLine(ok)), ok);
  assert.equal(parseCheckLine('some other output'), null);
});

test('check: an error thrown by the learner’s code becomes a failure quoting it', () => {
  const r = evaluateCheck('Exercise 5.2', () => {
    throw new Error('Exercise 5.2: write your code here');
  });
  assert.equal(r.passed, false);
  assert.match(r.message, /write your code here/);
  assert.match(r.hint ?? '', /exercise cell above/);
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(check('Exercise 5.2', () => pass('fine')), undefined);
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, [`${PASS_MARK}  Exercise 5.2: fine`]);
  assert.throws(() => evaluateCheck('', () => pass('x')), /exercise must be a non-empty string/);
  assert.throws(() => evaluateCheck('E', 42 as unknown as () => never), /verify must be a function/);
});

test('describe: names, thresholds without sentinels, numbers', () => {
  assert.equal(layersName([2, 8, 8, 1]), '2-8-8-1');
  assert.equal(firstEpochReaching([0.5, 0.9, 0.96, 0.97], 0.95), 2);
  assert.equal(firstEpochReaching([0.5, 0.9], 0.95), null);
  assert.equal(firstEpochReaching([3, 2, 1], 1.5, 'below'), 2);
  assert.equal(reachSentence('accuracy', [0.5, 0.6, 0.7], 0.95), 'accuracy did not reach 0.95 within 3 epochs');
  assert.equal(reachSentence('accuracy', [0.5, 0.96], 0.95), 'accuracy first reached 0.95 at epoch 1');
  assert.equal(fmt(0.693147180), '0.6931');
  assert.equal(fmt(1.5e-7), '1.5e-7');
  assert.equal(fmt(300), '300');
  assert.throws(() => layersName([] as number[]), /layersName: layers must be a non-empty array/);
});

test('labels use the symbol table in Unicode', () => {
  assert.equal(sub(12), '₁₂');
  assert.equal(sym.yhat(1), 'ŷ₁');
  assert.equal(sym.a(1, 3), 'a[1]₃');
  assert.equal(sym.dW(2, true), 'dW[2] = ∂L/∂W[2]');
});

test('need: a missing result names itself and the cell that makes it', () => {
  assert.equal(need(5, 'x', 'the cell above', 'f'), 5);
  assert.throws(() => need(undefined, 'history', 'the training cell (§5.4)', 'lossChart'),
    /^Error: lossChart: history is undefined: it is made by the training cell \(§5\.4\)/);
});
