/**
 * The WebAssembly SIMD kernels: loading them, giving them memory, calling them.
 *
 * Plain TypeScript loops reach a few GFLOP/s; the matrix-product kernels of assembly/kernels.ts
 * (AssemblyScript, compiled by `npm run build` into ./wasm-binary.ts) work on two float64 values
 * per instruction: a blocked product that keeps a 4 x 4 tile of the result in registers, and
 * dedicated loops for thin products (a dimension of 1 or 2); the element-wise kernels (bias + relu
 * or σ, relu', column sums, the cross-entropy gradient) likewise. Large products are shared with a
 * second thread where Node allows it (./threads.ts), with the same bits as one thread.
 * The TypeScript code stays the reference and the fallback: where WebAssembly or its SIMD
 * instructions are missing, or `setWasmKernelsEnabled(false)` says so, it does all the work.
 *
 * A wasm module can only read and write its own linear memory, so operands held in ordinary
 * Float64Arrays have to be copied in ("staged") and the result copied out: O(n·d) work per product.
 * To avoid it, a `KernelWorkspace` is a wasm memory that *holds* matrices: `alloc` returns a
 * Float64Array view into it, and the MLP keeps its batch buffers z, a, dz, da there (see
 * `workspaceForBatch`), so that the kernels read and write them in place; only the operands from
 * outside are copied, and the bench counts those copies (`wasmKernelStats`). A workspace's memory
 * never grows: growing a wasm memory detaches every view into it, so each workspace is created at
 * its final size and lives as long as its views. Calls whose operands live in no workspace are
 * staged through one shared scratch memory, which grows on demand up to a limit (nothing outside
 * this file holds a view into it); a product too large for it is streamed through it in pieces
 * (blocks of rows, or of terms of the sum), and what cannot be streamed is left to the TypeScript
 * loops, so no product meets the 4 GiB limit of a wasm memory.
 *
 * Memories are shared (SharedArrayBuffer) when two threads are possible (Node, two CPUs, see
 * `kernelThreads`), ordinary otherwise; this file loads without Node (no Buffer, no require), so a
 * browser bundle runs the same kernels on one thread.
 */
import { sigmoid } from '../core/activations';
import { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } from './wasm-binary';
import {
  THREAD_MIN_ENTRIES, THREAD_MIN_WORK, ThreadHeap, finishJob, postElementwise, postProduct, releaseHeap, setThreadModule,
  settleThreads, takePiece, threadsBusy, threadsWanted,
} from './threads';

// The WebAssembly API, typed here because the project's TypeScript lib (ES2020, no DOM) omits it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The module's exports (assembly/kernels.ts): sizes in elements, addresses in bytes, flags 0 or 1. */
interface KernelExports {
  productKind(transA: number, transB: number, n: number, m: number, k: number): number;
  product(
    kind: number, transA: number, transB: number, n: number, m: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    pack: number, accumulate: number, chunk: number, chunks: number,
  ): void;
  addBiasActivate(z: number, a: number, b: number, pattern: number, n: number, k: number, f: number): void;
  elementwise(op: number, p0: number, p1: number, p2: number, scratch: number, n: number, k: number, f: number,
    chunk: number, chunks: number): void;
  reluGradient(dz: number, da: number, z: number, len: number): void;
  sumColumns(out: number, a: number, n: number, k: number): void;
  exp(x: number): number;
  sigmoid(a: number, z: number, len: number): void;
  binaryCrossEntropyGradient(out: number, y: number, yhat: number, len: number, inv: number, epsilon: number): void;
}

const PAGE_BYTES = 65536;
/** Every allocation starts on a cache line. */
const ALIGN_BYTES = 64;
/** Wasm memories are at most 4 GiB (65536 pages) in V8; stay below it. */
const MAX_BYTES = 65535 * PAGE_BYTES;
const MiB = 1024 * 1024;
/** A product is split into at most `maxPieces` pieces for two threads, each at least `minPiece` rows or columns. */
const maxPieces = 8;
const minPiece = 32;

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}

