/**
 * Diagrams: graphs of boxes (nodes) joined by lines (edges), each box showing computed numbers,
 * drawn as one self-contained SVG. Two builders make the graphs: {@link pathDiagram}, the paths
 * from one variable to a function through intermediate variables (a total derivative as a sum over
 * paths), and {@link networkGraph}, a network's units with their forward values a[l] and, after a
 * backward pass, their gradients ∂L/∂a[l] (micrograd's "data | grad" drawing, one box per unit).
 *
 * `showDiagram(graph)` displays a graph in a notebook; `diagramHtml(graph)` is the pure HTML behind
 * it. The SVG has a viewBox and no fixed width: it is drawn at its natural size where there is room
 * and scales down as a whole (text included) in a narrow page, so boxes never overlap. It needs no
 * script and no library, so it draws in JupyterLab (trusted or not), in Classic Notebook and in the
 * exported offline page. Hover a box or a line for details (SVG `<title>` tooltips).
 */
import { Matrix } from '../core/matrix';
import { escapeHtml } from './plot';
import { SERIES_COLORS, SIGN, sub, sup, sym } from './style';

/** One box of a {@link Graph}. */
export interface GraphNode {
  /** Unique id, used by the edges. */
  id: string;
  /** Column (0, 1, 2, …: left to right) and row (in row units, up is larger; fractions allowed). */
  x: number;
  y: number;
  /** The first line, in bold (e.g. "a[1]₂"). */
  name: string;
  /** Shown after the name on the first line: "name = value" (e.g. "−0.3942"). */
  value?: string;
  /** Further lines (e.g. "∂L/∂a = 0.0353"). */
  lines?: readonly string[];
  /** Tooltip text (lines separated by "\n"). */
  hover?: string;
  /** Border colour (default dark grey). */
  border?: string;
  /** Background colour (default white). */
  fill?: string;
}

/** One line of a {@link Graph}, from node `from` to node `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  /** Line colour (default grey). */
  color?: string;
  /** Line width in px at natural size (default 1.5). */
  width?: number;
  /** A text box on the edge, at `labelAt`. */
  label?: string;
  /** Where along the edge the label sits, 0 (at `from`) to 1 (at `to`); default 0.5. */
  labelAt?: number;
  /** Tooltip text. */
  hover?: string;
  /** Draw an arrowhead where the line meets the box of `to`. */
  arrow?: boolean;
}

/** A graph to draw with {@link diagramHtml} / {@link showDiagram}. */
export interface Graph {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  /** The title above the drawing (computed by the caller). */
  title: string;
  /** Legend entries above the drawing: a colour swatch and its text. */
  legend?: ReadonlyArray<{ color: string; text: string }>;
  /** Labels under the columns, e.g. "layer 1: tanh". */
  columns?: ReadonlyArray<{ x: number; text: string }>;
  /** Horizontal room between the widest boxes of two neighbouring columns, px (default 70). */
  columnGap?: number;
  /** Distance between two rows, px (default 62). */
  rowHeight?: number;
}

