/**
 * Helpers shared by the notebook-execution and browser tests: project paths, the notebook list,
 * the project's Jupyter environment, and a JupyterLab server started and stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The project root (absolute, symlinks resolved). */
export const ROOT = fs.realpathSync(path.resolve(__dirname, '..', '..'));
/** Where the tests write what they make: executed notebooks, HTML, screenshots. */
export const BUILD = path.join(ROOT, 'build');
export const EXECUTED_DIR = path.join(BUILD, 'executed');
export const HTML_DIR = path.join(BUILD, 'html');
export const SCREENSHOT_DIR = path.join(BUILD, 'screenshots');
/** The tooling's own smoke notebook (imports '../../dist/notebook'). */
export const SMOKE_NOTEBOOK = path.join(ROOT, 'test', 'fixtures', 'smoke.ipynb');
/** The tooling's course fixture: exercises, checks, a settings cell, four trace types, a live chart. */
export const COURSE_FIXTURE = path.join(ROOT, 'test', 'fixtures', '99-coursework.ipynb');
/** Where test/notebooks/coursework.test.ts exports the fixture course (`npm run export -- --out …`). */
export const FIXTURE_SITE = path.join(BUILD, 'fixture-site');

/** The course notebooks, `notebooks/*.ipynb`, sorted, as absolute paths. */
export function courseNotebooks(): string[] {
  const dir = path.join(ROOT, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * The environment of `scripts/jupyter-env.sh`: JUPYTER_PATH and JUPYTER_CONFIG_PATH = <abs>/.jupyter
 * (the project's kernelspec, and its server config: plotly.js served, the project's trust
 * database), .venv/bin first on PATH.
 */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PATH: path.join(ROOT, '.jupyter'),
    JUPYTER_CONFIG_PATH: path.join(ROOT, '.jupyter'),
    PATH: `${path.join(ROOT, '.venv', 'bin')}:${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    PYTHONNOUSERSITE: '1',
    ...extra,
  };
}

/** Runs a command to completion, collecting its output; never throws on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; echo?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (options.echo) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          stderr += `\n[killed after ${options.timeoutMs} ms]`;
          child.kill('SIGTERM');
        }, options.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One notebook's entry in `scripts/execute_notebooks.py`'s summary JSON. */
export interface ExecutionResult {
  notebook: string;
  executed: string;
  seconds: number;
  ok: boolean;
  codeCells: number;
  executedCells: number;
  charts: number;
  /** Bytes of the executed copy. */
  bytes: number;
  failure: null | { cell: number | null; sourceHead: string; stderr: string; error: string };
}

/** The summary JSON written by `scripts/execute_notebooks.py`. */
export interface ExecutionSummary {
  totalSeconds: number;
  jobs: number;
  timeout: number;
  notebooks: ExecutionResult[];
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A JupyterLab server started by {@link startJupyterLab}. */
export interface LabServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed (for failure messages). */
  log(): string;
  /** Stops the server by its pid (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts JupyterLab (or Notebook 7: `app: 'notebook'`) on a free loopback port with the token off,
 * serving `rootDir`, with the project's kernelspec and server config (as `npm start` has them) and
 * with config/data/runtime folders of its own under `stateDir` (so neither the user's settings nor
 * a per-user "tslab" kernelspec take part). Resolves when it answers HTTP.
 */
export async function startJupyterLab(rootDir: string, stateDir: string, timeoutMs = 60_000, app: 'lab' | 'notebook' = 'lab'): Promise<LabServer> {
  const port = await freePort();
  for (const d of ['config', 'data', 'runtime', 'workspaces']) fs.mkdirSync(path.join(stateDir, d), { recursive: true });
  // User settings of this server only: no "get notified about Jupyter news?" toast over the notebook.
  const notification = path.join(stateDir, 'settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(notification, { recursive: true });
  fs.writeFileSync(
    path.join(notification, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false }),
  );
  // No autosave: a test may open a file the project wrote (an executed copy) and must not rewrite it.
  const docmanager = path.join(stateDir, 'settings', '@jupyterlab', 'docmanager-extension');
  fs.mkdirSync(docmanager, { recursive: true });
  fs.writeFileSync(path.join(docmanager, 'plugin.jupyterlab-settings'), JSON.stringify({ autosave: false }));
  const args = [
    app,
    '--no-browser',
    `--ServerApp.ip=127.0.0.1`,
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.root_dir=${rootDir}`,
    "--IdentityProvider.token=",
    "--ServerApp.password=",
    '--LabApp.news_url=None',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    `--${app === 'lab' ? 'LabApp' : 'JupyterNotebookApp'}.expose_app_in_browser=True`,
    '--ServerApp.open_browser=False',
  ];
  if (process.getuid && process.getuid() === 0) args.push('--allow-root');
  const env = jupyterEnv({
    JUPYTER_CONFIG_DIR: path.join(stateDir, 'config'),
    JUPYTER_DATA_DIR: path.join(stateDir, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(stateDir, 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: path.join(stateDir, 'settings'),
    JUPYTERLAB_WORKSPACES_DIR: path.join(stateDir, 'workspaces'),
  });
  const child = spawn(path.join(ROOT, '.venv', 'bin', 'jupyter'), args, { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d));
  child.stderr!.on('data', (d: Buffer) => (log += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`JupyterLab exited early (code ${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/status`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`JupyterLab did not answer on ${url} within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, process: child, log: () => log, stop };
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
