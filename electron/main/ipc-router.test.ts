import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_LIST, DEFAULT_SETTINGS, IpcFailure, type StudyDetail } from '../common/api';
import { createIpcRouter, type ChannelHandlers, type InvokeEventLike, type IpcMainLike } from './ipc-router';

const APP_EVENT: InvokeEventLike = { senderFrame: { url: 'qiview://app/index.html' }, sender: { id: 1 } };

const STUDY: StudyDetail = {
  studyInstanceUid: '1.2.3',
  patientName: 'DOE^JANE',
  patientId: 'P1',
  patientBirthDate: '',
  patientSex: 'F',
  studyDate: '20240101',
  studyDescription: 'CT chest',
  accessionNumber: '',
  modalities: ['CT'],
  numberOfSeries: 0,
  numberOfInstances: 0,
  series: [],
};

const RESULT = {
  id: 'result-1',
  pluginId: 'org.x.y',
  pluginVersion: '1.0.0',
  modelVersions: {},
  inputSeriesUids: ['1.2.3'],
  createdAt: '2026-01-01T00:00:00Z',
  status: 'done' as const,
};

function fakeHandlers(): ChannelHandlers & { calls: string[] } {
  const calls: string[] = [];
  const track =
    <T>(name: string, value: T) =>
    () => {
      calls.push(name);
      return value;
    };
  return {
    calls,
    'dialog:openFiles': track('dialog:openFiles', { paths: ['/a.dcm'] }),
    'dialog:openFolder': track('dialog:openFolder', { paths: [] }),
    'import:paths': track('import:paths', { series: [], errors: [], skipped: 0, filesScanned: 0 }),
    'library:search': track('library:search', { studies: [], total: 0 }),
    'library:getStudy': track('library:getStudy', STUDY),
    'library:removeStudy': track('library:removeStudy', { removed: true }),
    'file:read': track('file:read', new Uint8Array([1, 2, 3])),
    'settings:get': track('settings:get', DEFAULT_SETTINGS),
    'settings:set': track('settings:set', DEFAULT_SETTINGS),
    'app:info': track('app:info', {
      name: 'Qiview',
      version: '0.1.0',
      electron: '45.0.0',
      chrome: '140',
      node: '22',
      platform: 'linux',
      arch: 'x64',
      locale: 'en',
      isPackaged: false,
    }),
    'plugins:list': track('plugins:list', { plugins: [] }),
    'plugins:install': track('plugins:install', {
      id: 'org.x.y',
      version: '1.0.0',
      publisher: 'X',
      keyId: '0123456789abcdef',
      trust: 'trusted',
      enabled: true,
      installedAt: '2026-01-01T00:00:00Z',
    }),
    'plugins:setEnabled': track('plugins:setEnabled', { plugins: [] }),
    'plugins:remove': track('plugins:remove', { plugins: [] }),
    'results:put': track('results:put', { record: RESULT, attachments: [] }),
    'results:list': track('results:list', { results: [] }),
    'results:get': track('results:get', { record: RESULT, attachments: [] }),
    'results:readAttachment': track('results:readAttachment', new Uint8Array([4])),
    'results:remove': track('results:remove', { removed: false }),
  };
}

