/**
 * The project as the scripts see it: paths, the Jupyter environment of scripts/jupyter-env.sh,
 * running the Python helpers, and import links for notebook copies.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Notebook, source } from './notebook';

export const ROOT = fs.realpathSync(path.resolve(__dirname, '..', '..'));
export const BUILD = path.join(ROOT, 'build');
export const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

/** The environment of scripts/jupyter-env.sh: the project's kernelspec and server config, .venv first on PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const jupyter = path.join(ROOT, '.jupyter');
  const join = (a: string, b: string | undefined): string => (b ? `${a}:${b}` : a);
  return {
    ...process.env,
    JUPYTER_PATH: join(jupyter, process.env.JUPYTER_PATH),
    JUPYTER_CONFIG_PATH: join(jupyter, process.env.JUPYTER_CONFIG_PATH),
    PATH: `${path.join(ROOT, '.venv', 'bin')}:${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    PYTHONNOUSERSITE: '1',
    ...extra,
  };
}

/** Runs a Python script of scripts/ with the project's Jupyter environment; its output is shown. Rejects on a non-zero exit. */
export function runPython(script: string, args: string[], options: { quiet?: boolean; allowFailure?: boolean } = {}): Promise<number> {
  if (!fs.existsSync(PYTHON)) {
    return Promise.reject(new Error(`${PYTHON} is missing: run 'npm install' (or 'npm run setup:jupyter') to set up Jupyter`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(ROOT, 'scripts', script), ...args], {
      cwd: ROOT,
      env: jupyterEnv(),
      stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || options.allowFailure) resolve(code ?? 1);
      else reject(new Error(`scripts/${script} exited with code ${code}`));
    });
  });
}

const RELATIVE_IMPORT = /(?:\bfrom\s+|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;

/**
 * Symlinks that make a copy's relative imports (`'../dist'`) resolve from where the copy lies as
 * they do from `sourceDir` (e.g. build/dist -> ../dist). Only links inside build/ are made; an
 * existing file or link wins. Mirrors scripts/jupyter_project.py's link_imports.
 * @returns the links made
 */
export function linkImports(sourceDir: string, copyFile: string, nb: Notebook): string[] {
  const made: string[] = [];
  const specs = new Set<string>();
  for (const cell of nb.cells) if (cell.cell_type === 'code') for (const m of source(cell).matchAll(RELATIVE_IMPORT)) specs.add(m[1]);
  const copyDir = path.dirname(path.resolve(copyFile));
  for (const spec of specs) {
    const parts = spec.split('/').filter((p) => p !== '' && p !== '.');
    let ups = 0;
    while (ups < parts.length && parts[ups] === '..') ups += 1;
    if (ups === parts.length) continue;
    const head = parts.slice(0, ups + 1).join('/');
    const target = path.resolve(sourceDir, head);
    const link = path.resolve(copyDir, head);
    if (link === target || !fs.existsSync(target)) continue;
    let exists = true;
    try {
      fs.lstatSync(link);
    } catch {
      exists = false;
    }
    if (exists) continue;
    if (!(link + path.sep).startsWith(BUILD + path.sep)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(link), target), link, fs.statSync(target).isDirectory() ? 'dir' : 'file');
    made.push(link);
  }
  return made;
}

/** A path relative to the project (for messages), or the absolute path outside it. */
export function rel(p: string): string {
  const r = path.relative(ROOT, p);
  return r.startsWith('..') ? p : r;
}

/** The newest modification time of any file under `dir` (0 when it has none). */
export function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}
