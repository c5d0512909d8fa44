/**
 * The WebAssembly SIMD matrix-product kernel: loading it, giving it memory, calling it.
 *
 * Plain TypeScript loops reach a few GFLOP/s; the kernel in assembly/gemm.ts (AssemblyScript,
 * compiled by `npm run build` into ./gemm-wasm.ts) works on two float64 values per instruction and
 * keeps a 4 x 4 tile of the result in registers, several times faster on large products. The
 * TypeScript kernels in ../matrix.ts stay the reference and the fallback: where WebAssembly or its
 * SIMD instructions are missing, or `setWasmKernelsEnabled(false)` says so, they do all the work.
 *
 * A wasm module can only read and write its own linear memory, so operands held in ordinary
 * Float64Arrays have to be copied in ("staged") and the result copied out: O(n·d) work per product.
 * To avoid it, a `KernelWorkspace` is a wasm memory that *holds* matrices: `alloc` returns a
 * Float64Array view into it, and the MLP keeps its batch buffers z, a, dz, da there (see
 * `workspaceForBatch`), so that the kernel reads and writes them in place; only the operands from
 * outside (the input X, the weights W[l], the gradients dW[l]) are copied, and the bench counts
 * those copies (`wasmKernelStats`). A workspace's memory never grows: growing a wasm memory detaches
 * every view into it, so each workspace is created at its final size and lives as long as its views.
 * Products whose operands live in no workspace are staged through one shared scratch memory, which
 * does grow on demand (nothing outside this file holds a view into it).
 */
import { GEMM_WASM_BASE64 } from './gemm-wasm';

// The WebAssembly API, typed here because the project's TypeScript lib (ES2020, no DOM) omits it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

/** The kernel's signature (assembly/gemm.ts: `gemm`): sizes in elements, addresses in bytes. */
type GemmFunction = (
  transA: number, transB: number, n: number, m: number, k: number,
  a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
  pack: number, accumulate: number,
) => void;

const PAGE_BYTES = 65536;
/** Every allocation starts on a cache line. */
const ALIGN_BYTES = 64;
/** Wasm memories are at most 4 GiB (65536 pages) in V8; stay below it. */
const MAX_BYTES = 65535 * PAGE_BYTES;

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

let compiled: object | null | undefined; // undefined: not tried yet; null: unavailable
let packBytes = 0;
let enabled = true;

/** The compiled module, or null where WebAssembly (with SIMD) is unavailable. Compiled once, on first use. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    compiled = null;
    const api = wasmApi();
    if (api !== undefined) {
      try {
        const module = new api.Module(Buffer.from(GEMM_WASM_BASE64, 'base64'));
        // PACK_BYTES is a constant of the module: read it from a throw-away instance.
        const probe = new api.Instance(module, { env: { memory: new api.Memory({ initial: 1 }) } });
        packBytes = Number((probe.exports.PACK_BYTES as { value: number }).value);
        compiled = module;
      } catch {
        compiled = null; // e.g. an engine without wasm SIMD: the TypeScript kernels do the work
      }
    }
  }
  return compiled;
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** True when the wasm kernel is loaded and enabled, so that large products use it. */
export function wasmKernelsAvailable(): boolean {
  return enabled && kernelModule() !== null;
}

/**
 * Turns the wasm kernel on or off (default on), e.g. to compare it with the TypeScript kernels.
 * Workspaces that exist keep working either way (their views are ordinary Float64Arrays).
 */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** What the wasm products have done since the process started (the bench reports them per epoch). */
export const wasmKernelStats = {
  /** Matrix products computed by the wasm kernel. */
  products: 0,
  /** float64 values copied into or out of wasm memory for them (operands not already resident). */
  copiedValues: 0,
};

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

/** A wasm memory with an instance of the kernel bound to it. */
class WasmHeap {
  memory: WasmMemory;
  /** A view of the whole memory, renewed when it grows. */
  f64: Float64Array;
  readonly gemm: GemmFunction;

  constructor(bytes: number, fixedSize: boolean) {
    const api = wasmApi() as WasmApi;
    const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
    this.memory = new api.Memory(fixedSize ? { initial: pages, maximum: pages } : { initial: pages });
    const instance = new api.Instance(kernelModule() as object, { env: { memory: this.memory } });
    this.gemm = instance.exports.gemm as GemmFunction;
    this.f64 = new Float64Array(this.memory.buffer);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows the memory to at least `bytes` (detaching `f64`, which is renewed). */
  grow(bytes: number): void {
    if (bytes <= this.bytes) return;
    this.memory.grow(Math.ceil((bytes - this.bytes) / PAGE_BYTES));
    this.f64 = new Float64Array(this.memory.buffer);
  }
}

/** Which workspace's memory a Float64Array lies in, looked up by its ArrayBuffer. */
const workspaces = new WeakMap<ArrayBuffer, KernelWorkspace>();

/**
 * A wasm memory of fixed size in which matrices can live, so that the wasm kernel uses them in
 * place. It holds `alloc`ated views, then a scratch area: the kernel's packing buffer and room to
 * stage `stagingValues` float64 values of operands that live elsewhere.
 */
export class KernelWorkspace {
  /** @internal */ readonly heap: WasmHeap;
  private top = 0;
  private readonly end: number;
  /** @internal */ readonly scratch: number;
  /** @internal */ readonly stagingValues: number;

