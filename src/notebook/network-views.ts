/**
 * Figures of notebook 07 (plain Plotly specs for `plot(figure)`): every hidden unit's output over
 * the input plane as small multiples, the network drawn with its weights, the decision boundary
 * over training with a slider, and training against test loss. The numbers come from
 * ./playground/views (the same functions the live trainer draws with), so the notebook's static
 * pictures and the trainer's live ones agree.
 */
import type { Annotations, Shape } from 'plotly.js';
import { Matrix } from '../core/matrix';
import { MLP } from '../core/mlp';
import { classScatter, planeGrid } from './charts';
import type { Data, Figure, Layout } from './plot';
import { CLASS_COLORS, PROBABILITY_SCALE, SERIES_COLORS, SIGN, SIGN_SCALE, sub, sym } from './style';
import { need } from './need';
import { argMaxGrid, classBoundarySegments, contourSegments, deadUnits, networkLayout, unitGrids, UnitId } from './playground/views';

function round(v: number, digits = 3): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : null;
}

function checkNet(where: string, net: unknown): MLP {
  const n = need(net as MLP | undefined, 'net', 'the training cell', where);
  if (!(n instanceof MLP)) throw new Error(`${where}: net must be an MLP; received ${typeof n}`);
  return n;
}

function checkX(where: string, X: unknown, name = 'X'): Matrix {
  const m = need(X as Matrix | undefined, name, 'the cell that makes the data set', where);
  if (!(m instanceof Matrix) || m.cols !== 2 || m.rows < 1) {
    throw new Error(`${where}: ${name} must be an n x 2 Matrix (points of the plane); received ${m instanceof Matrix ? `${m.rows}x${m.cols}` : typeof m}`);
  }
  return m;
}

/** The label of unit j (0-based) of layer l in the course's symbols, numbered from 1: a[1]₃ for j = 2. */
export function unitLabel(l: number, j: number): string {
  return sym.a(l, j + 1);
}

/** Options of {@link unitViewsFigure}. */
export interface UnitViewsOptions {
  /** The network (two inputs). */
  net: MLP;
  /** The data the pictures must cover, `n x 2` (e.g. the whole data set). */
  X: Matrix;
  /** The chart title, computed from the run's settings. */
  title: string;
  /** Mark the units that are dead on these inputs (e.g. the training set); default: X. */
  deadOn?: Matrix;
  /** The layers to draw, default every hidden layer 1..L−1. */
  layers?: number[];
  /** Grid points per axis (default 40). */
  resolution?: number;
  /** Pictures per row before wrapping (default 8). */
  perRow?: number;
}

/**
 * Small multiples of a[l]ⱼ over the plane, one picture per hidden unit, one row (or more, wrapped)
 * per layer: the sign colours (red a > 0, blue a < 0, white a = 0) on one symmetric scale per
 * layer, ±max|a[l]| over the grid, so the units of a layer compare. Units that are dead on `deadOn`
 * (f' = 0 on every sample: no gradient reaches them) are marked "dead"; a dead ReLU unit is white.
 */
