import { describe, expect, it } from 'vitest';
import { resolveUserDataPaths } from './resolve-user-data-paths';

describe('user data paths', () => {
  it('Linux: XDG config and cache homes, logs inside the root', () => {
    const p = resolveUserDataPaths({ platform: 'linux', env: {}, homeDir: '/home/ana' });
    expect(p).toEqual({
      root: '/home/ana/.config/Qiview',
      libraryDb: '/home/ana/.config/Qiview/library.sqlite',
      settingsFile: '/home/ana/.config/Qiview/settings.json',
      pluginsDir: '/home/ana/.config/Qiview/plugins',
      modelsDir: '/home/ana/.config/Qiview/models',
      resultsDir: '/home/ana/.config/Qiview/results',
      logsDir: '/home/ana/.config/Qiview/logs',
      cacheDir: '/home/ana/.cache/Qiview',
    });
    const xdg = resolveUserDataPaths({
      platform: 'linux',
      env: { XDG_CONFIG_HOME: '/cfg', XDG_CACHE_HOME: '/cache' },
      homeDir: '/home/ana',
    });
    expect(xdg.root).toBe('/cfg/Qiview');
    expect(xdg.cacheDir).toBe('/cache/Qiview');
    // Relative XDG values are invalid per the spec and ignored.
    expect(
      resolveUserDataPaths({ platform: 'linux', env: { XDG_CONFIG_HOME: 'cfg' }, homeDir: '/h' }).root,
    ).toBe('/h/.config/Qiview');
  });

  it('macOS: Application Support, Logs and Caches', () => {
    const p = resolveUserDataPaths({ platform: 'darwin', env: {}, homeDir: '/Users/ana' });
    expect(p.root).toBe('/Users/ana/Library/Application Support/Qiview');
    expect(p.libraryDb).toBe('/Users/ana/Library/Application Support/Qiview/library.sqlite');
    expect(p.logsDir).toBe('/Users/ana/Library/Logs/Qiview');
    expect(p.cacheDir).toBe('/Users/ana/Library/Caches/Qiview');
  });

  it('Windows: roaming APPDATA for state, LOCALAPPDATA for cache, backslash paths', () => {
    const p = resolveUserDataPaths({
      platform: 'win32',
      env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' },
      homeDir: 'C:\\Users\\ana',
    });
    expect(p.root).toBe('C:\\Users\\ana\\AppData\\Roaming\\Qiview');
    expect(p.settingsFile).toBe('C:\\Users\\ana\\AppData\\Roaming\\Qiview\\settings.json');
    expect(p.pluginsDir).toBe('C:\\Users\\ana\\AppData\\Roaming\\Qiview\\plugins');
    expect(p.logsDir).toBe('C:\\Users\\ana\\AppData\\Roaming\\Qiview\\logs');
    expect(p.cacheDir).toBe('C:\\Users\\ana\\AppData\\Local\\Qiview\\Cache');
    const noEnv = resolveUserDataPaths({ platform: 'win32', env: {}, homeDir: 'C:\\Users\\bo' });
    expect(noEnv.root).toBe('C:\\Users\\bo\\AppData\\Roaming\\Qiview');
  });

  it("Electron's userData wins over the computed root; an absolute QIVIEW_USER_DATA wins over both", () => {
    const e = resolveUserDataPaths({
      platform: 'linux',
      env: {},
      homeDir: '/h',
      electronUserData: '/e/Qiview',
    });
    expect(e.libraryDb).toBe('/e/Qiview/library.sqlite');
    const o = resolveUserDataPaths({
      platform: 'darwin',
      env: { QIVIEW_USER_DATA: '/Volumes/usb/qiview/' },
      homeDir: '/Users/ana',
      electronUserData: '/e/Qiview',
    });
    expect(o.root).toBe('/Volumes/usb/qiview/');
    expect(o.logsDir).toBe('/Volumes/usb/qiview/logs');
    expect(o.cacheDir).toBe('/Volumes/usb/qiview/cache');
    const rel = resolveUserDataPaths({ platform: 'linux', env: { QIVIEW_USER_DATA: 'rel' }, homeDir: '/h' });
    expect(rel.root).toBe('/h/.config/Qiview');
  });
});
