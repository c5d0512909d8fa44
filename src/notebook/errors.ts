/**
 * Errors as a learner should read them in a tslab notebook: the message first, then the line of the
 * cell that caused it (with its code), and no frames from the library, tslab or Node internals.
 *
 * This module is pure (no Node built-ins, no tslab): `kernel.ts` feeds it what passes through the
 * kernel (each cell's TypeScript source and the JavaScript tslab compiled it to) and prints what it
 * returns. The pieces:
 * - {@link CellMap}: maps a position in a cell's compiled JavaScript back to the cell's own line and
 *   column. tslab compiles cells without source maps and rewrites them (imports become `require`,
 *   names from earlier cells become `exports.name`, declarations gain `exports.x = x;` lines, types
 *   vanish), so the map aligns the two token sequences (TypeScript's own scanner and parser, then a
 *   Myers diff of the tokens) instead of trusting line numbers.
 * - {@link parseStack}: the frames of a V8 stack text.
 * - {@link CellHistory}: every cell the kernel has run (source, compiled code, how it ended), so that
 *   an error can say which earlier cell a missing value comes from.
 * - {@link formatCellError} and {@link diagnosticHint}: the text the learner reads.
 */
import type * as TS from 'typescript';

/** The TypeScript module used to tokenise cells (the kernel passes tslab's own copy). */
export type TypeScriptModule = typeof TS;

/** One token: its text, its comparison key and its [start, end) offsets in the text. */
export interface Token {
  /** The token's text. */
  text: string;
  /**
   * What the alignment compares: the text, a string literal's value (the compiler may change its
   * quotes), or a key that matches nothing for tokens that only one side can have (see {@link tokenize}).
   */
  key: string;
  start: number;
  end: number;
}

/**
 * Source ranges whose tokens are left out of the alignment, so that they cannot be matched by
 * chance with tokens of the other text and shift it:
 * - in a cell's TypeScript, what compiles to nothing: type annotations and arguments, type
 *   parameters, interfaces, type aliases, `implements`, `import type`, `declare`, `x!`, `x?:`;
 * - in tslab's JavaScript, what tslab and the CommonJS transform add: `Object.defineProperty(exports,
 *   "__esModule", …)`, `exports.a = exports.b = void 0;`, `exports.x = x;` after declarations, the
 *   `exports.tsLastExpr =` of the last expression, the `exports.` before names of earlier cells, and
 *   the `__importStar`-style helpers.
 */
function maskedRanges(ts: TypeScriptModule, file: TS.SourceFile, kind: 'ts' | 'js'): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const whole = (n: TS.Node): void => {
    ranges.push([n.getStart(file), n.getEnd()]);
  };
  const isExportsAccess = (e: TS.Node): e is TS.PropertyAccessExpression =>
    ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'exports';
  if (kind === 'ts') {
    const visit = (n: TS.Node): void => {
      if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) ||
        (ts.isImportDeclaration(n) && n.importClause?.isTypeOnly) ||
        (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ImplementsKeyword) ||
        (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword))) {
        whole(n);
        return;
      }
      // Type annotations, type arguments and parameters, `x!`, `x?:`: only in type positions, so that
      // an expression such as `void 0` is never taken for a type.
      const typed = n as { type?: TS.Node; typeArguments?: readonly TS.Node[]; typeParameters?: readonly TS.Node[];
        questionToken?: TS.Node; exclamationToken?: TS.Node };
      if (typed.type && ts.isTypeNode(typed.type)) whole(typed.type);
      for (const a of typed.typeArguments ?? []) whole(a);
      for (const p of typed.typeParameters ?? []) whole(p);
      if (typed.questionToken && !ts.isConditionalExpression(n) && !ts.isPropertyAccessExpression(n) &&
        !ts.isElementAccessExpression(n) && !ts.isCallExpression(n)) whole(typed.questionToken);
      if (typed.exclamationToken) whole(typed.exclamationToken);
      if (ts.isNonNullExpression(n)) ranges.push([n.expression.getEnd(), n.getEnd()]);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(file, visit);
    return ranges;
  }
  for (const st of file.statements) {
    if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1) {
      const d = st.declarationList.declarations[0];
      if (ts.isIdentifier(d.name) && d.name.text.startsWith('__') && d.initializer &&
        /^\(this && this\.__/.test(d.initializer.getText(file))) whole(st);
      continue;
    }
    if (!ts.isExpressionStatement(st)) continue;
    const e = st.expression;
    if (ts.isCallExpression(e) && e.expression.getText(file) === 'Object.defineProperty' &&
      e.arguments.length > 0 && e.arguments[0].getText(file) === 'exports') {
      whole(st);
    } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExportsAccess(e.left)) {
      let right: TS.Expression = e.right;
      while (ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExportsAccess(right.left)) {
        right = right.right;
      }
      const name = e.left.name.text;
      if (ts.isVoidExpression(right) || (ts.isIdentifier(right) && right.text === name && right === e.right)) whole(st);
      else if (/^tsLastExpr\d*$/.test(name)) ranges.push([st.getStart(file), e.right.getStart(file)]);
    }
  }
  const visit = (n: TS.Node): void => {
    if (isExportsAccess(n)) ranges.push([n.expression.getStart(file), n.name.getStart(file)]);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(file, visit);
  return ranges;
}