export function unitViewsFigure(options: UnitViewsOptions): Figure {
  const where = 'unitViewsFigure';
  if (options === null || typeof options !== 'object') throw new Error(`${where}: options must be an object { net, X, title }; received ${String(options)}`);
  const net = checkNet(where, options.net);
  const X = checkX(where, options.X);
  const deadOn = options.deadOn === undefined ? X : checkX(where, options.deadOn, 'deadOn');
  const layers = options.layers ?? Array.from({ length: net.L - 1 }, (_, i) => i + 1);
  if (!Array.isArray(layers) || layers.length === 0 || layers.some((l) => !Number.isInteger(l) || l < 0 || l > net.L)) {
    throw new Error(`${where}: layers must be a non-empty list of layer numbers in [0, ${net.L}] (a network without hidden layers has no hidden units to draw); received ${
      Array.isArray(layers) ? `[${layers.join(', ')}]` : String(layers)}`);
  }
  const perRow = options.perRow ?? 8;
  if (!Number.isInteger(perRow) || perRow < 1) throw new Error(`${where}: perRow must be a positive integer; received ${String(perRow)}`);
  const grids = unitGrids(net, X, options.resolution ?? 40);
  const dead = deadUnits(net, deadOn);
  const isDead = (l: number, j: number): boolean => dead.some((d) => d.layer === l && d.unit === j);
  const { xs, ys } = grids.grid;
  const nx = xs.length;
  // one band of rows per layer
  const bands = layers.map((l) => Math.ceil(net.layers[l] / perRow));
  const totalRows = bands.reduce((s, b) => s + b, 0);
  const cols = Math.min(perRow, Math.max(...layers.map((l) => net.layers[l])));
  const gapX = 0.012;
  // Each picture has the plane's aspect ratio (equal scales); rows are sized for a chart about 900 px wide,
  // with 36 px above each row for the labels.
  const aspect = (grids.grid.yRange[1] - grids.grid.yRange[0]) / (grids.grid.xRange[1] - grids.grid.xRange[0]);
  const labelPx = 36;
  const rowPx = Math.min(220, Math.max(50, (900 / cols) * aspect)) + labelPx;
  const height = Math.round(90 + totalRows * rowPx);
  const data: Data[] = [];
  const annotations: Array<Partial<Annotations>> = [];
  const layout: Partial<Layout> & Record<string, unknown> = {};
  let k = 0;
  let row = 0;
  const rowHeight = 1 / totalRows;
  layers.forEach((l, b) => {
    const scale = grids.layerScale[l] > 0 ? grids.layerScale[l] : 1;
    const f = l === 0 ? 'input' : net.activations[l - 1].name;
    for (let j = 0; j < net.layers[l]; j++) {
      const r = row + Math.floor(j / perRow);
      const c = j % perRow;
      k += 1;
      const ax = k === 1 ? '' : String(k);
      const x0 = c / cols + gapX;
      const x1 = (c + 1) / cols - gapX;
      const yTop = 1 - r * rowHeight - rowHeight * (labelPx / rowPx);
      const yBottom = 1 - (r + 1) * rowHeight + 0.02 * rowHeight;
      layout[`xaxis${ax}`] = { domain: [x0, x1], showticklabels: false, ticks: '', showgrid: false, zeroline: false, range: grids.grid.xRange, constrain: 'domain' };
      layout[`yaxis${ax}`] = { domain: [yBottom, yTop], showticklabels: false, ticks: '', showgrid: false, zeroline: false, range: grids.grid.yRange,
        scaleanchor: `x${ax}`, constrain: 'domain' };
      const values = grids.layers[l][j];
      const z = ys.map((_, rr) => xs.map((__, cc) => round(values[rr * nx + cc])));
      const label = unitLabel(l, j);
      data.push({
        x: xs.map((v) => round(v, 4)), y: ys.map((v) => round(v, 4)), z, type: 'heatmap', colorscale: SIGN_SCALE, zmin: -scale, zmax: scale,
        showscale: false, xaxis: `x${ax}`, yaxis: `y${ax}`, name: label,
        hovertemplate: `${label}<br>x₁ %{x}<br>x₂ %{y}<br>a %{z}<extra></extra>`,
      } as Data);
      const deadHere = isDead(l, j);
      annotations.push({
        text: deadHere ? `${label} dead` : label, xref: `x${ax} domain` as Annotations['xref'], yref: `y${ax} domain` as Annotations['yref'],
        x: 0.5, y: 1, yanchor: 'bottom', showarrow: false, font: { size: 11, color: deadHere ? '#6b7280' : '#111827' },
      });
    }
    annotations.push({
      text: `layer ${l} (${f}): ±${round(scale, 2)}`, xref: 'paper', yref: 'paper', x: 0, xanchor: 'left',
      y: 1 - row * rowHeight, yanchor: 'top', showarrow: false, font: { size: 11, color: '#4b5563' },
    });
    row += bands[b];
  });
  return {
    data,
    layout: {
      ...layout,
      title: { text: options.title },
      height,
      margin: { t: 70, l: 20, r: 20, b: 20 },
      annotations,
      showlegend: false,
    },
  };
}

/** Options of {@link networkWeightsFigure}. */
export interface NetworkWeightsOptions {
  net: MLP;
  /** The chart title, computed from the run's settings. */
  title: string;
  /** Units to mark as dead (e.g. `deadUnits(net, XTrain)`). */
  dead?: readonly UnitId[];
  /** Chart height in px (default 420). */
  height?: number;
}