const FONT = 13;
const SMALL = 11.5;
const PAD_X = 9;
const LINE = 16;
const DEFAULT_EDGE = '#9ca3af';
const BORDER = '#374151';
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${where}: ${name} must be a finite number; received ${typeof v === 'number' ? String(v) : typeof v}`);
  }
  return v;
}

/** An estimate of a text's width in px (no DOM to measure in the kernel): generous, so boxes fit. */
export function textWidth(text: string, size = FONT): number {
  let em = 0;
  for (const ch of text) {
    if ('il.,:;|!\'()[]'.includes(ch)) em += 0.32;
    else if ('mwMW∂Σ'.includes(ch)) em += 0.9;
    else if (/[₀-₉⁰-⁹⁽⁾ᵢⱼₗˡ]/.test(ch)) em += 0.45;
    else if (/[A-Z]/.test(ch)) em += 0.68;
    else if (ch === ' ') em += 0.3;
    else em += 0.58;
  }
  return em * size;
}

interface Placed { node: GraphNode; cx: number; cy: number; w: number; h: number }

function r1(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Where the segment from (x0, y0) towards the centre of box b leaves the box's border. */
function borderPoint(b: Placed, x0: number, y0: number): [number, number] {
  const dx = x0 - b.cx;
  const dy = y0 - b.cy;
  if (dx === 0 && dy === 0) return [b.cx, b.cy];
  const t = Math.min(dx === 0 ? Infinity : (b.w / 2 + 2) / Math.abs(dx), dy === 0 ? Infinity : (b.h / 2 + 2) / Math.abs(dy));
  return [b.cx + dx * Math.min(1, t), b.cy + dy * Math.min(1, t)];
}

/**
 * The HTML of a graph: a title, an optional legend, and one SVG with a viewBox (responsive, no
 * script). Boxes are sized from their text, columns spaced by the widest box plus `columnGap`, rows
 * by `rowHeight`; lines run between box borders underneath the boxes, with optional arrowheads and
 * labels; every box and line carries its tooltip. All text is escaped. Pure function.
 * @param graph the nodes, edges, title, legend and column labels
 * @returns an HTML fragment
 */
export function diagramHtml(graph: Graph): string {
  const where = 'diagramHtml';
  if (graph === null || typeof graph !== 'object' || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) {
    throw new Error(`${where}: graph must be an object { nodes: GraphNode[], edges: GraphEdge[], title }; received ${
      graph === null ? 'null' : typeof graph}`);
  }
  if (graph.nodes.length === 0) throw new Error(`${where}: graph.nodes must hold at least one node; received none`);
  const byId = new Map<string, Placed>();
  const colWidth = new Map<number, number>();
  graph.nodes.forEach((n, k) => {
    if (typeof n?.id !== 'string' || n.id === '') throw new Error(`${where}: nodes[${k}].id must be a non-empty string`);
    if (byId.has(n.id)) throw new Error(`${where}: node ids must be unique; "${n.id}" appears twice`);
    finite(where, `nodes[${k}].x`, n.x);
    finite(where, `nodes[${k}].y`, n.y);
    if (typeof n.name !== 'string') throw new Error(`${where}: nodes[${k}].name must be a string`);
    const first = textWidth(n.name) * 1.12 + (n.value !== undefined ? textWidth(` = ${n.value}`) : 0);
    const w = Math.max(first, ...(n.lines ?? []).map((l: string) => textWidth(l, SMALL))) + 2 * PAD_X;
    const h = LINE * (1 + (n.lines?.length ?? 0)) + 8;
    byId.set(n.id, { node: n, cx: 0, cy: 0, w, h });
    colWidth.set(n.x, Math.max(colWidth.get(n.x) ?? 0, w));
  });
  const gap = graph.columnGap ?? 70;
  const rowH = graph.rowHeight ?? 62;
  const cols = Array.from(colWidth.keys()).sort((u, v) => u - v);
  const colX = new Map<number, number>();
  let cursor = 10;
  for (const c of cols) {
    const w = colWidth.get(c) ?? 0;
    colX.set(c, cursor + w / 2);
    cursor += w + gap;
  }
  const width = cursor - gap + 10;
  const ys = graph.nodes.map((n) => n.y);
  const top = Math.max(...ys);
  const bottom = Math.min(...ys);
  const maxH = Math.max(...Array.from(byId.values(), (p) => p.h));
  const y0 = 8 + maxH / 2;
  for (const p of byId.values()) {
    p.cx = colX.get(p.node.x) ?? 0;
    p.cy = y0 + (top - p.node.y) * rowH;
  }
  const labelsY = y0 + (top - bottom) * rowH + maxH / 2 + 18;
  const height = labelsY + (graph.columns && graph.columns.length > 0 ? 10 : -10);
  const parts: string[] = [];
  const labels: string[] = [];
  graph.edges.forEach((e, k) => {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) throw new Error(`${where}: edges[${k}] joins "${e.from}" to "${e.to}", but ${!a ? `"${e.from}"` : `"${e.to}"`} is not a node id`);
    const color = escapeHtml(e.color ?? DEFAULT_EDGE);
    const w = e.width ?? 1.5;
    const [sx, sy] = borderPoint(a, b.cx, b.cy);
    const [tx, ty] = borderPoint(b, a.cx, a.cy);
    const title = e.hover ? `<title>${escapeHtml(e.hover)}</title>` : '';
    let arrow = '';
    if (e.arrow) {
      const len = Math.hypot(tx - sx, ty - sy) || 1;
      const ux = (tx - sx) / len;
      const uy = (ty - sy) / len;
      const s = 7 + w;
      const bx = tx - ux * s;
      const by = ty - uy * s;
      arrow = `<polygon points="${r1(tx)},${r1(ty)} ${r1(bx - uy * s * 0.45)},${r1(by + ux * s * 0.45)} ${r1(bx + uy * s * 0.45)},${r1(by - ux * s * 0.45)}" fill="${color}"/>`;
    }
    parts.push(`<g>${title}<line x1="${r1(sx)}" y1="${r1(sy)}" x2="${r1(tx)}" y2="${r1(ty)}" stroke="${color}" stroke-width="${r1(w)}" stroke-linecap="round"/>` +
      `${arrow}<line x1="${r1(sx)}" y1="${r1(sy)}" x2="${r1(tx)}" y2="${r1(ty)}" stroke="transparent" stroke-width="12" pointer-events="stroke"/></g>`);
    if (e.label) {
      const t = e.labelAt ?? 0.5;
      const lx = sx + t * (tx - sx);
      const ly = sy + t * (ty - sy);
      const lw = textWidth(e.label, SMALL) + 6;
      labels.push(`<g>${title}<rect x="${r1(lx - lw / 2)}" y="${r1(ly - 9)}" width="${r1(lw)}" height="17" rx="3" fill="#ffffff" fill-opacity="0.92"/>` +
        `<text x="${r1(lx)}" y="${r1(ly + 4)}" text-anchor="middle" font-size="${SMALL}" fill="#111827">${escapeHtml(e.label)}</text></g>`);
    }
  });
  for (const p of byId.values()) {
    const n = p.node;
    const title = n.hover ? `<title>${escapeHtml(n.hover)}</title>` : '';
    const x = p.cx - p.w / 2;
    const y = p.cy - p.h / 2;
    const first = `<tspan font-weight="bold">${escapeHtml(n.name)}</tspan>${n.value !== undefined ? escapeHtml(` = ${n.value}`) : ''}`;
    const rows = [`<text x="${r1(p.cx)}" y="${r1(y + 4 + 12)}" text-anchor="middle" font-size="${FONT}" fill="#111827">${first}</text>`];
    (n.lines ?? []).forEach((l, k) => {
      rows.push(`<text x="${r1(p.cx)}" y="${r1(y + 4 + 12 + LINE * (k + 1))}" text-anchor="middle" font-size="${SMALL}" fill="#374151">${escapeHtml(l)}</text>`);
    });
    parts.push(`<g>${title}<rect x="${r1(x)}" y="${r1(y)}" width="${r1(p.w)}" height="${r1(p.h)}" rx="4" fill="${escapeHtml(n.fill ?? '#ffffff')}" ` +
      `stroke="${escapeHtml(n.border ?? BORDER)}" stroke-width="1.5"/>${rows.join('')}</g>`);
  }
  for (const c of graph.columns ?? []) {
    const cx = colX.get(c.x);
    if (cx === undefined) continue;
    parts.push(`<text x="${r1(cx)}" y="${r1(labelsY)}" text-anchor="middle" font-size="${SMALL}" fill="#4b5563">${escapeHtml(c.text)}</text>`);
  }
  const legend = (graph.legend ?? []).map((l) =>
    `<span style="display:inline-flex;align-items:center;margin:0 14px 2px 0;white-space:nowrap;">` +
    `<span style="display:inline-block;width:22px;height:3px;background:${escapeHtml(l.color)};margin-right:6px;"></span>${escapeHtml(l.text)}</span>`).join('');
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return `<div class="bp-diagram" style="width:100%;margin:6px 0 10px 0;font-family:${FONT_FAMILY};color:#111827;">` +
    `<div style="text-align:center;font-size:16px;margin-bottom:4px;">${escapeHtml(graph.title)}</div>` +
    (legend ? `<div style="text-align:center;font-size:12.5px;margin-bottom:6px;line-height:1.5;">${legend}</div>` : '') +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="100%" preserveAspectRatio="xMidYMin meet" ` +
    `style="display:block;max-width:${w}px;height:auto;margin:0 auto;overflow:visible;" role="img" aria-label="${escapeHtml(graph.title)}" ` +
    `font-family="${escapeHtml(FONT_FAMILY)}">${parts.join('')}${labels.join('')}</svg></div>`;
}