  /** Room for `values` float64 values of views (in any number of `alloc`s) and the scratch area. */
  constructor(values: number, allocations: number, stagingValues: number) {
    this.end = alignUp(values * 8 + allocations * ALIGN_BYTES);
    this.scratch = this.end;
    this.stagingValues = stagingValues;
    this.heap = new WasmHeap(this.scratch + packBytes + stagingValues * 8, true);
    workspaces.set(this.heap.memory.buffer, this);
  }

  /** A zero-filled Float64Array of `length` values inside this workspace's memory. */
  alloc(length: number): Float64Array {
    const start = this.top;
    const next = alignUp(start + length * 8);
    if (next > this.end) throw new Error(`KernelWorkspace.alloc: out of room (${length} values asked)`);
    this.top = next;
    return new Float64Array(this.heap.memory.buffer, start, length);
  }
}

/**
 * A workspace for the batch buffers of an MLP with layer sizes `layers` on batches of n samples, or
 * null when the network is too small for the wasm kernel to pay off (or it is unavailable); the
 * MLP then uses ordinary Float64Arrays.
 *
 * It holds z[l], a[l], dz[l], da[l] for l = 1..L and da[0]: n·(4·Σ_{l≥1} n_l + n_0) values. Its
 * staging area fits what the MLP's products bring from outside at once: X (n x n_0) in the
 * first layer's products, and one weight-shaped matrix, W[l] (in z[l] = a[l−1]·W[l] and
 * da[l−1] = dz[l]·W[l]ᵀ) or the result dW[l] (of dW[l] = a[l−1]ᵀ·dz[l]).
 */
export function workspaceForBatch(layers: readonly number[], n: number): KernelWorkspace | null {
  if (!wasmKernelsAvailable()) return null;
  let values = n * layers[0];
  let largestProduct = 0;
  let largestWeight = 0;
  for (let l = 1; l < layers.length; l++) {
    values += 4 * n * layers[l];
    largestWeight = Math.max(largestWeight, layers[l - 1] * layers[l]);
    largestProduct = Math.max(largestProduct, wasmWorthwhile(n, layers[l], layers[l - 1]) ? 1 : 0);
  }
  if (largestProduct === 0) return null;
  const staging = n * layers[0] + largestWeight;
  const allocations = 4 * (layers.length - 1) + 1;
  if (values * 8 + staging * 8 + packBytes + allocations * ALIGN_BYTES > MAX_BYTES) return null;
  return new KernelWorkspace(values, allocations, staging);
}

/**
 * True when a product of `n x k` by `k x m` is large enough for the wasm kernel to beat the
 * TypeScript kernels, call and packing overhead included (measured on the bench machine).
 */
export function wasmWorthwhile(n: number, m: number, k: number): boolean {
  return n * m * k >= 32768 && m * k >= 16;
}

// ---------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------

/** The scratch memory for products whose operands are in no workspace (grows on demand). */
let shared: WasmHeap | null = null;

/**
 * C ← op(A)·op(B) with the wasm kernel, where op(A) is n x k (A itself, row-major, or when transA the
 * transpose of a row-major k x n A) and op(B) is k x m (likewise with transB); C is n x m, row-major.
 * Operands inside the workspace that holds C (or A, or B) are used in place, the others are copied
 * in, and C out. Returns false, computing nothing, when the wasm kernel is unavailable.
 */
export function wasmGemm(
  transA: boolean, transB: boolean, n: number, m: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array,
): boolean {
  if (!wasmKernelsAvailable()) return false;
  // The workspace to run in: the first one holding an operand whose staging area fits the others.
  let heap: WasmHeap | null = null;
  let scratch = 0;
  for (const x of [c, a, b]) {
    const ws = workspaces.get(x.buffer as ArrayBuffer);
    if (ws === undefined) continue;
    const outside = (a.buffer === x.buffer ? 0 : a.length) + (b.buffer === x.buffer ? 0 : b.length) +
      (c.buffer === x.buffer ? 0 : c.length);
    if (outside <= ws.stagingValues) {
      heap = ws.heap;
      scratch = ws.scratch;
      break;
    }
  }
  if (heap === null) {
    if (shared === null) shared = new WasmHeap(packBytes + 3 * ALIGN_BYTES, false);
    const needed = packBytes + alignUp(a.length * 8) + alignUp(b.length * 8) + alignUp(c.length * 8);
    if (needed > MAX_BYTES) return false;
    shared.grow(needed);
    heap = shared;
  }
  const mem = heap.memory.buffer;
  let free = scratch + packBytes;
  const stage = (x: Float64Array, copyIn: boolean): number => {
    if (x.buffer === mem) return x.byteOffset;
    const at = free;
    free = alignUp(free + x.length * 8);
    if (copyIn) {
      heap!.f64.set(x, at / 8);
      wasmKernelStats.copiedValues += x.length;
    }
    return at;
  };
  const pa = stage(a, true);
  const pb = stage(b, true);
  const pc = stage(c, false);
  heap.gemm(transA ? 1 : 0, transB ? 1 : 0, n, m, k, pa, transA ? n : k, pb, transB ? k : m, pc, m, scratch, 0);
  if (c.buffer !== mem) {
    c.set(heap.f64.subarray(pc / 8, pc / 8 + c.length));
    wasmKernelStats.copiedValues += c.length;
  }
  wasmKernelStats.products++;
  return true;
}