/** The label of unit j of layer l in a network diagram: x₁, x₂ (inputs), a[l]ⱼ (hidden), ŷ or ŷⱼ (outputs), numbered from 1. */
function nodeLabel(net: MLP, l: number, j: number): string {
  if (l === 0) return sym.x(j + 1);
  if (l === net.L) return net.layers[l] === 1 ? sym.yhat() : sym.yhat(j + 1);
  return unitLabel(l, j);
}

/**
 * The network drawn with its weights: units as circles in columns (layer 0 on the left), one line
 * per weight W[l]ᵢⱼ from unit i of layer l−1 to unit j of layer l, in the course's sign colour (red
 * w > 0, blue w < 0) with width proportional to |w| on one scale for the whole network. Hovering
 * a line's middle shows its weight; hovering a unit shows its bias b[l]ⱼ.
 */
export function networkWeightsFigure(options: NetworkWeightsOptions): Figure {
  const where = 'networkWeightsFigure';
  if (options === null || typeof options !== 'object') throw new Error(`${where}: options must be an object { net, title }; received ${String(options)}`);
  const net = checkNet(where, options.net);
  const layout = networkLayout(net.layers, net.W, { width: 1, height: 1, margin: 0.06, maxWidth: 8, minWidth: 0.5 });
  const dead = options.dead ?? [];
  const up = (y: number): number => 1 - y;
  const at = (l: number, j: number): { x: number; y: number } => {
    const n = layout.nodes.find((node) => node.layer === l && node.unit === j);
    if (n === undefined) throw new Error(`${where}: no unit ${j} in layer ${l}`);
    return { x: n.x, y: up(n.y) };
  };
  const shapes: Array<Partial<Shape>> = layout.edges.map((e) => {
    const p = at(e.layer - 1, e.from);
    const q = at(e.layer, e.to);
    return { type: 'line', x0: p.x, y0: p.y, x1: q.x, y1: q.y, layer: 'below', line: { color: e.color, width: e.width } };
  });
  const mid = layout.edges.map((e) => {
    const p = at(e.layer - 1, e.from);
    const q = at(e.layer, e.to);
    return { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2, text: `${sym.W(e.layer)} row ${e.from}, column ${e.to} (${nodeLabel(net, e.layer - 1, e.from)} → ${nodeLabel(net, e.layer, e.to)}): ${round(e.weight, 4)}` };
  });
  const isDead = (l: number, j: number): boolean => dead.some((d) => d.layer === l && d.unit === j);
  const nodes = layout.nodes.map((n) => ({
    x: n.x, y: up(n.y), label: nodeLabel(net, n.layer, n.unit),
    hover: n.layer === 0 ? `input ${nodeLabel(net, 0, n.unit)}` :
      `${nodeLabel(net, n.layer, n.unit)} = ${net.activations[n.layer - 1].name}(z)<br>${sym.b(n.layer)}${sub(n.unit + 1)} = ${round(net.b[n.layer].data[n.unit], 4)}${isDead(n.layer, n.unit) ? '<br>dead: f\'(z) = 0 on every sample' : ''}`,
    dead: isDead(n.layer, n.unit),
  }));
  const data: Data[] = [
    { x: mid.map((m) => m.x), y: mid.map((m) => m.y), hovertext: mid.map((m) => m.text), hoverinfo: 'text', type: 'scatter', mode: 'markers',
      marker: { size: 8, color: 'rgba(0,0,0,0)' }, name: 'weights', showlegend: false },
    { x: nodes.map((n) => n.x), y: nodes.map((n) => n.y), text: nodes.map((n) => n.label), hovertext: nodes.map((n) => n.hover), hoverinfo: 'text',
      type: 'scatter', mode: 'text+markers', textposition: 'middle center', textfont: { size: 10, color: '#111827' },
      marker: { size: 30, color: nodes.map((n) => (n.dead ? '#e5e7eb' : '#ffffff')), line: { color: nodes.map((n) => (n.dead ? '#9ca3af' : '#111827')), width: 1.5 } },
      name: 'units', showlegend: false },
    // legend entries for the two sign colours
    { x: [null], y: [null], type: 'scatter', mode: 'lines', line: { color: SIGN.positive, width: 4 }, name: 'w > 0' },
    { x: [null], y: [null], type: 'scatter', mode: 'lines', line: { color: SIGN.negative, width: 4 }, name: 'w < 0' },
  ];
  const annotations: Array<Partial<Annotations>> = [];
  for (let l = 0; l <= net.L; l++) {
    const p = at(l, 0);
    annotations.push({
      x: p.x, y: -0.02, xref: 'x', yref: 'paper', yanchor: 'top', showarrow: false, font: { size: 11, color: '#4b5563' },
      text: l === 0 ? 'a[0] = x' : l === net.L ? `ŷ = a[${l}] (${net.activations[l - 1].name})` : `a[${l}] (${net.activations[l - 1].name})`,
    });
  }
  annotations.push({
    x: 1, y: 1.0, xref: 'paper', yref: 'paper', xanchor: 'right', yanchor: 'bottom', showarrow: false, font: { size: 11, color: '#4b5563' },
    text: `line width ∝ |w|; widest |w| = ${round(layout.maxAbsWeight, 3)}`,
  });
  return {
    data,
    layout: {
      title: { text: options.title },
      height: options.height ?? 420,
      shapes,
      annotations,
      xaxis: { visible: false, range: [-0.02, 1.02] },
      yaxis: { visible: false, range: [-0.04, 1.04] },
      legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom' },
      margin: { t: 80, l: 20, r: 20, b: 40 },
      hovermode: 'closest',
    },
  };
}