interface TslabDisplay {
  html(s: string): void;
}

/**
 * Shows a graph as the output of the current cell (see {@link diagramHtml}).
 * @param graph a graph, e.g. from {@link pathDiagram} or {@link networkGraph}
 */
export function showDiagram(graph: Graph): void {
  const html = diagramHtml(graph);
  let display: TslabDisplay;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    display = (require('tslab') as { display: TslabDisplay }).display;
  } catch (e) {
    throw new Error(`showDiagram: tslab is not installed (${(e as Error).message}); use diagramHtml() outside notebooks`);
  }
  try {
    display.html(html);
  } catch (e) {
    throw new Error(`showDiagram: cannot display outside a running tslab kernel (${(e as Error).message}); use diagramHtml() instead`);
  }
}

/** A number for a box or a label: `digits` significant digits, a real minus sign, exponent form when tiny. */
export function diagramNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a < 1e-3 || a >= 1e5 ? v.toExponential(digits - 1).replace(/\.?0+e/, 'e') : String(Number(v.toPrecision(digits)));
  return s.replace('-', '−');
}

/**
 * The tutorial's weight symbol w⁽ˡ⁾ᵢⱼ for the weight from unit j of layer l−1 to unit i of layer l
 * (units counted from 1, as the tutorial does): `weightSymbol(2, 1, 3)` = "w⁽²⁾₁₃". In the library
 * it is `W[l].get(j − 1, i − 1)`.
 */