/**
 * The tokens of a TypeScript or JavaScript text, comments and whitespace excluded, in order. String
 * literals compare by value; tokens in {@link maskedRanges} get keys that match nothing.
 * @param ts the TypeScript module
 * @param text the source text
 * @param kind 'ts' for a cell's TypeScript, 'js' for the JavaScript tslab compiled it to
 */
export function tokenize(ts: TypeScriptModule, text: string, kind: 'ts' | 'js'): Token[] {
  const file = ts.createSourceFile(kind === 'ts' ? 'cell.ts' : 'cell.js', text, ts.ScriptTarget.Latest, true,
    kind === 'ts' ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const out: Token[] = [];
  const firstJsDoc = ts.SyntaxKind.FirstJSDocNode;
  const lastJsDoc = ts.SyntaxKind.LastJSDocNode;
  const visit = (node: TS.Node): void => {
    if (node.kind >= firstJsDoc && node.kind <= lastJsDoc) return;
    const children = node.getChildren(file);
    if (children.length > 0) {
      for (const c of children) visit(c);
      return;
    }
    if (node.kind === ts.SyntaxKind.EndOfFileToken || node.kind === ts.SyntaxKind.SyntaxList) return;
    const start = node.getStart(file);
    const end = node.getEnd();
    if (end <= start) return;
    const tokenText = text.slice(start, end);
    const key = node.kind === ts.SyntaxKind.StringLiteral ? `"${(node as TS.StringLiteral).text}` : tokenText;
    out.push({ text: tokenText, key, start, end });
  };
  visit(file);
  const ranges = maskedRanges(ts, file, kind).sort((a, b) => a[0] - b[0]);
  let r = 0;
  out.forEach((t, i) => {
    while (r < ranges.length && ranges[r][1] <= t.start) r++;
    for (let q = r; q < ranges.length && ranges[q][0] <= t.start; q++) {
      if (t.start < ranges[q][1]) {
        t.key = `\u0000${kind}${i}`;
        break;
      }
    }
  });
  // A colon, `as`, `satisfies` or `!` right before or after a type belongs to the type.
  if (kind === 'ts') {
    out.forEach((t, i) => {
      const next = out[i + 1];
      const masked = (u: Token | undefined): boolean => u !== undefined && u.key.startsWith('\u0000');
      if ((t.text === ':' || t.text === 'as' || t.text === 'satisfies') && masked(next)) t.key = `\u0000${kind}${i}`;
    });
  }
  return out;
}

/**
 * A longest common subsequence of two key sequences (Myers' O((N+M)·D) diff, D the number of
 * insertions and deletions): for each index of `b`, the matched index of `a`, or -1.
 * Returns null when the sequences differ by more than `maxEdits` (the alignment would mean little).
 */
export function matchSequences(a: readonly string[], b: readonly string[], maxEdits = 4000): Int32Array | null {
  const match = new Int32Array(b.length).fill(-1);
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) {
    match[lo] = lo;
    lo++;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > lo && endB > lo && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
    match[endB] = endA;
  }
  const N = endA - lo;
  const M = endB - lo;
  if (N === 0 || M === 0) return match;
  const max = Math.min(N + M, maxEdits);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2)); // v[k] for k in [-d-1, d+1], before step d
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < N && y < M && a[lo + x] === b[lo + y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= N && y >= M) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;
  let x = N;
  let y = M;
  for (let d = found; d >= 0; d--) {
    const t = trace[d];
    const at = (k: number): number => t[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      match[lo + y] = lo + x;
    }
    x = prevX;
    y = prevY;
  }
  return match;
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding `offset`. */
function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A position in a cell's source: 1-based line and column, and the 0-based offset. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/**
 * Maps positions in the JavaScript that tslab compiled a cell to (`output`, without tslab's
 * one-line function wrapper) to the cell's TypeScript source, by aligning their tokens.
 */
