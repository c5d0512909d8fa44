/**
 * Chart builders shared by the notebooks: figures (plain Plotly specs, no drawing) for the decision
 * boundary of a classifier over the input plane and for training curves. Pass the result to
 * `plot(figure)` or `livePlot(figure)`. Everything that describes a run (titles, names) comes from
 * the caller; axes are fitted to the data; labels use the course's symbols and colours.
 */
import { Matrix } from '../core/matrix';
import type { Data, Figure, Layout } from './plot';
import { CLASS_COLORS, PROBABILITY_SCALE, SERIES_COLORS } from './style';
import { need } from './need';

/** Rounds a number for a chart's JSON (keeps saved notebooks small); non-finite values become null gaps. */
function round(v: number, digits = 4): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : null;
}

function checkMatrix(where: string, name: string, m: unknown): Matrix {
  if (!(m instanceof Matrix)) {
    throw new Error(`${where}: ${name} must be a Matrix; received ${m === null ? 'null' : typeof m}`);
  }
  return m;
}

/** A regular grid over the plane that covers a 2-D data set, for drawing functions of the input. */
export interface PlaneGrid {
  /** The x₁ coordinates of the grid's columns (ascending). */
  xs: number[];
  /** The x₂ coordinates of the grid's rows (ascending). */
  ys: number[];
  /** Every grid point as one row (x₁, x₂), row by row of the grid: point (r, c) is row r·xs.length + c; `ys.length·xs.length x 2`. */
  points: Matrix;
  /** The axis ranges [min, max] the grid spans (the data's extent plus padding). */
  xRange: [number, number];
  yRange: [number, number];
}

/**
 * A `resolution x resolution` grid over the bounding box of X's two columns, widened by `padding`
 * (a fraction of each side's extent) on every side.
 * @param X `n x 2` inputs (one sample per row)
 * @param resolution points per axis, an integer in [2, 400]; default 80
 * @param padding fraction of the extent added on each side, ≥ 0; default 0.1
 */
export function planeGrid(X: Matrix, resolution = 80, padding = 0.1): PlaneGrid {
  const where = 'planeGrid';
  checkMatrix(where, 'X', X);
  if (X.cols !== 2 || X.rows < 1) throw new Error(`${where}: X must be n x 2 (points in the plane); received ${X.rows}x${X.cols}`);
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 400) {
    throw new Error(`${where}: resolution must be an integer in [2, 400]; received ${String(resolution)}`);
  }
  if (typeof padding !== 'number' || !Number.isFinite(padding) || padding < 0) {
    throw new Error(`${where}: padding must be a finite number ≥ 0; received ${String(padding)}`);
  }
  const range = (j: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < X.rows; i++) {
      const v = X.data[2 * i + j];
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Number.isFinite(lo)) throw new Error(`${where}: X has no finite values in column ${j}`);
    const pad = (hi - lo || 1) * padding;
    return [lo - pad, hi + pad];
  };
  const xRange = range(0);
  const yRange = range(1);
  const axis = (r: [number, number]): number[] =>
    Array.from({ length: resolution }, (_, i) => r[0] + ((r[1] - r[0]) * i) / (resolution - 1));
  const xs = axis(xRange);
  const ys = axis(yRange);
  const points = new Matrix(resolution * resolution, 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      points.data[2 * (r * resolution + c)] = xs[c];
      points.data[2 * (r * resolution + c) + 1] = ys[r];
    }
  }
  return { xs, ys, points, xRange, yRange };
}

/** The class of each sample: y's single column (labels 0/1) or the arg-max of a one-hot row. */
export function classLabels(y: Matrix): number[] {
  checkMatrix('classLabels', 'y', y);
  const out = new Array<number>(y.rows);
  for (let i = 0; i < y.rows; i++) {
    if (y.cols === 1) {
      out[i] = y.data[i] > 0.5 ? 1 : 0;
    } else {
      let best = 0;
      for (let j = 1; j < y.cols; j++) if (y.data[i * y.cols + j] > y.data[i * y.cols + best]) best = j;
      out[i] = best;
    }
  }
  return out;
}