/** Bytes from base64 text (no Buffer, no atob: the same code in Node and in a browser bundle). */
export function decodeBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const value = new Uint8Array(128).fill(255);
  for (let i = 0; i < 64; i++) value[alphabet.charCodeAt(i)] = i;
  let end = text.length;
  while (end > 0 && text[end - 1] === '=') end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? value[code] : 255;
    if (v === 255) throw new Error(`decodeBase64: character ${JSON.stringify(text[i])} at ${i} is not base64`);
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 255;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

let compiled: object | null | undefined; // undefined: not tried yet; null: unavailable
let compiledShared: object | null | undefined;
let packBytes = 0;
let enabled = true;

/** The compiled module, or null where WebAssembly (with SIMD) is unavailable. Compiled once, on first use. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    compiled = null;
    const api = wasmApi();
    if (api !== undefined) {
      try {
        const module = new api.Module(decodeBase64(KERNELS_WASM_BASE64));
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

/** The module compiled for shared memories, or null where shared memories are unavailable. */
function sharedKernelModule(): object | null {
  if (compiledShared === undefined) {
    compiledShared = null;
    const api = wasmApi();
    if (api !== undefined && kernelModule() !== null && typeof SharedArrayBuffer === 'function') {
      try {
        const module = new api.Module(decodeBase64(KERNELS_WASM_SHARED_BASE64));
        new api.Instance(module, { env: { memory: new api.Memory({ initial: 1, maximum: 1, shared: true }) } });
        compiledShared = module;
        setThreadModule(module);
      } catch {
        compiledShared = null;
      }
    }
  }
  return compiledShared;
}