export class CellMap {
  private readonly srcTokens: Token[];
  private readonly outTokens: Token[];
  private readonly match: Int32Array | null;
  private readonly srcStarts: number[];
  private readonly outStarts: number[];

  /**
   * @param ts the TypeScript module (tokeniser)
   * @param source the cell's TypeScript, as the learner wrote it
   * @param output the JavaScript tslab ran for it
   */
  constructor(private readonly ts: TypeScriptModule, readonly source: string, readonly output: string) {
    this.srcTokens = tokenize(ts, source, 'ts');
    this.outTokens = tokenize(ts, output, 'js');
    this.match = matchSequences(this.srcTokens.map((t) => t.key), this.outTokens.map((t) => t.key));
    this.srcStarts = lineStarts(source);
    this.outStarts = lineStarts(output);
  }

  /** True when the two texts could be aligned. */
  get aligned(): boolean {
    return this.match !== null;
  }

  /** The number of lines of the compiled output. */
  get outputLines(): number {
    return this.outStarts.length;
  }

  /** The offset in the output of a 1-based line and column, or -1 when out of range. */
  outputOffset(line: number, column: number): number {
    if (line < 1 || line > this.outStarts.length) return -1;
    return Math.min(this.outStarts[line - 1] + Math.max(0, column - 1), this.output.length);
  }

