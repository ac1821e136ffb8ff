/**
 * Preload (sandboxed, bundled to dist-electron/preload.cjs). Exposes exactly one global, `window.qiview`, with one
 * method per IPC channel (plus a subscription to import progress). No ipcRenderer, no generic send/invoke/on, no
 * Electron event object and no Node API reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL } from '../common/channels';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge(
    (channel, request) => ipcRenderer.invoke(channel, request),
    (file) => webUtils.getPathForFile(file),
    (channel, listener) => {
      const wrapped = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
  ),
);
