/**
 * Figures of matrices for the notebooks (plain Plotly specs; pass them to `plot`):
 *
 * - {@link signedHeatmapFigure}: one or more matrices side by side as heatmaps on the course's sign
 *   scale (red positive, blue negative, white zero), with one shared symmetric colour range, so that
 *   weights, Jacobians and gradients can be compared entry by entry;
 * - {@link shapeFlowFigure}: a shape-flow diagram, each matrix of an equation drawn as a box whose
 *   sides follow its shape, the dimensions that a product sums over highlighted, transposed factors
 *   dashed: where the transposes go in back-propagation's matrix equations;
 * - {@link layerShapeEquations}: the equations of one layer (forward and backward, row-major batch
 *   form or the tutorial's column form) for any layer sizes, ready for {@link shapeFlowFigure}.
 */
import { Matrix } from '../core/matrix';
import type { Data, Figure, Layout } from './plot';
import { SERIES_COLORS, SIGN_SCALE, sub } from './style';

function bad(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function describeValue(v: unknown): string {
  if (v instanceof Matrix) return `a ${v.rows}x${v.cols} Matrix`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v;
}

/** One matrix of a {@link signedHeatmapFigure}. */
export interface HeatmapPanel {
  /** The matrix drawn: entry (i, j) in row i + 1, column j + 1, row 1 at the top (as it is printed). */
  matrix: Matrix;
  /** The panel's title, e.g. "W[2] as stored (n₁ x n₂)". */
  title: string;
  /** What a row is, e.g. "unit j of a[1]" (the axis title). */
  rowLabel: string;
  /** What a column is, e.g. "unit i of z[2]". */
  colLabel: string;
}

/** Options of {@link signedHeatmapFigure}. */
export interface SignedHeatmapOptions {
  /** The matrices, drawn left to right. */
  panels: HeatmapPanel[];
  /** The chart's title. */
  title: string;
  /** Significant digits of the value written in each cell (default 3; 0 writes none). */
  digits?: number;
  /** The colour bar's title, e.g. "value" or "dL/dW" (default "value"). */
  valueName?: string;
  /** Chart height in px (default: from the largest panel, 300-560); the width follows the page. */
  height?: number;
}

function rounded(v: number, digits: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(Math.max(digits, 4))) : null;
}

/**
 * Matrices side by side as heatmaps on the sign scale `SIGN_SCALE` (red > 0, blue < 0, white 0),
 * all panels sharing one range [−m, m] with m = the largest |entry| of any panel, so equal colours
 * mean equal numbers across panels; each panel's width is proportional to its number of columns. Rows are numbered from 1 at the top, columns from 1 at the left,
 * as the matrix is printed; cells are square; the value is written in each cell.
 */