  /** Index of the output token at `offset`: the token covering it, else the next one on its line, else the previous one. */
  private outTokenAt(offset: number): number {
    const toks = this.outTokens;
    let lo = 0;
    let hi = toks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (toks[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo < toks.length) return lo;
    return toks.length - 1;
  }

  /**
   * The source position of a 1-based line and column of the compiled output: the matched token
   * under it, or the nearest matched token on the same output line (after it first, then before).
   * Undefined when nothing on that line comes from the source (e.g. tslab's own `exports.x = x;`).
   */
  toSource(line: number, column: number): SourcePosition | undefined {
    if (this.match === null || this.outTokens.length === 0) return undefined;
    const offset = this.outputOffset(line, column);
    if (offset < 0) return undefined;
    const i = this.outTokenAt(offset);
    const outLine = lineOf(this.outStarts, offset);
    const sameLine = (j: number): boolean => lineOf(this.outStarts, this.outTokens[j].start) === outLine;
    let j = -1;
    if (this.match[i] >= 0 && sameLine(i)) j = i;
    for (let f = i + 1; j < 0 && f < this.outTokens.length && sameLine(f); f++) if (this.match[f] >= 0) j = f;
    for (let b = i - 1; j < 0 && b >= 0 && sameLine(b); b--) if (this.match[b] >= 0) j = b;
    if (j < 0) return undefined;
    const src = this.srcTokens[this.match[j]];
    const inside = j === i ? Math.max(0, Math.min(offset - this.outTokens[i].start, src.end - src.start - 1)) : 0;
    const at = src.start + inside;
    const l = lineOf(this.srcStarts, at);
    return { line: l + 1, column: at - this.srcStarts[l] + 1, offset: at };
  }

  /** The text of a 1-based source line (without its newline). */
  sourceLine(line: number): string {
    if (line < 1 || line > this.srcStarts.length) return '';
    const start = this.srcStarts[line - 1];
    const end = line < this.srcStarts.length ? this.srcStarts[line] - 1 : this.source.length;
    return this.source.slice(start, end).replace(/\r$/, '');
  }

  /**
   * Names from earlier cells (compiled to `exports.NAME`) that the compiled code reads inside the
   * source range [start, end), in source order, without repeats.
   */
  earlierNamesIn(start: number, end: number): string[] {
    const names: string[] = [];
    if (this.match === null) return names;
    const t = this.outTokens;
    for (let i = 0; i + 2 < t.length; i++) {
      if (t[i].text !== 'exports' || t[i + 1].text !== '.') continue;
      if (i > 0 && (t[i - 1].text === '.' || t[i - 1].text === '?.')) continue;
      const m = this.match[i + 2];
      if (m < 0) continue;
      const s = this.srcTokens[m];
      if (s.start >= start && s.start < end && /^[A-Za-z_$][\w$]*$/.test(t[i + 2].text) && !names.includes(t[i + 2].text)) {
        names.push(t[i + 2].text);
      }
    }
    return names;
  }

  /**
   * The source range of the innermost statement that contains `offset` (the whole statement, e.g. a
   * call spread over several lines), or of the line when no statement does.
   */
  statementAt(offset: number): { start: number; end: number } {
    const ts = this.ts;
    const file = ts.createSourceFile('cell.ts', this.source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    let best: { start: number; end: number } | undefined;
    const visit = (node: TS.Node): void => {
      const start = node.getStart(file);
      if (offset < start || offset >= node.getEnd()) return;
      if (ts.isStatement(node) && !ts.isBlock(node)) best = { start, end: node.getEnd() };
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(file, visit);
    if (best) return best;
    const l = lineOf(this.srcStarts, offset);
    return { start: this.srcStarts[l], end: l + 1 < this.srcStarts.length ? this.srcStarts[l + 1] : this.source.length };
  }
}

/** The top-level names a cell declares (variables, functions, classes, imports, …) and assigns. */
export interface CellNames {
  declares: string[];
  assigns: string[];
}

/**
 * The names a cell's top level declares, and the names it assigns without declaring (`x = …` for an
 * `x` of an earlier cell), from its TypeScript source.
 */
export function cellNames(ts: TypeScriptModule, source: string): CellNames {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declares: string[] = [];
  const assigns: string[] = [];
  const binding = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) declares.push(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) binding(el.name);
  };
  for (const st of file.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) binding(d.name);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st) ||
      ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) {
      declares.push(st.name.text);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) declares.push(c.name.text);
      if (c.namedBindings) {
        if (ts.isNamespaceImport(c.namedBindings)) declares.push(c.namedBindings.name.text);
        else for (const el of c.namedBindings.elements) declares.push(el.name.text);
      }
    } else if (ts.isExpressionStatement(st)) {
      const visit = (e: TS.Expression): void => {
        if (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
          e.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
          if (ts.isIdentifier(e.left)) assigns.push(e.left.text);
          visit(e.right);
        }
      };
      visit(st.expression);
    }
  }
  return { declares, assigns };
}

/** One frame of a V8 stack trace. */
export interface StackFrame {
  /** The function's name as V8 prints it ("" for top-level code). */
  name: string;
  file: string;
  line: number;
  column: number;
  async: boolean;
}

const FRAME_RE = /^\s*at (?:(async )?(.*?) \((.*):(\d+):(\d+)\)|(async )?(.*):(\d+):(\d+))$/;

/** The frames of a V8 stack text (`    at name (file:line:column)` lines); other lines are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME_RE.exec(line);
    if (!m) continue;
    if (m[3] !== undefined) {
      frames.push({ name: m[2], file: m[3], line: Number(m[4]), column: Number(m[5]), async: !!m[1] });
    } else {
      frames.push({ name: '', file: m[7], line: Number(m[8]), column: Number(m[9]), async: !!m[6] });
    }
  }
  return frames;
}

/** How a cell's last run ended. */
export type CellStatus = 'compiling' | 'running' | 'ok' | 'failed' | 'interrupted' | 'compile-error';

/** One execution of a cell, as the kernel saw it. */
export interface CellRun {
  /** A number that grows with each execution (not Jupyter's execution count). */
  id: number;
  /** The cell's TypeScript source. */
  source: string;
  /** The JavaScript tslab compiled it to (undefined until it runs; never for a compile error). */
  output?: string;
  /** Length of tslab's wrapper before `output` on the first line of the script that ran. */
  prefixLength: number;
  status: CellStatus;
  /** Lazily built. */
  map?: CellMap | null;
  names?: CellNames;
}

/** The file name the kernel gives the script of a cell run, as it appears in stack frames. */
export function cellFileName(id: number): string {
  return `<notebook cell ${id}>`;
}

const CELL_FILE_RE = /^<notebook cell (\d+)>$/;

