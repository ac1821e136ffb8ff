import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  buildWindowOptions,
  createMainWindow,
  hardenSession,
  hardenWebContents,
  type NavigationEventLike,
  type SessionLike,
  type WebContentsLike,
} from './create-window';

type Listener = (e: NavigationEventLike, url: string) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: Parameters<WebContentsLike['setWindowOpenHandler']>[0] | null = null;
  const contents: WebContentsLike = {
    setWindowOpenHandler: (h) => {
      openHandler = h;
    },
    on: (event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
  };
  /** Fires an event like Electron does; returns true when a listener called preventDefault. */
  const fire = (event: string, url?: string) => {
    let prevented = false;
    const e = { url, preventDefault: () => (prevented = true) };
    for (const l of listeners.get(event) ?? []) l(e, url as string);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

const opts = { preloadPath: '/opt/qiview/dist-electron/preload.cjs', devTools: false, log: () => {} };

describe('window options', () => {
  it('use the secure webPreferences', () => {
    const w = buildWindowOptions(opts);
    expect(w.webPreferences).toMatchObject({
      preload: '/opt/qiview/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: false,
    });
    // Electron's removed `remote` module must not be asked for in any form.
    expect(JSON.stringify(w)).not.toMatch(/remote/i);
    expect(w.show).toBe(false);
  });
});

describe('navigation and window.open', () => {
  it('blocks navigation and redirects away from the app origin', () => {
    const { contents, fire } = fakeWebContents();
    hardenWebContents(contents, opts);
    for (const url of [
      'https://evil.example/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'qiview://app.evil/',
      'javascript:alert(1)',
      'about:blank',
    ]) {
      expect(fire('will-navigate', url), url).toBe(true);
      expect(fire('will-redirect', url), url).toBe(true);
    }
    expect(fire('will-navigate', 'qiview://app/index.html')).toBe(false);
    expect(fire('will-navigate', 'qiview://app/viewer/1.2.3')).toBe(false);
  });

  it('denies window.open of other origins and forces secure prefs on same-origin windows', () => {
    const { contents, open } = fakeWebContents();
    hardenWebContents(contents, opts);
    expect(open('https://example.org/')).toEqual({ action: 'deny' });
    expect(open('file:///tmp/x.html')).toEqual({ action: 'deny' });
    const same = open('qiview://app/report.html');
    expect(same.action).toBe('allow');
    const prefs = (same as { overrideBrowserWindowOptions: BrowserWindowConstructorOptions })
      .overrideBrowserWindowOptions.webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('refuses <webview>', () => {
    const { contents, fire } = fakeWebContents();
    hardenWebContents(contents, opts);
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('permissions', () => {
  function fakeSession() {
    const s = {
      request: null as null | Parameters<SessionLike['setPermissionRequestHandler']>[0],
      check: null as null | Parameters<SessionLike['setPermissionCheckHandler']>[0],
      device: null as null | Parameters<SessionLike['setDevicePermissionHandler']>[0],
    };
    const session: SessionLike = {
      setPermissionRequestHandler: (h) => (s.request = h),
      setPermissionCheckHandler: (h) => (s.check = h),
      setDevicePermissionHandler: (h) => (s.device = h),
    };
    return { s, session };
  }
  const ask = (s: ReturnType<typeof fakeSession>['s'], permission: string, url: string) => {
    let answer: boolean | undefined;
    s.request!(null, permission, (g) => (answer = g), { requestingUrl: url });
    return answer;
  };

  it('denies requests by default, even from the app', () => {
    const { s, session } = fakeSession();
    hardenSession(session);
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'midiSysex',
      'hid',
      'unknown',
    ]) {
      expect(ask(s, p, 'qiview://app/index.html'), p).toBe(false);
      expect(s.check!(null, p, 'qiview://app'), p).toBe(false);
    }
    expect(s.device!({})).toBe(false);
  });

  it('allows the short allow-list only for the app origin', () => {
    const { s, session } = fakeSession();
    hardenSession(session);
    expect(ask(s, 'fullscreen', 'qiview://app/index.html')).toBe(true);
    expect(ask(s, 'clipboard-sanitized-write', 'qiview://app/index.html')).toBe(true);
    expect(ask(s, 'fullscreen', 'https://evil.example/')).toBe(false);
    expect(s.check!(null, 'fullscreen', 'https://evil.example')).toBe(false);
    expect(s.check!(null, 'fullscreen', 'qiview://app')).toBe(true);
  });
});

describe('createMainWindow', () => {
  it('constructs the window with the secure options, hardens it and loads the app entry', async () => {
    const { contents, open } = fakeWebContents();
    const loadURL = vi.fn(async () => {});
    const ctor = vi.fn();
    class FakeWindow {
      webContents = contents;
      loadURL = loadURL;
      once = vi.fn();
      show = vi.fn();
      constructor(o: BrowserWindowConstructorOptions) {
        ctor(o);
      }
    }
    const { loaded } = createMainWindow(FakeWindow, opts);
    await loaded;
    expect(ctor.mock.calls[0][0].webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(loadURL).toHaveBeenCalledWith('qiview://app/index.html');
    expect(open('https://evil.example')).toEqual({ action: 'deny' });
  });
});
