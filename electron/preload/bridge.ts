/**
 * Builds the `window.qiview` object from an invoke function. Each method sends on one fixed channel; the invoke
 * function itself is never exposed, so the page cannot name a channel or reach ipcRenderer.
 */
import type { QiviewApi } from '../common/api';
import { CHANNELS } from '../common/channels';

/** `ipcRenderer.invoke` bound to a channel name (the preload passes Electron's; tests pass a fake). */
export type Invoke = (channel: string, request: unknown) => Promise<any>;

/** Returns the frozen bridge object. `pathForFile` is Electron's `webUtils.getPathForFile`. */
export function createBridge(invoke: Invoke, pathForFile: (file: File) => string): QiviewApi {
  return Object.freeze({
    apiVersion: 1 as const,
    openFiles: (request = {}) => invoke(CHANNELS.openFiles, request),
    openFolder: (request = {}) => invoke(CHANNELS.openFolder, request),
    importPaths: (request) => invoke(CHANNELS.importPaths, request),
    searchLibrary: (request = {}) => invoke(CHANNELS.searchLibrary, request),
    getStudy: (request) => invoke(CHANNELS.getStudy, request),
    removeStudy: (request) => invoke(CHANNELS.removeStudy, request),
    readFile: (request) => invoke(CHANNELS.readFile, request),
    getSettings: () => invoke(CHANNELS.getSettings, {}),
    setSettings: (patch) => invoke(CHANNELS.setSettings, patch),
    appInfo: () => invoke(CHANNELS.appInfo, {}),
    pathForFile: (file) => pathForFile(file),
  } satisfies QiviewApi);
}
