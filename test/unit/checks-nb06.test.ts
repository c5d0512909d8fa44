/** The self-checks of notebook 06: pass on the solution, fail with a useful hint on a stub and on each classic mistake. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { relu, sigmoid, tanh } from '../../src/core/activations';
import { binaryCrossEntropy, meanSquaredError } from '../../src/core/losses';
import { Matrix } from '../../src/core/matrix';
import { MLP } from '../../src/core/mlp';
import { makeCircles } from '../../src/data/datasets';
import { NumpyRandomState } from '../../src/replay/numpy-random';
import { assertFails, assertPasses, assertStubFails, stub } from '../support/verdicts';
import { verifyEffectiveSteps, verifyFixedBackward, verifyOneStreamStart, type Gradients } from '../../src/notebook/checks/nb06';

const tutorialNet = (random: NumpyRandomState, extra: Partial<ConstructorParameters<typeof MLP>[0]> = {}): MLP =>
  new MLP({ layers: [2, 4, 3, 1], activations: [relu, relu, sigmoid], loss: binaryCrossEntropy, random, ...extra });

test('Exercise 6.1 (one stream instead of two seeds): the solution passes; re-seeding, restarting, data and net mistakes are caught', () => {
  const oneStream = () => {
    const random = new NumpyRandomState(0);
    const d = makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, random });
    return { ...d, net: tutorialNet(random) };
  };
  assertPasses(verifyOneStreamStart(oneStream));
  const r = verifyOneStreamStart(oneStream);
  assert.ok(r.passed && /n·L at this start is \d+\.\d{8}, where the published run starts at 693\.62972747/.test(r.detail));
  assertStubFails('Exercise 6.1', () => verifyOneStreamStart(stub('Exercise 6.1')));
  const data = () => makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, random: new NumpyRandomState(0) });
  assertFails(verifyOneStreamStart(() => ({ ...data(), net: tutorialNet(new NumpyRandomState(42)) })), /tutorial's own/, /erratum 7/);
  assertFails(verifyOneStreamStart(() => ({ ...data(), net: tutorialNet(new NumpyRandomState(0)) })), /new generator seeded with 0/, /starts the stream again/);
  assertFails(verifyOneStreamStart(() => ({ ...makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, seed: 0 }), net: tutorialNet(new NumpyRandomState(0)) })),
    /not the tutorial's points/, /NumpyRandomState\(0\)/);
  assertFails(verifyOneStreamStart(() => ({ ...makeCircles({ nSamples: 1000, noise: 0.1, random: new NumpyRandomState(0) }), net: tutorialNet(new NumpyRandomState(0)) })),
    /radius about 0\.8/, /factor=0\.5/);
  assertFails(verifyOneStreamStart(() => ({ ...makeCircles({ nSamples: 1000, factor: 0.5, random: new NumpyRandomState(0) }), net: tutorialNet(new NumpyRandomState(0)) })),
    /no noise/, /0\.1/);
  assertFails(verifyOneStreamStart(() => {
    const random = new NumpyRandomState(0);
    const d = makeCircles({ nSamples: 1000, factor: 0.5, noise: 0.1, random });
    return { ...d, net: tutorialNet(random, { init: 'xavier' }) };
  }), /b\[1\] are all zero/, /'normal'/);
  assertFails(verifyOneStreamStart(() => ({ ...data(), net: new MLP({ layers: [2, 4, 3, 1], activations: [tanh, tanh, sigmoid], loss: binaryCrossEntropy, random: new NumpyRandomState(0) }) })),
    /tanh, tanh, sigmoid/, /relu, relu, sigmoid/);
  assertFails(verifyOneStreamStart(() => ({ ...data(), net: tutorialNet(new NumpyRandomState(0), { loss: meanSquaredError }) })), /meanSquaredError/, /binaryCrossEntropy/);
  assertFails(verifyOneStreamStart(() => ({ ...data(), net: new MLP({ layers: [2, 8, 1], activations: [relu, sigmoid], loss: binaryCrossEntropy, random: new NumpyRandomState(0) }) })),
    /2-8-1/, /\[2, 4, 3, 1\]/);
});

const EPS = 2 ** -52;
const clipEps = (p: number): number => (p < EPS ? EPS : p);
/** The tutorial's backward on a library network, with each erratum switchable. */
function tutorialBackward(fix: { sigmoid: boolean; mean: boolean; sumDb: boolean; sign?: boolean }) {
  return (net: MLP, X: Matrix, y: Matrix): Gradients => {
    net.forward(X);
    const L = net.L;
    const n = X.rows;
    const dW: Matrix[] = [];
    const db: Matrix[] = [];
    let da = net.a[L].map((p, s, i) => (fix.sign ? -1 : 1) * (-y.get(s, i) / clipEps(p) + (1 - y.get(s, i)) / clipEps(1 - p)) / (fix.mean ? n : 1));
    for (let l = L; l >= 1; l--) {
      const f = net.activations[l - 1];
      const df = l === L ? (z: number) => (fix.sigmoid ? 1 : 2) * sigmoid.df(z) : (z: number) => f.df(z);
      const dz = da.mul(net.z[l].map(df));
      dW[l] = net.a[l - 1].tmatmul(dz);
      db[l] = fix.sumDb ? dz.sumColumns() : dz.meanColumns();
      da = dz.matmulT(net.W[l]);
    }
    return { dW, db };
  };
}

