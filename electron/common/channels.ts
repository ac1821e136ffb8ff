/**
 * The fixed set of IPC channels between the renderer (through the preload bridge) and the Electron main process,
 * plus the app's own origin. Deliberately free of runtime dependencies (no zod) so the sandboxed preload bundle stays
 * tiny: the preload imports only these constants; the schemas live in `api.ts`.
 */

/** Bridge method name -> IPC channel. One method per channel; the preload never sends on any other channel. */
export const CHANNELS = {
  openFiles: 'dialog:openFiles',
  openFolder: 'dialog:openFolder',
  importPaths: 'import:paths',
  searchLibrary: 'library:search',
  getStudy: 'library:getStudy',
  removeStudy: 'library:removeStudy',
  readFile: 'file:read',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  appInfo: 'app:info',
  listPlugins: 'plugins:list',
  installPlugin: 'plugins:install',
  setPluginEnabled: 'plugins:setEnabled',
  removePlugin: 'plugins:remove',
  putResult: 'results:put',
  listResults: 'results:list',
  getResult: 'results:get',
  readResultAttachment: 'results:readAttachment',
  removeResult: 'results:remove',
} as const;

/** Every IPC channel name the main process answers. */
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** All channels, in a stable order. */
export const CHANNEL_LIST: readonly Channel[] = Object.freeze(Object.values(CHANNELS));

/**
 * Main -> renderer notifications (the only messages main pushes). The preload subscribes to these fixed channels
 * and hands the page the payload alone, never Electron's event object.
 */
export const EVENTS = {
  importProgress: 'import:progress',
} as const;

/** True when `name` is one of our channels (anything else is refused by the router). */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNEL_LIST as readonly string[]).includes(name);
}

/** The custom scheme that serves the built renderer: `qiview://app/index.html`. */
export const APP_SCHEME = 'qiview';
/** The single host of {@link APP_SCHEME}; `qiview://app` is the app's origin. */
export const APP_HOST = 'app';
/** Origin of the app's own pages. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** URL the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** Name of the one global the preload defines: `window.qiview`. */
export const BRIDGE_GLOBAL = 'qiview';

/**
 * True when `url` belongs to the app's own origin (`qiview://app/...`). Compares scheme and host after parsing, so
 * look-alikes such as `qiview://app.evil/`, `qiview://app@evil/` or `https://app/` are refused.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname.toLowerCase() === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}
