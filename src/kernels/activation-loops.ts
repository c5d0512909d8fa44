/**
 * The element-wise steps of a layer, with a dedicated loop for each built-in activation.
 *
 * An Activation is an object with methods f, dfFromOutput; calling them once per entry from a
 * loop that serves every activation is a polymorphic call the JavaScript engine cannot inline, and
 * it costs more than the arithmetic. So these functions recognise the built-in functions by
 * identity and run a loop with the formula written in (the same operations, in the same order, as
 * in ../activations.ts, so the results are the same bits); any other activation goes through its
 * own f / dfFromOutput, exactly as before. For relu and σ on matrices in wasm memory (the MLP's
 * batch buffers, see ./wasm.ts), the loop is a WebAssembly SIMD kernel that gives the same bits.
 */
import { Activation, LEAKY_RELU_SLOPE, identity, leakyRelu, relu, sigmoid, tanh } from '../activations';
import { Matrix } from '../matrix';
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
 * The second half of a layer's forward step, in one pass: z ← z + 1·b (the bias row b added to
 * every row of z), then a ← f(z), entry by entry. z and a are `n x k`, b is `1 x k`.
 */
export function addBiasAndActivate(z: Matrix, a: Matrix, b: Matrix, f: Activation): void {
  const zd = z.data;
  const ad = a.data;
  const bd = b.data;
  const n = z.rows;
  const k = z.cols;
  const fn = f.f;
  if (fn === reluF) {
    if (wasmAddBiasActivate(zd, ad, bd, n, k, WasmActivation.Relu)) return; // two entries per instruction, in wasm memory
    for (let i = 0, r = 0; i < n; i++, r += k) {
      for (let j = 0; j < k; j++) {
        const v = zd[r + j] + bd[j];
        zd[r + j] = v;
        ad[r + j] = v > 0 ? v : 0;
      }
    }
  } else if (fn === sigmoidF) {
    // Two entries per instruction in wasm memory, with an exp that gives Math.exp's bits.
    if (wasmAddBiasActivate(zd, ad, bd, n, k, WasmActivation.Sigmoid)) return;
    for (let i = 0, r = 0; i < n; i++, r += k) {
      for (let j = 0; j < k; j++) {
        const v = zd[r + j] + bd[j];
        zd[r + j] = v;
        if (v >= 0) {
          ad[r + j] = 1 / (1 + Math.exp(-v));
        } else {
          const e = Math.exp(v);
          ad[r + j] = e / (1 + e);
        }
      }
    }
  } else if (fn === tanhF) {
    for (let i = 0, r = 0; i < n; i++, r += k) {
      for (let j = 0; j < k; j++) {
        const v = zd[r + j] + bd[j];
        zd[r + j] = v;
        ad[r + j] = Math.tanh(v);
      }
    }
  } else if (fn === identityF) {
    for (let i = 0, r = 0; i < n; i++, r += k) {
      for (let j = 0; j < k; j++) {
        const v = zd[r + j] + bd[j];
        zd[r + j] = v;
        ad[r + j] = v;
      }
    }
  } else if (fn === leakyF) {
    for (let i = 0, r = 0; i < n; i++, r += k) {
      for (let j = 0; j < k; j++) {
        const v = zd[r + j] + bd[j];
        zd[r + j] = v;
        ad[r + j] = v > 0 ? v : LEAKY_RELU_SLOPE * v;
      }
    }
  } else {
    // A custom activation: its own f, called for each entry.
    for (let i = 0, r = 0; i < n; i++, r += k) {
      for (let j = 0; j < k; j++) zd[r + j] += bd[j];
    }
    for (let i = 0; i < zd.length; i++) ad[i] = f.f(zd[i]);
  }
}

/**
 * The first step of a layer's backward pass: dz ← da ⊙ f'(z), entry by entry, with f'(z) computed
 * from z and a = f(z) (`dfFromOutput`). All four are `n x k`.
 */
export function activationGradientInto(dz: Matrix, da: Matrix, z: Matrix, a: Matrix, f: Activation): void {
  const dzd = dz.data;
  const dad = da.data;
  const zd = z.data;
  const ad = a.data;
  const len = dzd.length;
  const df = f.dfFromOutput;
  if (df === reluDf) {
    if (wasmReluGradient(dzd, dad, zd)) return; // two entries per instruction when all live in wasm memory
    for (let i = 0; i < len; i++) dzd[i] = dad[i] * (zd[i] > 0 ? 1 : 0);
  } else if (df === sigmoidDf) {
    for (let i = 0; i < len; i++) {
      const s = ad[i];
      dzd[i] = dad[i] * (s * (1 - s));
    }
  } else if (df === tanhDf) {
    for (let i = 0; i < len; i++) {
      const t = ad[i];
      dzd[i] = dad[i] * (1 - t * t);
    }
  } else if (df === identityDf) {
    for (let i = 0; i < len; i++) dzd[i] = dad[i] * 1;
  } else if (df === leakyDf) {
    for (let i = 0; i < len; i++) dzd[i] = dad[i] * (zd[i] > 0 ? 1 : LEAKY_RELU_SLOPE);
  } else {
    // A custom activation: its own dfFromOutput, called for each entry.
    for (let i = 0; i < len; i++) dzd[i] = dad[i] * f.dfFromOutput(zd[i], ad[i]);
  }
}
