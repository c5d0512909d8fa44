/**
 * Hooks installed in the tslab kernel process when a notebook imports `'../dist/notebook'`:
 *
 * - **Errors that point at the learner.** Each cell's script runs under a file name of its own
 *   (`<notebook cell N>`), and what it throws reaches tslab (which prints it with `console.error`)
 *   as a value whose `util.inspect` is the text of `formatCellError`: the message first, the cell
 *   line(s) with their code, no frames from the library, tslab or Node, and for a value missing
 *   because an earlier cell failed, which cell to run. The original value stays available as
 *   `lastCellError()`.
 * - **Compile errors.** tslab's own diagnostics are left as they are; after a "Cannot find name 'x'"
 *   whose declaring cell failed (tslab drops a failed cell's declarations) one line says so.
 * - **Progress.** A `FitObserver` (`progress.ts`) shows a live loss curve for any `fit` that runs
 *   longer than about a second.
 * - **Later errors.** tslab prints errors thrown after a cell finished (timers, unawaited promises)
 *   from its `uncaughtException` / `unhandledRejection` listeners; these get the short text too.
 *
 * How: tslab's executor calls `getCodeMetadata(src)` through the exports object of
 * `tslab/dist/metadata.js` at the start of every execution (the cell's TypeScript passes by), and
 * then `vm.runInThisContext(wrapped)` through the `vm` module object (the compiled JavaScript passes
 * by); both are wrapped here. A new execution is told apart from a completion or inspection request
 * (which also call `getCodeMetadata`) by tslab's per-execution output writer
 * (`jupyter.lastWriteDisplayData`), which changes with each execute request.
 *
 * Outside a tslab kernel (unit tests, scripts, bundles) importing this module does nothing: the hooks
 * need tslab's executor global (`__tslab__`) and its modules loaded in the process. A kernel started
 * with the environment variable `BACKPROP_KERNEL_HOOKS=0` gets no hooks (tslab's own error output).
 */
import { setFitObserver } from '../core/observe';
import { CellHistory, cellFileName, diagnosticHint, formatCellError, type CellRun, type TypeScriptModule } from './errors';
import { createProgressObserver, type ProgressObserver } from './progress';

interface NodeModuleCache {
  [file: string]: { exports: unknown } | undefined;
}

interface TslabMetadataModule {
  getCodeMetadata(src: string): unknown;
}

interface TslabJupyterModule {
  lastWriteDisplayData?: unknown;
}

interface TslabPublicModule {
  newDisplay(): { html(s: string): void };
}

interface HookState {
  history: CellHistory;
  current?: CellRun;
  writers: unknown[];
  lastError?: unknown;
  progress: ProgressObserver;
}

const STATE_KEY = Symbol.for('backprop-notebooks.kernel-hooks');
const WRITE_MARK = Symbol.for('backprop-notebooks.stderr-hint');
const CELL_SCRIPT = /^(\((?:async )?function\(exports, require\) \{ )([\s\S]*)\n\}\)\(__tslab__\.exports, __tslab__\.require\)$/;
const DIAGNOSTIC_LINE = /^(?:\S+ )?\d+:\d+ - /;

type Global = typeof globalThis & { __tslab__?: { exports?: Record<string, unknown> }; [STATE_KEY]?: HookState };

/** The kernel's tslab modules, or undefined when this process is not a tslab kernel. */
function findTslab(): { metadataFiles: string[]; jupyter: TslabJupyterModule[]; jupyterFiles: string[] } | undefined {
  const g = globalThis as Global;
  if (typeof process === 'undefined' || typeof require === 'undefined' || !require.cache) return undefined;
  if (!g.__tslab__ || typeof g.__tslab__.exports !== 'object') return undefined;
  const cache = require.cache as NodeModuleCache;
  const metadataFiles: string[] = [];
  const jupyterFiles: string[] = [];
  const jupyter: TslabJupyterModule[] = [];
  for (const file of Object.keys(cache)) {
    if (/[\\/]tslab[\\/]dist[\\/]metadata\.js$/.test(file)) metadataFiles.push(file);
    if (/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) {
      jupyterFiles.push(file);
      jupyter.push(cache[file]!.exports as TslabJupyterModule);
    }
  }
  // A kernel serving requests has set the output writer of the execution that is importing us.
  if (metadataFiles.length === 0 || !jupyter.some((j) => typeof j.lastWriteDisplayData === 'function')) return undefined;
  return { metadataFiles, jupyter, jupyterFiles };
}

