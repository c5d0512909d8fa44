/**
 * Diagrams as Plotly figures: a graph of boxes (nodes) joined by lines (edges), each box showing
 * computed numbers. Two builders use it: {@link pathDiagramFigure}, the paths from one variable to a
 * function through intermediate variables (a total derivative as a sum over paths), and
 * {@link networkGraphFigure}, a network's units with their forward values a[l] and, after a
 * backward pass, their gradients ∂L/∂a[l] (micrograd's "data | grad" drawing, one box per unit).
 *
 * Every builder returns a plain figure: pass it to `plot(figure)`. Boxes are Plotly annotations
 * (fixed-size text, positioned in data coordinates), so the drawing follows the page's width like
 * any chart, draws offline in exported pages, and shows details on hover.
 */
import { Matrix } from '../core/matrix';
import type { Annotations } from 'plotly.js';
import type { Data, Figure, Layout } from './plot';
import { SERIES_COLORS, SIGN, sub, sup, sym } from './style';

/** One box of a {@link GraphSpec}. */
export interface GraphNode {
  /** Unique id, used by the edges. */
  id: string;
  /** Position in data units (columns are usually 1 apart, rows 1 apart). */
  x: number;
  y: number;
  /** The lines of text in the box (Plotly's HTML subset: `<b>`, `<i>`, `<sub>`). */
  lines: readonly string[];
  /** Text shown on hover (lines separated by `<br>`). */
  hover?: string;
  /** Border colour (default dark grey). */
  border?: string;
  /** Background colour (default white). */
  fill?: string;
}

/** One line of a {@link GraphSpec}, from node `from` to node `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  /** Line colour (default grey). */
  color?: string;
  /** Line width in px (default 1.5). */
  width?: number;
  /** A text box on the edge (at `labelAt`). */
  label?: string;
  /** Where along the edge the label sits, 0 (at `from`) to 1 (at `to`); default 0.5. */
  labelAt?: number;
  /** Text shown on hover over the middle of the edge. */
  hover?: string;
  /** Draw an arrowhead (pointing from `from` to `to`) on the edge. */
  arrow?: boolean;
  /** The legend entry this edge belongs to (edges with the same name share one entry). */
  legend?: string;
}

/** A graph to draw with {@link graphFigure}. */
export interface GraphSpec {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  /** The chart title (computed by the caller). */
  title: string;
  /** Labels under the columns, e.g. "layer 1: tanh", at data x positions. */
  columns?: ReadonlyArray<{ x: number; text: string }>;
  /** Height in px (default: 80 px per row of boxes, at least 260); the width follows the page. */
  height?: number;
}

