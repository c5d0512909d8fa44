/**
 * Backprop Notebooks: a small, exact multilayer perceptron with the tutorial's symbols
 * (a[l], z[l], W[l], b[l]; dW[l] = dL/dW[l]), its gradient check, and seeded data sets.
 * The math core: no DOM, no tslab, no Plotly (charts live in `./plot`).
 */
export * from './matrix';
export * from './random';
export * from './activations';
export * from './losses';
export * from './mlp';
export * from './gradcheck';
export * from './datasets';
export * from './numpy-random';
export * from './replay';
