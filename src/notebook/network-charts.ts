/**
 * Chart builders for looking inside one forward and backward pass: the total inputs z[l] and
 * outputs a[l] of every layer for one sample ({@link layerValuesFigure}), and a parity plot of
 * computed derivatives against a reference such as finite differences ({@link parityFigure}).
 * Both return plain Plotly figures for `plot(figure)`: responsive, labelled with the course's
 * symbols and colours, with every title computed by the caller.
 */
import { Matrix } from '../core/matrix';
import type { Data, Figure, Layout } from './plot';
import { SERIES_COLORS, sub, sym } from './style';

/** What {@link layerValuesFigure} draws: an MLP after `forward(X)`, or an object of the same shape. */
export interface LayerValuesInput {
  /** Layer sizes [n_0, …, n_L]. */
  layers: readonly number[];
  /** z[l] for l = 1..L, one row per sample. */
  z: ReadonlyArray<Matrix | undefined>;
  /** a[l] for l = 0..L (a[0] = X), one row per sample. */
  a: ReadonlyArray<Matrix | undefined>;
  /** f_1..f_L (their names title the panels). */
  activations?: ReadonlyArray<{ name: string }>;
}

function rowOf(where: string, name: string, m: Matrix | undefined, sample: number, cols: number): number[] {
  if (!(m instanceof Matrix)) throw new Error(`${where}: ${name} must be a Matrix: run forward(X) first; received ${m === undefined ? 'undefined' : typeof m}`);
  if (m.cols !== cols || sample < 0 || sample >= m.rows) {
    throw new Error(`${where}: ${name} must be n x ${cols} with a row ${sample}; received ${m.rows}x${m.cols}`);
  }
  return m.row(sample);
}

/**
 * Bars of every unit's total input z[l]ᵢ next to its output a[l]ᵢ = f_l(z[l]ᵢ), one panel per layer
 * (layer 0 shows a[0] = x only), all on one shared y-axis so that the panels compare. Units are
 * labelled x₁, a[1]₂, ŷ₁, ….
 * @param net the forward values (an MLP after forward, or { layers, z, a, activations })
 * @param options the title and which sample (row) to draw (default 0)
 */
export function layerValuesFigure(net: LayerValuesInput, options: { title: string; sample?: number; height?: number }): Figure {
  const where = 'layerValuesFigure';
  if (net === null || typeof net !== 'object' || !Array.isArray(net.layers) || net.layers.length < 2) {
    throw new Error(`${where}: net must have layers [n_0, …, n_L] (at least two), z and a; received ${net === null ? 'null' : typeof net}`);
  }
  const sample = options.sample ?? 0;
  const L = net.layers.length - 1;
  const gap = 0.04;
  const width = (1 - L * gap) / (L + 1);
  const data: Data[] = [];
  const layout: Partial<Layout> & Record<string, unknown> = {
    title: { text: options.title },
    barmode: 'group',
    height: options.height ?? 400,
    yaxis: { title: { text: 'z[l]ᵢ, a[l]ᵢ' }, zeroline: true },
    legend: { orientation: 'h', x: 0, y: -0.15, yanchor: 'top' },
    margin: { t: 80, b: 90 },
    annotations: [],
  };
  for (let l = 0; l <= L; l++) {
    const axis = l === 0 ? '' : String(l + 1);
    const units = Array.from({ length: net.layers[l] }, (_, i) => (l === 0 ? sym.x(i + 1) : l === L ? sym.yhat(i + 1) : sym.a(l, i + 1)));
    const x0 = l * (width + gap);
    layout[`xaxis${axis}`] = { domain: [x0, x0 + width], anchor: 'y' };
    const f = net.activations?.[l - 1];
    (layout.annotations as Array<Record<string, unknown>>).push({
      text: l === 0 ? 'layer 0: a[0] = x' : `layer ${l}${f ? `: f${sub(l)} = ${f.name}` : ''}`,
      x: x0 + width / 2, y: 1, xref: 'paper', yref: 'paper', xanchor: 'center', yanchor: 'bottom', showarrow: false,
    });
    if (l > 0) {
      data.push({ type: 'bar', x: units, y: rowOf(where, `z[${l}]`, net.z[l], sample, net.layers[l]), name: 'z[l]', legendgroup: 'z',
        showlegend: l === 1, marker: { color: SERIES_COLORS[4] }, xaxis: `x${axis}`, yaxis: 'y',
        hovertemplate: 'z of %{x} = %{y:.6f}<extra></extra>' });
    }
    data.push({ type: 'bar', x: units, y: rowOf(where, `a[${l}]`, net.a[l], sample, net.layers[l]), name: 'a[l]', legendgroup: 'a',
      showlegend: l === 0, marker: { color: SERIES_COLORS[0] }, xaxis: `x${axis}`, yaxis: 'y',
      hovertemplate: '%{x} = %{y:.6f}<extra></extra>' });
  }
  return { data, layout };
}

