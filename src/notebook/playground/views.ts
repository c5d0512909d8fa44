/**
 * What the trainer and notebook 07 draw, computed without drawing anything: every unit's output
 * a[l]ⱼ over a grid of the input plane, which hidden units are dead, the network's geometry with
 * its weights, colours from the course's scales, and the ŷ = 0.5 boundary as line segments.
 * Browser-safe (no DOM, no Node built-ins): the live trainer runs it in the page, the notebook
 * helpers in the kernel, and the unit tests in Node.
 */
import { NonFiniteError } from '../../core/limits';
import { Matrix } from '../../core/matrix';
import { MLP } from '../../core/mlp';
import { PlaneGrid, planeGrid } from '../charts';
import { SIGN } from '../style';

function checkNet(where: string, net: unknown): MLP {
  if (!(net instanceof MLP)) throw new Error(`${where}: net must be an MLP; received ${net === null ? 'null' : typeof net}`);
  return net;
}

/**
 * A copy of a network's architecture with buffers of its own, for evaluating the network on a
 * batch of points (the grid of the plane, the training set) without touching the trained network's
 * z[l], a[l] buffers. `sync(net)` copies W[l], b[l] in (no allocation); `run(X)` is a forward pass.
 */
export class NetworkProbe {
  private readonly copy: MLP;

  /** A probe with `net`'s layers and activations (weights copied at each `run`). */
  constructor(net: MLP) {
    checkNet('NetworkProbe', net);
    this.copy = MLP.fromJSON(net.toJSON());
  }

  /** True when `net` has this probe's architecture (layers, activations, loss). */
  fits(net: MLP): boolean {
    const c = this.copy;
    return net.layers.length === c.layers.length && net.layers.every((n, i) => n === c.layers[i]) &&
      net.activations.every((f, i) => f === c.activations[i]) && net.loss === c.loss;
  }

  /**
   * The forward pass of `net`'s current weights on X (`n x n_0`): z[l] and a[l] for l = 1..L, a[0] = X.
   * The matrices are the probe's own buffers, overwritten by the next run with as many rows. It does
   * not throw when ŷ overflows (weights that have blown up): `finite` is then false and the buffers
   * hold what the forward pass computed, NaN and ±Infinity included, for the pictures to show.
   */
  run(net: MLP, X: Matrix): { z: readonly Matrix[]; a: readonly Matrix[]; finite: boolean } {
    if (!this.fits(net)) {
      throw new Error(`NetworkProbe.run: net must have the probe's architecture ${this.copy.layers.join('-')}; received ${net.layers.join('-')}`);
    }
    for (let l = 1; l <= net.L; l++) {
      this.copy.W[l].data.set(net.W[l].data);
      this.copy.b[l].data.set(net.b[l].data);
    }
    let finite = true;
    try {
      this.copy.forward(X);
    } catch (e) {
      // forward computes every z[l], a[l] into its buffers, then reports a non-finite ŷ
      if (!(e instanceof NonFiniteError)) throw e;
      finite = false;
    }
    return { z: this.copy.z, a: this.copy.a, finite };
  }
}

/** A hidden unit, identified by layer l (1..L−1) and unit index j (0-based). */
export interface UnitId {
  layer: number;
  unit: number;
}

/**
 * The dead hidden units of `net` on the inputs X: unit j of layer l is dead when f_l'(z[l]_sj) = 0
 * for every sample s, so that dz[l]_sj = da[l]_sj · f_l'(z[l]_sj) = 0 and no gradient reaches
 * column j of W[l] or b[l]_j: gradient descent can never change them again. For ReLU this is
 * z[l]_sj ≤ 0 on every sample (the unit outputs 0 everywhere); tanh, sigmoid and leaky ReLU units
 * are never dead in this sense. Computed on a copy (the network's own buffers are untouched).
 * @param net the network
 * @param X `n x n_0` inputs, e.g. the training set
 * @param probe an optional {@link NetworkProbe} of `net` to reuse (no allocation per call)
 */