export function signedHeatmapFigure(options: SignedHeatmapOptions): Figure {
  const where = 'signedHeatmapFigure';
  if (options === null || typeof options !== 'object' || !Array.isArray(options.panels) || options.panels.length === 0) {
    bad(where, `options.panels must be a non-empty array of { matrix, title, rowLabel, colLabel }; received ${
      options === null || typeof options !== 'object' ? String(options) : describeValue(options.panels)}`);
  }
  const digits = options.digits ?? 3;
  if (!Number.isInteger(digits) || digits < 0 || digits > 8) bad(where, `digits must be an integer in [0, 8]; received ${String(digits)}`);
  options.panels.forEach((p, k) => {
    if (p === null || typeof p !== 'object' || !(p.matrix instanceof Matrix)) {
      bad(where, `panels[${k}].matrix must be a Matrix; received ${p === null || typeof p !== 'object' ? String(p) : describeValue(p.matrix)}`);
    }
    if (p.matrix.size === 0) bad(where, `panels[${k}].matrix is empty (${p.matrix.rows}x${p.matrix.cols})`);
  });
  let m = 0;
  for (const p of options.panels) for (const v of p.matrix.data) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  if (m === 0) m = 1;
  const count = options.panels.length;
  const gap = count > 1 ? 0.1 : 0;
  // Panel widths proportional to the numbers of columns, so that cells have one size in every panel;
  // 0.92 leaves room for the colour bar on the right.
  const totalCols = options.panels.reduce((sum, p) => sum + p.matrix.cols, 0);
  const widthOf = (p: HeatmapPanel): number => ((0.92 - gap * (count - 1)) * p.matrix.cols) / totalCols;
  let left = 0;
  const data: Data[] = [];
  const layout: Partial<Layout> & Record<string, unknown> = {
    title: { text: options.title },
    annotations: [],
    margin: { t: 90, b: 60 },
  };
  const annotations: Array<Record<string, unknown>> = [];
  let tallest = 1;
  options.panels.forEach((p, k) => {
    const A = p.matrix;
    tallest = Math.max(tallest, A.rows);
    const suffix = k === 0 ? '' : String(k + 1);
    const xs = Array.from({ length: A.cols }, (_, j) => j + 1);
    const ys = Array.from({ length: A.rows }, (_, i) => i + 1);
    const z = A.toArray().map((row) => row.map((v) => rounded(v, digits)));
    const trace: Record<string, unknown> = {
      type: 'heatmap', x: xs, y: ys, z, zmin: -m, zmax: m, zmid: 0, colorscale: SIGN_SCALE,
      xaxis: `x${suffix}`, yaxis: `y${suffix}`, xgap: 2, ygap: 2, name: p.title,
      showscale: k === count - 1,
      hovertemplate: `${p.title}<br>row %{y} (${p.rowLabel}), column %{x} (${p.colLabel})<br>value %{z}<extra></extra>`,
    };
    if (digits > 0) trace.texttemplate = `%{z:.${digits}g}`;
    if (k === count - 1) trace.colorbar = { title: { text: options.valueName ?? 'value' }, thickness: 12, x: 1.0 };
    data.push(trace as Data);
    const width = widthOf(p);
    const x0 = left;
    left += width + gap;
    layout[`xaxis${suffix}`] = {
      domain: [x0, x0 + width], anchor: `y${suffix}`, title: { text: p.colLabel }, tickvals: xs, side: 'bottom',
      constrain: 'domain', showgrid: false, zeroline: false,
    };
    layout[`yaxis${suffix}`] = {
      anchor: `x${suffix}`, title: { text: p.rowLabel }, tickvals: ys, autorange: 'reversed',
      scaleanchor: `x${suffix}`, scaleratio: 1, constrain: 'domain', showgrid: false, zeroline: false,
    };
    annotations.push({ text: p.title, x: x0 + width / 2, y: 1.02, xref: 'paper', yref: 'paper', xanchor: 'center',
      yanchor: 'bottom', showarrow: false });
  });
  layout.annotations = annotations as Layout['annotations'];
  layout.height = options.height ?? Math.max(300, Math.min(560, 160 + 48 * tallest));
  return { data, layout: layout as Partial<Layout> };
}

/** One matrix of a shape-flow equation. */
export interface ShapeBox {
  /** Its name as the equation writes it, e.g. "a[1]ᵀ", "dW[2]", "1ᵀ". */
  label: string;
  /** Number of rows (≥ 1). */
  rows: number;
  /** Number of columns (≥ 1). */
  cols: number;
  /** The symbol of the row dimension, e.g. "n" or "n₁"; default: the number alone. */
  rowDim?: string;
  /** The symbol of the column dimension. */
  colDim?: string;
  /** For a transposed factor: the matrix as stored, e.g. "a[1], n x n₁" (drawn dashed, with this note). */
  transposeOf?: string;
  /** 'value' (grey, default), 'gradient' (orange: a derivative dX = ∂L/∂X), 'ones' (a vector of ones), 'parameter' (blue). */
  kind?: 'value' | 'gradient' | 'ones' | 'parameter';
}

/** An operator between boxes: '·' matrix product, '+' sum (a 1 x c row is added to every row), '⊙' entry-wise product. */
export type ShapeOperator = '·' | '+' | '⊙';

/** One equation of a {@link shapeFlowFigure}: `result = terms[0] op terms[2] op …`. */
export interface ShapeEquation {
  /** The left-hand side. */
  result: ShapeBox;
  /** Boxes and operators alternating, starting and ending with a box. */
  terms: Array<ShapeBox | ShapeOperator>;
  /** A caption written to the right of the equation, e.g. "summed over the n samples". */
  note?: string;
}