/** Scatter traces of 2-D points, one per class, in the course's class colours. */
export function classScatter(X: Matrix, y: Matrix, options: { size?: number; names?: string[] } = {}): Data[] {
  const where = 'classScatter';
  checkMatrix(where, 'X', X);
  checkMatrix(where, 'y', y);
  if (X.cols !== 2 || y.rows !== X.rows) {
    throw new Error(`${where}: X must be n x 2 and y must have n rows; received X ${X.rows}x${X.cols}, y ${y.rows}x${y.cols}`);
  }
  const labels = classLabels(y);
  const k = Math.max(2, y.cols);
  const traces: Data[] = [];
  for (let c = 0; c < k; c++) {
    const xs: Array<number | null> = [];
    const ys: Array<number | null> = [];
    labels.forEach((l, i) => {
      if (l === c) {
        xs.push(round(X.data[2 * i]));
        ys.push(round(X.data[2 * i + 1]));
      }
    });
    traces.push({
      x: xs, y: ys, type: 'scatter', mode: 'markers', name: options.names?.[c] ?? `class ${c}`,
      marker: { color: CLASS_COLORS[c % CLASS_COLORS.length], size: options.size ?? 5, line: { color: 'white', width: 0.5 } },
    });
  }
  return traces;
}

/** Options of {@link decisionBoundaryFigure}. */
export interface DecisionBoundaryOptions {
  /** ŷ for a batch of points (`m x 2` → `m x k`), e.g. `(P) => net.predict(P)`. */
  predict: (points: Matrix) => Matrix;
  /** The data drawn on top, `n x 2`. */
  X: Matrix;
  /** Its labels, `n x 1` (0/1) or one-hot `n x k`. */
  y: Matrix;
  /** The chart title, computed from the run's settings. */
  title: string;
  /** Grid points per axis (default 80). */
  resolution?: number;
  /** Chart height in px (default 420); the width follows the page. */
  height?: number;
}

/**
 * The decision regions of a classifier over the plane, with the data on top. One output unit: ŷ as
 * a heatmap from class 0's colour (ŷ = 0) through white to class 1's (ŷ = 1), and the boundary
 * ŷ = 0.5 as a black contour. k > 1 outputs: each point of the plane coloured by its arg-max class.
 * Axes span the data (plus 10%) with equal scales, so circles look round.
 */
export function decisionBoundaryFigure(options: DecisionBoundaryOptions): Figure {
  const where = 'decisionBoundaryFigure';
  if (options === null || typeof options !== 'object') {
    throw new Error(`${where}: options must be an object { predict, X, y, title }; received ${String(options)}`);
  }
  const X = checkMatrix(where, 'X', need(options.X, 'X', 'the cell that makes the data set', where));
  const y = checkMatrix(where, 'y', need(options.y, 'y', 'the cell that makes the data set', where));
  if (typeof options.predict !== 'function') {
    throw new Error(`${where}: predict must be a function (points) => ŷ, e.g. (P) => net.predict(P); received ${typeof options.predict}`);
  }
  const grid = planeGrid(X, options.resolution ?? 80);
  const yhat = options.predict(grid.points);
  if (!(yhat instanceof Matrix) || yhat.rows !== grid.points.rows) {
    throw new Error(`${where}: predict must return a Matrix with one row per point (${grid.points.rows}); received ${
      yhat instanceof Matrix ? `${yhat.rows}x${yhat.cols}` : typeof yhat}`);
  }
  const nx = grid.xs.length;
  const rows = (f: (i: number) => number): Array<Array<number | null>> =>
    grid.ys.map((_, r) => grid.xs.map((__, c) => round(f(r * nx + c), 3)));
  const xs = grid.xs.map((v) => round(v));
  const ys = grid.ys.map((v) => round(v));
  const background: Data[] = [];
  if (yhat.cols === 1) {
    const z = rows((i) => yhat.data[i]);
    background.push(
      { x: xs, y: ys, z, type: 'heatmap', colorscale: PROBABILITY_SCALE, zmin: 0, zmax: 1, name: 'ŷ',
        colorbar: { title: { text: 'ŷ' }, thickness: 12 }, hovertemplate: 'x₁ %{x}<br>x₂ %{y}<br>ŷ %{z}<extra></extra>' },
      { x: xs, y: ys, z, type: 'contour', showscale: false, name: 'ŷ = 0.5', hoverinfo: 'skip',
        contours: { start: 0.5, end: 0.5, size: 1, coloring: 'none' }, line: { color: '#111827', width: 2 } } as Data,
    );
  } else {
    const k = yhat.cols;
    const z = rows((i) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (yhat.data[i * k + j] > yhat.data[i * k + best]) best = j;
      return best;
    });
    const scale: Array<[number, string]> = [];
    for (let c = 0; c < k; c++) {
      const color = CLASS_COLORS[c % CLASS_COLORS.length];
      scale.push([c / k, color], [(c + 1) / k, color]);
    }
    background.push({ x: xs, y: ys, z, type: 'heatmap', colorscale: scale, zmin: -0.5, zmax: k - 0.5, opacity: 0.3,
      showscale: false, name: 'arg-max ŷ', hovertemplate: 'x₁ %{x}<br>x₂ %{y}<br>class %{z}<extra></extra>' });
  }
  const layout: Partial<Layout> = {
    title: { text: options.title },
    height: options.height ?? 420,
    xaxis: { title: { text: 'x₁' }, range: grid.xRange, constrain: 'domain' },
    yaxis: { title: { text: 'x₂' }, range: grid.yRange, scaleanchor: 'x', scaleratio: 1, constrain: 'domain' },
    legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom' },
    margin: { t: 90 },
  };
  return { data: [...background, ...classScatter(X, y)], layout };
}