export function weightSymbol(l: number, i: number, j: number): string {
  return `w⁽${sup(l)}⁾${sub(i)}${sub(j)}`;
}

/** The tutorial's bias symbol b⁽ˡ⁾ᵢ (unit i of layer l, counted from 1): `biasSymbol(3, 2)` = "b⁽³⁾₂". */
export function biasSymbol(l: number, i: number): string {
  return `b⁽${sup(l)}⁾${sub(i)}`;
}

/** What {@link pathDiagram} draws: x, the variables it moves, and the function they feed. */
export interface PathDiagramSpec {
  /** The independent variable, e.g. `{ name: 'x', value: 1 }`. */
  input: { name: string; value: number };
  /**
   * The intermediate variables, one path each: their value, their rate d(via)/d(input) and the
   * partial derivative ∂(output)/∂(via). Optional labels replace the default `dt/dx` and `∂f/∂t`.
   */
  via: ReadonlyArray<{ name: string; value: number; rate: number; partial: number; rateLabel?: string; partialLabel?: string }>;
  /** The function at the end, e.g. `{ name: 'f', value: F(1) }`. */
  output: { name: string; value: number };
  /** The total derivative's symbol (default `d<output>/d<input>`). */
  totalLabel?: string;
  /** The title (computed by the caller). */
  title: string;
  /** Significant digits of the numbers shown (default 4). */
  digits?: number;
}

/**
 * The paths from one variable to a function through intermediate variables, e.g. x → t, u, v → f:
 * each first hop is labelled with its rate (dt/dx = …), each second hop with the partial derivative
 * (∂f/∂t = …), each path has its own colour and a legend entry with its product (∂f/∂t · dt/dx = …),
 * and the output box shows the total derivative, the sum of the path products. All numbers are the
 * caller's (computed, never typed).
 * @returns a graph for `showDiagram(graph)`
 */