/** Options of {@link shapeFlowFigure}. */
export interface ShapeFlowOptions {
  /** The chart's title. */
  title: string;
  /** The equations, drawn one per row, top to bottom. */
  equations: ShapeEquation[];
  /**
   * How box sides follow the dimensions: 'linear' (proportional) or 'log' (1 + log₂ d, for a
   * batch of hundreds of samples beside layers of a few units). Default: linear when every
   * dimension is at most 12, else log.
   */
  scale?: 'linear' | 'log';
  /** Chart height in px (default: from the number of equations). */
  height?: number;
}

const BOX_FILL: Record<NonNullable<ShapeBox['kind']>, string> = {
  value: '#e5e7eb',
  gradient: '#fde2c4',
  ones: '#ffffff',
  parameter: '#d6e6f5',
};
const ACCENT = SERIES_COLORS[5]; // the summed (contracted) dimension
const INK = '#111827';

function checkBox(where: string, name: string, b: unknown): ShapeBox {
  const box = b as Partial<ShapeBox> | null;
  if (box === null || typeof box !== 'object' || typeof box.label !== 'string') {
    bad(where, `${name} must be a box { label, rows, cols }; received ${box === null ? 'null' : typeof box}`);
  }
  for (const key of ['rows', 'cols'] as const) {
    const v = box[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(where, `${name}.${key} must be a positive integer; received ${String(v)}`);
  }
  return box as ShapeBox;
}

/** "n = 6" (symbol and size) or "6". */
function dimText(symbol: string | undefined, size: number): string {
  return symbol === undefined || symbol === String(size) ? String(size) : `${symbol} = ${size}`;
}

/**
 * A shape-flow diagram: each equation is drawn as boxes, one per matrix, with sides that follow the
 * matrix's rows (height) and columns (width), the row dimension written on the left of each box and
 * the column dimension above it. In a product A·B the two dimensions that must agree (A's columns,
 * B's rows) are written in the accent colour and the product is labelled "Σ over …": the sum over
 * that dimension, e.g. over the n samples in dW[l] = a[l−1]ᵀ·dz[l]. Transposed factors are dashed
 * and name the matrix as stored. Throws if an equation's shapes do not fit (so a diagram cannot
 * show an impossible product).
 */
export function shapeFlowFigure(options: ShapeFlowOptions): Figure {
  const where = 'shapeFlowFigure';
  if (options === null || typeof options !== 'object' || !Array.isArray(options.equations) || options.equations.length === 0) {
    bad(where, `options.equations must be a non-empty array of { result, terms }; received ${
      options === null || typeof options !== 'object' ? String(options) : describeValue(options.equations)}`);
  }
  const equations = options.equations.map((eq, e) => {
    if (eq === null || typeof eq !== 'object' || !Array.isArray(eq.terms) || eq.terms.length === 0 || eq.terms.length % 2 === 0) {
      bad(where, `equations[${e}].terms must alternate boxes and operators, starting and ending with a box; received ${
        eq === null || typeof eq !== 'object' ? String(eq) : describeValue(eq.terms)}`);
    }
    const result = checkBox(where, `equations[${e}].result`, eq.result);
    const boxes: ShapeBox[] = [];
    const ops: ShapeOperator[] = [];
    eq.terms.forEach((t, k) => {
      if (k % 2 === 0) boxes.push(checkBox(where, `equations[${e}].terms[${k}]`, t));
      else if (t === '·' || t === '+' || t === '⊙') ops.push(t);
      else bad(where, `equations[${e}].terms[${k}] must be an operator '·', '+' or '⊙'; received ${JSON.stringify(t)}`);
    });
    // The shape of the right-hand side, evaluated left to right (products first would change nothing
    // for the equations of back-propagation, which have at most one kind of operator after a product).
    let rows = boxes[0].rows;
    let cols = boxes[0].cols;
    let text = `${boxes[0].label} (${rows}x${cols})`;
    ops.forEach((op, k) => {
      const b = boxes[k + 1];
      if (op === '·') {
        if (cols !== b.rows) {
          bad(where, `equations[${e}] (${result.label}): ${text} · ${b.label} (${b.rows}x${b.cols}) is not defined: the left factor has ${cols} columns, the right one ${b.rows} rows`);
        }
        cols = b.cols;
      } else if (op === '+') {
        const broadcast = b.rows === 1 && b.cols === cols;
        if (!broadcast && (b.rows !== rows || b.cols !== cols)) {
          bad(where, `equations[${e}] (${result.label}): ${text} + ${b.label} (${b.rows}x${b.cols}): a sum needs equal shapes or a 1x${cols} row`);
        }
      } else if (b.rows !== rows || b.cols !== cols) {
        bad(where, `equations[${e}] (${result.label}): ${text} ⊙ ${b.label} (${b.rows}x${b.cols}): an entry-wise product needs equal shapes`);
      }
      text = `${text} ${op} ${b.label} (${b.rows}x${b.cols})`;
    });
    if (rows !== result.rows || cols !== result.cols) {
      bad(where, `equations[${e}]: ${text} is ${rows}x${cols}, but the result ${result.label} is drawn ${result.rows}x${result.cols}`);
    }
    return { result, boxes, ops, note: eq.note };
  });

  const dims = equations.flatMap((q) => [q.result, ...q.boxes].flatMap((b) => [b.rows, b.cols]));
  const scale = options.scale ?? (Math.max(...dims) <= 12 ? 'linear' : 'log');
  if (scale !== 'linear' && scale !== 'log') bad(where, `scale must be 'linear' or 'log'; received ${String(scale)}`);
  const side = (d: number): number => (scale === 'linear' ? d : 1 + Math.log2(d));
  // Text has a fixed size in pixels: when the boxes are large, every gap grows with them (k), so that
  // the labels keep their room whatever the scale.
  const k = Math.max(1, Math.max(...dims.map(side)) / 6);

  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const label = (x: number, y: number, text: string, extra: Record<string, unknown> = {}): void => {
    annotations.push({ x, y, text, xref: 'x', yref: 'y', showarrow: false, font: { size: 13, color: INK }, ...extra });
  };
  const OP_ROOM = 1.8 * k; // horizontal room for an operator
  const LEFT_ROOM = 2.4 * k; // room for a row-dimension label, left of each box
  let top = 0;
  let widest = 0;
  equations.forEach((q) => {
    const all = [q.result, ...q.boxes];
    const height = Math.max(...all.map((b) => side(b.rows)));
    const mid = top + 1.4 * k + height / 2; // room above for the column-dimension labels
    let x = LEFT_ROOM;
    // Which dimensions are summed: A.cols and B.rows of each product.
    const summedCols = new Set<number>();
    const summedRows = new Set<number>();
    q.ops.forEach((op, k) => {
      if (op === '·') {
        summedCols.add(k);
        summedRows.add(k + 1);
      }
    });
    const drawBox = (b: ShapeBox, accentCols: boolean, accentRows: boolean): { left: number; right: number } => {
      const w = side(b.cols);
      const h = side(b.rows);
      const y0 = mid - h / 2;
      shapes.push({
        type: 'rect', xref: 'x', yref: 'y', x0: x, x1: x + w, y0, y1: y0 + h,
        fillcolor: BOX_FILL[b.kind ?? 'value'], line: { color: INK, width: 1.5, dash: b.transposeOf ? 'dash' : 'solid' },
      });
      const accent = { font: { size: 12, color: ACCENT }, };
      label(x + w / 2, y0 - 0.45 * k, dimText(b.colDim, b.cols), accentCols ? accent : { font: { size: 12, color: '#4b5563' } });
      label(x - 0.25 * k, mid, dimText(b.rowDim, b.rows), { xanchor: 'right', ...(accentRows ? accent : { font: { size: 12, color: '#4b5563' } }) });
      label(x + w / 2, y0 + h + 0.5 * k, `<b>${b.label}</b>`, { yanchor: 'top' });
      if (b.transposeOf) label(x + w / 2, y0 + h + 1.35 * k, `(stored: ${b.transposeOf})`, { yanchor: 'top', font: { size: 11, color: '#4b5563' } });
      const span = { left: x, right: x + w };
      x += w;
      return span;
    };
    drawBox(q.result, false, false);
    label(x + OP_ROOM / 2, mid, '=', { font: { size: 18, color: INK } });
    x += OP_ROOM + LEFT_ROOM;
    let previous = drawBox(q.boxes[0], summedCols.has(0), summedRows.has(0));
    q.ops.forEach((op, k) => {
      const opX = x + OP_ROOM / 2;
      label(opX, mid, op === '·' ? '<b>·</b>' : op, { font: { size: 22, color: INK } });
      if (op === '·') {
        const left = q.boxes[k];
        label(opX, mid + 0.9 * k, `Σ over ${left.colDim ?? left.cols}`, { yanchor: 'top', font: { size: 11, color: ACCENT } });
      } else if (op === '+' && q.boxes[k + 1].rows === 1 && q.boxes[k].rows !== 1) {
        label(opX, mid + 0.9 * k, 'to every row', { yanchor: 'top', font: { size: 11, color: '#4b5563' } });
      }
      x += OP_ROOM + LEFT_ROOM;
      previous = drawBox(q.boxes[k + 1], summedCols.has(k + 1), summedRows.has(k + 1));
    });
    void previous;
    if (q.note) {
      label(x + 0.8 * k, mid, q.note, { xanchor: 'left', font: { size: 12, color: '#374151' } });
      x += k * (0.8 + 0.32 * q.note.length); // rough width of the note in box units
    }
    widest = Math.max(widest, x);
    top = mid + height / 2 + 2.6 * k; // room below for the names (and a transpose note)
  });
  const layout: Partial<Layout> = {
    title: { text: options.title },
    shapes: shapes as Layout['shapes'],
    annotations: annotations as Layout['annotations'],
    xaxis: { visible: false, range: [0, widest + 0.5], constrain: 'domain' },
    yaxis: { visible: false, range: [top, -0.2], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' },
    showlegend: false,
    height: options.height ?? Math.max(260, Math.min(900, 90 + 26 * top)),
    margin: { l: 10, r: 10, t: 60, b: 10 },
    hovermode: false,
  };
  // An invisible trace keeps the axes alive (a figure with no traces draws no cartesian axes).
  const data: Data[] = [{ type: 'scatter', mode: 'markers', x: [0, widest], y: [0, top], marker: { opacity: 0 }, hoverinfo: 'skip' } as Data];
  return { data, layout };
}

/** Options of {@link layerShapeEquations}. */
export interface LayerShapeOptions {
  /**
   * 'row' (default): the batch form the code uses, one sample per row, n samples:
   * z[l] = a[l−1]·W[l] + b[l], dW[l] = a[l−1]ᵀ·dz[l], db[l] = 1ᵀ·dz[l], da[l−1] = dz[l]·W[l]ᵀ.
   * 'column': the tutorial's column vectors for one sample: z_l = W_l·a_{l−1} + b_l,
   * ∂L/∂W_l = ∂L/∂z_l·a_{l−1}ᵀ, ∂L/∂b_l = ∂L/∂z_l, ∂L/∂a_{l−1} = W_lᵀ·∂L/∂z_l.
   */
  form?: 'row' | 'column';
  /** Include the forward equation z = … (default true). */
  forward?: boolean;
}

/**
 * The equations of layer l of a network with layer sizes `layers` = [n_0, …, n_L], with the shapes
 * of a batch of n samples (row form) or of one sample (column form), for {@link shapeFlowFigure}.
 * Dimensions are named n, n₀, n₁, … as in the symbol table.
 */
export function layerShapeEquations(layers: readonly number[], l: number, n: number, options: LayerShapeOptions = {}): ShapeEquation[] {
  const where = 'layerShapeEquations';
  if (!Array.isArray(layers) || layers.length < 2 || layers.some((v) => !Number.isInteger(v) || v < 1)) {
    bad(where, `layers must be an array of at least two positive integers [n_0, …, n_L]; received ${describeValue(layers)}`);
  }
  if (!Number.isInteger(l) || l < 1 || l >= layers.length) bad(where, `l must be a layer 1..${layers.length - 1}; received ${String(l)}`);
  if (!Number.isInteger(n) || n < 1) bad(where, `n must be a positive integer (samples); received ${String(n)}`);
  const form = options.form ?? 'row';
  if (form !== 'row' && form !== 'column') bad(where, `options.form must be 'row' or 'column'; received ${String(form)}`);
  const nIn = layers[l - 1];
  const nOut = layers[l];
  const dIn = `n${sub(l - 1)}`;
  const dOut = `n${sub(l)}`;
  const eqs: ShapeEquation[] = [];
  if (form === 'row') {
    const box = (label: string, rows: number, rowDim: string, cols: number, colDim: string, kind: ShapeBox['kind'] = 'value',
      transposeOf?: string): ShapeBox => ({ label, rows, cols, rowDim, colDim, kind, ...(transposeOf ? { transposeOf } : {}) });
    const aPrev = `a[${l - 1}]`;
    if (options.forward ?? true) {
      eqs.push({
        result: box(`z[${l}]`, n, 'n', nOut, dOut),
        terms: [box(aPrev, n, 'n', nIn, dIn), '·', box(`W[${l}]`, nIn, dIn, nOut, dOut, 'parameter'), '+', box(`b[${l}]`, 1, '1', nOut, dOut, 'parameter')],
        note: 'forward',
      });
    }
    eqs.push(
      {
        result: box(`dW[${l}]`, nIn, dIn, nOut, dOut, 'gradient'),
        terms: [box(`${aPrev}ᵀ`, nIn, dIn, n, 'n', 'value', `${aPrev}, n x ${dIn}`), '·', box(`dz[${l}]`, n, 'n', nOut, dOut, 'gradient')],
        note: 'the shape of W: summed over the samples',
      },
      {
        result: box(`db[${l}]`, 1, '1', nOut, dOut, 'gradient'),
        terms: [box('1ᵀ', 1, '1', n, 'n', 'ones'), '·', box(`dz[${l}]`, n, 'n', nOut, dOut, 'gradient')],
        note: 'column sums of dz',
      },
      {
        result: box(`da[${l - 1}]`, n, 'n', nIn, dIn, 'gradient'),
        terms: [box(`dz[${l}]`, n, 'n', nOut, dOut, 'gradient'), '·', box(`W[${l}]ᵀ`, nOut, dOut, nIn, dIn, 'parameter', `W[${l}], ${dIn} x ${dOut}`)],
        note: 'sent back to layer ' + (l - 1),
      },
    );
  } else {
    const box = (label: string, rows: number, rowDim: string, cols: number, colDim: string, kind: ShapeBox['kind'] = 'value',
      transposeOf?: string): ShapeBox => ({ label, rows, cols, rowDim, colDim, kind, ...(transposeOf ? { transposeOf } : {}) });
    const k = sub(l);
    const km = sub(l - 1);
    if (options.forward ?? true) {
      eqs.push({
        result: box(`z${k}`, nOut, dOut, 1, '1'),
        terms: [box(`W${k}`, nOut, dOut, nIn, dIn, 'parameter'), '·', box(`a${km}`, nIn, dIn, 1, '1'), '+', box(`b${k}`, nOut, dOut, 1, '1', 'parameter')],
        note: 'forward, one sample',
      });
    }
    eqs.push(
      {
        result: box(`∂L/∂W${k}`, nOut, dOut, nIn, dIn, 'gradient'),
        terms: [box(`∂L/∂z${k}`, nOut, dOut, 1, '1', 'gradient'), '·', box(`a${km}ᵀ`, 1, '1', nIn, dIn, 'value', `a${km}, ${dIn} x 1`)],
        note: 'an outer product: the shape of W',
      },
      {
        result: box(`∂L/∂b${k}`, nOut, dOut, 1, '1', 'gradient'),
        terms: [box(`∂L/∂z${k}`, nOut, dOut, 1, '1', 'gradient')],
        note: 'one sample: no sum',
      },
      {
        result: box(`∂L/∂a${km}`, nIn, dIn, 1, '1', 'gradient'),
        terms: [box(`W${k}ᵀ`, nIn, dIn, nOut, dOut, 'parameter', `W${k}, ${dOut} x ${dIn}`), '·', box(`∂L/∂z${k}`, nOut, dOut, 1, '1', 'gradient')],
        note: 'sent back to layer ' + (l - 1),
      },
    );
  }
  return eqs;
}