export function deadUnits(net: MLP, X: Matrix, probe?: NetworkProbe): UnitId[] {
  const where = 'deadUnits';
  checkNet(where, net);
  if (!(X instanceof Matrix) || X.cols !== net.layers[0] || X.rows < 1) {
    throw new Error(`${where}: X must be n x ${net.layers[0]} (the network's inputs, one sample per row); received ${
      X instanceof Matrix ? `${X.rows}x${X.cols}` : typeof X}`);
  }
  return deadUnitsIn(net, (probe ?? new NetworkProbe(net)).run(net, X).z);
}

/**
 * The dead hidden units given z[l] of a forward pass already made (z[l] of `NetworkProbe.run` on the
 * training set): those with f_l'(z[l]_sj) = 0 for every sample s (see {@link deadUnits}).
 */
export function deadUnitsIn(net: MLP, z: readonly Matrix[]): UnitId[] {
  const dead: UnitId[] = [];
  for (let l = 1; l < net.L; l++) {
    const f = net.activations[l - 1];
    const zl = z[l];
    for (let j = 0; j < zl.cols; j++) {
      let alive = false;
      for (let s = 0; s < zl.rows && !alive; s++) if (f.df(zl.data[s * zl.cols + j]) !== 0) alive = true;
      if (!alive) dead.push({ layer: l, unit: j });
    }
  }
  return dead;
}

/** Every unit's output over a grid of the plane: `layers[l][j]` holds a[l]ⱼ at each grid point. */
export interface UnitGrids {
  /** The grid (columns xs, rows ys ascending; point (r, c) is entry r·xs.length + c). */
  grid: PlaneGrid;
  /** layers[l][j]: a[l]ⱼ at every grid point, l = 0..L (layer 0: the inputs x₁, x₂). */
  layers: Float64Array[][];
  /** For each layer, max |a[l]ⱼ| over its units and the grid (0 when every value is 0): the layer's shared colour scale. */
  layerScale: number[];
}

/**
 * a[l]ⱼ for every unit of every layer over a `resolution x resolution` grid covering X (as
 * `planeGrid` makes it), from one forward pass of the grid through a copy of the network.
 * @param net a network with two inputs
 * @param X the data the grid must cover, `n x 2`
 * @param resolution grid points per axis (default 40)
 */
export function unitGrids(net: MLP, X: Matrix, resolution = 40): UnitGrids {
  const where = 'unitGrids';
  checkNet(where, net);
  if (net.layers[0] !== 2) throw new Error(`${where}: net must have 2 inputs (points of the plane); received ${net.layers[0]}`);
  const grid = planeGrid(X, resolution);
  return unitGridsOn(net, grid, new NetworkProbe(net));
}

/** {@link unitGrids} on a given grid with a given probe (the trainer reuses both every frame). */
export function unitGridsOn(net: MLP, grid: PlaneGrid, probe: NetworkProbe): UnitGrids {
  const { a } = probe.run(net, grid.points);
  const layers: Float64Array[][] = [];
  const layerScale: number[] = [];
  for (let l = 0; l <= net.L; l++) {
    const m = a[l];
    const units: Float64Array[] = [];
    let scale = 0;
    for (let j = 0; j < m.cols; j++) {
      const v = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) {
        const x = m.data[i * m.cols + j];
        v[i] = x;
        const ax = Math.abs(x);
        if (ax > scale) scale = ax;
      }
      units.push(v);
    }
    layers.push(units);
    layerScale.push(scale);
  }
  return { grid, layers, layerScale };
}

/** An RGB colour, each channel 0..255. */
export type Rgb = [number, number, number];

/** '#rrggbb' → [r, g, b]. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (m === null) throw new Error(`hexToRgb: colour must be '#rrggbb'; received '${hex}'`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/**
 * A colour scale as a function t ↦ RGB, linear between the stops of a Plotly scale such as
 * `SIGN_SCALE` or `PROBABILITY_SCALE` (stops [position, '#rrggbb'], positions ascending from 0 to 1);
 * t is clamped to [0, 1], NaN gives the scale's middle colour.
 */