/** True when new memories should be shared: two threads wanted and possible, and the shared module loads. */
function shareMemories(): boolean {
  return threadsWanted() && sharedKernelModule() !== null;
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** True when the wasm kernels are loaded and enabled. */
export function wasmKernelsAvailable(): boolean {
  return enabled && kernelModule() !== null;
}

/**
 * Turns the wasm kernels on or off (default on), e.g. to compare them with the TypeScript kernels.
 * Workspaces that exist keep working either way (their views are ordinary Float64Arrays).
 */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** What the wasm kernels have done since the process started (the bench reports it per epoch). */
export const wasmKernelStats = {
  /** Matrix products computed by the wasm kernels. */
  products: 0,
  /** Those of them (or of their streamed pieces) shared with the worker thread. */
  threadedProducts: 0,
  /** float64 values copied into or out of wasm memory for the wasm kernels (operands not already there). */
  copiedValues: 0,
};

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

/** How much a call may stage through the shared scratch memory (bytes); see `setStagingLimits`. */
interface StagingLimits {
  /** A call whose staged operands fit this is staged whole. */
  oneShot: number;
  /** A larger product is streamed in pieces of about this much. */
  piece: number;
  /** The operand a streamed product keeps whole (B of A·B and A·Bᵀ, C of Aᵀ·B) must fit this. */
  resident: number;
}
const DEFAULT_LIMITS: StagingLimits = { oneShot: 64 * MiB, piece: 32 * MiB, resident: 256 * MiB };
let limits: StagingLimits = { ...DEFAULT_LIMITS };

/**
 * @internal Sets the staging limits of the shared scratch memory (for tests of the streamed and
 * fallback paths with small sizes); `null` restores the defaults. Drops the scratch memory.
 */
export function setStagingLimits(value: Partial<StagingLimits> | null): void {
  limits = value === null ? { ...DEFAULT_LIMITS } : { ...limits, ...value };
  shared = null;
}

interface Registry {
  register(target: object, held: number): void;
}
const registryApi = (globalThis as unknown as { FinalizationRegistry?: new (cleanup: (held: number) => void) => Registry })
  .FinalizationRegistry;
/** Tells the threads module when a shared memory is gone (the worker holds its own reference to it). */
const heapRegistry: Registry | null = registryApi === undefined ? null : new registryApi((id) => releaseHeap(id));
let heapIds = 0;

/** A wasm memory with an instance of the kernels bound to it. */
class WasmHeap implements ThreadHeap {
  readonly id = ++heapIds;
  readonly memory: WasmMemory;
  /** A view of the whole memory, renewed when it grows. */
  f64: Float64Array;
  readonly kernels: KernelExports;
  /** True for a shared memory, which the worker thread can compute in. */
  readonly shared: boolean;
  /** Largest size in bytes. */
  readonly maxBytes: number;

  /** A memory of `bytes`, fixed at that size, or growable up to `maxBytes`. Shared when `share`. */
  constructor(bytes: number, maxBytes: number | null, share: boolean) {
    const api = wasmApi() as WasmApi;
    const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
    const maxPages = maxBytes === null ? pages : Math.max(pages, Math.ceil(maxBytes / PAGE_BYTES));
    this.shared = share;
    this.maxBytes = maxPages * PAGE_BYTES;
    this.memory = share ? new api.Memory({ initial: pages, maximum: maxPages, shared: true })
      : new api.Memory(maxBytes === null ? { initial: pages, maximum: pages } : { initial: pages });
    const instance = new api.Instance((share ? sharedKernelModule() : kernelModule()) as object, { env: { memory: this.memory } });
    this.kernels = instance.exports as unknown as KernelExports;
    this.f64 = new Float64Array(this.memory.buffer);
    if (share && heapRegistry !== null) heapRegistry.register(this, this.id);
  }

  /** Grows the memory to at least `bytes` (renewing `f64`); false if that is past its maximum or the engine refuses. */
  grow(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    if (bytes > this.maxBytes) return false;
    try {
      this.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    } catch {
      return false; // e.g. out of memory: the caller leaves the work to the TypeScript loops
    }
    this.f64 = new Float64Array(this.memory.buffer);
    return true;
  }
}

/** Which workspace's memory a Float64Array lies in, looked up by its ArrayBuffer. */
const workspaces = new WeakMap<ArrayBufferLike, KernelWorkspace>();

/**
 * A wasm memory of fixed size in which matrices can live, so that the wasm kernels use them in
 * place. It holds `alloc`ated views, then a scratch area: the packing buffer of the products (two
 * when the memory is shared: one per thread) and room to stage `stagingValues` float64 values of
 * operands that live elsewhere.
 */
export class KernelWorkspace {
  /** @internal */ readonly heap: WasmHeap;
  /** @internal Byte address of the scratch area (the calling thread's packing buffer). */ readonly scratch: number;
  /** @internal Byte address of the worker's packing buffer, or −1 (memory not shared). */ readonly workerPack: number;
  /** @internal Byte address of the staging area. */ readonly staging: number;
  /** @internal */ readonly stagingValues: number;
  private top = 0;

  /** Room for `values` float64 values in at most `allocations` views, and the scratch area. */
  constructor(values: number, allocations: number, stagingValues: number) {
    if (kernelModule() === null) {
      throw new Error('new KernelWorkspace: the WebAssembly kernels are unavailable here (check wasmKernelsAvailable() first)');
    }
    this.scratch = alignUp(values * 8 + allocations * ALIGN_BYTES);
    const rest = stagingValues * 8 + 2 * ALIGN_BYTES;
    // Shared (two packing buffers) when threads are on and that still fits a wasm memory.
    const share = shareMemories() && this.scratch + 2 * packBytes + rest <= MAX_BYTES;
    const bytes = this.scratch + (share ? 2 : 1) * packBytes + rest;
    if (bytes > MAX_BYTES) {
      throw new Error(`new KernelWorkspace: ${values} values and ${stagingValues} staging values need ${bytes} bytes; ` +
        `a WebAssembly memory holds at most ${MAX_BYTES}`);
    }
    this.workerPack = share ? this.scratch + packBytes : -1;
    this.staging = this.scratch + (share ? 2 : 1) * packBytes;
    this.stagingValues = stagingValues;
    this.heap = new WasmHeap(bytes, null, share);
    workspaces.set(this.heap.memory.buffer, this);
  }

  /** A zero-filled Float64Array of `length` values inside this workspace's memory. */
  alloc(length: number): Float64Array {
    const start = this.top;
    const next = alignUp(start + length * 8);
    if (next > this.scratch) throw new Error(`KernelWorkspace.alloc: out of room (${length} values asked)`);
    this.top = next;
    return new Float64Array(this.heap.memory.buffer, start, length);
  }
}

/**
 * A workspace for the batch buffers of an MLP with layer sizes `layers` on batches of n samples, or
 * null where the wasm kernels are unavailable (the MLP then uses ordinary Float64Arrays).
 *
 * It holds z[l], a[l], dz[l], da[l] for l = 1..L and da[0]: n·(4·Σ_{l≥1} n_l + n_0) values. Its
 * staging area fits what one step of the MLP brings from outside at once: X (n x n_0, in the first
 * layer's products) or the targets y (n x n_L, in dL/dŷ), plus one weight-shaped matrix: W[l] (in
 * z[l] = a[l−1]·W[l] and da[l−1] = dz[l]·W[l]ᵀ) or the result dW[l] (of dW[l] = a[l−1]ᵀ·dz[l]), or
 * a bias row b[l] or db[l] with 2·n_l values of scratch. (A call that does not fit runs in the
 * shared scratch memory instead, copying more.) `extraValues` more values in `extraAllocations` more
 * views make room for matrices the caller keeps there too (the MLP's copies of X and y).
 */
export function workspaceForBatch(
  layers: readonly number[], n: number, extraValues = 0, extraAllocations = 0,
): KernelWorkspace | null {
  if (!wasmKernelsAvailable()) return null;
  let values = n * layers[0] + extraValues;
  let largestWeight = 0;
  let widest = 0;
  for (let l = 1; l < layers.length; l++) {
    values += 4 * n * layers[l];
    largestWeight = Math.max(largestWeight, layers[l - 1] * layers[l]);
    widest = Math.max(widest, layers[l]);
  }
  const staging = n * Math.max(layers[0], layers[layers.length - 1]) + Math.max(largestWeight, 3 * widest);
  const allocations = 4 * (layers.length - 1) + 1 + extraAllocations;
  if ((values + staging) * 8 + packBytes + (allocations + 2) * ALIGN_BYTES > MAX_BYTES) return null;
  return new KernelWorkspace(values, allocations, staging);
}

// ---------------------------------------------------------------------------------------------
// Calls. Each call picks the memory to run in (`enter`), gets an address for each operand
// (`place`: in place if it lives there, else copied into the staging area), calls the kernel, and
// copies a staged result back (`leave`). A view's `.buffer` is read once per call and passed
// along: the engine does not inline that getter, and these calls are on the MLP's hot path.
// ---------------------------------------------------------------------------------------------

/** The scratch memory for calls whose operands are in no workspace (grows on demand). */
let shared: WasmHeap | null = null;

/** The shared scratch memory, created on first use (shared between threads when they are on). */
function sharedHeap(): WasmHeap {
  const share = shareMemories();
  if (shared === null || shared.shared !== share) {
    const packs = (share ? 2 : 1) * packBytes;
    const most = packs + Math.max(limits.oneShot, limits.resident + limits.piece) + 8 * ALIGN_BYTES;
    shared = new WasmHeap(packs + 4 * ALIGN_BYTES, Math.min(most, MAX_BYTES), share);
  }
  return shared;
}

// The call in progress: its memory, the byte addresses of the packing buffers (the worker's: −1
// when the memory is not shared), and the next free byte of the staging area.
let heap: WasmHeap = null as unknown as WasmHeap;
let home: ArrayBufferLike = new ArrayBuffer(0);
let scratch = 0;
let workerScratch = -1;
let free = 0;

// The workspace of the last lookup: the MLP's calls all find the same one, which saves the WeakMap.
let lastBuffer: ArrayBufferLike | null = null;
let lastWorkspace: KernelWorkspace | undefined;

/** The workspace whose memory is `buffer`, if any. */
function workspaceOf(buffer: ArrayBufferLike): KernelWorkspace | undefined {
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    lastWorkspace = workspaces.get(buffer);
  }
  return lastWorkspace;
}

