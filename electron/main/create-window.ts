/**
 * The main window and the rules every web contents and session of the app lives under:
 * - renderer isolation: context isolation, OS sandbox, no Node integration, web security on, no webview tag;
 * - navigation: the page may only ever be on the app's own origin; window.open of anything else is refused;
 * - permissions: every permission request and check is refused except a short allow-list, from our origin only.
 * Electron objects are passed in (structurally typed), so all of this is tested under plain Node.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL, isAppUrl } from '../common/channels';

/** Permissions the app's own pages may use; everything else (camera, geolocation, notifications…) is refused. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'fullscreen']);

/** Options of {@link buildWindowOptions}. */
export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (dist-electron/preload.cjs). */
  preloadPath: string;
  /** Allow DevTools (development builds only). */
  devTools: boolean;
  title?: string;
  width?: number;
  height?: number;
  backgroundColor?: string;
}

/** BrowserWindow options with the secure webPreferences. */
export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: input.title ?? 'Qiview',
    width: input.width ?? 1440,
    height: input.height ?? 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: input.backgroundColor ?? '#111418',
    show: false,
    webPreferences: secureWebPreferences(input.preloadPath, input.devTools),
  };
}

/** The webPreferences of every app window (also forced onto windows the page opens on our own origin). */
export function secureWebPreferences(
  preloadPath: string,
  devTools: boolean,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools,
  };
}

/** The event object Electron passes to navigation listeners (only preventDefault and url are read). */
export interface NavigationEventLike {
  preventDefault(): void;
  readonly url?: string;
}

/** The part of Electron's WebContents that {@link hardenWebContents} touches. */
export interface WebContentsLike {
  setWindowOpenHandler(
    handler: (details: {
      url: string;
    }) =>
      | { action: 'deny' }
      | { action: 'allow'; overrideBrowserWindowOptions?: BrowserWindowConstructorOptions },
  ): void;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (e: NavigationEventLike, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (e: NavigationEventLike) => void): unknown;
}

/** Options of {@link hardenWebContents}. */
export interface HardenOptions {
  preloadPath: string;
  devTools: boolean;
  /** Reports blocked navigations (default console.warn). */
  log?: (message: string) => void;
}

/**
 * Keeps a web contents on the app's origin: blocks navigations and redirects elsewhere, refuses window.open of any
 * other URL (same-origin windows get the same secure webPreferences), and refuses <webview>.
 */
export function hardenWebContents(contents: WebContentsLike, options: HardenOptions): void {
  const log = options.log ?? ((m: string) => console.warn(`[window] ${m}`));
  const guard = (kind: string) => (e: NavigationEventLike, url?: string) => {
    const target = e.url ?? url;
    if (!isAppUrl(target)) {
      e.preventDefault();
      log(`blocked ${kind} to ${String(target).slice(0, 200)}`);
    }
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (e) => {
    e.preventDefault();
    log('blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!isAppUrl(url)) {
      log(`blocked window.open of ${String(url).slice(0, 200)}`);
      return { action: 'deny' };
    }
    return {
      action: 'allow',
      overrideBrowserWindowOptions: {
        webPreferences: secureWebPreferences(options.preloadPath, options.devTools),
      },
    };
  });
}

/** The part of Electron's Session that {@link hardenSession} touches. */
export interface SessionLike {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl?: string },
        ) => void)
      | null,
  ): void;
  setPermissionCheckHandler(
    handler: ((webContents: unknown, permission: string, requestingOrigin: string) => boolean) | null,
  ): void;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
}

/** True when the app's own origin asks for an allow-listed permission. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

/** Denies permission requests and checks by default (allow-list from our origin only) and all device access. */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details?.requestingUrl));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}

/** The part of BrowserWindow that {@link createMainWindow} uses. */
export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

/**
 * Creates the main window with the secure options, hardens its web contents and loads the app's entry page.
 * `BrowserWindow` is injected (Electron's constructor in production, a fake in tests).
 */
export function createMainWindow<W extends BrowserWindowLike>(
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => W,
  input: WindowOptionsInput & {
    log?: (message: string) => void;
    entryUrl?: string;
    /** Apply {@link hardenWebContents} (default true; false when an app-wide hook already does it). */
    harden?: boolean;
  },
): { window: W; loaded: Promise<void> } {
  const window = new BrowserWindow(buildWindowOptions(input));
  if (input.harden !== false) hardenWebContents(window.webContents, input);
  window.once('ready-to-show', () => window.show());
  const loaded = window.loadURL(input.entryUrl ?? APP_ENTRY_URL);
  return { window, loaded };
}