export function colorScale(stops: ReadonlyArray<readonly [number, string]>): (t: number) => Rgb {
  if (!Array.isArray(stops) || stops.length < 2 || stops[0][0] !== 0 || stops[stops.length - 1][0] !== 1 ||
      stops.some((s, i) => i > 0 && !(s[0] > stops[i - 1][0]))) {
    throw new Error('colorScale: stops must be [position, colour] pairs with positions rising from 0 to 1');
  }
  const at = stops.map((s) => s[0]);
  const rgb = stops.map((s) => hexToRgb(s[1]));
  return (t: number): Rgb => {
    const x = Number.isNaN(t) ? 0.5 : t <= 0 ? 0 : t >= 1 ? 1 : t;
    let k = 1;
    while (k < at.length - 1 && at[k] < x) k++;
    const u = (x - at[k - 1]) / (at[k] - at[k - 1]);
    const p = rgb[k - 1];
    const q = rgb[k];
    return [Math.round(p[0] + (q[0] - p[0]) * u), Math.round(p[1] + (q[1] - p[1]) * u), Math.round(p[2] + (q[2] - p[2]) * u)];
  };
}

/** A colour lookup table: `size` colours of a scale, evenly spaced in t, as r, g, b bytes (3·size). */
export function colorLut(stops: ReadonlyArray<readonly [number, string]>, size = 256): Uint8Array {
  if (!Number.isInteger(size) || size < 2) throw new Error(`colorLut: size must be an integer ≥ 2; received ${String(size)}`);
  const scale = colorScale(stops);
  const lut = new Uint8Array(3 * size);
  for (let i = 0; i < size; i++) lut.set(scale(i / (size - 1)), 3 * i);
  return lut;
}

/**
 * Paints grid values into an RGBA pixel buffer of `nx x ny` pixels, one pixel per grid point, with
 * the top row of pixels for the grid's highest y (images count rows downwards, the plane upwards).
 * A value v takes the lookup table's colour at t = (v − lo)/(hi − lo), clamped to [0, 1] (NaN: the middle).
 * @param values one value per grid point, point (r, c) at r·nx + c
 * @param nx, ny grid size
 * @param lut colours from {@link colorLut}
 * @param lo, hi the values at the two ends of the scale (lo < hi)
 * @param out `4·nx·ny` bytes (e.g. an ImageData's data), overwritten
 */
export function paintGrid(
  values: ArrayLike<number>, nx: number, ny: number, lut: Uint8Array, lo: number, hi: number, out: Uint8ClampedArray | Uint8Array,
): void {
  if (values.length !== nx * ny || out.length !== 4 * nx * ny) {
    throw new Error(`paintGrid: values must hold nx·ny = ${nx * ny} numbers and out 4·nx·ny bytes; received ${values.length} and ${out.length}`);
  }
  if (!(hi > lo)) throw new Error(`paintGrid: hi must be greater than lo; received lo ${lo}, hi ${hi}`);
  const last = lut.length / 3 - 1;
  const k = last / (hi - lo);
  for (let r = 0; r < ny; r++) {
    const row = ny - 1 - r;
    for (let c = 0; c < nx; c++) {
      const v = values[r * nx + c];
      let i = Number.isNaN(v) ? last / 2 : (v - lo) * k;
      i = i <= 0 ? 0 : i >= last ? last : Math.round(i);
      const q = 3 * Math.round(i);
      const p = 4 * (row * nx + c);
      out[p] = lut[q];
      out[p + 1] = lut[q + 1];
      out[p + 2] = lut[q + 2];
      out[p + 3] = 255;
    }
  }
}

/**
 * The level set {v = level} of grid values by marching squares, as line segments in grid
 * coordinates (c, r): column c at x = xs[c], row r at y = ys[r], fractional in between by linear
 * interpolation. Each segment is [c0, r0, c1, r1]. A cell whose four corners straddle the level on
 * a diagonal (the saddle case) is resolved by the value at its centre (the corners' mean).
 * @param values one value per grid point, point (r, c) at r·nx + c
 * @param nx, ny grid size (≥ 2 each)
 * @param level the level, e.g. 0.5 for the boundary ŷ = 0.5
 */
