/**
 * Builds the `window.qiview` object from an invoke function. Each method sends on one fixed channel; the invoke
 * function itself is never exposed, so the page cannot name a channel or reach ipcRenderer.
 */
import type { QiviewApi } from '../common/api';
import { CHANNELS, EVENTS } from '../common/channels';

/** `ipcRenderer.invoke` bound to a channel name (the preload passes Electron's; tests pass a fake). */
export type Invoke = (channel: string, request: unknown) => Promise<any>;

/**
 * Subscribes to one fixed main -> renderer channel; the listener gets the payload only (Electron's event object,
 * which carries `sender` = ipcRenderer, must never reach the page). Returns the unsubscribe function.
 */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * Returns the frozen bridge object. `pathForFile` is Electron's `webUtils.getPathForFile`; `subscribe` wraps
 * `ipcRenderer.on`/`removeListener`.
 */
export function createBridge(
  invoke: Invoke,
  pathForFile: (file: File) => string,
  subscribe: Subscribe,
): QiviewApi {
  return Object.freeze({
    apiVersion: 1 as const,
    openFiles: (request = {}) => invoke(CHANNELS.openFiles, request),
    openFolder: (request = {}) => invoke(CHANNELS.openFolder, request),
    importPaths: (request) => invoke(CHANNELS.importPaths, request),
    onImportProgress: (listener) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return subscribe(EVENTS.importProgress, (payload) => listener(payload as never));
    },
    searchLibrary: (request = {}) => invoke(CHANNELS.searchLibrary, request),
    getStudy: (request) => invoke(CHANNELS.getStudy, request),
    removeStudy: (request) => invoke(CHANNELS.removeStudy, request),
    readFile: (request) => invoke(CHANNELS.readFile, request),
    getSettings: () => invoke(CHANNELS.getSettings, {}),
    setSettings: (patch) => invoke(CHANNELS.setSettings, patch),
    appInfo: () => invoke(CHANNELS.appInfo, {}),
    listPlugins: () => invoke(CHANNELS.listPlugins, {}),
    installPlugin: (request) => invoke(CHANNELS.installPlugin, request),
    setPluginEnabled: (request) => invoke(CHANNELS.setPluginEnabled, request),
    removePlugin: (request) => invoke(CHANNELS.removePlugin, request),
    putResult: (request) => invoke(CHANNELS.putResult, request),
    listResults: (request = {}) => invoke(CHANNELS.listResults, request),
    getResult: (request) => invoke(CHANNELS.getResult, request),
    readResultAttachment: (request) => invoke(CHANNELS.readResultAttachment, request),
    removeResult: (request) => invoke(CHANNELS.removeResult, request),
    pathForFile: (file) => pathForFile(file),
  } satisfies QiviewApi);
}