/**
 * Makes the shared scratch memory the memory of the call, grown to hold its packing buffers and
 * `stagingBytes` of staging area; false if it cannot grow so far.
 */
function enterShared(stagingBytes: number): boolean {
  const s = sharedHeap();
  const packs = (s.shared ? 2 : 1) * packBytes;
  if (!s.grow(packs + stagingBytes)) return false;
  heap = s;
  home = s.memory.buffer;
  scratch = 0;
  workerScratch = s.shared ? packBytes : -1;
  free = packs;
  return true;
}

/**
 * Chooses the memory for a call on operands p, q, r (r may be null) whose buffers are pb, qb, rb,
 * which also needs `extraValues` values of scratch: the workspace of the first operand that lives in
 * one whose staging area fits the other operands and the scratch; else the shared scratch memory,
 * grown to fit all, if that stays within `limits.oneShot`. Returns false if neither (the caller
 * then streams the work or leaves it to the TypeScript loops).
 */
function enter(
  p: Float64Array, pb: ArrayBufferLike, q: Float64Array, qb: ArrayBufferLike,
  r: Float64Array | null, rb: ArrayBufferLike | null, extraValues = 0,
): boolean {
  if (threadsBusy()) settleThreads(); // an interrupted product may still be running: let it finish
  for (let t = 0; t < 3; t++) {
    const buffer = t === 0 ? pb : t === 1 ? qb : rb;
    if (buffer === null) continue;
    const ws = workspaceOf(buffer);
    if (ws === undefined) continue;
    const staged = (pb === buffer ? 0 : p.length) + (qb === buffer ? 0 : q.length) +
      (r === null || rb === buffer ? 0 : r.length) + extraValues;
    if (staged <= ws.stagingValues) {
      heap = ws.heap;
      home = buffer;
      scratch = ws.scratch;
      workerScratch = ws.workerPack;
      free = ws.staging;
      return true;
    }
  }
  const staging = alignUp(p.length * 8) + alignUp(q.length * 8) + (r === null ? 0 : alignUp(r.length * 8)) +
    alignUp(extraValues * 8);
  if (staging > limits.oneShot) return false;
  return enterShared(staging);
}

