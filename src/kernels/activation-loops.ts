/**
 * The element-wise steps of a layer, with a dedicated loop for each built-in activation.
 *
 * An Activation is an object with methods f, dfFromOutput; calling them once per entry from a
 * loop that serves every activation is a polymorphic call the JavaScript engine cannot inline, and
 * it costs more than the arithmetic. So these functions recognise the built-in functions by
 * identity and give each its own loop, in which the call always reaches the same function and is
 * inlined (the same function, so the same bits); any other activation goes through its own
 * f / dfFromOutput. For relu and σ on matrices in wasm memory (the MLP's
 * batch buffers, see ./wasm.ts), the loop is a WebAssembly SIMD kernel that gives the same bits.
 * A row-wise activation (softmax) goes through its own `forwardInto` / `backwardInto`.
 */
import { Activation, identity, leakyRelu, relu, sigmoid, tanh } from '../core/activations';
import { Matrix, addRowVectorInPlace } from '../core/matrix';
import { WasmActivation, wasmAddBiasActivate, wasmReluGradient } from './wasm';

// The built-in functions, taken once: an activation is served by a dedicated loop when its method
// *is* one of these (a copy such as `{ ...relu, name: 'r' }` is too; a replaced method is not).
const reluF = relu.f;
const reluDf = relu.dfFromOutput;
const sigmoidF = sigmoid.f;
const sigmoidDf = sigmoid.dfFromOutput;
const tanhF = tanh.f;
const tanhDf = tanh.dfFromOutput;
const identityF = identity.f;
const identityDf = identity.dfFromOutput;
const leakyF = leakyRelu.f;
const leakyDf = leakyRelu.dfFromOutput;

/**
 * The second half of a layer's forward step: z ← z + 1·b (the bias row b added to every row of z),
 * then a ← f(z), entry by entry (row by row for a row-wise f). z and a are `n x k`, b is `1 x k`.
 */
export function addBiasAndActivate(z: Matrix, a: Matrix, b: Matrix, f: Activation): void {
  if (f.kind === 'rowwise') {
    addRowVectorInPlace(z, b);
    f.forwardInto(a, z);
    return;
  }
  const zd = z.data;
  const ad = a.data;
  const n = z.rows;
  const k = z.cols;
  const fn = f.f;
  // relu and σ on the MLP's buffers: one pass in wasm, two entries per instruction, the same bits.
  const kernel = fn === reluF ? WasmActivation.Relu : fn === sigmoidF ? WasmActivation.Sigmoid : null;
  if (kernel !== null && wasmAddBiasActivate(zd, ad, b.data, n, k, kernel)) return;
  addRowVectorInPlace(z, b);
  const len = zd.length;
  // Each loop calls one known function, so the engine inlines it; the last is the generic path.
  if (fn === reluF) for (let i = 0; i < len; i++) ad[i] = reluF(zd[i]);
  else if (fn === sigmoidF) for (let i = 0; i < len; i++) ad[i] = sigmoidF(zd[i]);
  else if (fn === tanhF) for (let i = 0; i < len; i++) ad[i] = tanhF(zd[i]);
  else if (fn === identityF) for (let i = 0; i < len; i++) ad[i] = identityF(zd[i]);
  else if (fn === leakyF) for (let i = 0; i < len; i++) ad[i] = leakyF(zd[i]);
  else for (let i = 0; i < len; i++) ad[i] = f.f(zd[i]);
}

/**
 * The first step of a layer's backward pass: dz ← da ⊙ f'(z), entry by entry, with f'(z) computed
 * from z and a = f(z) (`dfFromOutput`); for a row-wise f, dz_i ← J(z_i)ᵀ·da_i row by row
 * (`backwardInto`). All four are `n x k`.
 */
export function activationGradientInto(dz: Matrix, da: Matrix, z: Matrix, a: Matrix, f: Activation): void {
  if (f.kind === 'rowwise') {
    f.backwardInto(dz, da, z, a);
    return;
  }
  const dzd = dz.data;
  const dad = da.data;
  const zd = z.data;
  const ad = a.data;
  const len = dzd.length;
  const df = f.dfFromOutput;
  if (df === reluDf && wasmReluGradient(dzd, dad, zd)) return; // two entries per instruction in wasm memory
  if (df === reluDf) for (let i = 0; i < len; i++) dzd[i] = dad[i] * reluDf(zd[i], ad[i]);
  else if (df === sigmoidDf) for (let i = 0; i < len; i++) dzd[i] = dad[i] * sigmoidDf(zd[i], ad[i]);
  else if (df === tanhDf) for (let i = 0; i < len; i++) dzd[i] = dad[i] * tanhDf(zd[i], ad[i]);
  else if (df === identityDf) for (let i = 0; i < len; i++) dzd[i] = dad[i] * identityDf(zd[i], ad[i]);
  else if (df === leakyDf) for (let i = 0; i < len; i++) dzd[i] = dad[i] * leakyDf(zd[i], ad[i]);
  else for (let i = 0; i < len; i++) dzd[i] = dad[i] * f.dfFromOutput(zd[i], ad[i]);
}
