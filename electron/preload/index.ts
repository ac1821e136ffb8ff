/**
 * Preload (sandboxed, bundled to dist-electron/preload.cjs). Exposes exactly one global, `window.qiview`, with one
 * method per IPC channel. No ipcRenderer, no generic send/invoke, no Node API reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL } from '../common/channels';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge(
    (channel, request) => ipcRenderer.invoke(channel, request),
    (file) => webUtils.getPathForFile(file),
  ),
);