/** One picture of a {@link boundaryAnimationFigure}: the epoch and the network's predictions then. */
export interface BoundarySnapshot {
  /** Epochs trained when the snapshot was taken. */
  epoch: number;
  /** ŷ for a batch of points (`m x 2` → `m x k`), e.g. `(P) => MLP.fromJSON(saved).predict(P)`. */
  predict: (points: Matrix) => Matrix;
}

/** One Plotly animation frame: `Plotly.animate` restyles `traces` with `data` and relayouts with `layout`. */
export interface FigureFrame {
  name: string;
  data: Data[];
  traces: number[];
  layout?: Partial<Layout>;
}

/** A figure with animation frames: the arguments of `Plotly.newPlot(el, { data, layout, config, frames })`. */
export interface AnimatedFigure extends Figure {
  frames: FigureFrame[];
}

/** Options of {@link boundaryAnimationFigure}. */
export interface BoundaryAnimationOptions {
  snapshots: readonly BoundarySnapshot[];
  /** The data drawn on top, `n x 2`, and its labels (`n x 1` labels 0/1, or one-hot `n x k`). */
  X: Matrix;
  y: Matrix;
  /** The title, computed from the run's settings; ", after N epochs" is appended for each snapshot. */
  title: string;
  /** Grid points per axis (default 40). */
  resolution?: number;
  /** Chart height in px (default 560). */
  height?: number;
  /**
   * How the slider changes the picture: `'frames'` (each step shows a Plotly frame, and Play/Pause
   * buttons run through them) or `'updates'` (each step restyles the traces itself: works where the
   * figure's frames are dropped; no Play button). Default: 'frames'.
   */
  controls?: 'frames' | 'updates';
  /** Milliseconds per frame when playing (default 500). */
  frameMs?: number;
}

/** Line segments in grid coordinates (c, r) as one scatter line in plane coordinates, segments separated by nulls. */
function segmentsTrace(segments: number[][], xs: number[], ys: number[]): { x: Array<number | null>; y: Array<number | null> } {
  const dx = (xs[xs.length - 1] - xs[0]) / (xs.length - 1);
  const dy = (ys[ys.length - 1] - ys[0]) / (ys.length - 1);
  const x: Array<number | null> = [];
  const y: Array<number | null> = [];
  for (const [c0, r0, c1, r1] of segments) {
    x.push(round(xs[0] + c0 * dx, 4), round(xs[0] + c1 * dx, 4), null);
    y.push(round(ys[0] + r0 * dy, 4), round(ys[0] + r1 * dy, 4), null);
  }
  return { x, y };
}