export function pathDiagram(spec: PathDiagramSpec): Graph {
  const where = 'pathDiagram';
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.via) || spec.via.length === 0) {
    throw new Error(`${where}: spec must be an object { input, via: [...], output, title } with at least one path; received ${
      spec === null || typeof spec !== 'object' ? String(spec) : `via = ${String(spec.via)}`}`);
  }
  const digits = spec.digits ?? 4;
  const num = (v: number): string => diagramNumber(v, digits);
  const xName = spec.input.name;
  const fName = spec.output.name;
  finite(where, 'input.value', spec.input.value);
  finite(where, 'output.value', spec.output.value);
  const n = spec.via.length;
  const terms = spec.via.map((v, k) => {
    finite(where, `via[${k}].rate`, v.rate);
    finite(where, `via[${k}].partial`, v.partial);
    finite(where, `via[${k}].value`, v.value);
    return v.partial * v.rate;
  });
  const total = terms.reduce((s, t) => s + t, 0);
  const totalLabel = spec.totalLabel ?? `d${fName}/d${xName}`;
  const mid = (n - 1) / 2;
  const nodes: GraphNode[] = [
    { id: 'input', x: 0, y: 0, name: xName, value: num(spec.input.value) },
    ...spec.via.map((v, k) => ({ id: `via${k}`, x: 1, y: mid - k, name: v.name, value: num(v.value) })),
    { id: 'output', x: 2, y: 0, name: fName, value: num(spec.output.value), lines: [`${totalLabel} = ${num(total)}`],
      hover: `${totalLabel} = ${terms.map(num).join(' + ').replace(/\+ −/g, '− ')} = ${num(total)} (the sum over the ${n} paths)` },
  ];
  const edges: GraphEdge[] = [];
  const legend: Array<{ color: string; text: string }> = [];
  spec.via.forEach((v, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length];
    const rateLabel = v.rateLabel ?? `d${v.name}/d${xName}`;
    const partialLabel = v.partialLabel ?? `∂${fName}/∂${v.name}`;
    const hover = `path via ${v.name}: ${partialLabel} · ${rateLabel} = ${num(v.partial)} · ${num(v.rate)} = ${num(terms[k])}`;
    legend.push({ color, text: `via ${v.name}: ${partialLabel} · ${rateLabel} = ${num(terms[k])}` });
    edges.push({ from: 'input', to: `via${k}`, color, width: 2.5, arrow: true, hover, label: `${rateLabel} = ${num(v.rate)}`, labelAt: 0.45 });
    edges.push({ from: `via${k}`, to: 'output', color, width: 2.5, arrow: true, hover, label: `${partialLabel} = ${num(v.partial)}`, labelAt: 0.45 });
  });
  const widest = Math.max(...edges.map((e) => textWidth(e.label ?? '', SMALL)));
  return { nodes, edges, legend, title: spec.title, columnGap: Math.max(90, widest + 40), rowHeight: 66 };
}

/**
 * The numbers {@link networkGraph} draws. An `MLP` after `forward(X)` and `backward(y)` has all of
 * them; so does a plain object built from loops. Before a backward pass, pass only the forward
 * numbers (`{ layers, W, a, z, b, activations }`): an MLP's da, dW buffers hold zeros or the numbers
 * of an earlier backward pass until `backward` runs.
 */
export interface NetworkGraphInput {
  /** Layer sizes [n_0, …, n_L]. */
  layers: readonly number[];
  /** W[l], n_{l−1} x n_l, for l = 1..L (index 0 unused). */
  W: ReadonlyArray<Matrix | undefined>;
  /** a[l] for l = 0..L (a[0] = X), one row per sample. */
  a: ReadonlyArray<Matrix | undefined>;
  /** z[l] for l = 1..L (shown on hover). */
  z?: ReadonlyArray<Matrix | undefined>;
  /** b[l] for l = 1..L (shown on hover). */
  b?: ReadonlyArray<Matrix | undefined>;
  /** ∂L/∂a[l] for any layers that have it (shown in the boxes); da[0] is not drawn. */
  da?: ReadonlyArray<Matrix | undefined>;
  /** ∂L/∂z[l] (shown on hover). */
  dz?: ReadonlyArray<Matrix | undefined>;
  /** dW[l] = ∂L/∂W[l], shape of W[l] (lines are coloured by its sign when given). */
  dW?: ReadonlyArray<Matrix | undefined>;
  /** Activations f_1..f_L (their names label the columns). */
  activations?: ReadonlyArray<{ name: string }>;
}

/** Options of {@link networkGraph}. */
export interface NetworkGraphOptions {
  /** The title (computed by the caller). */
  title: string;
  /** Which sample (row of a[l]) to draw; default 0. */
  sample?: number;
  /** The loss of that sample: adds a box L after the outputs. */
  loss?: number;
  /** Colour and thickness of the lines by the weights W (default without dW) or by the gradients dW (default with dW). */
  edges?: 'weight' | 'gradient';
  /** Significant digits of the numbers shown (default 4). */
  digits?: number;
}

