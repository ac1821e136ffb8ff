/**
 * The plugin-management channels over core/node/packages: list, install (verify first, nothing written on refusal),
 * enable/disable, remove. Package refusals become IPC failures carrying the refusal code and reason.
 */
import { readFileSync, statSync } from 'node:fs';
import { IpcFailure, type InstalledPluginSummary, type PluginList } from '../common/api';
import {
  DEFAULT_LIMITS,
  installPlugin,
  InstalledPlugins,
  PackageError,
  type InstalledPlugin,
} from '../../core/node/packages';

/** Plugin management for the shell. */
export interface PluginManager {
  list(): PluginList;
  install(path: string, trustKey: boolean): InstalledPluginSummary;
  setEnabled(id: string, enabled: boolean): PluginList;
  remove(id: string): PluginList;
}

const summary = (p: InstalledPlugin): InstalledPluginSummary => ({
  id: p.id,
  version: p.version,
  publisher: p.publisher,
  keyId: p.keyId,
  trust: p.trust,
  enabled: p.enabled,
  installedAt: p.installedAt,
});

/** Creates the manager over the user's plugins folder. */
export function createPluginManager(pluginsDir: string): PluginManager {
  const registry = new InstalledPlugins(pluginsDir);
  const list = (): PluginList => ({ plugins: registry.list().map(summary) });
  return {
    list,
    install(path, trustKey) {
      let bytes: Uint8Array;
      try {
        if (statSync(path).size > DEFAULT_LIMITS.maxPackageBytes) {
          throw new IpcFailure('REFUSED', 'too-large: the package exceeds the size limit');
        }
        bytes = readFileSync(path);
      } catch (e) {
        if (e instanceof IpcFailure) throw e;
        throw new IpcFailure('IO_ERROR', `cannot read ${path}: ${(e as Error).message}`);
      }
      try {
        return summary(installPlugin(bytes, { pluginsDir, trustKey }));
      } catch (e) {
        if (e instanceof PackageError) throw new IpcFailure('REFUSED', `${e.code}: ${e.message}`);
        throw e;
      }
    },
    setEnabled(id, enabled) {
      if (!registry.setEnabled(id, enabled))
        throw new IpcFailure('NOT_FOUND', `plugin ${id} is not installed`);
      return list();
    },
    remove(id) {
      if (!registry.remove(id)) throw new IpcFailure('NOT_FOUND', `plugin ${id} is not installed`);
      return list();
    },
  };
}
