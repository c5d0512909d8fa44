#!/usr/bin/env node
/**
 * The library compiled for the browser (run by `npm run build`, after tsc):
 *
 *   dist/browser/playground.js   the live trainer (src/notebook/playground/browser/page.ts) with the
 *                                part of the library it uses; defines window.BackpropPlayground
 *                                ({ mount, mountAll }). `playground(options)` inlines it into its output.
 *   dist/browser/backprop.js     the whole math library (src/index.ts); defines window.Backprop.
 *   dist/browser/manifest.json   each bundle's size and SHA-256.
 *
 * esbuild, platform 'browser', IIFE, minified, ES2020. A Node built-in anywhere in the import graph
 * fails the build (esbuild cannot resolve it for the browser); the kernels load without Node (their
 * base64 decoder and thread probe use no Node global), so no shim is injected.
 * The page code is type-checked first with the DOM's types (src/notebook/playground/browser/tsconfig.json).
 *
 *   node scripts/build-browser.mjs            # type-check and bundle
 *   node scripts/build-browser.mjs --no-check # bundle only
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'browser');
const browserTsconfig = join(root, 'src', 'notebook', 'playground', 'browser', 'tsconfig.json');

if (!process.argv.includes('--no-check')) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', browserTsconfig], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`build-browser: the page code does not type-check (${relative(root, browserTsconfig)}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const bundles = [
  { name: 'playground', entry: 'src/notebook/playground/browser/page.ts', globalName: 'BackpropPlayground' },
  { name: 'backprop', entry: 'src/index.ts', globalName: 'Backprop' },
];

mkdirSync(outDir, { recursive: true });
const manifest = {};
for (const b of bundles) {
  const outfile = join(outDir, `${b.name}.js`);
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [join(root, b.entry)],
      outfile,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: b.globalName,
      target: 'es2020',
      minify: true,
      sourcemap: false,
      legalComments: 'eof',
      metafile: true,
      logLevel: 'silent',
    });
  } catch (e) {
    process.stderr.write(`build-browser: bundling ${b.entry} failed:\n${(e.errors ?? []).map((x) => `  ${x.text}${x.location ? ` (${x.location.file}:${x.location.line})` : ''}`).join('\n') || e.message}\n`);
    process.exit(1);
  }
  const inputs = Object.keys(result.metafile.inputs);
  const builtins = inputs.filter((p) => nodeBuiltins.has(p));
  if (builtins.length > 0) {
    process.stderr.write(`build-browser: ${b.entry} pulls in Node built-ins: ${builtins.join(', ')}\n`);
    process.exit(1);
  }
  const code = readFileSync(outfile);
  manifest[b.name] = {
    file: relative(root, outfile),
    globalName: b.globalName,
    bytes: code.length,
    sha256: createHash('sha256').update(code).digest('hex'),
    inputs: inputs.length,
  };
}
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const [name, m] of Object.entries(manifest)) {
  console.log(`build-browser: ${m.file} (${(m.bytes / 1024).toFixed(1)} KiB, window.${m.globalName})`);
  void name;
}