export function contourSegments(values: ArrayLike<number>, nx: number, ny: number, level: number): number[][] {
  if (values.length !== nx * ny || nx < 2 || ny < 2) {
    throw new Error(`contourSegments: values must hold nx·ny numbers with nx, ny ≥ 2; received ${values.length} values for ${nx}x${ny}`);
  }
  const segments: number[][] = [];
  const v = (r: number, c: number): number => values[r * nx + c];
  // The crossing point on an edge between corners (r0, c0) and (r1, c1).
  const cross = (r0: number, c0: number, r1: number, c1: number): [number, number] => {
    const a = v(r0, c0) - level;
    const b = v(r1, c1) - level;
    const t = a === b ? 0.5 : a / (a - b);
    return [c0 + (c1 - c0) * t, r0 + (r1 - r0) * t];
  };
  for (let r = 0; r < ny - 1; r++) {
    for (let c = 0; c < nx - 1; c++) {
      // corners: 0 (r, c), 1 (r, c+1), 2 (r+1, c+1), 3 (r+1, c)
      const above = [v(r, c) > level, v(r, c + 1) > level, v(r + 1, c + 1) > level, v(r + 1, c) > level];
      const code = (above[0] ? 1 : 0) | (above[1] ? 2 : 0) | (above[2] ? 4 : 0) | (above[3] ? 8 : 0);
      if (code === 0 || code === 15) continue;
      // edges: bottom (0-1), right (1-2), top (2-3), left (3-0)
      const edge = (e: number): [number, number] =>
        e === 0 ? cross(r, c, r, c + 1) : e === 1 ? cross(r, c + 1, r + 1, c + 1) : e === 2 ? cross(r + 1, c + 1, r + 1, c) : cross(r + 1, c, r, c);
      const crossed = [0, 1, 2, 3].filter((e) => above[e] !== above[(e + 1) % 4]);
      if (crossed.length === 2) {
        const p = edge(crossed[0]);
        const q = edge(crossed[1]);
        segments.push([p[0], p[1], q[0], q[1]]);
      } else {
        // saddle: corners 0 and 2 on one side, 1 and 3 on the other. With the centre on corners 0 and 2's
        // side, corners 1 and 3 are cut off (edges 0-1 and 2-3 pair up); otherwise corners 0 and 2 are.
        const centreAbove = (v(r, c) + v(r, c + 1) + v(r + 1, c + 1) + v(r + 1, c)) / 4 > level;
        const pairs = centreAbove === above[0] ? [[0, 1], [2, 3]] : [[3, 0], [1, 2]];
        for (const [e1, e2] of pairs) {
          const p = edge(e1);
          const q = edge(e2);
          segments.push([p[0], p[1], q[0], q[1]]);
        }
      }
    }
  }
  return segments;
}

/**
 * The class of each grid point for k ≥ 2 output pictures (`outputs[j][i]` = ŷⱼ at point i): the
 * arg-max over j (the first on a tie; 0 where every ŷⱼ is NaN).
 */
export function argMaxGrid(outputs: readonly ArrayLike<number>[]): Uint8Array {
  checkOutputs('argMaxGrid', outputs, 2);
  const m = outputs[0].length;
  const out = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    let best = 0;
    for (let j = 1; j < outputs.length; j++) if (outputs[j][i] > outputs[best][i]) best = j;
    out[i] = best;
  }
  return out;
}

function checkOutputs(where: string, outputs: readonly ArrayLike<number>[], min: number): void {
  if (!Array.isArray(outputs) || outputs.length < min || outputs.some((o) => o.length !== outputs[0].length)) {
    throw new Error(`${where}: outputs must be at least ${min} pictures of equal length (one per output unit); received ${
      Array.isArray(outputs) ? `${outputs.length} of lengths ${outputs.map((o) => o.length).join(', ')}` : typeof outputs}`);
  }
}

/**
 * Class c's margin at every grid point, ŷ_c − max_{j≠c} ŷⱼ: positive inside class c's region (where
 * c is the arg-max), negative outside, 0 on its border. Its zero level set is the region's boundary.
 */
export function classMargin(outputs: readonly ArrayLike<number>[], c: number): Float64Array {
  checkOutputs('classMargin', outputs, 2);
  if (!Number.isInteger(c) || c < 0 || c >= outputs.length) throw new Error(`classMargin: c must be a class in 0..${outputs.length - 1}; received ${String(c)}`);
  const m = outputs[0].length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let other = -Infinity;
    for (let j = 0; j < outputs.length; j++) if (j !== c && outputs[j][i] > other) other = outputs[j][i];
    out[i] = outputs[c][i] - other;
  }
  return out;
}