/** The byte address of x (whose buffer is xb) for the call: where it lives, or a staging slot, copied in when `copyIn`. */
function place(x: Float64Array, xb: ArrayBufferLike, copyIn: boolean): number {
  if (xb === home) return x.byteOffset;
  const at = free;
  free = alignUp(free + x.length * 8);
  if (copyIn) {
    heap.f64.set(x, at / 8);
    wasmKernelStats.copiedValues += x.length;
  }
  return at;
}

/** Copies a result computed into a staging slot (at byte address `at`) back into x, unless x lives there. */
function leave(x: Float64Array, xb: ArrayBufferLike, at: number): void {
  if (xb === home) return;
  x.set(heap.f64.subarray(at / 8, at / 8 + x.length));
  wasmKernelStats.copiedValues += x.length;
}

/**
 * C ← op(A)·op(B) with the wasm kernel, where op(A) is n x k (A itself, row-major, or when transA the
 * transpose of a row-major k x n A) and op(B) is k x m (likewise with transB); C is n x m, row-major.
 * Operands inside the memory the call runs in are used in place, the others copied in, and C out.
 * Returns false, computing nothing, when the wasm kernel is unavailable, the product too small
 * for it to pay off, or its operands too large for wasm memory (the TypeScript kernels then compute it).
 *
 * Each entry of C is summed in the same order however the product runs (in place or staged,
 * streamed in pieces or not, on one thread or two): from p = 0 up for the thin products (a
 * dimension of 1 or 2) and whenever k ≤ 256, else in blocks of 256 terms, the blocks added in order.
 */
export function wasmGemm(
  transA: boolean, transB: boolean, n: number, m: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array,
): boolean {
  if (!enabled || compiled === null) return false;
  const work = n * m * k;
  if (work < 1024) return false; // the TypeScript loops are as quick as the call
  const ab = a.buffer;
  const bb = b.buffer;
  const cb = c.buffer;
  if (workspaceOf(ab) === undefined && workspaceOf(bb) === undefined && workspaceOf(cb) === undefined &&
    a.length + b.length + c.length > work / 2) {
    return false; // copying all three in and out would cost about as much as the product
  }
  if (kernelModule() === null) return false;
  const tA = transA ? 1 : 0;
  const tB = transB ? 1 : 0;
  if (enter(c, cb, a, ab, b, bb)) {
    const pa = place(a, ab, true);
    const pb = place(b, bb, true);
    const pc = place(c, cb, false);
    const kind = heap.kernels.productKind(tA, tB, n, m, k);
    runProduct(kind, tA, tB, n, m, k, pa, transA ? n : k, pb, transB ? k : m, pc, m, 0);
    leave(c, cb, pc);
  } else if (!streamProduct(tA, tB, n, m, k, a, b, c)) {
    return false;
  }
  wasmKernelStats.products++;
  return true;
}