function unitName(l: number, L: number, i: number): string {
  if (l === 0) return sym.x(i + 1);
  if (l === L) return sym.yhat(i + 1);
  return sym.a(l, i + 1);
}

function matrixAt(where: string, name: string, list: ReadonlyArray<Matrix | undefined> | undefined, l: number,
  rows: number | null, cols: number): Matrix | undefined {
  const m = list?.[l];
  if (m === undefined || m === null) return undefined;
  if (!(m instanceof Matrix)) throw new Error(`${where}: ${name}[${l}] must be a Matrix; received ${typeof m}`);
  if ((rows !== null && m.rows !== rows) || m.cols !== cols) {
    throw new Error(`${where}: ${name}[${l}] must be ${rows ?? 'n'}x${cols}; received ${m.rows}x${m.cols}`);
  }
  return m;
}

/**
 * A network drawn unit by unit, micrograd style: one box per unit with its forward value a[l]ᵢ and,
 * when given, its gradient ∂L/∂a[l]ᵢ; one line per weight w⁽ˡ⁾ᵢⱼ, coloured by the sign of the weight
 * (or of its gradient ∂L/∂w⁽ˡ⁾ᵢⱼ) in the course's sign colours (red positive, blue negative) and
 * thicker for larger magnitudes. Hover a box for z, b and ∂L/∂z, a line for the weight, where it is
 * stored (`W[l].get(j, i)`) and its gradient. With `loss`, a box L (and ∂L/∂L = 1) closes the graph.
 * @param net the numbers to draw: an MLP after forward (and backward), or an object of the same shape
 * @param options title, sample row, loss, line colouring
 * @returns a graph for `showDiagram(graph)`
 */
