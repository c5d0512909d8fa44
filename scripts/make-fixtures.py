#!/usr/bin/python3
"""Writes the numpy / scikit-learn oracles the unit tests compare against, into test/fixtures/.

Run with Debian's python3 (numpy and scikit-learn from apt): /usr/bin/python3 scripts/make-fixtures.py

  numpy-random.json    legacy RandomState draws: raw uint32s, random_sample, Gaussians interleaved
                       with other draws (the cached second value), shuffles, randint (random_interval),
                       randn, and libm's log (what the Gaussians use) on assorted inputs
  sklearn-datasets.json make_circles / make_moons after np.random.seed(s), random_state=None
  numpy-format.json    str(np.array([[v]])) and repr(v) for assorted float64 values
  tutorial-runs.json   the tutorial's program (/work/shared/bench/tutorial_mlp.py, imported) run with
                       non-default options, printed lines as it prints them

The published default run is test/fixtures/seed-training-log.txt, a copy of
/work/shared/reference/seed-training-log.txt (this script checks that the program reproduces it).
Doubles are written as JSON numbers (Python's repr, which JSON.parse reads back to the same double);
where NaN or ±inf can occur, as the 16 hex digits of the IEEE-754 bit pattern instead.
"""
import contextlib
import ctypes
import io
import json
import math
import os
import platform
import struct
import sys
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.datasets import make_circles, make_moons
from sklearn.metrics import accuracy_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')
TUTORIAL_DIR = '/work/shared/bench'
PUBLISHED_LOG = '/work/shared/reference/seed-training-log.txt'

VERSIONS = {
    'python': platform.python_version(),
    'numpy': np.__version__,
    'sklearn': sklearn.__version__,
    'libc': ' '.join(platform.libc_ver()),
    'machine': platform.machine(),
}


def bits(x):
    """The IEEE-754 bit pattern of a float64 as 16 hex digits (big-endian)."""
    return struct.pack('>d', float(x)).hex()