/** A stand-in for ipcMain that behaves like Electron's: invoking a channel without a handler is an error. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const invoke = async (channel: string, event: InvokeEventLike, ...args: unknown[]) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  };
  return { ipcMain, handlers, invoke };
}

const quiet = { log: () => {} };

describe('ipc router: channels', () => {
  it('registers exactly the known channels and removes them again', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = createIpcRouter(fakeHandlers(), quiet).register(ipcMain);
    expect([...handlers.keys()].sort()).toEqual([...CHANNEL_LIST].sort());
    expect(handlers.size).toBe(19);
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('an unknown channel has no handler in ipcMain and is refused by dispatch without calling anything', async () => {
    const h = fakeHandlers();
    const router = createIpcRouter(h, quiet);
    const { ipcMain, invoke } = fakeIpcMain();
    router.register(ipcMain);
    await expect(invoke('shell:exec', APP_EVENT, {})).rejects.toThrow(/No handler/);
    for (const name of [
      'shell:exec',
      'file:write',
      '__proto__',
      'constructor',
      'toString',
      '',
      'FILE:READ',
    ]) {
      const r = await router.dispatch(name, APP_EVENT, [{}]);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(h.calls).toEqual([]);
  });

  it('refuses to build a router with a handler missing', () => {
    const h: Partial<ChannelHandlers> = { ...fakeHandlers() };
    delete h['file:read'];
    expect(() => createIpcRouter(h as ChannelHandlers, quiet)).toThrow(/file:read/);
  });
});

describe('ipc router: senders', () => {
  const foreign: (string | null)[] = [
    null,
    '',
    'https://evil.example/index.html',
    'http://app/index.html',
    'file:///opt/Qiview/resources/app.asar/dist/index.html',
    'qiview://evil/index.html',
    'qiview://app.evil.example/index.html',
    'qiview://app:8080/index.html',
    'qiview://user@app/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    'not a url',
  ];
  it.each(foreign)('refuses calls from sender frame %j', async (url) => {
    const h = fakeHandlers();
    const log = vi.fn();
    const event: InvokeEventLike = { senderFrame: url === null ? null : { url } };
    const r = await createIpcRouter(h, { log }).dispatch('settings:get', event, [{}]);
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(h.calls).toEqual([]);
    expect(log).toHaveBeenCalledOnce();
  });

  it('accepts any page of the app origin, through the registered ipcMain handler too', async () => {
    const h = fakeHandlers();
    const { ipcMain, invoke } = fakeIpcMain();
    createIpcRouter(h, quiet).register(ipcMain);
    const r = await invoke('settings:get', { senderFrame: { url: 'qiview://app/viewer/index.html#x' } }, {});
    expect(r).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(h.calls).toEqual(['settings:get']);
  });
});

describe('ipc router: payloads', () => {
  const bad: [string, unknown[]][] = [
    ['settings:get', []],
    ['settings:get', [{}, {}]],
    ['settings:get', [{ extra: 1 }]],
    ['settings:get', [null]],
    ['import:paths', [{ paths: [] }]],
    ['import:paths', [{ paths: ['relative/dir'] }]],
    ['import:paths', [{ paths: ['/ok', 42] }]],
    ['import:paths', [{ paths: '/not-an-array' }]],
    ['import:paths', [{ paths: ['/a\0b'] }]],
    ['import:paths', [{ paths: Array.from({ length: 10_001 }, (_, i) => `/f${i}`) }]],
    ['file:read', [{ path: '/a', offset: -1 }]],
    ['file:read', [{ path: '/a', length: 1.5 }]],
    ['file:read', [{ path: '/a', length: 2 ** 31 }]],
    ['file:read', [{ path: 'a/b' }]],
    ['file:read', [{ path: '/a', encoding: 'utf8' }]],
    ['library:getStudy', [{ studyInstanceUid: '1.2 3' }]],
    ['library:getStudy', [{ studyInstanceUid: "1'; DROP TABLE studies;--" }]],
    ['library:removeStudy', [{}]],
    ['library:search', [{ limit: 0 }]],
    ['library:search', [{ modality: 'ct' }]],
    ['library:search', [{ studyDateFrom: '2024-01-01' }]],
    ['settings:set', [{ language: 'fr' }]],
    ['settings:set', [{ dicomWebServers: [{ id: 'a', name: 'A', url: 'javascript:alert(1)' }] }]],
    ['settings:set', [{ dicomWebServers: [{ id: 'a', name: 'A', url: 'https://u:p@pacs.example' }] }]],
    ['settings:set', [{ analysisThreads: 0 }]],
    ['settings:set', [{ __proto__: { polluted: true }, theme: 'x' }]],
    ['dialog:openFiles', [{ filters: [{ name: 'x', extensions: ['../../etc'] }] }]],
    ['dialog:openFolder', ['title']],
  ];
  it.each(bad)('%s refuses %j', async (channel, args) => {
    const h = fakeHandlers();
    const r = await createIpcRouter(h, quiet).dispatch(channel, APP_EVENT, args);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_REQUEST');
    expect(h.calls).toEqual([]);
  });

  it('reports which fields failed', async () => {
    const r = await createIpcRouter(fakeHandlers(), quiet).dispatch('file:read', APP_EVENT, [
      { path: 'rel', offset: -5 },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.issues?.some((i) => i.startsWith('path:'))).toBe(true);
      expect(r.error.issues?.some((i) => i.startsWith('offset:'))).toBe(true);
    }
  });

  it('passes the validated request and the sender to the handler', async () => {
    const seen: unknown[] = [];
    const h = fakeHandlers();
    h['import:paths'] = (req, ctx) => {
      seen.push(req, ctx.sender);
      return {
        series: [],
        errors: [{ path: '/x/bad.dcm', reason: 'truncated' }],
        skipped: 2,
        filesScanned: 3,
      };
    };
    const r = await createIpcRouter(h, quiet).dispatch('import:paths', APP_EVENT, [
      { paths: ['/data/ct', 'C:\\data\\mr'] },
    ]);
    expect(r).toEqual({
      ok: true,
      value: {
        series: [],
        errors: [{ path: '/x/bad.dcm', reason: 'truncated' }],
        skipped: 2,
        filesScanned: 3,
      },
    });
    expect(seen).toEqual([{ paths: ['/data/ct', 'C:\\data\\mr'] }, { id: 1 }]);
  });
});

describe('ipc router: handler results', () => {
  it('turns IpcFailure into a typed error value', async () => {
    const h = fakeHandlers();
    h['library:getStudy'] = () => {
      throw new IpcFailure('NOT_FOUND', 'no study 9.9');
    };
    const r = await createIpcRouter(h, quiet).dispatch('library:getStudy', APP_EVENT, [
      { studyInstanceUid: '9.9' },
    ]);
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no study 9.9' } });
  });

  it('turns a crash into INTERNAL, never a rejection', async () => {
    const h = fakeHandlers();
    h['library:search'] = async () => {
      throw new TypeError('db is closed');
    };
    const log = vi.fn();
    const r = await createIpcRouter(h, { log }).dispatch('library:search', APP_EVENT, [{}]);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('db is closed') },
    });
    expect(log.mock.calls[0][0]).toMatch(/TypeError: db is closed/);
  });

  it('refuses a handler response that breaks the schema, and strips fields the schema does not list', async () => {
    const h = fakeHandlers();
    h['library:search'] = () => ({ studies: [{ nope: 1 }], total: 1 }) as never;
    const bad = await createIpcRouter(h, quiet).dispatch('library:search', APP_EVENT, [{}]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });

    h['library:getStudy'] = () => ({ ...STUDY, internalDbRowId: 77, series: [] }) as StudyDetail;
    const r = await createIpcRouter(h, quiet).dispatch('library:getStudy', APP_EVENT, [
      { studyInstanceUid: '1.2.3' },
    ]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).not.toHaveProperty('internalDbRowId');
  });

  it('passes bytes through for file:read', async () => {
    const r = await createIpcRouter(fakeHandlers(), quiet).dispatch('file:read', APP_EVENT, [
      { path: '/lib/a.dcm' },
    ]);
    expect(r).toEqual({ ok: true, value: new Uint8Array([1, 2, 3]) });
  });
});
