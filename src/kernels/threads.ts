/**
 * A second thread for the large matrix products (and the large element-wise kernels of a layer):
 * one worker thread (Node's worker_threads) that shares the WebAssembly memory of the main thread
 * and computes some of the pieces of a product while the main thread computes the others.
 *
 * How a product is shared: the wasm `product` kernel (assembly/kernels.ts) computes piece c of
 * `chunks` pieces of C, blocks of rows or of columns; each entry of C belongs to one piece and is
 * added up in the same order whichever thread computes it, so the result has the bits of one
 * thread doing every piece. (The element-wise kernels likewise, in blocks of entries, rows or
 * columns: `elementwise` in assembly/kernels.ts.) The main thread writes the job into a small
 * shared control block, wakes the worker, and then both take pieces from a shared counter
 * (`Atomics.add`) until none are left; a thread that is slowed down (the machine's cores are
 * shared) simply takes fewer pieces.
 * The worker waits for work with `Atomics.wait`, after spinning for a fraction of a millisecond
 * (waking a sleeping thread costs tens of microseconds, a training loop's next product comes sooner).
 *
 * When: only in Node (worker_threads and SharedArrayBuffer present, at least 2 CPUs), only for
 * operands in a shared wasm memory (src/kernels/wasm.ts creates its memories shared when two
 * threads are possible), and only above a measured size (`THREAD_MIN_WORK` multiply-adds,
 * `THREAD_MIN_ENTRIES` entries, below which waking the worker costs more than it saves). Elsewhere (browsers, one CPU, `BACKPROP_THREADS=1`,
 * `setKernelThreads(1)`), everything runs on the calling thread with the same results.
 *
 * The worker never keeps a process alive (it is unref'ed; Node ends it when the main thread
 * exits) and is started lazily, on the first large product; until it has started, products run on
 * one thread. If the main thread is interrupted in the middle of a product (tslab's interrupt
 * terminates the running cell), the next kernel call first waits for the worker to finish its
 * current piece (`settleThreads`), so no thread writes into memory that the next cell uses.
 */