/**
 * The wasm `product` on the call's memory: on two threads when the memory is shared and the
 * product large enough (n·m·k ≥ THREAD_MIN_WORK), in pieces of rows or columns that the threads
 * take in turn; else whole on this thread. The same bits either way.
 */
function runProduct(
  kind: number, tA: number, tB: number, n: number, m: number, k: number,
  pa: number, lda: number, pb: number, ldb: number, pc: number, ldc: number, accumulate: number,
): void {
  const kernels = heap.kernels;
  if (workerScratch >= 0 && n * m * k >= THREAD_MIN_WORK) {
    const chunks = Math.min(maxPieces, Math.floor(Math.max(n, m) / minPiece));
    if (chunks >= 2 && postProduct(heap, kind, tA, tB, n, m, k, pa, lda, pb, ldb, pc, ldc, workerScratch, accumulate, chunks)) {
      try {
        for (let piece = takePiece(chunks); piece >= 0; piece = takePiece(chunks)) {
          kernels.product(kind, tA, tB, n, m, k, pa, lda, pb, ldb, pc, ldc, scratch, accumulate, piece, chunks);
        }
      } finally {
        finishJob();
      }
      wasmKernelStats.threadedProducts++;
      return;
    }
  }
  kernels.product(kind, tA, tB, n, m, k, pa, lda, pb, ldb, pc, ldc, scratch, accumulate, 0, 1);
}

/**
 * A product too large to stage whole, streamed through the shared scratch memory: for A·B and
 * A·Bᵀ, B stays whole and blocks of rows of A go in and of C out; for Aᵀ·B, C stays whole and
 * blocks of rows of A and B (blocks of terms of the sum, a multiple of 256 of them) go in, each
 * adding its terms to C. Each entry is summed as it would be whole (`product` is told the kind of
 * the whole product). Returns false, computing nothing, when the operand that stays whole does not
 * fit `limits.resident` (or Aᵀ·Bᵀ, which no Matrix method asks for).
 */
function streamProduct(
  tA: number, tB: number, n: number, m: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array,
): boolean {
  if (tA === 0) {
    const bBytes = alignUp(b.length * 8);
    if (bBytes > limits.resident) return false;
    let rows = Math.floor(limits.piece / ((k + m) * 8));
    rows = Math.min(n, Math.max(4, rows - (rows % 4)));
    if (!enterShared(bBytes + alignUp(rows * k * 8) + alignUp(rows * m * 8))) return false;
    const pb = place(b, b.buffer, true);
    const pa = free;
    const pc = alignUp(pa + rows * k * 8);
    const kind = heap.kernels.productKind(tA, tB, n, m, k);
    for (let i0 = 0; i0 < n; i0 += rows) {
      const r = Math.min(rows, n - i0);
      heap.f64.set(a.subarray(i0 * k, (i0 + r) * k), pa / 8);
      runProduct(kind, tA, tB, r, m, k, pa, k, pb, tB ? k : m, pc, m, 0);
      c.set(heap.f64.subarray(pc / 8, pc / 8 + r * m), i0 * m);
      wasmKernelStats.copiedValues += r * (k + m);
    }
    return true;
  }
  if (tB === 1) return false;
  const cBytes = alignUp(c.length * 8);
  if (cBytes > limits.resident) return false;
  let terms = Math.floor(limits.piece / ((n + m) * 8));
  terms = Math.min(k, Math.max(256, terms - (terms % 256)));
  if (!enterShared(cBytes + alignUp(terms * n * 8) + alignUp(terms * m * 8))) return false;
  const pc = free;
  const pa = alignUp(pc + c.length * 8);
  const pb = alignUp(pa + terms * n * 8);
  const kind = heap.kernels.productKind(tA, tB, n, m, k);
  for (let p0 = 0; p0 < k; p0 += terms) {
    const t = Math.min(terms, k - p0);
    heap.f64.set(a.subarray(p0 * n, (p0 + t) * n), pa / 8);
    heap.f64.set(b.subarray(p0 * m, (p0 + t) * m), pb / 8);
    runProduct(kind, tA, tB, n, m, t, pa, n, pb, m, pc, m, p0 > 0 ? 1 : 0);
    wasmKernelStats.copiedValues += t * (n + m);
  }
  c.set(heap.f64.subarray(pc / 8, pc / 8 + c.length));
  wasmKernelStats.copiedValues += c.length;
  return true;
}

