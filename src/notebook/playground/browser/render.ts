/**
 * Canvas drawing for the live trainer: the decision boundary with the points, the network with a
 * picture of every unit and its weights, and the loss curves. Every number comes from ../views and
 * ../trainer; this file only paints. Colours are the course's: ŷ on PROBABILITY_SCALE, unit
 * outputs and weights in the sign colours (red positive, blue negative, white zero), classes in
 * CLASS_COLORS, series in SERIES_COLORS.
 */
import { CLASS_COLORS, PROBABILITY_SCALE, SERIES_COLORS, SIGN, SIGN_SCALE } from '../../style';
import type { MLP } from '../../../core/mlp';
import type { CurvePoint, PlaygroundData } from '../trainer';
import {
  classBoundarySegments, colorLut, contourSegments, hexToRgb, networkLayout, paintClasses, paintGrid, UnitGrids, UnitId,
} from '../views';

const PROBABILITY_LUT = colorLut(PROBABILITY_SCALE);
const SIGN_LUT = colorLut(SIGN_SCALE);
/** ŷⱼ of a softmax output: white at 0 to class j's colour at 1. */
const CLASS_LUTS = CLASS_COLORS.map((c) => colorLut([[0, '#ffffff'], [1, c]]));
const CLASS_RGB = CLASS_COLORS.map(hexToRgb);
const classColor = (c: number): string => CLASS_COLORS[c % CLASS_COLORS.length];
const INK = '#111827';
const MUTED = '#6b7280';
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Sizes a canvas to `width x height` CSS pixels at the device's pixel ratio; returns its 2-D context, scaled. */
export function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.aspectRatio = `${width} / ${height}`;
  canvas.style.maxWidth = `${width}px`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('playground: this browser gives no 2-D canvas context');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** One grid of values as a small image (one pixel per grid point), to be drawn scaled up. */
class GridImage {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: ImageData;

  constructor(readonly nx: number, readonly ny: number) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = nx;
    this.canvas.height = ny;
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) throw new Error('playground: this browser gives no 2-D canvas context');
    this.ctx = ctx;
    this.image = ctx.createImageData(nx, ny);
  }

  paint(values: ArrayLike<number>, lut: Uint8Array, lo: number, hi: number): HTMLCanvasElement {
    paintGrid(values, this.nx, this.ny, lut, lo, hi, this.image.data);
    this.ctx.putImageData(this.image, 0, 0);
    return this.canvas;
  }

  /** The arg-max regions of k ≥ 2 outputs (see `paintClasses`). */
  paintClasses(outputs: readonly Float64Array[]): HTMLCanvasElement {
    paintClasses(outputs, this.nx, this.ny, CLASS_RGB, this.image.data);
    this.ctx.putImageData(this.image, 0, 0);
    return this.canvas;
  }
}

/** The plane's extent as drawn: the grid plus half a cell on every side (pixel centres on grid points). */
function viewBox(pictures: UnitGrids): { x0: number; x1: number; y0: number; y1: number } {
  const { xs, ys } = pictures.grid;
  const dx = (xs[xs.length - 1] - xs[0]) / (xs.length - 1);
  const dy = (ys[ys.length - 1] - ys[0]) / (ys.length - 1);
  return { x0: xs[0] - dx / 2, x1: xs[xs.length - 1] + dx / 2, y0: ys[0] - dy / 2, y1: ys[ys.length - 1] + dy / 2 };
}

/** The canvas height for a plane drawn `width` wide with equal scales on both axes (kept within 0.5–1.5 of the width). */
export function boundaryHeight(pictures: UnitGrids, width: number): number {
  const b = viewBox(pictures);
  const ratio = (b.y1 - b.y0) / (b.x1 - b.x0);
  return Math.round(width * Math.min(1.5, Math.max(0.5, ratio)));
}

/**
 * The decision boundary with the points. One output unit: ŷ over the plane and the line ŷ = 0.5.
 * k ≥ 2 softmax outputs: each point of the plane in the colour of its arg-max class (paler where
 * less sure) and the borders between the classes. Training points as dots, test points ringed, each
 * in its class's colour.
 */
