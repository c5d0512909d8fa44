/**
 * Backprop Notebooks: a small, exact multilayer perceptron with the tutorial's symbols
 * (a[l], z[l], W[l], b[l]; dW[l] = dL/dW[l]), its gradient check, seeded data sets, and the replay of
 * the tutorial's published run. This is what `import { … } from '../dist'` gives a notebook.
 *
 * Layout (each folder's README says what it may import):
 * - `core/`    Matrix, activations (softmax too), losses, MLP and its training options, gradient check,
 *              random sources, size limits and named errors: what a learner reads
 * - `data/`    seeded data sets and splits
 * - `replay/`  numpy's RandomState, glibc's log, the tutorial's program as published
 * - `kernels/` the fast loops and the WebAssembly SIMD kernels behind core
 * - `notebook/` charts, checks and notebook helpers (tslab only): `import { … } from '../dist/notebook'`
 *
 * Nothing exported here touches the DOM, tslab or Plotly.
 */
export * from './core/limits';
export * from './core/matrix';
export * from './core/random';
export * from './core/activations';
export * from './core/losses';
export * from './core/mlp';
export * from './core/gradcheck';
export * from './core/observe';
export * from './data/datasets';
export * from './replay/numpy-random';
export * from './replay/replay';