/** The element-wise kernels that two threads can share (`elementwise` in assembly/kernels.ts). */
const BIAS_ACTIVATE = 1;
const RELU_GRADIENT = 2;
const SUM_COLUMNS = 3;

/**
 * The wasm `elementwise` kernel `op` on two threads, when the call's memory is shared and the work
 * large enough (at least THREAD_MIN_ENTRIES entries, and `units` splittable units: pairs of rows,
 * pairs of entries or groups of 4 columns); returns false, computing nothing, otherwise (the
 * caller then runs the kernel whole). `scratch` is this thread's scratch (the pattern of
 * `addBiasActivate`); the worker's is its packing buffer.
 */
function runElementwise(
  op: number, p0: number, p1: number, p2: number, scratchAt: number, n: number, k: number, f: number,
  entries: number, units: number,
): boolean {
  if (workerScratch < 0 || entries < THREAD_MIN_ENTRIES) return false;
  const chunks = Math.min(maxPieces, Math.floor(units), Math.floor(entries / (THREAD_MIN_ENTRIES / 4)));
  if (chunks < 2 || !postElementwise(heap, op, p0, p1, p2, workerScratch, n, k, f, chunks)) return false;
  const kernels = heap.kernels;
  try {
    for (let piece = takePiece(chunks); piece >= 0; piece = takePiece(chunks)) {
      kernels.elementwise(op, p0, p1, p2, scratchAt, n, k, f, piece, chunks);
    }
  } finally {
    finishJob();
  }
  return true;
}

/** The activations that `wasmAddBiasActivate` applies (codes of assembly/kernels.ts). */
export enum WasmActivation {
  Identity = 0,
  Relu = 1,
  Sigmoid = 2,
}

/**
 * z ← z + 1·b for the n x k matrix z and the 1 x k row b, then a ← f(z) (a may be null for the
 * identity); with the wasm kernel when z (and a) live in one workspace (and, for σ, when
 * `sigmoidKernelAgrees`), else returns false, computing nothing.
 */
export function wasmAddBiasActivate(
  z: Float64Array, a: Float64Array | null, b: Float64Array, n: number, k: number, f: WasmActivation,
): boolean {
  if (!enabled) return false;
  const zb = z.buffer;
  const ab = a === null ? null : a.buffer;
  if (workspaceOf(zb) === undefined || (ab !== null && ab !== zb)) return false;
  if (f === WasmActivation.Sigmoid && !sigmoidKernelAgrees()) return false;
  const bb = b.buffer;
  if (!enter(z, zb, b, bb, a, ab, 2 * k)) return false;
  const pz = place(z, zb, true);
  const pa = a === null ? pz : place(a, zb, false);
  const pb = place(b, bb, true);
  const pattern = free;
  free = alignUp(free + 16 * k);
  if (16 * k > packBytes || !runElementwise(BIAS_ACTIVATE, pz, pa, pb, pattern, n, k, a === null ? 0 : f, n * k, n / 2)) {
    heap.kernels.addBiasActivate(pz, pa, pb, pattern, n, k, a === null ? 0 : f);
  }
  leave(z, zb, pz); // (copies back only if the call had to run in the shared scratch memory)
  if (a !== null) leave(a, zb, pa);
  return true;
}

