/**
 * Installed-plugin administration over the desktop bridge (`window.qiview`): list, install with explicit trust,
 * enable/disable, remove. Web mode has no user plugins folder, so {@link pluginAdmin} returns null there.
 */
import type { InstalledPluginSummary, IpcResult, QiviewApi } from '../../electron/common/api';

/** What the settings section needs. Every call resolves to the new list or throws an Error with the reason. */
export interface PluginAdmin {
  list(): Promise<InstalledPluginSummary[]>;
  install(path: string, trustKey: boolean): Promise<InstalledPluginSummary>;
  setEnabled(id: string, enabled: boolean): Promise<InstalledPluginSummary[]>;
  remove(id: string): Promise<InstalledPluginSummary[]>;
}

function value<T>(r: IpcResult<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Admin over a bridge object (tests pass a fake one). */
export function createPluginAdmin(api: QiviewApi): PluginAdmin {
  return {
    list: async () => value(await api.listPlugins()).plugins,
    install: async (path, trustKey) => value(await api.installPlugin({ path, trustKey })),
    setEnabled: async (id, enabled) => value(await api.setPluginEnabled({ id, enabled })).plugins,
    remove: async (id) => value(await api.removePlugin({ id })).plugins,
  };
}

/** The admin of this app, or null in web mode (no bridge). */
export function pluginAdmin(): PluginAdmin | null {
  const api = (globalThis as { qiview?: QiviewApi }).qiview;
  return api && typeof api.listPlugins === 'function' ? createPluginAdmin(api) : null;
}