/** The first line of a cell worth quoting: its first non-blank line, shortened to about 60 characters. */
export function cellTitle(source: string): string {
  const line = source.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > 64 ? `${line.slice(0, 60)}…` : line;
}

/** Every cell the kernel has run, newest last, with lookups for error messages. */
export class CellHistory {
  private readonly runs: CellRun[] = [];
  private nextId = 1;

  constructor(private readonly ts: TypeScriptModule, private readonly limit = 1000) {}

  /** Records a new execution of `source` and returns it (status 'compiling'). */
  begin(source: string): CellRun {
    const run: CellRun = { id: this.nextId++, source, prefixLength: 0, status: 'compiling' };
    this.runs.push(run);
    if (this.runs.length > this.limit) this.runs.splice(0, this.runs.length - this.limit);
    return run;
  }

  /** The run whose script has this file name (see {@link cellFileName}). */
  byFile(file: string): CellRun | undefined {
    const m = CELL_FILE_RE.exec(file);
    if (!m) return undefined;
    const id = Number(m[1]);
    return this.runs.find((r) => r.id === id);
  }

  /** The run's source map (built on first use; null when the texts cannot be aligned). */
  mapOf(run: CellRun): CellMap | null {
    if (run.map === undefined) {
      run.map = run.output === undefined ? null : new CellMap(this.ts, run.source, run.output);
      if (run.map !== null && !run.map.aligned) run.map = null;
    }
    return run.map;
  }

  /** The names the run's cell declares and assigns. */
  namesOf(run: CellRun): CellNames {
    if (run.names === undefined) {
      try {
        run.names = cellNames(this.ts, run.source);
      } catch {
        run.names = { declares: [], assigns: [] };
      }
    }
    return run.names;
  }

  /**
   * The newest run other than `except` whose cell declares `name` (or, failing that, assigns it).
   */
  madeBy(name: string, except?: CellRun): CellRun | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) {
      const r = this.runs[i];
      if (r !== except && this.namesOf(r).declares.includes(name)) return r;
    }
    for (let i = this.runs.length - 1; i >= 0; i--) {
      const r = this.runs[i];
      if (r !== except && this.namesOf(r).assigns.includes(name)) return r;
    }
    return undefined;
  }
}

/** What {@link formatCellError} needs to know beyond the error itself. */
export interface ErrorContext {
  history: CellHistory;
  /** The cell being run, whose error this is. */
  current?: CellRun;
  /** The current value of a top-level name of an earlier cell (tslab keeps them on `exports`). */
  valueOf(name: string): unknown;
  /** True for a stack frame's file that belongs to this library (its frames are hidden too). */
  isLibraryFile(file: string): boolean;
  /** How to show a thrown value that is not an Error (the kernel passes util.inspect). */
  show(value: unknown): string;
}

interface ErrorLike {
  name: string;
  message: string;
  stack: string;
  cause?: unknown;
}

function errorLike(v: unknown): ErrorLike | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const e = v as Partial<ErrorLike>;
  if (typeof e.message !== 'string' || typeof e.stack !== 'string') return undefined;
  return { name: typeof e.name === 'string' ? e.name : 'Error', message: e.message, stack: e.stack, cause: e.cause };
}

/** "this cell" or `the cell starting "…"`. */
function cellLabel(run: CellRun, current: CellRun | undefined): string {
  return run === current ? 'this cell' : `the cell starting "${cellTitle(run.source)}"`;
}

/** A V8 function name as the learner wrote it ("Proxy.g" → "g", "Object.<anonymous>" → ""). */
function functionName(name: string): string {
  const n = name.replace(/^(?:Proxy|Object|exports)\./, '').replace(/ \[as [^\]]+\]$/, '');
  return n === '<anonymous>' || n === 'eval' ? '' : n;
}

/** Where in which cell a frame is: the cell run, its mapped source position. */
interface CellFrame {
  run: CellRun;
  frame: StackFrame;
  pos?: SourcePosition;
  map?: CellMap;
}

function cellFrames(frames: StackFrame[], ctx: ErrorContext): CellFrame[] {
  const out: CellFrame[] = [];
  for (const f of frames) {
    const run = ctx.history.byFile(f.file);
    if (!run) continue;
    const map = ctx.history.mapOf(run) ?? undefined;
    if (map && f.line > map.outputLines) continue; // tslab's wrapper call `})(__tslab__.exports, …)`
    const column = f.line === 1 ? f.column - run.prefixLength : f.column;
    const pos = map?.toSource(f.line, column);
    const prev = out[out.length - 1];
    if (prev && prev.run === run && prev.pos?.line === pos?.line && prev.frame.name === f.name) continue;
    out.push({ run, frame: f, pos, map });
  }
  return out;
}