export class BoundaryView {
  private ctx: CanvasRenderingContext2D;
  private image: GridImage | null = null;
  private height = 0;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly width: number) {
    this.ctx = sizeCanvas(canvas, width, width);
    this.height = width;
  }

  draw(pictures: UnitGrids, data: PlaygroundData): void {
    const { xs, ys } = pictures.grid;
    const nx = xs.length;
    const ny = ys.length;
    const h = boundaryHeight(pictures, this.width);
    if (h !== this.height) {
      this.ctx = sizeCanvas(this.canvas, this.width, h);
      this.height = h;
    }
    if (this.image === null || this.image.nx !== nx || this.image.ny !== ny) this.image = new GridImage(nx, ny);
    const ctx = this.ctx;
    const w = this.width;
    const outputs = pictures.layers[pictures.layers.length - 1];
    ctx.imageSmoothingEnabled = true;
    const picture = outputs.length === 1 ? this.image.paint(outputs[0], PROBABILITY_LUT, 0, 1) : this.image.paintClasses(outputs);
    ctx.drawImage(picture, 0, 0, w, h);
    const box = viewBox(pictures);
    const px = (x: number): number => ((x - box.x0) / (box.x1 - box.x0)) * w;
    const py = (y: number): number => h - ((y - box.y0) / (box.y1 - box.y0)) * h;
    // the boundary ŷ = 0.5 (or the borders between classes), from grid coordinates (c, r) to the canvas
    const cx = w / nx;
    const cy = h / ny;
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.lineCap = 'round';
    ctx.beginPath();
    const segments = outputs.length === 1 ? contourSegments(outputs[0], nx, ny, 0.5) : classBoundarySegments(outputs, nx, ny);
    for (const s of segments) {
      ctx.moveTo((s[0] + 0.5) * cx, h - (s[1] + 0.5) * cy);
      ctx.lineTo((s[2] + 0.5) * cx, h - (s[3] + 0.5) * cy);
    }
    ctx.stroke();
    const dots = (X: PlaygroundData['X'], labels: readonly number[], ring: boolean): void => {
      for (let i = 0; i < X.rows; i++) {
        ctx.beginPath();
        ctx.arc(px(X.data[2 * i]), py(X.data[2 * i + 1]), ring ? 3.2 : 2.8, 0, 2 * Math.PI);
        ctx.fillStyle = classColor(labels[i]);
        ctx.fill();
        ctx.lineWidth = ring ? 1.2 : 0.8;
        ctx.strokeStyle = ring ? INK : '#ffffff';
        ctx.stroke();
      }
    };
    dots(data.XTrain, data.trainLabels, false);
    dots(data.XTest, data.testLabels, true);
    ctx.fillStyle = INK;
    ctx.font = FONT;
    ctx.fillText('x₁ →', w - 34, h - 6);
    ctx.fillText('x₂ ↑', 4, 13);
  }
}

/** The layer label under column l: "x" (inputs), "a[l] relu" (hidden), "ŷ = a[L]" (output). */
export function layerLabel(net: MLP, l: number): string {
  if (l === 0) return 'a[0] = x';
  if (l === net.L) return `ŷ = a[${l}]`;
  return `a[${l}] ${net.activations[l - 1].name}`;
}

/**
 * The network: one picture per unit (its output a[l]ⱼ over the plane; inputs and hidden units in the
 * sign colours, one scale per layer; one sigmoid output ŷ like the boundary, each softmax output ŷⱼ
 * from white at 0 to class j's colour at 1), joined by one line per weight
 * W[l]ᵢⱼ in its sign colour with width ∝ |w|. Dead units get a dashed frame and the word "dead".
 */
export class NetworkView {
  private readonly ctx: CanvasRenderingContext2D;
  private images: GridImage[] = [];

  constructor(canvas: HTMLCanvasElement, private readonly width: number, private readonly height: number) {
    this.ctx = sizeCanvas(canvas, width, height);
  }