/** The thrown value tslab prints: its `util.inspect` is the learner's text. */
class CellError {
  constructor(readonly text: string, readonly error: unknown) {}
  toString(): string {
    return this.text;
  }
}

/**
 * Installs the hooks when this process is a tslab kernel (once; later calls do nothing).
 * @returns true when the hooks are (now or already) installed
 */
export function installKernelHooks(): boolean {
  const g = globalThis as Global;
  if (g[STATE_KEY]) return true;
  if (typeof process !== 'undefined' && process.env && process.env.BACKPROP_KERNEL_HOOKS === '0') return false;
  const tslab = findTslab();
  if (!tslab) return false;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const Module = require('module') as { createRequire(file: string): NodeRequire };
  const vm = require('vm') as { runInThisContext: (code: string, options?: object | string) => unknown };
  const util = require('util') as typeof import('util');
  const path = require('path') as typeof import('path');
  const { performance } = require('perf_hooks') as typeof import('perf_hooks');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const tslabRequire = Module.createRequire(tslab.metadataFiles[0]);
  const ts = tslabRequire('@tslab/typescript-for-tslab') as TypeScriptModule;
  const active = tslab.jupyter.findIndex((j) => typeof j.lastWriteDisplayData === 'function');
  const tslabPublic = Module.createRequire(tslab.jupyterFiles[active])('./public') as TslabPublicModule;

  const root = path.resolve(__dirname, '..', '..');
  const libraryDirs = [path.join(root, 'dist') + path.sep, path.join(root, 'src') + path.sep];
  const state: HookState = {
    history: new CellHistory(ts),
    writers: tslab.jupyter.map((j) => j.lastWriteDisplayData),
    progress: createProgressObserver({ newDisplay: () => tslabPublic.newDisplay(), now: () => performance.now() }),
  };
  g[STATE_KEY] = state;
  if (Error.stackTraceLimit < 50) Error.stackTraceLimit = 50; // the cell's frames sit below the library's

  /** The value tslab prints for `thrown`: one whose inspect is the learner's text (run: the cell that threw). */
  const present = (thrown: unknown, run: CellRun | undefined): unknown => {
    state.lastError = thrown;
    try {
      const text = formatCellError(thrown, {
        history: state.history,
        current: run,
        valueOf: (name) => g.__tslab__?.exports?.[name],
        isLibraryFile: (file) => libraryDirs.some((d) => file.startsWith(d)),
        show: (v) => util.inspect(v),
      });
      const shown = new CellError(text, thrown);
      Object.defineProperty(shown, util.inspect.custom, { value: () => text });
      return shown;
    } catch {
      return thrown; // never hide an error behind a bug of ours
    }
  };

  /** Adds a hint line after tslab's "Cannot find name" diagnostics of the cell being compiled. */
  const hookStderr = (): void => {
    const write = process.stderr.write as ((chunk: unknown, ...rest: unknown[]) => boolean) & { [WRITE_MARK]?: true };
    if (write[WRITE_MARK]) return;
    const hooked = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      const result = write.call(this, chunk, ...rest);
      try {
        const run = state.current;
        if (run && run.output === undefined && (run.status === 'compiling' || run.status === 'compile-error')) {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
          if (DIAGNOSTIC_LINE.test(text)) {
            run.status = 'compile-error';
            const hint = diagnosticHint(text, state.history, run);
            if (hint) write.call(this, `${hint}\n`);
          }
        }
      } catch {
        /* hints are optional */
      }
      return result;
    } as typeof write;
    hooked[WRITE_MARK] = true;
    process.stderr.write = hooked as typeof process.stderr.write;
  };

  const onCode = (src: string): void => {
    const writers = tslab.jupyter.map((j) => j.lastWriteDisplayData);
    if (writers.every((w, i) => w === state.writers[i])) return; // completion or inspection
    state.writers = writers;
    state.progress.interruptActive();
    const run = state.history.begin(src);
    state.current = run;
    setImmediate(() => {
      if (run.status === 'compiling') run.status = 'ok'; // nothing to run (types only, or a module)
    });
    hookStderr();
  };

  for (const file of tslab.metadataFiles) {
    const md = require.cache[file]!.exports as TslabMetadataModule;
    const original = md.getCodeMetadata;
    md.getCodeMetadata = function (this: unknown, src: string): unknown {
      try {
        if (typeof src === 'string') onCode(src);
      } catch {
        /* tracking is optional */
      }
      return original.call(this, src);
    };
  }

  const runInThisContext = vm.runInThisContext;
  vm.runInThisContext = function (this: unknown, code: string, options?: object | string): unknown {
    const run = state.current;
    const m = typeof code === 'string' && run && run.output === undefined ? CELL_SCRIPT.exec(code) : null;
    if (!m || !run) return runInThisContext.call(this, code, options);
    run.output = m[2];
    run.prefixLength = m[1].length;
    run.status = 'running';
    const opts = typeof options === 'object' && options !== null ? { ...options, filename: cellFileName(run.id) }
      : { filename: cellFileName(run.id) };
    let result: unknown;
    try {
      result = runInThisContext.call(this, code, opts);
    } catch (e) {
      run.status = (e as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED' ? 'interrupted' : 'failed';
      // fit is synchronous: a run still "active" now was cut short by an interrupt (which skips its end report)
      state.progress.interruptActive();
      throw present(e, run);
    }
    if (m[1].startsWith('(async') && result instanceof Promise) {
      return result.then(
        (v: unknown) => {
          run.status = 'ok';
          return v;
        },
        (e: unknown) => {
          run.status = 'failed';
          throw present(e, run);
        },
      );
    }
    run.status = 'ok';
    return result;
  };

  // Errors thrown after a cell has finished (timers, promises nobody awaited) reach tslab's own
  // process listeners, which print "UncaughtException:" and the value: give them the short text too.
  const emitter = process as unknown as NodeJS.EventEmitter;
  for (const event of ['uncaughtException', 'unhandledRejection']) {
    for (const listener of emitter.listeners(event) as Array<(...args: unknown[]) => void>) {
      if (!/Uncaught|Unhandled/.test(String(listener))) continue; // only tslab's printers
      emitter.removeListener(event, listener);
      // tslab writes it into the output of the last cell run: "this cell" is that cell.
      emitter.on(event, (value: unknown, ...rest: unknown[]) => listener(present(value, state.current), ...rest));
    }
  }

  setFitObserver(state.progress);
  return true;
}

/** True when this process is a tslab kernel with the notebook hooks installed. */
export function kernelHooksInstalled(): boolean {
  return (globalThis as Global)[STATE_KEY] !== undefined;
}

/**
 * The value behind the last error the kernel showed (what a failing cell threw, or an error thrown
 * after a cell finished), unchanged and with its full stack, for when the short error text of the
 * notebook is not enough: `console.log((lastCellError() as Error).stack)`. Undefined outside a
 * kernel or before any error.
 */
export function lastCellError(): unknown {
  return (globalThis as Global)[STATE_KEY]?.lastError;
}

try {
  installKernelHooks();
} catch {
  /* a kernel without hooks still runs every cell */
}
