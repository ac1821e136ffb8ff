import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_LIST } from '../common/channels';
import { createBridge } from './bridge';

const electron = vi.hoisted(() => ({
  exposed: [] as [string, unknown][],
  invoked: [] as [string, unknown][],
  listeners: new Map<string, Set<(event: unknown, payload: unknown) => void>>(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.push([key, api]) },
  ipcRenderer: {
    invoke: async (channel: string, request: unknown) => {
      electron.invoked.push([channel, request]);
      return { ok: true, value: null };
    },
    send: () => {
      throw new Error('the preload must never use send');
    },
    on: (channel: string, l: (event: unknown, payload: unknown) => void) => {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set());
      electron.listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) =>
      electron.listeners.get(channel)?.delete(l),
  },
  webUtils: { getPathForFile: (f: { name: string }) => `/dropped/${f.name}` },
}));

describe('bridge object', () => {
  let calls: [string, unknown][];
  beforeEach(() => {
    calls = [];
  });
  const bridge = () =>
    createBridge(
      async (channel, request) => {
        calls.push([channel, request]);
        return { ok: true, value: null };
      },
      () => '',
      () => () => {},
    );

  it('has one method per channel, each on its own fixed channel, covering every channel once', async () => {
    const api = bridge();
    await api.openFiles();
    await api.openFolder({ title: 't' });
    await api.importPaths({ paths: ['/d'] });
    await api.searchLibrary();
    await api.getStudy({ studyInstanceUid: '1' });
    await api.removeStudy({ studyInstanceUid: '1' });
    await api.readFile({ path: '/f' });
    await api.getSettings();
    await api.setSettings({ theme: 'light' });
    await api.appInfo();
    await api.listPlugins();
    await api.installPlugin({ path: '/p.qvp', trustKey: true });
    await api.setPluginEnabled({ id: 'org.a.b', enabled: false });
    await api.removePlugin({ id: 'org.a.b' });
    const rec = {
      id: 'r1',
      pluginId: 'p',
      pluginVersion: '1',
      modelVersions: {},
      inputSeriesUids: [],
      createdAt: 't',
      status: 'done' as const,
    };
    await api.putResult({ record: rec, payloadJson: '{}', attachments: { a: new ArrayBuffer(2) } });
    await api.listResults();
    await api.getResult({ id: 'r1' });
    await api.readResultAttachment({ id: 'r1', name: 'a' });
    await api.removeResult({ id: 'r1' });
    expect(calls).toEqual([
      ['dialog:openFiles', {}],
      ['dialog:openFolder', { title: 't' }],
      ['import:paths', { paths: ['/d'] }],
      ['library:search', {}],
      ['library:getStudy', { studyInstanceUid: '1' }],
      ['library:removeStudy', { studyInstanceUid: '1' }],
      ['file:read', { path: '/f' }],
      ['settings:get', {}],
      ['settings:set', { theme: 'light' }],
      ['app:info', {}],
      ['plugins:list', {}],
      ['plugins:install', { path: '/p.qvp', trustKey: true }],
      ['plugins:setEnabled', { id: 'org.a.b', enabled: false }],
      ['plugins:remove', { id: 'org.a.b' }],
      ['results:put', { record: rec, payloadJson: '{}', attachments: { a: new ArrayBuffer(2) } }],
      ['results:list', {}],
      ['results:get', { id: 'r1' }],
      ['results:readAttachment', { id: 'r1', name: 'a' }],
      ['results:remove', { id: 'r1' }],
    ]);
    expect(new Set(calls.map((c) => c[0]))).toEqual(new Set(CHANNEL_LIST));
  });

  it('exposes only data-less methods: no ipcRenderer, no generic invoke/send, frozen', () => {
    const api = bridge();
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(
      [
        'apiVersion',
        'appInfo',
        'getSettings',
        'getStudy',
        'importPaths',
        'installPlugin',
        'listPlugins',
        'onImportProgress',
        'openFiles',
        'openFolder',
        'pathForFile',
        'readFile',
        'removePlugin',
        'removeStudy',
        'putResult',
        'listResults',
        'getResult',
        'readResultAttachment',
        'removeResult',
        'searchLibrary',
        'setPluginEnabled',
        'setSettings',
      ].sort(),
    );
    for (const [k, v] of Object.entries(api)) {
      if (k !== 'apiVersion') expect(typeof v, k).toBe('function');
    }
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('ipcRenderer');
  });
});

describe('preload entry', () => {
  it('exposes exactly one global, window.qiview, wired to ipcRenderer.invoke and webUtils', async () => {
    await import('./index');
    expect(electron.exposed.map((e) => e[0])).toEqual(['qiview']);
    const api = electron.exposed[0][1] as ReturnType<typeof createBridge>;
    await api.readFile({ path: '/lib/a.dcm' });
    expect(electron.invoked).toEqual([['file:read', { path: '/lib/a.dcm' }]]);
    expect(api.pathForFile({ name: 'x.dcm' } as File)).toBe('/dropped/x.dcm');
  });

  it('delivers import progress payloads without the Electron event, and unsubscribes', async () => {
    await import('./index');
    const api = electron.exposed[0][1] as ReturnType<typeof createBridge>;
    const got: unknown[][] = [];
    const off = api.onImportProgress((...args) => got.push(args));
    expect([...electron.listeners.keys()]).toEqual(['import:progress']);
    const fakeEvent = { sender: 'ipcRenderer-must-not-leak', senderId: 0 };
    for (const l of electron.listeners.get('import:progress')!)
      l(fakeEvent, { filesScanned: 3, currentPath: '/d/x' });
    expect(got).toEqual([[{ filesScanned: 3, currentPath: '/d/x' }]]);
    off();
    expect(electron.listeners.get('import:progress')!.size).toBe(0);
    expect(() => api.onImportProgress('nope' as never)).toThrow(TypeError);
  });
});
