/**
 * Runs a built plugin (dist-plugins/<id>: manifest.json, bundle, models/) in a Node `worker_threads` worker with the
 * manifest's memory limit (V8 old generation) and time limit. The host process survives anything the plugin does.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseManifest, type Manifest } from '@qiview/sdk';
import {
  runPluginInWorker,
  type PluginWorker,
  type RunOutcome,
  type RunPluginOptions,
} from '../../common/plugin-host/run-plugin';
import { KERNELS_WASM_PATH } from '../../../wasm/node/load-kernels';

/** Default folder of the bundled worker runtimes (built by `node tools/build-plugins.mjs`). */
export const RUNTIME_DIR = fileURLToPath(new URL('../../../dist-plugins/.runtime/', import.meta.url));

/** Options of the Node {@link runPlugin}. */
export interface NodeRunPluginOptions extends Omit<RunPluginOptions, 'manifest'> {
  /** Built plugin folder holding manifest.json, the bundle named by `main`, and the declared models. */
  pluginDir: string;
  /** Already validated manifest (otherwise read from `pluginDir/manifest.json` and validated). */
  manifest?: Manifest;
  /** Worker entry (default `RUNTIME_DIR/node-worker.mjs`). */
  workerEntry?: string;
  /** Kernels .wasm (default wasm/build/qiview-kernels.wasm). */
  kernelsPath?: string;
}

/** Reads and validates `dir/manifest.json`. */
export async function loadPluginManifest(
  dir: string,
): Promise<{ ok: true; manifest: Manifest } | { ok: false; errors: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  } catch (e) {
    return { ok: false, errors: [`${dir}/manifest.json: ${e instanceof Error ? e.message : String(e)}`] };
  }
  return parseManifest(json);
}

function nodeWorker(entry: string, memoryMb: number): PluginWorker {
  const w = new Worker(entry, {
    resourceLimits: {
      maxOldGenerationSizeMb: memoryMb,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(8, memoryMb / 8)),
    },
    stdout: false,
    stderr: false,
  });
  let failure: ((f: { reason: 'crash' | 'out-of-memory'; message: string }) => void) | undefined;
  let terminating = false;
  w.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      failure?.({
        reason: 'out-of-memory',
        message: `out of memory: the plugin exceeded its ${memoryMb} MB limit (${e.message})`,
      });
    } else failure?.({ reason: 'crash', message: `worker crashed: ${e.message}` });
  });
  w.on('exit', (code) => {
    if (!terminating)
      failure?.({ reason: 'crash', message: `worker exited with code ${code} before returning a result` });
  });
  return {
    post: (m, transfer) => w.postMessage(m, transfer),
    onMessage: (h) => w.on('message', h),
    onFailure: (h) => {
      failure = h;
    },
    terminate: () => {
      terminating = true;
      return w.terminate();
    },
  };
}

/**
 * Runs the plugin in `options.pluginDir` once on `options.input`. Resolves with a {@link RunOutcome}; never rejects
 * for a plugin's failure (manifest problems, missing bundle, throw, timeout, OOM, crash, invalid result).
 */
export async function runPlugin(options: NodeRunPluginOptions): Promise<RunOutcome> {
  const fail = (message: string): RunOutcome => ({
    ok: false,
    reason: 'invalid-input',
    message,
    durationMs: 0,
    logs: [],
  });
  const checked = options.manifest
    ? { ok: true as const, manifest: options.manifest }
    : await loadPluginManifest(options.pluginDir);
  if (!checked.ok) return fail(`invalid manifest: ${checked.errors.join('; ')}`);
  const manifest = checked.manifest;
  const bundle = path.resolve(options.pluginDir, manifest.main);
  if (!existsSync(bundle))
    return fail(`plugin bundle ${bundle} not found (run node tools/build-plugins.mjs)`);
  const entry = options.workerEntry ?? path.join(RUNTIME_DIR, 'node-worker.mjs');
  if (!existsSync(entry)) return fail(`worker runtime ${entry} not found (run node tools/build-plugins.mjs)`);
  const models: Record<string, { url: string; sha256: string }> = {};
  for (const m of manifest.models) {
    models[m.id] = { url: pathToFileURL(path.resolve(options.pluginDir, m.file)).href, sha256: m.sha256 };
  }
  return runPluginInWorker(() => nodeWorker(entry, manifest.limits.memoryMb), {
    ...options,
    manifest,
    pluginUrl: pathToFileURL(bundle).href,
    kernelsUrl: pathToFileURL(options.kernelsPath ?? KERNELS_WASM_PATH).href,
    models,
  });
}