/** dz ← da ⊙ relu'(z) with the wasm kernel when all three live in one workspace, else returns false. */
export function wasmReluGradient(dz: Float64Array, da: Float64Array, z: Float64Array): boolean {
  if (!enabled) return false;
  const buffer = dz.buffer;
  if (workspaceOf(buffer) === undefined || da.buffer !== buffer || z.buffer !== buffer) return false;
  if (!enter(dz, buffer, da, buffer, z, buffer)) return false;
  if (!runElementwise(RELU_GRADIENT, dz.byteOffset, da.byteOffset, z.byteOffset, 0, dz.length, 1, 0, dz.length, dz.length / 2)) {
    heap.kernels.reluGradient(dz.byteOffset, da.byteOffset, z.byteOffset, dz.length);
  }
  return true;
}

/** out ← 1ᵀ·A (column sums of the n x k matrix A) with the wasm kernel when A lives in a workspace, else false. */
export function wasmSumColumns(out: Float64Array, a: Float64Array, n: number, k: number): boolean {
  if (!enabled) return false;
  const ab = a.buffer;
  if (workspaceOf(ab) === undefined) return false;
  const ob = out.buffer;
  if (!enter(a, ab, out, ob, null, null)) return false;
  const pa = place(a, ab, true);
  const po = place(out, ob, false);
  if (!runElementwise(SUM_COLUMNS, po, pa, 0, 0, n, k, 0, n * k, k / 4)) heap.kernels.sumColumns(po, pa, n, k);
  leave(out, ob, po);
  return true;
}

/**
 * out ← dL/dŷ of the binary cross-entropy (inv = 1/rows, ŷ clipped to [ε, 1 − ε]) with the wasm
 * kernel when out and ŷ live in one workspace, else false (src/kernels/loss-loops.ts calls it).
 */
export function wasmBinaryCrossEntropyGradient(
  out: Float64Array, y: Float64Array, yhat: Float64Array, inv: number, epsilon: number,
): boolean {
  if (!enabled) return false;
  const ob = out.buffer;
  if (workspaceOf(ob) === undefined || yhat.buffer !== ob) return false;
  const yb = y.buffer;
  if (!enter(out, ob, y, yb, yhat, ob)) return false;
  const po = place(out, ob, false);
  heap.kernels.binaryCrossEntropyGradient(po, place(y, yb, true), place(yhat, ob, true), out.length, inv, epsilon);
  leave(out, ob, po);
  return true;
}

let sigmoidChecked: boolean | undefined;

/**
 * True when the wasm sigmoid gives the same bits as `sigmoid.f` of src/core/activations.ts (which uses
 * Math.exp) on a few thousand test points: the edges of every case of the exp algorithm, and
 * pseudo-random points across the range. Checked once; where it fails (an engine whose Math.exp is
 * another algorithm), the TypeScript loop computes σ.
 */
export function sigmoidKernelAgrees(): boolean {
  if (sigmoidChecked === undefined) {
    sigmoidChecked = false;
    if (kernelModule() === null) return false;
    const points: number[] = [0, -0, 1, -1, 0.5, -0.5, 2, -2, 1e-300, -1e-300, 5e-324, -5e-324, Infinity, -Infinity, NaN];
    for (const edge of [2 ** -28, 0.5 * Math.LN2, 1.5 * Math.LN2, 700, 707.7, 708.4, 709.78, 745.13, 746]) {
      for (const scale of [1 - 2 ** -52, 1, 1 + 2 ** -52, 1 - 1e-9, 1 + 1e-9]) points.push(edge * scale, -edge * scale);
    }
    let seed = 12345;
    const uniform = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let i = 0; i < 2000; i++) points.push((uniform() - 0.5) * (i < 1500 ? 40 : 1500));
    if (points.length % 2 === 1) points.push(3);
    if (!enterShared(16 * points.length + 64)) return false;
    const z = free;
    const a = free + 8 * points.length;
    heap.f64.set(points, z / 8);
    heap.kernels.sigmoid(a, z, points.length);
    let agree = true;
    for (let i = 0; i < points.length && agree; i++) {
      const want = sigmoid.f(points[i]);
      const got = heap.f64[a / 8 + i];
      agree = Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want));
      const x = points[i];
      const e = heap.kernels.exp(x);
      agree = agree && (Object.is(e, Math.exp(x)) || (Number.isNaN(e) && Number.isNaN(x)));
    }
    sigmoidChecked = agree;
  }
  return sigmoidChecked;
}