test('Exercise 6.2 (the tutorial\'s backward, fixed): the solution passes; each erratum left in is named by its factor', () => {
  assertPasses(verifyFixedBackward(tutorialBackward({ sigmoid: true, mean: true, sumDb: true })));
  assertStubFails('Exercise 6.2', () => verifyFixedBackward(stub('Exercise 6.2')));
  assertFails(verifyFixedBackward(tutorialBackward({ sigmoid: false, mean: true, sumDb: true })), /2 times/, /erratum 1/);
  assertFails(verifyFixedBackward(tutorialBackward({ sigmoid: true, mean: false, sumDb: true })), /8 times/, /erratum 4/);
  assertFails(verifyFixedBackward(tutorialBackward({ sigmoid: false, mean: false, sumDb: true })), /16 times/, /two errata/);
  assertFails(verifyFixedBackward(tutorialBackward({ sigmoid: true, mean: true, sumDb: false })), /db\[3\].*1\/8 times/, /np\.mean|sumColumns/);
  assertFails(verifyFixedBackward(tutorialBackward({ sigmoid: true, mean: true, sumDb: true, sign: true })), /−1 times/, /opposite sign/);
  // as published, the weights are 2n times too large
  assertFails(verifyFixedBackward(tutorialBackward({ sigmoid: false, mean: false, sumDb: false })), /16 times/, /two errata/);
});

test('Exercise 6.3 (the effective steps 2nη and 2η): the solution passes and reproduces the log; wrong factors are named', () => {
  assertPasses(verifyEffectiveSteps((eta, n) => ({ onW: 2 * n * eta, onB: 2 * eta })));
  assertStubFails('Exercise 6.3', () => verifyEffectiveSteps(stub('Exercise 6.3')));
  assertFails(verifyEffectiveSteps((eta, n) => ({ onW: n * eta, onB: 2 * eta })), /doubled σ' is missing/, /erratum 1/);
  assertFails(verifyEffectiveSteps((eta) => ({ onW: 2 * eta, onB: 2 * eta })), /summed loss is missing/, /erratum 4/);
  assertFails(verifyEffectiveSteps((eta, n) => ({ onW: 2 * n * eta, onB: 2 * n * eta })), /step on b is 2nη/, /np\.mean/);
  assertFails(verifyEffectiveSteps((eta, n) => ({ onW: 2 * eta, onB: 2 * n * eta })), /swapped/, /weights/);
  assertFails(verifyEffectiveSteps((eta, n) => ({ onW: 2 * n * eta, onB: eta })), /step on b is η/, /erratum 1/);
  assertFails(verifyEffectiveSteps((eta) => ({ onW: eta, onB: eta })), /step on W is/, /count the factors/);
});
