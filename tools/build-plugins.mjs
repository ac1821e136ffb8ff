#!/usr/bin/env node
/**
 * Builds every plugin (plugins/<name>/ and plugins/testing/<name>/ with a manifest.json and index.ts) into
 * dist-plugins/<manifest id>/: `index.js` (one self-contained ES module, the same file for browser and Node),
 * manifest.json, README.md and the models the manifest declares. Also builds the worker runtimes into
 * dist-plugins/.runtime/: node-worker.mjs (worker_threads), browser-worker.js (module Web Worker), the kernels
 * .wasm and onnxruntime-web's wasm files (served locally; never a CDN).
 *
 * Usage: node tools/build-plugins.mjs [--out dist-plugins] [--only <plugin-folder-name>]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = path.resolve(root, opt('--out') ?? 'dist-plugins');
const only = opt('--only');
const alias = { '@qiview/sdk': path.join(root, 'plugins/sdk/index.ts') };

/**
 * The SDK index re-exports the manifest schema (zod + semver) that plugin code rarely uses. Marking those modules
 * side-effect free lets esbuild drop them from a bundle that does not import them (~800 KB less).
 */
const dropUnusedSdkParts = {
  name: 'drop-unused-sdk-parts',
  setup(build) {
    build.onResolve({ filter: /^(zod|semver)(\/.*)?$|\/manifest$/ }, async (a) => {
      if (a.pluginData === 'inner') return undefined;
      if (a.path.endsWith('/manifest') && !a.importer.includes(`${path.sep}plugins${path.sep}sdk${path.sep}`))
        return undefined;
      const r = await build.resolve(a.path, {
        kind: a.kind,
        resolveDir: a.resolveDir,
        importer: a.importer,
        pluginData: 'inner',
      });
      return r.errors.length ? undefined : { ...r, path: r.path, sideEffects: false };
    });
  },
};

/**
 * Every output is written to a temporary name and renamed into place, so a test or batch run reading dist-plugins
 * while another process rebuilds it (test files build in their setup, in parallel) sees the old or the new file,
 * never a missing or half-written one.
 */
function writeAtomic(file, data) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
  return file;
}
const copyAtomic = (src, dst) => writeAtomic(dst, readFileSync(src));
async function buildAtomic(options) {
  const r = await esbuild.build({ ...options, write: false });
  return r.outputFiles.map((f) => writeAtomic(f.path, f.contents));
}

/** Removes files under `dir` that this build did not write (stale outputs of an older build). */
function removeStale(dir, written) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) removeStale(p, written);
    else if (!written.has(p) && !/\.tmp-\d+-/.test(e.name)) rmSync(p, { force: true });
  }
}

function pluginDirs() {
  const dirs = [];
  for (const base of ['plugins', 'plugins/testing']) {
    for (const name of readdirSync(path.join(root, base))) {
      const dir = path.join(root, base, name);
      if (existsSync(path.join(dir, 'manifest.json')) && existsSync(path.join(dir, 'index.ts')))
        dirs.push(dir);
    }
  }
  return dirs.filter((d) => !only || path.basename(d) === only);
}

async function buildPlugin(dir) {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const target = path.join(out, manifest.id);
  const written = new Set(
    await buildAtomic({
      entryPoints: [path.join(dir, 'index.ts')],
      outfile: path.join(target, manifest.main),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      alias,
      plugins: [dropUnusedSdkParts],
      legalComments: 'none',
      logLevel: 'warning',
    }),
  );
  written.add(copyAtomic(path.join(dir, 'manifest.json'), path.join(target, 'manifest.json')));
  if (existsSync(path.join(dir, 'README.md')))
    written.add(copyAtomic(path.join(dir, 'README.md'), path.join(target, 'README.md')));
  for (const m of manifest.models ?? []) {
    const src = path.join(dir, m.file);
    if (!existsSync(src)) throw new Error(`${manifest.id}: model ${m.file} not found in ${dir}`);
    written.add(copyAtomic(src, path.join(target, m.file)));
  }
  removeStale(target, written);
  return `${manifest.id} (${path.relative(root, dir)})`;
}

async function buildRuntime() {
  const rt = path.join(out, '.runtime');
  await buildAtomic({
    entryPoints: [path.join(root, 'core/node/plugin-host/node-worker.ts')],
    outfile: path.join(rt, 'node-worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    alias,
    external: ['onnxruntime-node', 'onnxruntime-web', '@itk-wasm/*', 'itk-wasm'],
    logLevel: 'warning',
  });
  const browserEntry = path.join(root, 'core/browser/plugin-host/browser-worker.ts');
  if (existsSync(browserEntry)) {
    await buildAtomic({
      entryPoints: [browserEntry],
      outfile: path.join(rt, 'browser-worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      alias,
      external: ['*.wasm'],
      logLevel: 'warning',
    });
  }
  copyAtomic(path.join(root, 'wasm/build/qiview-kernels.wasm'), path.join(rt, 'qiview-kernels.wasm'));
  const ort = path.join(root, 'node_modules/onnxruntime-web/dist');
  for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'])
    copyAtomic(path.join(ort, f), path.join(rt, 'ort', f));
}

const built = [];
for (const dir of pluginDirs()) built.push(await buildPlugin(dir));
await buildRuntime();
console.log(
  `built ${built.length} plugin(s) into ${path.relative(root, out)}: ${built.join(', ')}; runtime in .runtime/`,
);