export function networkGraph(net: NetworkGraphInput, options: NetworkGraphOptions): Graph {
  const where = 'networkGraph';
  if (net === null || typeof net !== 'object' || !Array.isArray(net.layers) || net.layers.length < 2) {
    throw new Error(`${where}: net must have layers [n_0, …, n_L] (at least two) plus W and a; received ${
      net === null ? 'null' : typeof net !== 'object' ? typeof net : `layers = ${String(net.layers)}`}`);
  }
  if (options === null || typeof options !== 'object' || typeof options.title !== 'string') {
    throw new Error(`${where}: options must be an object with a title string; received ${options === null ? 'null' : typeof options}`);
  }
  const layers = net.layers;
  const L = layers.length - 1;
  const s = options.sample ?? 0;
  const digits = options.digits ?? 4;
  const num = (v: number): string => diagramNumber(v, digits);
  if (!Array.isArray(net.a) || !(net.a[0] instanceof Matrix)) {
    throw new Error(`${where}: net.a must hold a[0..L] as matrices: run forward(X) first`);
  }
  const rows = net.a[0].rows;
  if (!Number.isInteger(s) || s < 0 || s >= rows) {
    throw new Error(`${where}: sample must be an integer row index in [0, ${rows - 1}]; received ${String(s)}`);
  }
  const a: Matrix[] = [];
  const W: Matrix[] = [];
  for (let l = 0; l <= L; l++) {
    const m = matrixAt(where, 'a', net.a, l, rows, layers[l]);
    if (!m) throw new Error(`${where}: a[${l}] is missing: run forward(X) first`);
    a[l] = m;
    if (l > 0) {
      const w = matrixAt(where, 'W', net.W, l, layers[l - 1], layers[l]);
      if (!w) throw new Error(`${where}: W[${l}] is missing`);
      W[l] = w;
    }
  }
  const useGradient = (options.edges ?? (net.dW && net.dW[L] ? 'gradient' : 'weight')) === 'gradient';
  const dW: Array<Matrix | undefined> = [];
  for (let l = 1; l <= L; l++) dW[l] = matrixAt(where, 'dW', net.dW, l, layers[l - 1], layers[l]);
  if (useGradient && dW.slice(1).some((m) => m === undefined)) {
    throw new Error(`${where}: edges: 'gradient' needs dW[1..L]: run backward(y) first`);
  }
  const nodes: GraphNode[] = [];
  for (let l = 0; l <= L; l++) {
    const da = l > 0 ? matrixAt(where, 'da', net.da, l, rows, layers[l]) : undefined;
    const z = l > 0 ? matrixAt(where, 'z', net.z, l, rows, layers[l]) : undefined;
    const dz = l > 0 ? matrixAt(where, 'dz', net.dz, l, rows, layers[l]) : undefined;
    const b = l > 0 ? matrixAt(where, 'b', net.b, l, 1, layers[l]) : undefined;
    for (let i = 0; i < layers[l]; i++) {
      const name = unitName(l, L, i);
      const value = a[l].get(s, i);
      const hover: string[] = [l === 0 ? `${name}: input ${i + 1} = a[0]${sub(i + 1)}` : `${name} = a[${l}]${sub(i + 1)}`];
      if (z) hover.push(`z[${l}]${sub(i + 1)} = ${num(z.get(s, i))}`);
      if (b) hover.push(`${biasSymbol(l, i + 1)} = b[${l}].get(0, ${i}) = ${num(b.get(0, i))}`);
      if (l > 0 && net.activations?.[l - 1]) hover.push(`a = ${net.activations[l - 1].name}(z) = ${num(value)}`);
      if (da) hover.push(`∂L/∂a[${l}]${sub(i + 1)} = ${num(da.get(s, i))}`);
      if (dz) hover.push(`∂L/∂z[${l}]${sub(i + 1)} = ${num(dz.get(s, i))}`);
      nodes.push({ id: `${l}:${i}`, x: l, y: (layers[l] - 1) / 2 - i, name, value: num(value),
        lines: da ? [`∂L/∂${l === L ? 'ŷ' : 'a'} = ${num(da.get(s, i))}`] : [], hover: hover.join('\n') });
    }
  }
  const edges: GraphEdge[] = [];
  let maxAbs = 0;
  for (let l = 1; l <= L; l++) {
    const m = useGradient ? (dW[l] as Matrix) : W[l];
    for (const v of m.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const what = useGradient ? '∂L/∂w' : 'w';
  for (let l = 1; l <= L; l++) {
    for (let i = 0; i < layers[l]; i++) {
      for (let j = 0; j < layers[l - 1]; j++) {
        const w = W[l].get(j, i);
        const g = dW[l]?.get(j, i);
        const v = useGradient ? (g as number) : w;
        const hover = [`${weightSymbol(l, i + 1, j + 1)} = W[${l}].get(${j}, ${i}) = ${num(w)}, from ${unitName(l - 1, L, j)} to ${unitName(l, L, i)}`];
        if (g !== undefined) hover.push(`∂L/∂${weightSymbol(l, i + 1, j + 1)} = dW[${l}].get(${j}, ${i}) = ${num(g)}`);
        edges.push({
          from: `${l - 1}:${j}`, to: `${l}:${i}`,
          color: v > 0 ? SIGN.positive : v < 0 ? SIGN.negative : DEFAULT_EDGE,
          width: 1 + (maxAbs > 0 ? (5 * Math.abs(v)) / maxAbs : 0),
          hover: hover.join('\n'),
        });
      }
    }
  }
  const columns = Array.from({ length: L + 1 }, (_, l) => ({
    x: l,
    text: l === 0 ? 'layer 0: x' : `layer ${l}${net.activations?.[l - 1] ? `: ${net.activations[l - 1].name}` : ''}`,
  }));
  if (options.loss !== undefined) {
    const loss = finite(where, 'options.loss', options.loss);
    const daL = matrixAt(where, 'da', net.da, L, rows, layers[L]);
    nodes.push({ id: 'L', x: L + 1, y: 0, name: 'L', value: num(loss), lines: daL ? ['∂L/∂L = 1'] : [],
      hover: 'the loss of this sample', border: '#111827', fill: '#f3f4f6' });
    for (let i = 0; i < layers[L]; i++) {
      edges.push({ from: `${L}:${i}`, to: 'L', color: DEFAULT_EDGE, width: 1.5,
        hover: daL ? `∂L/∂${sym.yhat(i + 1)} = ${num(daL.get(s, i))}` : `${sym.yhat(i + 1)} enters L` });
    }
    columns.push({ x: L + 1, text: 'loss' });
  }
  const legend = [
    { color: SIGN.positive, text: `${what} > 0` },
    { color: SIGN.negative, text: `${what} < 0` },
  ];
  return { nodes, edges, legend, columns, title: options.title, columnGap: 64, rowHeight: useGradient || net.da ? 64 : 50 };
}