/** The quoted line with a caret under `column` (tabs kept so that the caret lines up). */
function quote(map: CellMap, pos: SourcePosition): string[] {
  const text = map.sourceLine(pos.line);
  const num = String(pos.line);
  const pad = ' '.repeat(num.length);
  const col = Math.min(Math.max(pos.column - 1, 0), text.length);
  const under = text.slice(0, col).replace(/[^\t]/g, ' ');
  return [`  ${num} | ${text}`, `  ${pad} | ${under}^`];
}

/** The "at line N of this cell:" lines for the cell frames of an error. */
function locationLines(frames: CellFrame[], ctx: ErrorContext, maxFrames = 6): string[] {
  const lines: string[] = [];
  frames.slice(0, maxFrames).forEach((cf, i) => {
    const fn = functionName(cf.frame.name);
    const where = cf.pos ? `line ${cf.pos.line} of ${cellLabel(cf.run, ctx.current)}` : `${cellLabel(cf.run, ctx.current)} (line not known)`;
    const head = i === 0 ? (fn ? `in ${fn}, at ${where}:` : `at ${where}:`) : (fn ? `called from ${fn}, at ${where}:` : `called from ${where}:`);
    lines.push(cf.pos ? head : head.replace(/:$/, ''));
    if (cf.pos && cf.map) lines.push(...quote(cf.map, cf.pos));
  });
  if (frames.length > maxFrames) lines.push(`(${frames.length - maxFrames} more calls in cells not shown)`);
  return lines;
}

const NULLISH_TYPE_ERROR = /^Cannot read properties of (undefined|null)|^Cannot set properties of (undefined|null)|^Cannot destructure|is not a function|is not iterable|is not a constructor|^Cannot convert undefined or null/;

/**
 * Hints for the names from earlier cells, read on the failing line, whose value is undefined or
 * null: which cell makes each one and whether its last run failed. `always` adds a hint also when
 * that cell succeeded (the error is about undefined/null), otherwise only failed cells are named.
 */
function missingValueHints(cf: CellFrame | undefined, ctx: ErrorContext, message: string, always: boolean): string[] {
  if (!cf || !cf.pos || !cf.map || cf.run !== ctx.current) return [];
  const { start, end } = cf.map.statementAt(cf.pos.offset);
  const own = ctx.history.namesOf(cf.run).declares;
  const hints: string[] = [];
  for (const name of cf.map.earlierNamesIn(start, end)) {
    if (own.includes(name)) continue;
    let value: unknown;
    try {
      value = ctx.valueOf(name);
    } catch {
      continue;
    }
    if (value !== undefined && value !== null) continue;
    const state = value === null ? 'null' : 'undefined';
    if (new RegExp(`\\b${name.replace(/\$/g, '\\$')} is (undefined|null)\\b`).test(message)) continue; // need() said it already
    const maker = ctx.history.madeBy(name, ctx.current);
    if (maker && maker.status === 'interrupted') {
      hints.push(`${name} is ${state}: the cell that makes it, ${cellLabel(maker, ctx.current)}, ` +
        `was interrupted when it last ran. Run that cell to the end, then run this cell again.`);
    } else if (maker && (maker.status === 'failed' || maker.status === 'compile-error')) {
      hints.push(`${name} is ${state}: the cell that makes it, ${cellLabel(maker, ctx.current)}, ` +
        `failed when it last ran. Fix that cell and run it, then run this cell again.`);
    } else if (always && maker) {
      hints.push(`${name} is ${state} here; it was set by ${cellLabel(maker, ctx.current)}` +
        `${maker.status === 'running' || maker.status === 'compiling' ? ', which has not finished' : ''}.`);
    } else if (always) {
      hints.push(`${name} is ${state}: it comes from an earlier cell that has not run successfully in this kernel session. ` +
        `Run that cell first, then this one.`);
    }
  }
  return hints;
}

