/**
 * The gradient dL/dŷ of the loss in the training loop, with a WebAssembly kernel for the built-in
 * binary cross-entropy.
 *
 * When ŷ and da[L] live in wasm memory (the MLP's buffers do, see `workspaceForBatch`),
 * `lossGradientInto` computes `binaryCrossEntropy.dfInto` with the kernel of assembly/kernels.ts, two
 * entries per instruction: the same operations in the same order, so the same bits (checked once on
 * test data by `lossKernelsAgree`, in case losses.ts changes). Every other loss, or a replaced
 * method, runs the Loss's own `dfInto`.
 */
import { BCE_EPSILON, Loss, binaryCrossEntropy } from '../core/losses';
import { Matrix } from '../core/matrix';
import { KernelWorkspace, wasmBinaryCrossEntropyGradient, wasmKernelsAvailable } from './wasm';

// The built-in method, taken once: the kernel stands in for this function only.
const bceDfInto = binaryCrossEntropy.dfInto;

/** out ← dL/dŷ, as `loss.dfInto(out, y, yhat)` computes it (y, ŷ, out of one shape, at least one row). */
export function lossGradientInto(loss: Loss, out: Matrix, y: Matrix, yhat: Matrix): void {
  if (loss.dfInto === bceDfInto && y.data.length === yhat.data.length && out.data.length === y.data.length &&
    y.rows > 0 && lossKernelsAgree() && wasmBinaryCrossEntropyGradient(out.data, y.data, yhat.data, 1 / y.rows, BCE_EPSILON)) {
    return;
  }
  loss.dfInto(out, y, yhat);
}

let checked: boolean | undefined;

/**
 * True when the wasm gradient of the binary cross-entropy gives the same bits as losses.ts on test
 * data: labels 0, 1 and in between, predictions at and past the clipping bounds and spread over
 * (0, 1). Checked once.
 */
export function lossKernelsAgree(): boolean {
  if (checked === undefined) {
    checked = false;
    if (!wasmKernelsAvailable()) return false;
    const rows = 501;
    const cols = 3;
    const n = rows * cols;
    const ws = new KernelWorkspace(2 * n, 2, n + 16);
    const y = new Matrix(rows, cols);
    const yhat = new Matrix(rows, cols, ws.alloc(n));
    const special = [0, 1, 1e-300, 1e-16, 1e-15, 1 - 1e-15, 1 - 1e-16, 0.5, 2, -1, NaN];
    let seed = 7;
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const u = seed / 4294967296;
      y.data[i] = i % 97 === 5 ? u : i % 2 === 0 ? 1 : i % 3 === 0 ? -0 : 0;
      yhat.data[i] = i < special.length ? special[i] : i % 5 === 0 ? u * 1e-6 : u;
    }
    const out = new Matrix(rows, cols, ws.alloc(n));
    const want = new Matrix(rows, cols);
    bceDfInto.call(binaryCrossEntropy, want, y, yhat);
    let agree = wasmBinaryCrossEntropyGradient(out.data, y.data, yhat.data, 1 / rows, BCE_EPSILON);
    for (let i = 0; i < n && agree; i++) agree = Object.is(out.data[i], want.data[i]) || (Number.isNaN(out.data[i]) && Number.isNaN(want.data[i]));
    checked = agree;
  }
  return checked;
}