  draw(pictures: UnitGrids, net: MLP, dead: readonly UnitId[]): void {
    const ctx = this.ctx;
    const { xs, ys } = pictures.grid;
    const nx = xs.length;
    const ny = ys.length;
    const labelSpace = 18;
    const layout = networkLayout(net.layers, net.W, { width: this.width, height: this.height - labelSpace, margin: 0.07, maxWidth: 5, minWidth: 0.4 });
    const tallest = Math.max(...net.layers);
    const size = Math.max(12, Math.min(40, (tallest > 1 ? layout.spacing : this.height / 3) - 6));
    ctx.clearRect(0, 0, this.width, this.height);
    const at = (l: number, j: number): { x: number; y: number } => {
      const node = layout.nodes.find((n) => n.layer === l && n.unit === j);
      return node ?? { x: 0, y: 0 };
    };
    // weights first, under the unit pictures
    ctx.lineCap = 'butt';
    for (const e of layout.edges) {
      const p = at(e.layer - 1, e.from);
      const q = at(e.layer, e.to);
      ctx.beginPath();
      ctx.moveTo(p.x + size / 2, p.y);
      ctx.lineTo(q.x - size / 2, q.y);
      ctx.strokeStyle = e.color;
      ctx.globalAlpha = 0.85;
      ctx.lineWidth = e.width;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    let k = 0;
    ctx.imageSmoothingEnabled = true;
    for (let l = 0; l <= net.L; l++) {
      const scale = pictures.layerScale[l] > 0 ? pictures.layerScale[l] : 1;
      for (let j = 0; j < net.layers[l]; j++) {
        if (this.images[k] === undefined || this.images[k].nx !== nx || this.images[k].ny !== ny) this.images[k] = new GridImage(nx, ny);
        const lut = l < net.L ? SIGN_LUT : net.layers[l] === 1 ? PROBABILITY_LUT : CLASS_LUTS[j % CLASS_LUTS.length];
        const img = l < net.L ? this.images[k].paint(pictures.layers[l][j], lut, -scale, scale) : this.images[k].paint(pictures.layers[l][j], lut, 0, 1);
        k++;
        const c = at(l, j);
        const x = c.x - size / 2;
        const y = c.y - size / 2;
        ctx.drawImage(img, x, y, size, size);
        const isDead = dead.some((d) => d.layer === l && d.unit === j);
        ctx.lineWidth = 1;
        ctx.strokeStyle = isDead ? MUTED : INK;
        ctx.setLineDash(isDead ? [3, 2] : []);
        ctx.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
        ctx.setLineDash([]);
        if (isDead) {
          ctx.fillStyle = MUTED;
          ctx.font = FONT;
          ctx.textAlign = 'center';
          ctx.fillText('dead', c.x, c.y + 4);
          ctx.textAlign = 'start';
        }
      }
      const bottom = this.height - 4;
      ctx.fillStyle = INK;
      ctx.font = FONT;
      ctx.textAlign = 'center';
      ctx.fillText(layerLabel(net, l), at(l, 0).x, bottom);
      ctx.textAlign = 'start';
    }
  }
}

/**
 * Training loss (solid) and test loss (dashed) against the epoch, on a linear axis from 0; the
 * previous run's two curves, when given, in grey underneath on the same axes (for comparison).
 */
export class CurveView {
  private readonly ctx: CanvasRenderingContext2D;

  constructor(canvas: HTMLCanvasElement, private readonly width: number, private readonly height: number) {
    this.ctx = sizeCanvas(canvas, width, height);
  }

  draw(curve: readonly CurvePoint[], previous: readonly CurvePoint[] = []): void {
    const ctx = this.ctx;
    const w = this.width;
    const h = this.height;
    const left = 34;
    const bottom = 18;
    const top = 8;
    ctx.clearRect(0, 0, w, h);
    if (curve.length === 0) return;
    const lastOf = (c: readonly CurvePoint[]): number => (c.length === 0 ? 0 : c[c.length - 1].epoch);
    const lastEpoch = Math.max(1, lastOf(curve), lastOf(previous));
    let maxLoss = 0;
    for (const p of [...curve, ...previous]) {
      if (Number.isFinite(p.trainLoss)) maxLoss = Math.max(maxLoss, p.trainLoss);
      if (Number.isFinite(p.testLoss)) maxLoss = Math.max(maxLoss, p.testLoss);
    }
    maxLoss = maxLoss > 0 ? maxLoss * 1.05 : 1;
    const px = (e: number): number => left + ((w - left - 6) * e) / lastEpoch;
    const py = (v: number): number => top + (h - top - bottom) * (1 - v / maxLoss);
    ctx.strokeStyle = '#d1d5db';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(left, top);
    ctx.lineTo(left, h - bottom);
    ctx.lineTo(w - 6, h - bottom);
    ctx.stroke();
    ctx.fillStyle = MUTED;
    ctx.font = FONT;
    ctx.fillText(maxLoss.toPrecision(2), 2, top + 8);
    ctx.fillText('0', left - 10, h - bottom);
    ctx.fillText('L', 4, (h - bottom) / 2 + 4);
    ctx.textAlign = 'right';
    ctx.fillText(`epoch ${curve[curve.length - 1].epoch}`, w - 6, h - 4);
    ctx.textAlign = 'start';
    const line = (pick: (p: CurvePoint) => number, color: string, dash: number[], points: readonly CurvePoint[] = curve): void => {
      ctx.beginPath();
      points.forEach((p, i) => {
        const v = pick(p);
        if (!Number.isFinite(v)) return;
        if (i === 0) ctx.moveTo(px(p.epoch), py(v));
        else ctx.lineTo(px(p.epoch), py(v));
      });
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.8;
      ctx.setLineDash(dash);
      ctx.stroke();
      ctx.setLineDash([]);
    };
    line((p) => p.trainLoss, LEGEND.previous, [], previous);
    line((p) => p.testLoss, LEGEND.previous, [5, 3], previous);
    line((p) => p.trainLoss, SERIES_COLORS[0], []);
    line((p) => p.testLoss, SERIES_COLORS[1], [5, 3]);
  }
}

/** The legend colours of the curves and the weights, for the page's captions. */
export const LEGEND = Object.freeze({
  train: SERIES_COLORS[0],
  test: SERIES_COLORS[1],
  positive: SIGN.positive,
  negative: SIGN.negative,
  previous: '#b8bec8',
});