/**
 * The text a learner reads for an error thrown by a cell: the library's message first (or
 * `TypeError: …` for JavaScript's own errors), hints about values missing because an earlier cell
 * failed, then the cell line(s) where it happened with their code. Frames from the library, tslab
 * and Node are left out. Values that are not Errors (a thrown string) are shown as they are.
 * @param thrown what the cell threw
 * @param ctx the kernel's knowledge of the cells
 */
export function formatCellError(thrown: unknown, ctx: ErrorContext): string {
  const err = errorLike(thrown);
  if (!err) {
    const shown = typeof thrown === 'string' ? thrown : ctx.show(thrown);
    return `${shown}\n(${typeof thrown === 'string' ? 'a string' : `a value of type ${thrown === null ? 'null' : typeof thrown}`} ` +
      `was thrown, not an Error, so its line is not known: throw new Error(…) to see where it happens)`;
  }
  if ((thrown as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
    return 'Interrupted: the kernel was asked to stop this cell (Kernel > Interrupt), so it did not finish. ' +
      'What it makes is missing until it runs to the end.';
  }
  const frames = parseStack(err.stack);
  const cells = cellFrames(frames, ctx);
  const top = frames[0];
  const topInLibrary = top !== undefined && ctx.isLibraryFile(top.file);
  const authored = /^[A-Za-z_$][\w$.]*(?:\([\w$, ]*\))?: /.test(err.message);
  const showName = err.name !== 'Error' && !(topInLibrary && authored);
  const headline = showName ? `${err.name}: ${err.message}` : err.message;
  const nullish = err.name === 'TypeError' && NULLISH_TYPE_ERROR.test(err.message);
  const hints = missingValueHints(cells.find((c) => c.run === ctx.current), ctx, err.message,
    nullish || /\b(undefined|null)\b/.test(err.message));
  const lines: string[] = [];
  if (nullish && hints.length > 0) lines.push(...hints, `(${headline})`);
  else lines.push(headline, ...hints);
  let cause = err.cause;
  for (let depth = 0; cause !== undefined && depth < 3; depth++) {
    const c = errorLike(cause);
    lines.push(`Caused by: ${c ? (c.name !== 'Error' ? `${c.name}: ${c.message}` : c.message) : ctx.show(cause)}`);
    cause = c?.cause;
  }
  if (cells.length > 0) {
    lines.push('', ...locationLines(cells, ctx));
  } else if (frames.some((f) => f.file.startsWith('evalmachine.'))) {
    lines.push('', '(thrown in code of a cell that ran before \'../dist/notebook\' was imported: its line is not known)');
  } else if (frames.length > 0) {
    lines.push('', '(no line of a cell is on its call stack: it was made outside the code of the cells)');
  }
  return lines.join('\n');
}

const CANNOT_FIND_RE = /^(?:\S+ )?\d+:\d+ - Cannot find name '([^']+)'\./;

/**
 * A hint for one line of tslab's compile diagnostics: for "Cannot find name 'x'", which earlier
 * cell declares x and that it failed (tslab drops the declarations of a failed cell), or undefined
 * when there is nothing useful to add.
 * @param line one diagnostic as tslab prints it, e.g. "1:13 - Cannot find name 'history'."
 * @param history the cells run so far
 * @param current the cell being compiled
 */
export function diagnosticHint(line: string, history: CellHistory, current?: CellRun): string | undefined {
  const m = CANNOT_FIND_RE.exec(line.trim());
  if (!m) return undefined;
  const name = m[1];
  const maker = history.madeBy(name, current);
  if (maker && maker.status === 'interrupted') {
    return `  ${name} is declared by ${cellLabel(maker, current)}, which was interrupted when it last ran, so the kernel ` +
      `dropped its declarations. Run that cell to the end, then run this cell again.`;
  }
  if (maker && maker.status === 'failed') {
    return `  ${name} is declared by ${cellLabel(maker, current)}, which failed when it last ran, so the kernel ` +
      `dropped its declarations. Fix that cell and run it, then run this cell again.`;
  }
  if (maker && maker.status === 'compile-error') {
    return `  ${name} is declared by ${cellLabel(maker, current)}, which did not compile when it last ran. ` +
      `Fix that cell and run it, then run this cell again.`;
  }
  if (!maker && !/Did you mean/.test(line)) {
    return `  If ${name} is declared in a cell above, run that cell first (after a kernel restart, run the cells above this one).`;
  }
  return undefined;
}