const DEFAULT_EDGE = '#9ca3af';
const BORDER = '#374151';

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${where}: ${name} must be a finite number; received ${typeof v === 'number' ? String(v) : typeof v}`);
  }
  return v;
}

/**
 * A graph of text boxes joined by lines, as a Plotly figure: nodes are annotations with a border
 * (their text stays readable at any zoom), edges are line traces underneath, with an invisible
 * marker in the middle of each edge that carries its hover text. Axes are hidden and fixed.
 * @param spec the nodes (positions in data units), the edges between them (by node id), the title
 * @returns a figure for `plot(figure)`
 */
export function graphFigure(spec: GraphSpec): Figure {
  const where = 'graphFigure';
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.nodes) || !Array.isArray(spec.edges)) {
    throw new Error(`${where}: spec must be an object { nodes: GraphNode[], edges: GraphEdge[], title }; received ${
      spec === null ? 'null' : typeof spec}`);
  }
  if (spec.nodes.length === 0) throw new Error(`${where}: spec.nodes must hold at least one node; received none`);
  const byId = new Map<string, GraphNode>();
  spec.nodes.forEach((n, k) => {
    if (typeof n?.id !== 'string' || n.id === '') throw new Error(`${where}: nodes[${k}].id must be a non-empty string`);
    if (byId.has(n.id)) throw new Error(`${where}: node ids must be unique; "${n.id}" appears twice`);
    finite(where, `nodes[${k}].x`, n.x);
    finite(where, `nodes[${k}].y`, n.y);
    if (!Array.isArray(n.lines)) throw new Error(`${where}: nodes[${k}].lines must be an array of strings`);
    byId.set(n.id, n);
  });
  const data: Data[] = [];
  const annotations: Array<Partial<Annotations>> = [];
  const hoverX: number[] = [];
  const hoverY: number[] = [];
  const hoverText: string[] = [];
  const legendShown = new Set<string>();
  spec.edges.forEach((e, k) => {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) {
      throw new Error(`${where}: edges[${k}] joins "${e.from}" to "${e.to}", but ${!from ? `"${e.from}"` : `"${e.to}"`} is not a node id`);
    }
    const color = e.color ?? DEFAULT_EDGE;
    const width = e.width ?? 1.5;
    const at = (t: number): [number, number] => [from.x + t * (to.x - from.x), from.y + t * (to.y - from.y)];
    const showlegend = e.legend !== undefined && !legendShown.has(e.legend);
    if (e.legend !== undefined) legendShown.add(e.legend);
    data.push({
      type: 'scatter', mode: 'lines', x: [from.x, to.x], y: [from.y, to.y],
      line: { color, width }, hoverinfo: 'skip',
      name: e.legend ?? '', showlegend, ...(e.legend !== undefined ? { legendgroup: e.legend } : {}),
    });
    if (e.hover) {
      const [mx, my] = at(0.5);
      hoverX.push(mx);
      hoverY.push(my);
      hoverText.push(e.hover);
    }
    if (e.arrow) {
      const [hx, hy] = at(0.72);
      const [tx, ty] = at(0.6);
      annotations.push({ x: hx, y: hy, ax: tx, ay: ty, xref: 'x', yref: 'y', axref: 'x', ayref: 'y', text: '',
        showarrow: true, arrowhead: 2, arrowsize: 1.1, arrowwidth: Math.max(1.5, width), arrowcolor: color });
    }
    if (e.label) {
      const [lx, ly] = at(e.labelAt ?? 0.5);
      annotations.push({ x: lx, y: ly, xref: 'x', yref: 'y', text: e.label, showarrow: false,
        font: { size: 11, color: '#111827' }, bgcolor: 'rgba(255,255,255,0.92)', borderpad: 2,
        ...(e.hover ? { hovertext: e.hover } : {}) });
    }
  });
  if (hoverText.length > 0) {
    data.push({ type: 'scatter', mode: 'markers', x: hoverX, y: hoverY, text: hoverText, hoverinfo: 'text',
      marker: { size: 14, color: 'rgba(0,0,0,0)' }, showlegend: false, name: 'edges' });
  }
  for (const n of spec.nodes) {
    annotations.push({ x: n.x, y: n.y, xref: 'x', yref: 'y', text: n.lines.join('<br>'), showarrow: false,
      align: 'center', font: { size: 12, color: '#111827' }, bgcolor: n.fill ?? '#ffffff',
      bordercolor: n.border ?? BORDER, borderwidth: 1.5, borderpad: 5, ...(n.hover ? { hovertext: n.hover } : {}) });
  }
  const xs = spec.nodes.map((n) => n.x);
  const ys = spec.nodes.map((n) => n.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const rows = y1 - y0 + 1;
  for (const c of spec.columns ?? []) {
    annotations.push({ x: c.x, y: 0, xref: 'x', yref: 'paper', yanchor: 'top', text: c.text, showarrow: false,
      font: { size: 12, color: '#4b5563' } });
  }
  const layout: Partial<Layout> = {
    title: { text: spec.title },
    height: spec.height ?? Math.max(260, Math.round(80 * rows + 120)),
    xaxis: { visible: false, fixedrange: true, range: [x0 - 0.5, x1 + 0.5] },
    yaxis: { visible: false, fixedrange: true, range: [y0 - 0.6, y1 + 0.6] },
    hovermode: 'closest',
    showlegend: legendShown.size > 0,
    legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
    margin: { l: 10, r: 10, t: legendShown.size > 0 ? 80 : 50, b: spec.columns && spec.columns.length > 0 ? 40 : 10 },
    annotations,
    plot_bgcolor: '#ffffff',
  };
  return { data, layout, config: { displayModeBar: false } };
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

/** What {@link pathDiagramFigure} draws: x, the variables it moves, and the function they feed. */
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
  /** The chart title (computed by the caller). */
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
 * @returns a figure for `plot(figure)`
 */
export function pathDiagramFigure(spec: PathDiagramSpec): Figure {
  const where = 'pathDiagramFigure';
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
    { id: 'input', x: 0, y: 0, lines: [`<b>${xName}</b> = ${num(spec.input.value)}`] },
    ...spec.via.map((v, k) => ({ id: `via${k}`, x: 1, y: mid - k, lines: [`<b>${v.name}</b> = ${num(v.value)}`] })),
    { id: 'output', x: 2, y: 0, lines: [`<b>${fName}</b> = ${num(spec.output.value)}`, `${totalLabel} = ${num(total)}`],
      hover: `${totalLabel} = ${terms.map(num).join(' + ').replace(/\+ −/g, '− ')}<br>= ${num(total)} (sum over the ${n} paths)` },
  ];
  const edges: GraphEdge[] = [];
  spec.via.forEach((v, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length];
    const rateLabel = v.rateLabel ?? `d${v.name}/d${xName}`;
    const partialLabel = v.partialLabel ?? `∂${fName}/∂${v.name}`;
    const legend = `path via ${v.name}: ${partialLabel} · ${rateLabel} = ${num(terms[k])}`;
    const hover = `path via ${v.name}<br>${partialLabel} · ${rateLabel} = ${num(v.partial)} · ${num(v.rate)} = ${num(terms[k])}`;
    edges.push({ from: 'input', to: `via${k}`, color, width: 2.5, arrow: true, legend, hover,
      label: `${rateLabel} = ${num(v.rate)}`, labelAt: 0.45 });
    edges.push({ from: `via${k}`, to: 'output', color, width: 2.5, arrow: true, legend, hover,
      label: `${partialLabel} = ${num(v.partial)}`, labelAt: 0.5 });
  });
  return graphFigure({ nodes, edges, title: spec.title, height: Math.max(300, 95 * n + 150) });
}

/**
 * The numbers {@link networkGraphFigure} draws. An `MLP` after `forward(X)` and `backward(y)` has
 * all of them; so does a plain object built from loops. Before a backward pass, pass only the
 * forward numbers (`{ layers, W, a, z, b, activations }`): an MLP's da, dW buffers hold zeros or
 * the numbers of an earlier backward pass until `backward` runs.
 */
export interface NetworkGraphInput {
  /** Layer sizes [n_0, …, n_L]. */
  layers: readonly number[];
  /** W[l], n_{l−1} x n_l, for l = 1..L (index 0 unused). */
  W: readonly Matrix[];
  /** a[l] for l = 0..L (a[0] = X), one row per sample. */
  a: readonly Matrix[];
  /** z[l] for l = 1..L (shown on hover). */
  z?: readonly Matrix[];
  /** b[l] for l = 1..L (shown on hover). */
  b?: readonly Matrix[];
  /** ∂L/∂a[l] for any layers that have it (shown in the boxes); da[0] is not drawn. */
  da?: ReadonlyArray<Matrix | undefined>;
  /** ∂L/∂z[l] (shown on hover). */
  dz?: ReadonlyArray<Matrix | undefined>;
  /** dW[l] = ∂L/∂W[l], shape of W[l] (edges are coloured by its sign when given). */
  dW?: ReadonlyArray<Matrix | undefined>;
  /** Activations f_1..f_L (their names label the columns). */
  activations?: ReadonlyArray<{ name: string }>;
}

/** Options of {@link networkGraphFigure}. */
export interface NetworkGraphOptions {
  /** The chart title (computed by the caller). */
  title: string;
  /** Which sample (row of a[l]) to draw; default 0. */
  sample?: number;
  /** The loss of that sample: adds a box L after the outputs. */
  loss?: number;
  /** Colour and thickness of the edges by the weights W (default without dW) or by the gradients dW (default with dW). */
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
 * thicker for larger magnitudes. Hover a box for z, b and ∂L/∂z, an edge for the weight, where it is
 * stored (`W[l].get(j, i)`) and its gradient. With `loss`, a box L (and ∂L/∂L = 1) closes the graph.
 * @param net the numbers to draw: an MLP after forward (and backward), or an object of the same shape
 * @param options title, sample row, loss, edge colouring
 * @returns a figure for `plot(figure)`
 */
export function networkGraphFigure(net: NetworkGraphInput, options: NetworkGraphOptions): Figure {
  const where = 'networkGraphFigure';
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
  const yOf = (l: number, i: number): number => (layers[l] - 1) / 2 - i;
  const nodes: GraphNode[] = [];
  for (let l = 0; l <= L; l++) {
    const da = l > 0 ? matrixAt(where, 'da', net.da, l, rows, layers[l]) : undefined;
    const z = l > 0 ? matrixAt(where, 'z', net.z, l, rows, layers[l]) : undefined;
    const dz = l > 0 ? matrixAt(where, 'dz', net.dz, l, rows, layers[l]) : undefined;
    const b = l > 0 ? matrixAt(where, 'b', net.b, l, 1, layers[l]) : undefined;
    for (let i = 0; i < layers[l]; i++) {
      const name = unitName(l, L, i);
      const value = a[l].get(s, i);
      const lines = [`<b>${name}</b> = ${num(value)}`];
      if (da) lines.push(`∂L/∂${l === L ? 'ŷ' : 'a'} = ${num(da.get(s, i))}`);
      const hover: string[] = [l === 0 ? `${name}: input ${i + 1} = a[0]${sub(i + 1)}` : `${name} = a[${l}]${sub(i + 1)}`];
      if (z) hover.push(`z[${l}]${sub(i + 1)} = ${num(z.get(s, i))}`);
      if (b) hover.push(`${biasSymbol(l, i + 1)} = ${num(b.get(0, i))} (b[${l}].get(0, ${i}))`);
      if (l > 0 && net.activations?.[l - 1]) hover.push(`a = ${net.activations[l - 1].name}(z) = ${num(value)}`);
      if (da) hover.push(`∂L/∂a[${l}]${sub(i + 1)} = ${num(da.get(s, i))}`);
      if (dz) hover.push(`∂L/∂z[${l}]${sub(i + 1)} = ${num(dz.get(s, i))}`);
      nodes.push({ id: `${l}:${i}`, x: l, y: yOf(l, i), lines, hover: hover.join('<br>') });
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
        const sign = v > 0 ? 'positive' : v < 0 ? 'negative' : 'zero';
        const hover = [`${weightSymbol(l, i + 1, j + 1)} = W[${l}].get(${j}, ${i}) = ${num(w)}`,
          `from ${unitName(l - 1, L, j)} to ${unitName(l, L, i)}`];
        if (g !== undefined) hover.push(`∂L/∂${weightSymbol(l, i + 1, j + 1)} = dW[${l}].get(${j}, ${i}) = ${num(g)}`);
        edges.push({
          from: `${l - 1}:${j}`, to: `${l}:${i}`,
          color: sign === 'zero' ? DEFAULT_EDGE : SIGN[sign],
          width: 1 + (maxAbs > 0 ? (6 * Math.abs(v)) / maxAbs : 0),
          hover: hover.join('<br>'),
          legend: sign === 'positive' ? `${what} > 0` : sign === 'negative' ? `${what} < 0` : `${what} = 0`,
        });
      }
    }
  }
  const columns = Array.from({ length: L + 1 }, (_, l) => ({
    x: l,
    text: l === 0 ? 'layer 0: x = a[0]' : `layer ${l}${net.activations?.[l - 1] ? `: ${net.activations[l - 1].name}` : ''}`,
  }));
  if (options.loss !== undefined) {
    const loss = finite(where, 'options.loss', options.loss);
    nodes.push({ id: 'L', x: L + 1, y: 0, lines: [`<b>L</b> = ${num(loss)}`, ...(net.da?.[L] ? ['∂L/∂L = 1'] : [])],
      hover: 'the loss of this sample', border: '#111827', fill: '#f3f4f6' });
    const daL = matrixAt(where, 'da', net.da, L, rows, layers[L]);
    for (let i = 0; i < layers[L]; i++) {
      edges.push({ from: `${L}:${i}`, to: 'L', color: DEFAULT_EDGE, width: 1.5,
        hover: daL ? `∂L/∂${sym.yhat(i + 1)} = ${num(daL.get(s, i))}` : `${sym.yhat(i + 1)} enters L` });
    }
    columns.push({ x: L + 1, text: 'loss' });
  }
  const maxUnits = Math.max(...layers);
  return graphFigure({ nodes, edges, title: options.title, columns, height: Math.max(320, 88 * maxUnits + 150) });
}
