/**
 * Wiring test of the thin Electron entry: Electron is replaced by a recording fake, main.ts is imported, and the
 * test checks what it registered and in which order (scheme before ready, sandbox, single-instance lock, protocol,
 * session rules, IPC channels, window).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_LIST } from '../common/channels';

const fake = vi.hoisted(() => {
  const log: string[] = [];
  const userData = { dir: '' };
  const appListeners = new Map<string, (...a: unknown[]) => void>();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const protocolHandlers = new Map<string, (req: { url: string; method: string }) => Promise<Response>>();
  const session = {
    permissionRequest: null as unknown,
    permissionCheck: null as unknown,
    device: null as unknown,
  };
  const windows: { options: any; url?: string }[] = [];
  return { log, userData, appListeners, ipcHandlers, protocolHandlers, session, windows };
});

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => fake.windows;
    static fromWebContents = () => null;
    webContents = { setWindowOpenHandler: () => {}, on: () => {} };
    constructor(options: unknown) {
      fake.log.push('new BrowserWindow');
      fake.windows.push({ options });
    }
    loadURL(url: string) {
      fake.windows[fake.windows.length - 1].url = url;
      return Promise.resolve();
    }
    once() {}
    on() {}
    show() {}
  }
  return {
    BrowserWindow,
    app: {
      isPackaged: false,
      enableSandbox: () => fake.log.push('enableSandbox'),
      setPath: () => {},
      requestSingleInstanceLock: () => (fake.log.push('singleInstanceLock'), true),
      on: (event: string, listener: (...a: unknown[]) => void) => fake.appListeners.set(event, listener),
      whenReady: () => (fake.log.push('whenReady'), Promise.resolve()),
      getPath: (name: string) => (name === 'userData' ? fake.userData.dir : '/home/test'),
      getVersion: () => '0.1.0',
      getName: () => 'Qiview',
      getLocale: () => 'en-US',
      quit: () => fake.log.push('quit'),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) =>
        fake.log.push(`registerSchemes ${JSON.stringify(schemes)}`),
      handle: (scheme: string, handler: never) => {
        fake.log.push(`protocol.handle ${scheme}`);
        fake.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: unknown) => (fake.session.permissionRequest = h),
        setPermissionCheckHandler: (h: unknown) => (fake.session.permissionCheck = h),
        setDevicePermissionHandler: (h: unknown) => (fake.session.device = h),
      },
    },
    ipcMain: {
      handle: (channel: string, h: never) => fake.ipcHandlers.set(channel, h),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => {} },
  };
});

fake.userData.dir = mkdtempSync(path.join(tmpdir(), 'qiview-main-'));
afterAll(() => rmSync(fake.userData.dir, { recursive: true, force: true }));

describe('main.ts wiring', () => {
  it('sets everything up in order and routes IPC through the validated router', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await import('./main');
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    stderr.mockRestore();

    const schemeLine = fake.log.find((l) => l.startsWith('registerSchemes'))!;
    const schemes = JSON.parse(schemeLine.slice('registerSchemes '.length));
    expect(schemes).toEqual([
      {
        scheme: 'qiview',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      },
    ]);
    const order = (s: string) => fake.log.findIndex((l) => l.startsWith(s));
    expect(order('registerSchemes')).toBeLessThan(order('whenReady'));
    expect(order('enableSandbox')).toBeLessThan(order('whenReady'));
    expect(order('singleInstanceLock')).toBeLessThan(order('whenReady'));
    expect(order('protocol.handle qiview')).toBeGreaterThan(order('whenReady'));
    expect(order('protocol.handle qiview')).toBeLessThan(order('new BrowserWindow'));

    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_LIST].sort());
    expect(fake.session.permissionRequest).toBeTypeOf('function');
    expect(fake.session.permissionCheck).toBeTypeOf('function');
    expect(fake.session.device).toBeTypeOf('function');
    expect(fake.appListeners.has('second-instance')).toBe(true);
    expect(fake.appListeners.has('web-contents-created')).toBe(true);

    expect(fake.windows[0].url).toBe('qiview://app/index.html');
    expect(fake.windows[0].options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(fake.windows[0].options.webPreferences.preload).toMatch(/preload\.cjs$/);

    const app = { senderFrame: { url: 'qiview://app/index.html' } };
    const settingsGet = fake.ipcHandlers.get('settings:get')!;
    expect(await settingsGet(app, {})).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(await settingsGet({ senderFrame: { url: 'https://evil.example' } }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    // file:read of anything not indexed is refused whatever the library backend.
    expect(await fake.ipcHandlers.get('file:read')!(app, { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_LIBRARY' },
    });

    const res = await fake.protocolHandlers.get('qiview')!({
      url: 'qiview://app/../../etc/passwd',
      method: 'GET',
    });
    expect(res.status).not.toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });
});