/**
 * The decision boundary over training, animated: Plotly frames, one per snapshot, a slider with one
 * step per snapshot (drag it, or focus it and use the arrow keys) and Play/Pause buttons. One output
 * unit: ŷ over the plane (class 0's colour through white at ŷ = 0.5 to class 1's) and the boundary
 * ŷ = 0.5 as a black line; k ≥ 2 softmax outputs: each point of the plane in the colour of its
 * arg-max class and the borders between the classes as black lines. The data on top; the title
 * says the epoch. The chart opens on the first snapshot. The figure always carries its `frames`;
 * see `controls` for where they are dropped.
 */
export function boundaryAnimationFigure(options: BoundaryAnimationOptions): AnimatedFigure {
  const where = 'boundaryAnimationFigure';
  if (options === null || typeof options !== 'object') throw new Error(`${where}: options must be an object { snapshots, X, y, title }; received ${String(options)}`);
  const snapshots = need(options.snapshots, 'snapshots', 'the cell that trains and takes the snapshots', where);
  if (!Array.isArray(snapshots) || snapshots.length === 0) throw new Error(`${where}: snapshots must be a non-empty array of { epoch, predict }; received ${String(snapshots)}`);
  const X = checkX(where, options.X);
  const y = need(options.y, 'y', 'the cell that makes the data set', where);
  const controls = options.controls ?? 'frames';
  if (controls !== 'frames' && controls !== 'updates') throw new Error(`${where}: controls must be 'frames' or 'updates'; received ${String(controls)}`);
  const grid = planeGrid(X, options.resolution ?? 40);
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  let k = 0;
  const pictures = snapshots.map((s, i) => {
    if (typeof s?.predict !== 'function' || !Number.isInteger(s.epoch)) throw new Error(`${where}: snapshots[${i}] must be { epoch: integer, predict: (P) => ŷ }`);
    const yhat = s.predict(grid.points);
    if (!(yhat instanceof Matrix) || yhat.rows !== grid.points.rows || (k !== 0 && yhat.cols !== k)) {
      throw new Error(`${where}: snapshots[${i}].predict must return ŷ as a ${grid.points.rows}x${k === 0 ? 'k' : k} Matrix (one row per point${
        k === 0 ? '' : ', as many columns as the first snapshot'}); received ${yhat instanceof Matrix ? `${yhat.rows}x${yhat.cols}` : typeof yhat}`);
    }
    k = yhat.cols;
    const outputs = Array.from({ length: k }, (_, j) => yhat.column(j));
    const values = k === 1 ? outputs[0] : Array.from(argMaxGrid(outputs));
    const z = grid.ys.map((_, r) => grid.xs.map((__, c) => round(values[r * nx + c])));
    const border = segmentsTrace(k === 1 ? contourSegments(outputs[0], nx, ny, 0.5) : classBoundarySegments(outputs, nx, ny), grid.xs, grid.ys);
    return { z, border };
  });
  const xs = grid.xs.map((v) => round(v, 4));
  const ys = grid.ys.map((v) => round(v, 4));
  const titleAt = (e: number): string => `${options.title}, after ${e} epoch${e === 1 ? '' : 's'}`;
  const classScale: Array<[number, string]> = [];
  for (let c = 0; c < k; c++) {
    const color = CLASS_COLORS[c % CLASS_COLORS.length];
    classScale.push([c / k, color], [(c + 1) / k, color]);
  }
  const background: Data = k === 1
    ? { x: xs, y: ys, z: pictures[0].z, type: 'heatmap', colorscale: PROBABILITY_SCALE, zmin: 0, zmax: 1, name: 'ŷ',
      colorbar: { title: { text: 'ŷ' }, thickness: 12 }, hovertemplate: 'x₁ %{x}<br>x₂ %{y}<br>ŷ %{z}<extra></extra>' }
    : { x: xs, y: ys, z: pictures[0].z, type: 'heatmap', colorscale: classScale, zmin: -0.5, zmax: k - 0.5, opacity: 0.35, showscale: false,
      name: 'arg-max ŷ', hovertemplate: 'x₁ %{x}<br>x₂ %{y}<br>class %{z}<extra></extra>' };
  const borderName = k === 1 ? 'ŷ = 0.5' : 'class borders';
  const data: Data[] = [
    background,
    { x: pictures[0].border.x, y: pictures[0].border.y, type: 'scatter', mode: 'lines', name: borderName, hoverinfo: 'skip',
      line: { color: '#111827', width: 2 }, connectgaps: false },
    ...classScatter(X, y),
  ];
  const frames: FigureFrame[] = snapshots.map((s, i) => ({
    name: String(s.epoch),
    data: [{ z: pictures[i].z } as Data, { x: pictures[i].border.x, y: pictures[i].border.y } as Data],
    traces: [0, 1],
    layout: { title: { text: titleAt(s.epoch) } },
  }));
  const frameMs = options.frameMs ?? 500;
  const steps = snapshots.map((s, i) => (controls === 'frames'
    ? { label: String(s.epoch), method: 'animate' as const,
      args: [[String(s.epoch)], { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } }] }
    : { label: String(s.epoch), method: 'update' as const,
      args: [{ z: [pictures[i].z, pictures[i].z], x: [xs, pictures[i].border.x], y: [ys, pictures[i].border.y] },
        { 'title.text': titleAt(s.epoch) }, [0, 1]] }));
  const layout: Partial<Layout> = {
    title: { text: titleAt(snapshots[0].epoch) },
    height: options.height ?? 560,
    xaxis: { title: { text: 'x₁' }, range: grid.xRange, constrain: 'domain' },
    yaxis: { title: { text: 'x₂' }, range: grid.yRange, scaleanchor: 'x', scaleratio: 1, constrain: 'domain' },
    legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom' },
    margin: { t: 90, b: 120 },
    sliders: [{ active: 0, steps, currentvalue: { prefix: 'epoch ', visible: true, xanchor: controls === 'frames' ? 'right' : 'left' }, pad: { t: 50 }, len: controls === 'frames' ? 0.86 : 1,
      x: controls === 'frames' ? 0.14 : 0 } as Layout['sliders'][number]],
  };
  if (controls === 'frames') {
    layout.updatemenus = [{
      type: 'buttons', direction: 'left', showactive: false, x: 0, xanchor: 'left', y: 0, yanchor: 'top', pad: { t: 62, r: 10 },
      buttons: [
        { label: 'Play', method: 'animate', args: [null, { frame: { duration: frameMs, redraw: true }, transition: { duration: 0 }, fromcurrent: true, mode: 'immediate' }] },
        { label: 'Pause', method: 'animate', args: [[null], { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: 'immediate' }] },
      ],
    } as Layout['updatemenus'][number]];
  }
  return { data, layout, frames };
}

