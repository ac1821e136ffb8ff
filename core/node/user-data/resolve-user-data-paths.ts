/**
 * Where Qiview keeps its per-user state on each OS. Mirrors Electron's own conventions (so `app.getPath('userData')`
 * and this function agree) and adds the layout inside it:
 *
 * | OS      | root (settings, library DB, plugins)           | logs                          | cache                        |
 * |---------|------------------------------------------------|-------------------------------|------------------------------|
 * | Linux   | `$XDG_CONFIG_HOME/Qiview` (~/.config/Qiview)   | `<root>/logs`                 | `$XDG_CACHE_HOME/Qiview`     |
 * | macOS   | `~/Library/Application Support/Qiview`         | `~/Library/Logs/Qiview`       | `~/Library/Caches/Qiview`    |
 * | Windows | `%APPDATA%\Qiview` (roaming)                   | `<root>\logs`                 | `%LOCALAPPDATA%\Qiview\Cache`|
 *
 * `QIVIEW_USER_DATA` (absolute) overrides the root (portable installs, tests); logs and cache then live inside it.
 */
import path from 'node:path';

/** Paths of the app's per-user state. */
export interface UserDataPaths {
  /** Root folder (Electron's `userData`). */
  root: string;
  /** SQLite library index. */
  libraryDb: string;
  /** settings.json. */
  settingsFile: string;
  /** User-installed plugins. */
  pluginsDir: string;
  /** Downloaded or user-supplied ONNX models. */
  modelsDir: string;
  /** Analysis-result folders (payload.json + voxel attachments), one per result in the library. */
  resultsDir: string;
  /** Log files. */
  logsDir: string;
  /** Disposable caches (decoded volumes, thumbnails). */
  cacheDir: string;
}

/** Inputs of {@link resolveUserDataPaths}; pass `process` values in production. */
export interface UserDataInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Folder name (Electron uses productName). */
  appName?: string;
  /** Electron's `app.getPath('userData')` when available; wins over the computed root. */
  electronUserData?: string;
}

/** Resolves the per-user folders for a platform (pure: no file-system access). */
export function resolveUserDataPaths(input: UserDataInput): UserDataPaths {
  const name = input.appName ?? 'Qiview';
  const p = input.platform === 'win32' ? path.win32 : path.posix;
  const env = input.env;
  const nonEmpty = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined);
  // Only an absolute override counts: a relative one would depend on the working directory of the launch.
  const rawOverride = nonEmpty(env.QIVIEW_USER_DATA);
  const override = rawOverride && p.isAbsolute(rawOverride) ? rawOverride : undefined;

  let root: string;
  let logsDir: string | undefined;
  let cacheDir: string;
  if (input.platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? p.join(input.homeDir, 'AppData', 'Roaming');
    const localAppData = nonEmpty(env.LOCALAPPDATA) ?? p.join(input.homeDir, 'AppData', 'Local');
    root = p.join(appData, name);
    cacheDir = p.join(localAppData, name, 'Cache');
  } else if (input.platform === 'darwin') {
    root = p.join(input.homeDir, 'Library', 'Application Support', name);
    logsDir = p.join(input.homeDir, 'Library', 'Logs', name);
    cacheDir = p.join(input.homeDir, 'Library', 'Caches', name);
  } else {
    // XDG base directories must be absolute to count (XDG spec); otherwise fall back to the defaults.
    const xdg = (v: string | undefined) => (nonEmpty(v) && p.isAbsolute(v as string) ? v : undefined);
    root = p.join(xdg(env.XDG_CONFIG_HOME) ?? p.join(input.homeDir, '.config'), name);
    cacheDir = p.join(xdg(env.XDG_CACHE_HOME) ?? p.join(input.homeDir, '.cache'), name);
  }
  if (input.electronUserData) root = input.electronUserData;
  if (override) {
    root = p.normalize(override);
    logsDir = undefined;
    cacheDir = p.join(root, 'cache');
  }
  return {
    root,
    libraryDb: p.join(root, 'library.sqlite'),
    settingsFile: p.join(root, 'settings.json'),
    pluginsDir: p.join(root, 'plugins'),
    modelsDir: p.join(root, 'models'),
    resultsDir: p.join(root, 'results'),
    logsDir: logsDir ?? p.join(root, 'logs'),
    cacheDir,
  };
}
