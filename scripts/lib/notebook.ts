/**
 * Jupyter notebooks (nbformat 4) as plain data: reading, writing the way nbformat does, and the
 * few accessors the coursework scripts need.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One output of a code cell. */
export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  name?: 'stdout' | 'stderr';
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number | null;
}

/** The metadata of a notebook the course site reads: `metadata.course` (see TEAM.md). */
export interface CourseInfo {
  /** One sentence: what the notebook teaches. */
  summary: string;
  /** File stems of the notebooks to do first, e.g. `["01-total-derivatives"]`. */
  prerequisites: string[];
  /** A learner's time estimate in minutes. */
  minutes: number;
}

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  metadata: { tags?: string[]; [key: string]: unknown };
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string; display_name?: string }; course?: unknown; [key: string]: unknown };
  nbformat: number;
  nbformat_minor: number;
}

/** Joins a multi-line string field (`source`, `text`) into one string. */
export function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join('') : (value ?? '');
}

/** The cell's source as one string. */
export function source(cell: Cell): string {
  return text(cell.source);
}

/** The cell's tags (empty when it has none). */
export function tags(cell: Cell): string[] {
  return Array.isArray(cell.metadata?.tags) ? cell.metadata.tags.filter((t): t is string => typeof t === 'string') : [];
}

/** The text a code cell wrote to a stream (`stdout` or `stderr`). */
export function streamText(cell: Cell, name: 'stdout' | 'stderr'): string {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === 'stream' && o.name === name)
    .map((o) => text(o.text))
    .join('');
}

/** Reads a notebook file. */
export function readNotebook(file: string): Notebook {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  if (!nb || !Array.isArray(nb.cells) || typeof nb.nbformat !== 'number') {
    throw new Error(`readNotebook: ${file} is not a Jupyter notebook (no cells / nbformat)`);
  }
  return nb;
}

/** Splits a string into nbformat's list-of-lines form (each line keeps its newline). */
export function lines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Writes a notebook as nbformat does (1-space indent, sorted keys, sources as lists of lines). */
export function writeNotebook(file: string, nb: Notebook): void {
  const normal = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => normal(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value).sort()) out[k] = normal((value as Record<string, unknown>)[k], k);
      return out;
    }
    if (typeof value === 'string' && (key === 'source' || key === 'text')) return lines(value);
    return value;
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(normal(nb), null, 1) + '\n');
}

/** A deep copy (notebooks are plain JSON). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