/** The parts of Node's worker_threads used here (typed locally: loaded at run time, only in Node). */
interface WorkerLike {
  unref(): void;
  on(event: 'error' | 'exit', listener: (value: unknown) => void): void;
  terminate(): Promise<number>;
}
interface PortLike {
  postMessage(message: unknown): void;
  unref(): void;
  close(): void;
}
interface WorkerThreadsModule {
  Worker: new (source: string, options: object) => WorkerLike;
  MessageChannel: new () => { port1: PortLike; port2: PortLike };
}
interface OsModule {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

/** A wasm memory that the worker may be asked to compute in, identified by a number. */
export interface ThreadHeap {
  readonly id: number;
  readonly memory: { readonly buffer: ArrayBufferLike };
}

/** Products with fewer multiply-adds (n·m·k) than this run on one thread (measured: `npm run bench:products -- --sweep`). */
export const THREAD_MIN_WORK = 1 << 18;
/** Element-wise kernels on fewer entries than this run on one thread (measured likewise). */
export const THREAD_MIN_ENTRIES = 1 << 16;

/** Layout of the control block (Int32Array) shared with the worker. */
const SEQ = 0; // job number, incremented by the main thread for each job (the worker waits on it)
const STATE = 1; // IDLE, POSTED, TAKEN or DONE
const NEXT = 2; // the next piece to take
const READY = 3; // 1 once the worker has started
const FAILED = 4; // 1 if the worker's last job threw in a piece, 2 if before taking any
const PIECES = 5; // pieces the worker has computed, in all
const IDLE = 0;
const POSTED = 1;
const TAKEN = 2;
const DONE = 3;
/**
 * Job parameters (float64): the heap id; 0 for `product` (then its 14 arguments before the piece)
 * or 1 for `elementwise` (its 8); and, last, the piece count.
 */
const PARAMS = 17;

/**
 * The worker's program (plain JavaScript, evaluated as the worker's script: a string, so that no
 * file has to be found and no compiler touches it). It instantiates the kernels on each memory it
 * is sent, then loops: wait for a job, take pieces until none are left, report DONE.
 */
const WORKER_SOURCE = `'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { module, control, parameters, port, spinMs } = workerData;
const ctrl = new Int32Array(control);
const job = new Float64Array(parameters);
const instances = new Map();
function drain() {
  for (let received; (received = receiveMessageOnPort(port)) !== undefined;) {
    const { id, memory } = received.message;
    instances.set(id, new WebAssembly.Instance(module, { env: { memory } }).exports);
  }
}
let seen = Atomics.load(ctrl, ${SEQ});
Atomics.store(ctrl, ${READY}, 1);
for (;;) {
  if (Atomics.load(ctrl, ${SEQ}) === seen) {
    const until = performance.now() + spinMs;
    while (Atomics.load(ctrl, ${SEQ}) === seen && performance.now() < until) {}
    if (Atomics.load(ctrl, ${SEQ}) === seen) Atomics.wait(ctrl, ${SEQ}, seen);
  }
  seen = Atomics.load(ctrl, ${SEQ});
  if (Atomics.compareExchange(ctrl, ${STATE}, ${POSTED}, ${TAKEN}) !== ${POSTED}) continue;
  let took = false;
  try {
    drain();
    const kernels = instances.get(job[0]);
    if (kernels === undefined) throw new Error('no instance for memory ' + job[0]);
    const chunks = job[16];
    const product = job[1] === 0;
    for (let c; (c = Atomics.add(ctrl, ${NEXT}, 1)) < chunks;) {
      took = true;
      if (product) {
        kernels.product(job[2], job[3], job[4], job[5], job[6], job[7], job[8], job[9], job[10], job[11],
          job[12], job[13], job[14], job[15], c, chunks);
      } else {
        kernels.elementwise(job[2], job[3], job[4], job[5], job[6], job[7], job[8], job[9], c, chunks);
      }
      Atomics.add(ctrl, ${PIECES}, 1);
    }
  } catch {
    Atomics.store(ctrl, ${FAILED}, took ? 1 : 2); // 2: failed before taking a piece (the main thread took them all)
  }
  Atomics.store(ctrl, ${STATE}, ${DONE});
  Atomics.notify(ctrl, ${STATE});
}
`;

/** Released memories the worker may hold before it is restarted (see `releaseHeap`). */
const RESTART_BYTES = 256 * 1024 * 1024;
/** How long the worker spins for the next job before it sleeps, in ms. */
const WORKER_SPIN_MS = 0.3;
/** How long the main thread spins for the worker to finish before it sleeps, in ms. */
const MAIN_SPIN_MS = 0.5;

// ---------------------------------------------------------------------------------------------
// The setting
// ---------------------------------------------------------------------------------------------

/** What the caller asked for (setKernelThreads), else undefined: the environment variable decides. */
let requested: 1 | 2 | undefined;
let environmentDefault: 1 | 2 | undefined;

function nodeProcess(): { env?: Record<string, string | undefined>; versions?: { node?: string };
  getBuiltinModule?: (name: string) => unknown } | undefined {
  const p = (globalThis as unknown as { process?: unknown }).process;
  return typeof p === 'object' && p !== null ? (p as ReturnType<typeof nodeProcess>) : undefined;
}

/** A Node built-in module, or undefined outside Node (browsers: never `require`d, never bundled). */
function nodeBuiltin<T>(name: string): T | undefined {
  const p = nodeProcess();
  if (p?.versions?.node === undefined) return undefined;
  try {
    if (typeof p.getBuiltinModule === 'function') return p.getBuiltinModule(name) as T;
    // Node before 20.16: the CommonJS `require` of this module, reached indirectly so that a
    // bundler leaves it alone.
    const load = typeof require === 'function' ? require : undefined;
    return load === undefined ? undefined : (load(name) as T);
  } catch {
    return undefined;
  }
}

/** The thread count from BACKPROP_THREADS (1 or 2; default 2), read once. */
function fromEnvironment(): 1 | 2 {
  if (environmentDefault === undefined) {
    const value = nodeProcess()?.env?.BACKPROP_THREADS;
    environmentDefault = value !== undefined && value.trim() === '1' ? 1 : 2;
  }
  return environmentDefault;
}

let possible: boolean | undefined;

/** True where a second thread can run: Node with worker_threads, SharedArrayBuffer, Atomics, ≥ 2 CPUs. */
function twoThreadsPossible(): boolean {
  if (possible === undefined) {
    possible = false;
    if (typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' &&
      nodeBuiltin<WorkerThreadsModule>('worker_threads')?.Worker !== undefined) {
      const os = nodeBuiltin<OsModule>('os');
      const cpus = os === undefined ? 1 : typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
      possible = cpus >= 2;
    }
  }
  return possible;
}

/**
 * Sets how many threads the large matrix products use: 1 (everything on the calling thread) or 2
 * (the calling thread and one worker thread, where Node, SharedArrayBuffer and a second CPU allow
 * it; the default). Results are the same bits either way. The environment variable
 * `BACKPROP_THREADS=1` sets the default to one thread; this call overrides it. With 1, a worker
 * already started stays idle (asleep, it costs no CPU time). Memories created while one thread
 * was set stay single-threaded (an MLP gets new ones for a new batch size; or build a new MLP).
 */
export function setKernelThreads(count: 1 | 2): void {
  if (count !== 1 && count !== 2) {
    throw new Error(`setKernelThreads: count must be 1 or 2; received ${String(count)}`);
  }
  requested = count;
}

/**
 * How many threads the large matrix products use now: 2 when two are asked for (the default,
 * see `setKernelThreads`) and possible here (Node with worker_threads, SharedArrayBuffer, two
 * CPUs), else 1.
 */
export function kernelThreads(): 1 | 2 {
  return threadsWanted() ? 2 : 1;
}

/** True when two threads are asked for and possible: memories are then created shared. */
export function threadsWanted(): boolean {
  return (requested ?? fromEnvironment()) === 2 && twoThreadsPossible();
}

// ---------------------------------------------------------------------------------------------
// The worker
// ---------------------------------------------------------------------------------------------

interface Pool {
  worker: WorkerLike;
  port: PortLike;
  ctrl: Int32Array;
  job: Float64Array;
  /** Ids of the memories the worker has been sent, with their sizes in bytes. */
  attached: Map<number, number>;
  /** Bytes of the memories it holds that the main thread has let go of. */
  releasedBytes: number;
  /** The worker's piece count when last read. */
  pieces: number;
  alive: boolean;
}

let pool: Pool | null = null;

/** What the threads have done since the process started (tests and benchmarks read it). */
export const threadStats = {
  /** Jobs (products and element-wise kernels) posted to the worker. */
  jobs: 0,
  /** Pieces of them that the worker computed (the calling thread computed the others). */
  workerPieces: 0,
  /** Workers started. */
  workersStarted: 0,
};
/** The compiled shared-memory module, set by wasm.ts before the first threaded product. */
let sharedModule: object | null = null;
/** True from posting a job until the main thread has seen it finished. */
let busy = false;

/** Gives the compiled module (for shared memories) that the worker instantiates. */
export function setThreadModule(module: object): void {
  sharedModule = module;
}

function startWorker(): Pool | null {
  const threads = nodeBuiltin<WorkerThreadsModule>('worker_threads');
  if (threads === undefined || sharedModule === null) return null;
  try {
    const { port1, port2 } = new threads.MessageChannel();
    const ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
    const job = new Float64Array(new SharedArrayBuffer(PARAMS * 8));
    const worker = new threads.Worker(WORKER_SOURCE, {
      eval: true,
      name: 'backprop-notebooks kernels',
      execArgv: [], // no loaders or flags of the main thread (e.g. tsx): the script is plain JavaScript
      workerData: { module: sharedModule, control: ctrl.buffer, parameters: job.buffer, port: port2, spinMs: WORKER_SPIN_MS },
      transferList: [port2],
    });
    worker.unref(); // never keeps the process (or a tslab kernel) alive
    port1.unref();
    const created: Pool = { worker, port: port1, ctrl, job, attached: new Map(), releasedBytes: 0, pieces: 0, alive: true };
    threadStats.workersStarted++;
    const gone = (): void => {
      created.alive = false;
      if (pool === created) pool = null;
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    return created;
  } catch {
    return null;
  }
}

function stopWorker(): void {
  if (pool === null) return;
  settleThreads();
  const stopping = pool;
  pool = null;
  stopping.alive = false;
  stopping.port.close();
  void stopping.worker.terminate();
}

/**
 * True when the worker is ready to share a product now (starting it, on first use, and
 * answering false until it has started).
 */
export function workerReady(): boolean {
  if (!threadsWanted() || sharedModule === null) return false;
  if (pool === null) {
    pool = startWorker();
    if (pool === null) {
      possible = false; // worker_threads failed: one thread from now on
      return false;
    }
  }
  return pool.alive && Atomics.load(pool.ctrl, READY) === 1;
}

/**
 * Notes that a memory is gone on the main thread (its heap was garbage-collected). The worker still
 * holds it (its instance of the kernels refers to it) until the worker ends: when such memories add
 * up to RESTART_BYTES, the worker is stopped, which frees them, and a new one starts on the next
 * large product. (A worker busy waiting for jobs never collects its garbage by itself.)
 */
export function releaseHeap(id: number): void {
  if (pool === null) return;
  const bytes = pool.attached.get(id);
  if (bytes === undefined) return;
  pool.attached.delete(id);
  pool.releasedBytes += bytes;
  if (pool.releasedBytes >= RESTART_BYTES) stopWorker();
}

/**
 * Posts a product job to the worker: the arguments of the wasm `product` but the piece (with the
 * worker's own packing buffer `pack`), and the piece count. The caller then takes pieces with
 * `takePiece` until it returns −1, computes them, and calls `finishJob`. Returns false, posting
 * nothing, when the worker is not ready (the caller computes every piece itself).
 */
export function postProduct(
  heap: ThreadHeap, kind: number, transA: number, transB: number, n: number, m: number, k: number,
  a: number, lda: number, b: number, ldb: number, c: number, ldc: number, pack: number, accumulate: number,
  chunks: number,
): boolean {
  const job = jobFor(heap);
  if (job === null) return false;
  job[1] = 0;
  job[2] = kind; job[3] = transA; job[4] = transB; job[5] = n; job[6] = m; job[7] = k;
  job[8] = a; job[9] = lda; job[10] = b; job[11] = ldb; job[12] = c; job[13] = ldc;
  job[14] = pack; job[15] = accumulate; job[16] = chunks;
  post();
  return true;
}

/**
 * Posts an element-wise job (the arguments of the wasm `elementwise` but the piece, with the
 * worker's own scratch buffer), as `postProduct` does.
 */
export function postElementwise(
  heap: ThreadHeap, op: number, p0: number, p1: number, p2: number, scratch: number, n: number, k: number, f: number,
  chunks: number,
): boolean {
  const job = jobFor(heap);
  if (job === null) return false;
  job[1] = 1;
  job[2] = op; job[3] = p0; job[4] = p1; job[5] = p2; job[6] = scratch; job[7] = n; job[8] = k; job[9] = f;
  job[16] = chunks;
  post();
  return true;
}

/** The job parameters to fill for a job on `heap` (its memory sent to the worker first), or null if the worker is not ready. */
function jobFor(heap: ThreadHeap): Float64Array | null {
  if (busy) settleThreads();
  if (!workerReady()) return null;
  const p = pool as Pool;
  if (!p.attached.has(heap.id)) p.port.postMessage({ id: heap.id, memory: heap.memory });
  p.attached.set(heap.id, heap.memory.buffer.byteLength); // (the shared scratch memory grows)
  p.job[0] = heap.id;
  return p.job;
}

/** Wakes the worker for the job just written. */
function post(): void {
  const ctrl = (pool as Pool).ctrl;
  Atomics.store(ctrl, NEXT, 0);
  Atomics.store(ctrl, FAILED, 0);
  Atomics.store(ctrl, STATE, POSTED);
  busy = true;
  threadStats.jobs++;
  Atomics.add(ctrl, SEQ, 1);
  Atomics.notify(ctrl, SEQ);
}

/** The next piece of the posted job for the calling thread, or −1 when none are left. */
export function takePiece(chunks: number): number {
  const c = Atomics.add((pool as Pool).ctrl, NEXT, 1);
  return c < chunks ? c : -1;
}

/**
 * Waits until the worker has finished its pieces of the posted job (at once if it never took the
 * job). Throws if the worker failed while computing.
 */
export function finishJob(): void {
  const p = pool;
  busy = false;
  if (p === null) return;
  const ctrl = p.ctrl;
  if (Atomics.compareExchange(ctrl, STATE, POSTED, IDLE) === POSTED) return; // not taken: all pieces were ours
  if (Atomics.load(ctrl, STATE) === TAKEN) {
    const until = performance.now() + MAIN_SPIN_MS;
    while (Atomics.load(ctrl, STATE) === TAKEN && performance.now() < until) { /* spin */ }
    while (Atomics.load(ctrl, STATE) === TAKEN) Atomics.wait(ctrl, STATE, TAKEN, 100);
  }
  Atomics.store(ctrl, STATE, IDLE);
  const pieces = Atomics.load(ctrl, PIECES);
  threadStats.workerPieces += pieces - p.pieces;
  p.pieces = pieces;
  if (Atomics.load(ctrl, FAILED) === 1) {
    throw new Error('matrix product: the worker thread failed on its part of the product; ' +
      'call setKernelThreads(1) to compute on one thread');
  }
}

/**
 * Makes sure no job is still running (after an interrupted product): stops the worker taking more
 * pieces and waits for its current one. Cheap when nothing is running; every kernel call starts
 * with it.
 */
export function settleThreads(): void {
  if (!busy) return;
  if (pool !== null) Atomics.store(pool.ctrl, NEXT, 1 << 30);
  try {
    finishJob();
  } catch {
    // the interrupted job's result is discarded anyway
  }
}

/** True when a posted job may still be running (wasm.ts calls `settleThreads` then). */
export function threadsBusy(): boolean {
  return busy;
}