/** One run of a {@link trainTestFigure}: L on the training and on the test set after each epoch. */
export interface TrainTestRun {
  name: string;
  /** train[e] and test[e]: the loss on the two sets with the same weights (those of epoch e's forward pass). */
  train: readonly number[];
  test: readonly number[];
}

/**
 * Training loss (solid) against test loss (dashed, the same colour) per epoch for one or more runs.
 * Where the test curve turns up while the training curve keeps falling, the network fits the noise
 * of its training points: it overfits.
 */
export function trainTestFigure(options: { runs: readonly TrainTestRun[]; title: string; lossAxis?: 'linear' | 'log'; height?: number }): Figure {
  const where = 'trainTestFigure';
  if (options === null || typeof options !== 'object' || !Array.isArray(options.runs) || options.runs.length === 0) {
    throw new Error(`${where}: options.runs must be a non-empty array of { name, train, test }; received ${
      options === null || typeof options !== 'object' ? String(options) : String(options.runs)}`);
  }
  const data: Data[] = [];
  options.runs.forEach((run, r) => {
    const color = SERIES_COLORS[r % SERIES_COLORS.length];
    for (const part of ['train', 'test'] as const) {
      const v = need(run?.[part], `runs[${r}].${part}`, 'the training cell', where);
      if (!Array.isArray(v)) throw new Error(`${where}: runs[${r}].${part} must be an array of losses; received ${typeof v}`);
      data.push({
        x: v.map((_: number, e: number) => e), y: v.map((x: number) => round(x, 5)), type: 'scatter', mode: 'lines',
        name: `${run.name}: ${part === 'train' ? 'training' : 'test'} L`, legendgroup: `run${r}`,
        line: { color, width: 2, ...(part === 'test' ? { dash: 'dash' as const } : {}) },
      });
    }
  });
  return {
    data,
    layout: {
      title: { text: options.title },
      height: options.height ?? 420,
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'L' }, type: options.lossAxis ?? 'linear' },
      legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom' },
      margin: { t: 90 },
    },
  };
}

