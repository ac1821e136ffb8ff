/**
 * Electron entry point (bundled to dist-electron/main.cjs). Deliberately thin: it only wires Electron's objects to
 * the tested modules next to it. Order matters: the scheme is registered as privileged and the sandbox enabled
 * before the app is ready; the protocol, session rules, IPC router and window are set up once it is.
 */
import { BrowserWindow, app, dialog, ipcMain, protocol, session, type WebContents } from 'electron';
import path from 'node:path';
import { APP_SCHEME, type AppInfo } from '../common/api';
import { buildContentSecurityPolicy } from './content-security-policy';
import { createMainWindow, hardenSession, hardenWebContents } from './create-window';
import { createChannelHandlers } from './handlers';
import { createPluginManager } from './plugin-manager';
import { createIpcRouter } from './ipc-router';
import { openLibraryServices } from './library-services';
import { createFileLogger, type Log } from './logger';
import { APP_SCHEME_REGISTRATION, createAppProtocolHandler } from './protocol';
import { loadSettingsStore } from './settings-store';
import { resolveUserDataPaths } from '../../core/node/user-data/resolve-user-data-paths';

// Before 'ready': privileged scheme, sandbox for every renderer, optional user-data override.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME_REGISTRATION.scheme, privileges: { ...APP_SCHEME_REGISTRATION.privileges } },
]);
app.enableSandbox();
const override = process.env.QIVIEW_USER_DATA;
if (override && path.isAbsolute(override)) app.setPath('userData', override);

const devTools = !app.isPackaged;
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(__dirname, '..', 'dist');
let mainWindow: BrowserWindow | null = null;
let log: Log = (m) => console.warn(m);

function openMainWindow(): void {
  const { window, loaded } = createMainWindow(BrowserWindow, {
    preloadPath,
    devTools,
    harden: false, // done for every web contents in 'web-contents-created'
    log: (m) => log(m),
  });
  mainWindow = window;
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  loaded.catch((e: Error) => log(`failed to load the app page: ${e.message}`));
}

async function start(): Promise<void> {
  const paths = resolveUserDataPaths({
    platform: process.platform,
    env: process.env,
    homeDir: app.getPath('home'),
    electronUserData: app.getPath('userData'),
  });
  log = createFileLogger(paths.logsDir);
  log(`Qiview ${app.getVersion()} starting; user data in ${paths.root}`);

  const settings = await loadSettingsStore(paths.settingsFile);
  settings.loadWarnings.forEach(log);

  hardenSession(session.defaultSession);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rootDir: rendererDir,
      contentSecurityPolicy: () => buildContentSecurityPolicy(settings.current().dicomWebServers),
    }),
  );

  const services = await openLibraryServices(paths, log);
  app.on('will-quit', () => services.close());

  const appInfo = (): AppInfo => ({
    name: app.getName(),
    version: app.getVersion(),
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    locale: app.getLocale(),
    isPackaged: app.isPackaged,
  });
  const router = createIpcRouter(
    createChannelHandlers({
      library: services.library,
      importPaths: services.importPaths,
      results: services.results,
      settings,
      appInfo,
      plugins: createPluginManager(paths.pluginsDir),
      notify: (sender, channel, payload) => {
        const contents = sender as WebContents;
        if (!contents.isDestroyed()) contents.send(channel, payload);
      },
      showOpenDialog: (sender, options) => {
        const parent = BrowserWindow.fromWebContents(sender as WebContents);
        return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
      },
    }),
    { log },
  );
  router.register(ipcMain);

  openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // Every web contents (main window, same-origin popups) stays on our origin and refuses <webview>.
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { preloadPath, devTools, log: (m) => log(m) }),
  );
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`startup failed: ${message}`);
      dialog.showErrorBox('Qiview could not start', message);
      app.quit();
    });
}
