#!/usr/bin/env node
// Bundles the Electron shell with esbuild:
//   electron/main/main.ts      -> dist-electron/main.cjs     (Node/Electron main; native modules stay external)
//   electron/preload/index.ts  -> dist-electron/preload.cjs  (one self-contained CommonJS file: a sandboxed preload
//                                                            can require only 'electron' and a few polyfills)
// Usage: node tools/build-electron.mjs [--outdir DIR] [--minify]
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages the main bundle must load from node_modules at run time (native addons, Electron itself). */
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', 'onnxruntime-node', 'pg-native'];

/** Node target matching the Electron we ship (Electron 45 runs Node >= 22). */
const NODE_TARGET = 'node22';

/**
 * Builds both bundles into `outdir`.
 * @param {{ outdir?: string, minify?: boolean, logLevel?: import('esbuild').LogLevel }} [options]
 * @returns {Promise<{ main: string, preload: string }>} absolute paths of the two files
 */
export async function buildElectron(options = {}) {
  const outdir = path.resolve(root, options.outdir ?? 'dist-electron');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    sourcemap: 'linked',
    minify: options.minify ?? false,
    legalComments: 'linked',
    logLevel: options.logLevel ?? 'warning',
    absWorkingDir: root,
    tsconfig: path.join(root, 'tsconfig.json'),
  };
  const main = path.join(outdir, 'main.cjs');
  const preload = path.join(outdir, 'preload.cjs');
  await Promise.all([
    build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: main, external: MAIN_EXTERNALS }),
    build({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: preload,
      // Only Electron's own module; everything else is inlined (there should be nothing else).
      external: ['electron'],
    }),
  ]);
  return { main, preload };
}

const isCli = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isCli) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? args[at + 1] : undefined;
  try {
    const out = await buildElectron({ outdir, minify: args.includes('--minify'), logLevel: 'info' });
    console.log(`built ${path.relative(root, out.main)} and ${path.relative(root, out.preload)}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