/** One run's per-epoch history, as `MLP.fit` returns it (validation entries optional). */
export interface HistoryLike {
  loss: readonly number[];
  accuracy: readonly number[];
  valLoss?: readonly number[];
  valAccuracy?: readonly number[];
}

/** Options of {@link trainingCurvesFigure}. */
export interface TrainingCurvesOptions {
  /** The runs to draw, each with its legend name (computed from its settings). */
  runs: ReadonlyArray<{ name: string; history: HistoryLike }>;
  /** The chart title, computed from the settings. */
  title: string;
  /** 'log' draws L on a logarithmic axis (default 'linear'). */
  lossAxis?: 'linear' | 'log';
  /** Chart height in px (default 480). */
  height?: number;
}

function paddedRange(values: number[], lo: number, hi: number): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [lo, hi];
  let a = Math.min(...finite);
  let b = Math.max(...finite);
  const pad = (b - a || 0.05) * 0.08;
  a = Math.max(lo, a - pad);
  b = Math.min(hi, b + pad);
  return [a, b];
}

/**
 * Loss L (top panel) and accuracy (bottom panel) per epoch for one or more runs, on two stacked
 * panels that share the epoch axis (no twin y-axes). Each run has one colour; validation curves,
 * when present, are dashed in the same colour. The accuracy axis is fitted to the data (within [0, 1]).
 */
export function trainingCurvesFigure(options: TrainingCurvesOptions): Figure {
  const where = 'trainingCurvesFigure';
  if (options === null || typeof options !== 'object' || !Array.isArray(options.runs) || options.runs.length === 0) {
    throw new Error(`${where}: options.runs must be a non-empty array of { name, history }; received ${
      options === null || typeof options !== 'object' ? String(options) : String(options.runs)}`);
  }
  const data: Data[] = [];
  const accuracies: number[] = [];
  options.runs.forEach((run, r) => {
    const h: HistoryLike = need(run?.history, `runs[${r}].history`, 'the training cell', where);
    if (!Array.isArray(h.loss) || !Array.isArray(h.accuracy)) {
      throw new Error(`${where}: runs[${r}].history must have loss and accuracy arrays (what fit returns); received ${typeof h}`);
    }
    const color = SERIES_COLORS[r % SERIES_COLORS.length];
    const epochs = h.loss.map((_: number, e: number) => e);
    const line = (dash?: 'dash') => ({ color, width: 2, ...(dash ? { dash } : {}) });
    const group = `run${r}`;
    data.push({ x: epochs, y: h.loss.map((v: number) => round(v, 5)), type: 'scatter', mode: 'lines', name: `${run.name}: L`,
      legendgroup: group, line: line(), xaxis: 'x', yaxis: 'y' });
    data.push({ x: epochs, y: h.accuracy.map((v: number) => round(v, 5)), type: 'scatter', mode: 'lines', name: `${run.name}: accuracy`,
      legendgroup: group, line: line(), xaxis: 'x', yaxis: 'y2', showlegend: false });
    accuracies.push(...h.accuracy);
    if (h.valLoss && h.valAccuracy) {
      data.push({ x: epochs, y: h.valLoss.map((v: number) => round(v, 5)), type: 'scatter', mode: 'lines', name: `${run.name}: validation L`,
        legendgroup: group, line: line('dash'), xaxis: 'x', yaxis: 'y' });
      data.push({ x: epochs, y: h.valAccuracy.map((v: number) => round(v, 5)), type: 'scatter', mode: 'lines',
        name: `${run.name}: validation accuracy`, legendgroup: group, line: line('dash'), xaxis: 'x', yaxis: 'y2', showlegend: false });
      accuracies.push(...h.valAccuracy);
    }
  });
  const layout: Partial<Layout> = {
    title: { text: options.title },
    height: options.height ?? 480,
    xaxis: { title: { text: 'epoch' }, anchor: 'y2' },
    yaxis: { title: { text: 'L' }, type: options.lossAxis ?? 'linear', domain: [0.55, 1], anchor: 'x' },
    yaxis2: { title: { text: 'accuracy' }, range: paddedRange(accuracies, 0, 1), domain: [0, 0.42], anchor: 'x' },
    legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom' },
    margin: { t: 90 },
  };
  return { data, layout };
}