/**
 * The borders between the arg-max regions of k ≥ 2 output pictures, as line segments in grid
 * coordinates (see {@link contourSegments}): the zero level sets of the margins of classes
 * 0..k−2 (every border separates two classes, at least one of them below k − 1).
 */
export function classBoundarySegments(outputs: readonly ArrayLike<number>[], nx: number, ny: number): number[][] {
  checkOutputs('classBoundarySegments', outputs, 2);
  const segments: number[][] = [];
  for (let c = 0; c < outputs.length - 1; c++) segments.push(...contourSegments(classMargin(outputs, c), nx, ny, 0));
  return segments;
}

/** How {@link paintClasses} shades a region: the class colour's share, from `faint` (ŷ_c = 1/k, unsure) to `strong` (ŷ_c = 1). */
export interface ClassShading {
  faint: number;
  strong: number;
}

/**
 * Paints the arg-max regions of k ≥ 2 output pictures into an RGBA buffer (rows as {@link paintGrid}):
 * each pixel is white mixed with the colour of its class c = arg-max ŷⱼ, the colour's share rising
 * linearly with the confidence (ŷ_c − 1/k)/(1 − 1/k) from `shading.faint` to `shading.strong`.
 * @param colors one RGB colour per class (cycled if fewer)
 */
export function paintClasses(
  outputs: readonly ArrayLike<number>[], nx: number, ny: number, colors: readonly Rgb[], out: Uint8ClampedArray | Uint8Array,
  shading: ClassShading = { faint: 0.1, strong: 0.42 },
): void {
  checkOutputs('paintClasses', outputs, 2);
  const k = outputs.length;
  if (outputs[0].length !== nx * ny || out.length !== 4 * nx * ny) {
    throw new Error(`paintClasses: each output must hold nx·ny = ${nx * ny} values and out 4·nx·ny bytes; received ${outputs[0].length} and ${out.length}`);
  }
  if (colors.length === 0) throw new Error('paintClasses: colors must hold at least one colour');
  const classes = argMaxGrid(outputs);
  for (let r = 0; r < ny; r++) {
    const row = ny - 1 - r;
    for (let c = 0; c < nx; c++) {
      const i = r * nx + c;
      const cls = classes[i];
      const p = outputs[cls][i];
      const sure = Number.isFinite(p) ? Math.min(1, Math.max(0, (p - 1 / k) / (1 - 1 / k))) : 0;
      const t = shading.faint + (shading.strong - shading.faint) * sure;
      const color = colors[cls % colors.length];
      const q = 4 * (row * nx + c);
      out[q] = Math.round(255 + (color[0] - 255) * t);
      out[q + 1] = Math.round(255 + (color[1] - 255) * t);
      out[q + 2] = Math.round(255 + (color[2] - 255) * t);
      out[q + 3] = 255;
    }
  }
}

/** One unit of a {@link NetworkLayout}. */
export interface LayoutNode {
  /** Layer l, 0 (inputs) .. L (outputs). */
  layer: number;
  /** Unit index j in the layer, 0-based. */
  unit: number;
  /** Centre, in the layout's coordinates (x to the right, y downwards, as on a canvas). */
  x: number;
  y: number;
}

/** One weight of a {@link NetworkLayout}: W[l] entry (from, to), from unit `from` of layer l−1 to unit `to` of layer l. */
export interface LayoutEdge {
  layer: number;
  from: number;
  to: number;
  /** The weight W[l]_(from, to). */
  weight: number;
  /** Line width: minWidth + (maxWidth − minWidth)·|w| / max|w| over every weight of the network. */
  width: number;
  /** The course's sign colour: SIGN.positive for w > 0, SIGN.negative for w < 0, SIGN.zero for 0. */
  color: string;
}

/** Options of {@link networkLayout}. */
export interface NetworkLayoutOptions {
  /** Width and height of the drawing area (default 1 x 1). */
  width?: number;
  height?: number;
  /** Empty margin around the units, as a fraction of width and height (default 0.08). */
  margin?: number;
  /** Line width of the largest |w| (default 6) and of w = 0 (default 0.5). */
  maxWidth?: number;
  minWidth?: number;
}

