/**
 * The plotly.js bundles an exported page can inline, and the choice of the smallest that draws a
 * page's traces. All are official builds of the same plotly.js version (the one the project's
 * design names, plotly.js-dist 4): the partial bundles basic and cartesian as published
 * (minified), and the full library minified here with esbuild (plotly.js-dist ships it
 * unminified). The trace lists are the bundles' own (`Plotly.PlotSchema.get().traces`, checked
 * by test/browser/plot-html.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformSync } from 'esbuild';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Bundle {
  /** Short name, written into the page (`<script data-bp-plotly="cartesian">`). */
  name: 'basic' | 'cartesian' | 'full';
  /** The npm package. */
  pkg: string;
  /** The file inside the package. */
  file: string;
  /** Trace types it draws; null: all of them. */
  traces: readonly string[] | null;
  /** Minify it here (the package ships it unminified). */
  minify: boolean;
}

export const BUNDLES: readonly Bundle[] = [
  { name: 'basic', pkg: 'plotly.js-basic-dist-min', file: 'plotly-basic.min.js', traces: ['bar', 'pie', 'scatter'], minify: false },
  {
    name: 'cartesian',
    pkg: 'plotly.js-cartesian-dist-min',
    file: 'plotly-cartesian.min.js',
    traces: ['bar', 'box', 'contour', 'heatmap', 'histogram', 'histogram2d', 'histogram2dcontour', 'image', 'pie', 'scatter', 'scatterternary', 'violin'],
    minify: false,
  },
  { name: 'full', pkg: 'plotly.js-dist', file: 'plotly.js', traces: null, minify: true },
];

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }));
}

/** The version of a bundle's package. */
export function bundleVersion(bundle: Bundle): string {
  return (JSON.parse(fs.readFileSync(path.join(packageDir(bundle.pkg), 'package.json'), 'utf8')) as { version: string }).version;
}

const sources = new Map<string, string>();

/**
 * The bundle's JavaScript, minified when the package ships it unminified (cached in
 * build/cache/, keyed by the package version).
 */
export function bundleSource(bundle: Bundle): string {
  const cached = sources.get(bundle.name);
  if (cached !== undefined) return cached;
  const file = path.join(packageDir(bundle.pkg), bundle.file);
  let code: string;
  if (!bundle.minify) {
    code = fs.readFileSync(file, 'utf8');
  } else {
    const cacheFile = path.join(ROOT, 'build', 'cache', `${bundle.pkg}-${bundleVersion(bundle)}.min.js`);
    if (fs.existsSync(cacheFile)) {
      code = fs.readFileSync(cacheFile, 'utf8');
    } else {
      const banner = fs.readFileSync(file, 'utf8').match(/^\/\*\*[\s\S]*?\*\//)?.[0] ?? '';
      code = `${banner}\n${transformSync(fs.readFileSync(file, 'utf8'), { minify: true, legalComments: 'none' }).code}`;
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      fs.writeFileSync(cacheFile, code);
    }
  }
  sources.set(bundle.name, code);
  return code;
}

/** Bytes of a bundle as inlined. */
export function bundleBytes(bundle: Bundle): number {
  return Buffer.byteLength(bundleSource(bundle));
}

/**
 * The smallest bundle that draws every trace type in `traces` (measured: bytes as inlined).
 * @param traces trace types used by a page
 */
export function chooseBundle(traces: Iterable<string>): Bundle {
  const needed = [...new Set(traces)];
  const fitting = BUNDLES.filter((b) => b.traces === null || needed.every((t) => b.traces!.includes(t)));
  return fitting.reduce((best, b) => (bundleBytes(b) < bundleBytes(best) ? b : best));
}

/** Throws unless every bundle has the same plotly.js major.minor.patch. */
export function checkBundleVersions(): string {
  const versions = BUNDLES.map((b) => `${b.pkg}@${bundleVersion(b)}`);
  const distinct = new Set(BUNDLES.map(bundleVersion));
  if (distinct.size !== 1) throw new Error(`plotly.js bundles of different versions: ${versions.join(', ')}; install one version of all`);
  return [...distinct][0];
}
