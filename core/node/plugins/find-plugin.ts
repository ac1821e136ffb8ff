/**
 * Finds a runnable (built) plugin by id: installed and enabled plugins of the user plugins folder first, then the
 * built-in bundles in `dist-plugins/<id>/` (built by `node tools/build-plugins.mjs`).
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '@qiview/sdk';
import { InstalledPlugins } from '../packages/installed-plugins';
import { loadPluginManifest } from '../plugin-host';

/** Folder of the built-in plugin bundles. */
export const BUILTIN_PLUGINS_DIR = fileURLToPath(new URL('../../../dist-plugins/', import.meta.url));

/** A plugin ready to run. */
export interface FoundPlugin {
  id: string;
  dir: string;
  manifest: Manifest;
  origin: 'installed' | 'built-in';
}

/** Options of {@link findPlugin}. */
export interface FindPluginOptions {
  /** User plugins folder (installed.json + folders); skipped when undefined. */
  pluginsDir?: string;
  /** Built-in bundles folder (default {@link BUILTIN_PLUGINS_DIR}). */
  builtinDir?: string;
}

/**
 * Looks a plugin up by id. An installed but disabled plugin is refused with that reason (it is not silently replaced
 * by a built-in of the same id).
 * @throws Error naming the folders searched when the plugin is missing, disabled or its manifest is invalid.
 */
export async function findPlugin(id: string, o: FindPluginOptions = {}): Promise<FoundPlugin> {
  const builtinDir = o.builtinDir ?? BUILTIN_PLUGINS_DIR;
  let dir: string | undefined;
  let origin: FoundPlugin['origin'] = 'built-in';
  if (o.pluginsDir) {
    const entry = new InstalledPlugins(o.pluginsDir).get(id);
    if (entry && !entry.enabled) throw new Error(`plugin ${id} is installed but disabled`);
    if (entry) {
      dir = path.resolve(o.pluginsDir, entry.dir);
      origin = 'installed';
    }
  }
  if (!dir && /^[A-Za-z0-9._-]+$/.test(id) && existsSync(path.join(builtinDir, id, 'manifest.json'))) {
    dir = path.join(builtinDir, id);
  }
  if (!dir) {
    throw new Error(
      `plugin ${id} not found (looked in ${o.pluginsDir ?? '(no user plugins folder)'} and ${builtinDir}; ` +
        'build the built-in ones with `node tools/build-plugins.mjs`)',
    );
  }
  const m = await loadPluginManifest(dir);
  if (!m.ok) throw new Error(`plugin ${id}: invalid manifest: ${m.errors.join('; ')}`);
  if (m.manifest.id !== id) throw new Error(`plugin folder ${dir} holds ${m.manifest.id}, not ${id}`);
  return { id, dir, manifest: m.manifest, origin };
}