/** One series of a {@link parityFigure}: computed values against their reference, entry by entry. */
export interface ParitySeries {
  /** The legend entry, e.g. "layer 2 weights". */
  name: string;
  /** The values under test (drawn up), e.g. back-propagated derivatives. */
  computed: readonly number[];
  /** The reference values (drawn across), e.g. finite differences. */
  reference: readonly number[];
  /** A hover label per point, e.g. "w⁽²⁾₁₂ = W[2].get(1, 0)". */
  labels?: readonly string[];
  /** Marker symbol (default 'circle'); colour defaults to the series colour of its index. */
  symbol?: string;
  color?: string;
}

/**
 * A parity plot: one point per entry, the reference across and the computed value up, on equal
 * axes with the diagonal "computed = reference". A correct computation lies on the diagonal; a sign
 * error mirrors points across it, a missing factor tilts them. The axes span the data (symmetric
 * about 0).
 * @param series the point sets (each computed/reference pair must have the same length)
 * @param options the title and the two axis titles (computed by the caller)
 */
export function parityFigure(series: readonly ParitySeries[], options: { title: string; computed: string; reference: string; height?: number }): Figure {
  const where = 'parityFigure';
  if (!Array.isArray(series) || series.length === 0) throw new Error(`${where}: series must be a non-empty array of { name, computed, reference }`);
  let span = 0;
  series.forEach((s, k) => {
    if (!s || !Array.isArray(s.computed) || !Array.isArray(s.reference) || s.computed.length !== s.reference.length) {
      throw new Error(`${where}: series[${k}] must have computed and reference arrays of one length; received ${
        s && Array.isArray(s.computed) && Array.isArray(s.reference) ? `${s.computed.length} and ${s.reference.length}` : typeof s}`);
    }
    for (const v of [...s.computed, ...s.reference]) if (Number.isFinite(v)) span = Math.max(span, Math.abs(v));
  });
  span = span === 0 ? 1 : span * 1.1;
  const data: Data[] = [
    { type: 'scatter', mode: 'lines', x: [-span, span], y: [-span, span], name: 'diagonal: equal values',
      line: { color: '#9ca3af', dash: 'dash' }, hoverinfo: 'skip' },
  ];
  series.forEach((s, k) => {
    data.push({
      type: 'scatter', mode: 'markers', name: s.name, x: s.reference.slice(), y: s.computed.slice(),
      text: s.labels ? s.labels.slice() : s.computed.map((_: number, i: number) => `${s.name} ${i + 1}`),
      hovertemplate: `%{text}<br>${options.reference}: %{x:.6g}<br>${options.computed}: %{y:.6g}<extra></extra>`,
      marker: { size: 10, color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length], symbol: s.symbol ?? 'circle', line: { color: 'white', width: 1 } },
    });
  });
  return {
    data,
    layout: {
      title: { text: options.title },
      xaxis: { title: { text: options.reference }, range: [-span, span], zeroline: true, constrain: 'domain' },
      yaxis: { title: { text: options.computed }, range: [-span, span], zeroline: true, scaleanchor: 'x', scaleratio: 1 },
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      height: options.height ?? 520,
    },
  };
}