/** A network drawn as columns of units joined by its weights. */
export interface NetworkLayout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** max |w| over every weight (the width scale's reference; 0 for an all-zero network). */
  maxAbsWeight: number;
  /** The vertical distance between neighbouring units of the tallest layer. */
  spacing: number;
}

/**
 * The geometry of a network diagram with its weights: layer l's n_l units in column l (evenly
 * spaced from left to right), centred vertically with the spacing of the tallest layer; one edge
 * per weight W[l]_(i, j), from unit i of layer l−1 to unit j of layer l, its colour the sign of w
 * and its width proportional to |w| (one scale for the whole network, so layers compare).
 * @param layers [n_0, …, n_L]
 * @param W W[l], n_{l−1} x n_l, for l = 1..L (index 0 unused), e.g. `net.W`
 */
export function networkLayout(layers: readonly number[], W: readonly Matrix[], options: NetworkLayoutOptions = {}): NetworkLayout {
  const where = 'networkLayout';
  if (!Array.isArray(layers) || layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${where}: layers must be [n_0, …, n_L], at least two positive integers; received ${String(layers)}`);
  }
  const L = layers.length - 1;
  for (let l = 1; l <= L; l++) {
    const m = W[l];
    if (!(m instanceof Matrix) || m.rows !== layers[l - 1] || m.cols !== layers[l]) {
      throw new Error(`${where}: W[${l}] must be ${layers[l - 1]}x${layers[l]}; received ${m instanceof Matrix ? `${m.rows}x${m.cols}` : typeof m}`);
    }
  }
  const width = options.width ?? 1;
  const height = options.height ?? 1;
  const margin = options.margin ?? 0.08;
  const maxWidth = options.maxWidth ?? 6;
  const minWidth = options.minWidth ?? 0.5;
  const x0 = width * margin;
  const x1 = width * (1 - margin);
  const y0 = height * margin;
  const y1 = height * (1 - margin);
  const tallest = Math.max(...layers);
  const spacing = tallest > 1 ? (y1 - y0) / (tallest - 1) : 0;
  const nodes: LayoutNode[] = [];
  const position: Array<Array<{ x: number; y: number }>> = [];
  for (let l = 0; l <= L; l++) {
    const x = x0 + ((x1 - x0) * l) / L;
    const top = (y0 + y1) / 2 - (spacing * (layers[l] - 1)) / 2;
    position.push([]);
    for (let j = 0; j < layers[l]; j++) {
      const node = { layer: l, unit: j, x, y: top + spacing * j };
      nodes.push(node);
      position[l].push(node);
    }
  }
  let maxAbs = 0;
  for (let l = 1; l <= L; l++) for (const w of W[l].data) maxAbs = Math.max(maxAbs, Math.abs(w));
  const edges: LayoutEdge[] = [];
  for (let l = 1; l <= L; l++) {
    const m = W[l];
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const w = m.data[i * m.cols + j];
        edges.push({
          layer: l, from: i, to: j, weight: w,
          width: minWidth + (maxWidth - minWidth) * (maxAbs > 0 ? Math.abs(w) / maxAbs : 0),
          color: w > 0 ? SIGN.positive : w < 0 ? SIGN.negative : SIGN.zero,
        });
      }
    }
  }
  return { nodes, edges, maxAbsWeight: maxAbs, spacing };
}

/**
 * Appends `point` to a series kept at most `maxPoints` long: when it is full, every second point is
 * dropped (the first and the newest are kept), so a long run keeps an even sample of its whole
 * history in bounded memory. Returns the series (changed in place).
 */
export function appendDecimated<T>(series: T[], point: T, maxPoints: number): T[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new Error(`appendDecimated: maxPoints must be an integer ≥ 4; received ${String(maxPoints)}`);
  series.push(point);
  if (series.length > maxPoints) {
    const kept: T[] = [];
    for (let i = 0; i < series.length - 1; i += 2) kept.push(series[i]);
    kept.push(series[series.length - 1]);
    series.length = 0;
    series.push(...kept);
  }
  return series;
}