def write(name, payload):
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump({'generatedBy': 'scripts/make-fixtures.py', 'versions': VERSIONS, **payload}, f,
                  separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print('%-24s %7d bytes' % (name, os.path.getsize(path)))


# ---------------------------------------------------------------------------------------------
# numpy's legacy RandomState

SEEDS = [0, 1, 42, 12345, 2**32 - 1]
UINT32_AT = list(range(20)) + list(range(620, 630)) + list(range(1244, 1252))  # across two twists
SHUFFLE_SIZES = [0, 1, 2, 3, 10, 1000]
INTERVAL_MAXES = [1, 2, 5, 1000, 2**31 - 1, 2**31, 2**32 - 2, 2**32 - 1, 2**32, 2**40 + 4, 2**53 - 1]


def raw(rs, n):
    """n raw 32-bit outputs of the RandomState's Mersenne Twister (shares its state)."""
    return [int(v) for v in rs._bit_generator.random_raw(n)]


def interleaved(rs):
    """A script of mixed draws; Gaussians come in pairs, the second one cached across other draws."""
    script = ['normal', 'uniform', 'normal', 'normal', 'uint32', 'normal', 'shuffle:7', 'normal',
              'randn:2x3', 'normal', 'uniform', 'uniform', 'normal', 'normal', 'normal']
    steps = []
    for op in script:
        if op == 'normal':
            out = float(rs.standard_normal())
        elif op == 'uniform':
            out = float(rs.random_sample())
        elif op == 'uint32':
            out = raw(rs, 1)[0]
        elif op.startswith('shuffle:'):
            a = np.arange(int(op.split(':')[1]))
            rs.shuffle(a)
            out = a.tolist()
        elif op.startswith('randn:'):
            r, c = map(int, op.split(':')[1].split('x'))
            out = rs.randn(r, c).tolist()
        steps.append({'op': op, 'out': out})
    return steps


def random_state_fixture():
    seeds = []
    for seed in SEEDS:
        rs = np.random.RandomState(seed)
        stream = raw(rs, max(UINT32_AT) + 1)
        entry = {
            'seed': seed,
            'uint32': [[i, stream[i]] for i in UINT32_AT],
            'randomSample': np.random.RandomState(seed).random_sample(12).tolist(),
            'normal': np.random.RandomState(seed).standard_normal(200).tolist(),
            'randn3x4': np.random.RandomState(seed).randn(3, 4).tolist(),
            'interleaved': interleaved(np.random.RandomState(seed)),
        }
        shuffles = {}
        rs = np.random.RandomState(seed)
        for n in SHUFFLE_SIZES:  # one generator, shuffles in sequence
            a = np.arange(n)
            rs.shuffle(a)
            shuffles[str(n)] = a.tolist()
        entry['shuffles'] = shuffles
        rs = np.random.RandomState(seed)
        # legacy randint(0, max + 1) draws by masked rejection exactly as shuffle's random_interval(max)
        entry['randomInterval'] = [[m, [int(rs.randint(0, m + 1, dtype=np.int64)) for _ in range(3)]]
                                   for m in INTERVAL_MAXES]
        seeds.append(entry)
    # libm's log (legacy_gauss calls log(r2)): inputs where Math.log and glibc disagree are common
    rng = np.random.RandomState(2024)
    xs = np.concatenate([rng.random_sample(400), 0.9375 + rng.random_sample(200) * 0.128,
                         np.exp(rng.uniform(-740, 700, 200)),
                         [1.0, 2.0, 0.5, 0.9375, 1.064697265625, 1 - 2**-53, 1 + 2**-52, 5e-324, 2.2250738585072014e-308,
                          1.7976931348623157e308, 0.0, -0.0, -1.0, math.inf, math.nan]])
    libm = ctypes.CDLL('libm.so.6')
    libm.log.restype = ctypes.c_double
    libm.log.argtypes = [ctypes.c_double]
    logs = [[bits(x), bits(libm.log(x))] for x in xs]
    write('numpy-random.json', {'seeds': seeds, 'log': logs, 'fma': fma_cases()})


def fma_cases():
    """a·b + c rounded once (exact rational arithmetic, then Python's correctly rounded int division)."""
    rng = np.random.RandomState(99)
    cases = []
    for _ in range(150):
        a, b = rng.standard_normal(2) * 2.0 ** rng.randint(-30, 30, 2)
        c = rng.choice([-1, 1]) * float(Fraction(a) * Fraction(b))   # cancellation: only the error is left
        if rng.random_sample() < 0.5:
            c = rng.standard_normal() * 2.0 ** rng.randint(-60, 60)
        cases.append((a, b, c))
    one = 1 + 2.0**-52
    cases += [(one, one, -1.0), (one, one, -(1 + 2.0**-51)), (1 + 2.0**-27, 1 + 2.0**-27, 2.0**-53),
              (1 + 2.0**-26, 1 - 2.0**-26, -1.0), (3.0, 1 / 3, -1.0), (0.1, 10.0, -1.0), (0.0, 5.0, -0.0),
              (1 + 2.0**-30, 1 + 2.0**-30, -(1 + 2.0**-29)), (2.0**-30 + 2.0**-60, 2.0**30, 2.0**-53)]
    return [[bits(a), bits(b), bits(c), bits(float(Fraction(a) * Fraction(b) + Fraction(c)))] for a, b, c in cases]


# ---------------------------------------------------------------------------------------------
# scikit-learn's data sets, drawn from the global RandomState as the tutorial does

def datasets_fixture():
    cases = []
    circles = [
        dict(n_samples=1000, factor=0.5, noise=0.1, seed=0),   # the tutorial's data
        dict(n_samples=7, factor=0.5, noise=0.1, seed=1),
        dict(n_samples=101, factor=0.3, noise=0.05, seed=42),
        dict(n_samples=1, factor=0.8, noise=0.2, seed=3),
        dict(n_samples=2, factor=0.8, noise=None, seed=3),
        dict(n_samples=50, factor=0.8, noise=0.0, seed=12345),
        dict(n_samples=33, factor=0.0, noise=None, seed=5, shuffle=False),
        dict(n_samples=40, factor=0.6, noise=0.1, seed=2**32 - 1, shuffle=False),
    ]
    moons = [
        dict(n_samples=100, noise=0.1, seed=0),
        dict(n_samples=9, noise=0.3, seed=1),
        dict(n_samples=1, noise=0.1, seed=7),
        dict(n_samples=2, noise=None, seed=7),
        dict(n_samples=64, noise=0.0, seed=42),
        dict(n_samples=31, noise=None, seed=9, shuffle=False),
        dict(n_samples=30, noise=0.2, seed=11, shuffle=False),
    ]
    for kind, fn, specs in (('circles', make_circles, circles), ('moons', make_moons, moons)):
        for spec in specs:
            kwargs = {k: v for k, v in spec.items() if k != 'seed'}
            np.random.seed(spec['seed'])
            X, y = fn(**kwargs)  # random_state=None: the global RandomState just seeded
            cases.append({'kind': kind, **spec, 'X': X.tolist(), 'y': y.tolist()})
    write('sklearn-datasets.json', {'cases': cases})


# ---------------------------------------------------------------------------------------------
# numpy's and Python's float printing

def format_fixture():
    rng = np.random.RandomState(7)
    values = [0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 2.0, 10.0, 1e-5, 1.5e-5, 1e-4, 9.999999999999999e-05, 1e16, 1e8,
              99999999.99999999, 99999999.999999999, 1e8 - 0.5, 0.001953125, 2.0**-14, 5e-324, 1e-300, 1.7976931348623157e308,
              123456789.123, 0.00012345678912, 0.9999999999, 0.99999999, 0.999999995, 9.9999999995e-05,
              693.62972747123, 683.6170298, 0.818, 0.614, 1 / 3, 2 / 3, 0.125, 1e15, 1e-4 * (1 - 2**-52),
              123456.78901234567, 0.00050000000000000001, 0.000123455, 0.000123465, math.nan, math.inf, -math.inf]
    values += (rng.standard_normal(60) * 10.0 ** rng.randint(-7, 17, 60)).tolist()
    values += (rng.randint(0, 10**6, 20) / 2.0 ** rng.randint(0, 30, 20)).tolist()  # exact binary fractions: ties
    values += (rng.randint(1, 2000, 20) / rng.randint(1, 2000, 20)).tolist()     # accuracies k / n
    rows = []
    for v in values:
        s_float = repr(float(v))
        assert str(np.float64(v)) == s_float or math.isnan(v), (v, str(np.float64(v)), s_float)
        rows.append([bits(v), str(np.array([[v]])), s_float])
    write('numpy-format.json', {'values': rows})


# ---------------------------------------------------------------------------------------------
# the tutorial's program with other options

def run_tutorial(T, o):
    """The `__main__` block of tutorial_mlp.py with its constants made parameters, using its functions.

    Returns the printed lines, and the losses (as bit patterns: they may be NaN) and accuracies printed."""
    np.random.seed(o['dataSeed'])
    X, y = make_circles(n_samples=o['nSamples'], factor=o['factor'], noise=o['noise'])
    y = y.reshape(-1, 1)
    hidden = len(o['layers']) - 2
    model = T.mlp(layersizes=o['layers'], activations=[T.relu] * hidden + [T.sigmoid],
                  derivatives=[T.drelu] * hidden + [T.dsigmoid], lossderiv=T.d_cross_entropy)
    model.initialize(o['initSeed'])
    out = io.StringIO()
    losses, accuracies = [], []
    with contextlib.redirect_stdout(out), np.errstate(all='ignore'):
        yhat = model.forward(X)
        loss = T.cross_entropy(y, yhat)
        acc = accuracy_score(y, (yhat > 0.5))
        losses.append(bits(loss[0, 0])), accuracies.append(float(acc))
        print("Before training - loss value {} accuracy {}".format(loss, acc))
        for n in range(o['epochs']):
            model.forward(X)
            yhat = model.a[-1]
            model.backward(y, yhat)
            model.update(o['learningRate'])
            loss = T.cross_entropy(y, yhat)
            acc = accuracy_score(y, (yhat > 0.5))
            losses.append(bits(loss[0, 0])), accuracies.append(float(acc))
            print("Iteration {} - loss value {} accuracy {}".format(n, loss, acc))
    return {'options': o, 'lines': out.getvalue().splitlines(), 'loss': losses, 'accuracy': accuracies}


def tutorial_fixture():
    sys.path.insert(0, TUTORIAL_DIR)
    import tutorial_mlp as T
    defaults = dict(dataSeed=0, nSamples=1000, factor=0.5, noise=0.1, initSeed=42, layers=[2, 4, 3, 1],
                    epochs=150, learningRate=0.005)
    published = open(PUBLISHED_LOG).read().splitlines()
    default_run = run_tutorial(T, defaults)
    assert default_run['lines'] == published, 'the program no longer reproduces the published log'
    option_sets = [
        dict(dataSeed=3, nSamples=201, factor=0.5, noise=0.1, initSeed=7, layers=[2, 5, 1], epochs=20,
             learningRate=0.01),
        dict(dataSeed=11, nSamples=333, factor=0.3, noise=0.05, initSeed=2**32 - 1, layers=[2, 8, 6, 4, 1],
             epochs=60, learningRate=0.02),
        dict(dataSeed=0, nSamples=1000, factor=0.5, noise=0.0, initSeed=1, layers=[2, 16, 1], epochs=40,
             learningRate=0.001),
        # learning rates far too large: the loss oscillates between plateaus; then overflows to NaN
        dict(dataSeed=5, nSamples=64, factor=0.5, noise=0.1, initSeed=3, layers=[2, 3, 1], epochs=30,
             learningRate=50.0),
        dict(dataSeed=5, nSamples=64, factor=0.5, noise=0.1, initSeed=3, layers=[2, 8, 8, 1], epochs=6,
             learningRate=1e200),
    ]
    # the default run's lines are the published log (seed-training-log.txt); its losses are kept here
    del default_run['lines']
    write('tutorial-runs.json', {'default': default_run, 'runs': [run_tutorial(T, o) for o in option_sets]})


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    random_state_fixture()
    datasets_fixture()
    format_fixture()
    tutorial_fixture()
