import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type AppInfo, type IpcResult, type StudyDetail } from '../common/api';
import { createChannelHandlers, type HandlerDeps } from './handlers';
import { createIpcRouter, type InvokeEventLike } from './ipc-router';
import { createLibraryFileReader } from './library-file-reader';
import type { LibraryPort } from './library-port';
import { createPluginManager } from './plugin-manager';
import { loadSettingsStore } from './settings-store';
import { generatePluginKeyPair, packPlugin } from '../../core/node/packages';

const tmp = mkdtempSync(path.join(tmpdir(), 'qiview-handlers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const libDir = path.join(tmp, 'library');
mkdirSync(libDir);
const inLib = path.join(libDir, 'ct-001.dcm');
const BYTES = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
writeFileSync(inLib, BYTES);
const outside = path.join(tmp, 'private.txt');
writeFileSync(outside, 'patient list of someone else');
const gone = path.join(libDir, 'deleted.dcm');
const folderInLib = path.join(libDir, 'folder');
mkdirSync(folderInLib);
const linkToOutside = path.join(libDir, 'link.dcm');
symlinkSync(outside, linkToOutside);

const STUDY: StudyDetail = {
  studyInstanceUid: '1.2.840.1',
  patientName: 'DOE^JANE',
  patientId: 'P1',
  patientBirthDate: '19700101',
  patientSex: 'F',
  studyDate: '20240101',
  studyDescription: 'CT',
  accessionNumber: 'A1',
  modalities: ['CT'],
  numberOfSeries: 1,
  numberOfInstances: 1,
  series: [
    {
      studyInstanceUid: '1.2.840.1',
      seriesInstanceUid: '1.2.840.1.1',
      modality: 'CT',
      seriesDescription: 'axial',
      seriesNumber: 2,
      numberOfInstances: 1,
      patientName: 'DOE^JANE',
      patientId: 'P1',
      studyDate: '20240101',
      studyDescription: 'CT',
      files: [{ path: inLib, sopInstanceUid: '1.2.840.1.1.1', instanceNumber: 1, numberOfFrames: 1 }],
    },
  ],
};

/** A library that indexes inLib, the vanished file, the folder and the symlink; nothing else. */
function fakeLibrary(): LibraryPort & { removed: string[] } {
  const files = new Set([inLib, gone, folderInLib]);
  const removed: string[] = [];
  return {
    removed,
    search: (q) => ({ studies: q.text === 'DOE' ? [STUDY] : [], total: q.text === 'DOE' ? 1 : 0 }),
    getStudy: (uid) => (uid === STUDY.studyInstanceUid ? STUDY : null),
    removeStudy: (uid) => {
      removed.push(uid);
      return uid === STUDY.studyInstanceUid;
    },
    hasFile: async (p) => files.has(p),
  };
}

const APP_INFO: AppInfo = {
  name: 'Qiview',
  version: '0.1.0',
  electron: '45.4.1',
  chrome: '142',
  node: '22.20.0',
  platform: 'linux',
  arch: 'x64',
  locale: 'en-US',
  isPackaged: false,
};

async function setup(overrides: Partial<HandlerDeps> = {}) {
  const settings = await loadSettingsStore(path.join(tmp, `settings-${Math.random()}.json`));
  const deps: HandlerDeps = {
    showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/picked/a.dcm', '/picked/b.dcm'] })),
    importPaths: vi.fn(async (paths: string[]) => ({
      series: [],
      errors: paths.map((p) => ({ path: p, reason: 'not a DICOM file' })),
      skipped: 0,
      filesScanned: paths.length,
    })),
    library: fakeLibrary(),
    settings,
    appInfo: () => APP_INFO,
    plugins: createPluginManager(path.join(tmp, `plugins-${Math.random()}`)),
    notify: vi.fn(),
    ...overrides,
  };
  const router = createIpcRouter(createChannelHandlers(deps), { log: () => {} });
  const event: InvokeEventLike = { senderFrame: { url: 'qiview://app/index.html' }, sender: { id: 7 } };
  const call = (channel: string, request: unknown = {}) => router.dispatch(channel, event, [request]);
  return { deps, call };
}

const code = (r: IpcResult<unknown>) => (r.ok ? 'OK' : r.error.code);

describe('file:read', () => {
  it('returns the exact bytes of a library file, whole or by range', async () => {
    const { call } = await setup();
    const whole = await call('file:read', { path: inLib });
    expect(whole).toEqual({ ok: true, value: BYTES });
    const part = await call('file:read', { path: inLib, offset: 990, length: 100 });
    expect(part).toEqual({ ok: true, value: BYTES.subarray(990) });
    const empty = await call('file:read', { path: inLib, offset: 1000 });
    expect(empty).toEqual({ ok: true, value: new Uint8Array(0) });
    expect(code(await call('file:read', { path: inLib, offset: 1001 }))).toBe('INVALID_REQUEST');
  });

  it('refuses every path the library does not index', async () => {
    const { call } = await setup();
    for (const p of [outside, '/etc/passwd', path.join(libDir, 'other.dcm'), linkToOutside, libDir]) {
      const r = await call('file:read', { path: p });
      expect(code(r), p).toBe('NOT_IN_LIBRARY');
      expect(JSON.stringify(r)).not.toContain('someone else');
    }
  });

  it('refuses non-normalised spellings of library paths (no traversal through a listed folder)', async () => {
    const { call } = await setup();
    for (const p of [
      `${libDir}/folder/../../private.txt`,
      `${libDir}/./ct-001.dcm`,
      `${libDir}//ct-001.dcm`,
      `${folderInLib}/../ct-001.dcm`,
    ]) {
      expect(code(await call('file:read', { path: p })), p).toBe('INVALID_REQUEST');
    }
    expect(code(await call('file:read', { path: 'ct-001.dcm' }))).toBe('INVALID_REQUEST');
  });

  it('reports library files that vanished or are not regular files as NOT_FOUND', async () => {
    const { call } = await setup();
    expect(code(await call('file:read', { path: gone }))).toBe('NOT_FOUND');
    expect(code(await call('file:read', { path: folderInLib }))).toBe('NOT_FOUND');
  });

  it('asks for ranges when a read would be too large', async () => {
    const read = createLibraryFileReader({ library: { hasFile: () => true }, maxBytes: 100 });
    await expect(read({ path: inLib })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await read({ path: inLib, offset: 100, length: 100 })).toEqual(BYTES.subarray(100, 200));
  });

  it('checks Windows paths with Windows rules', async () => {
    const hasFile = vi.fn(() => false);
    const read = createLibraryFileReader({ library: { hasFile }, pathApi: path.win32 });
    await expect(read({ path: 'C:\\lib\\..\\Windows\\win.ini' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(read({ path: 'C:\\lib\\a.dcm' })).rejects.toMatchObject({ code: 'NOT_IN_LIBRARY' });
    expect(hasFile).toHaveBeenCalledTimes(1);
  });
});

describe('other channels', () => {
  it('dialogs: return the picked paths, empty on cancel, with imaging filters by default', async () => {
    const { call, deps } = await setup();
    expect(await call('dialog:openFiles')).toEqual({
      ok: true,
      value: { paths: ['/picked/a.dcm', '/picked/b.dcm'] },
    });
    expect(deps.showOpenDialog).toHaveBeenLastCalledWith(
      { id: 7 },
      expect.objectContaining({ properties: ['openFile', 'multiSelections'], filters: expect.any(Array) }),
    );
    await call('dialog:openFolder', { title: 'Import folder' });
    expect(deps.showOpenDialog).toHaveBeenLastCalledWith(
      { id: 7 },
      { title: 'Import folder', properties: ['openDirectory'] },
    );
    const cancelled = await setup({
      showOpenDialog: async () => ({ canceled: true, filePaths: ['/ignored'] }),
    });
    expect(await cancelled.call('dialog:openFolder')).toEqual({ ok: true, value: { paths: [] } });
  });

  it('import:paths: passes the paths to the importer and returns its per-file errors', async () => {
    const { call, deps } = await setup();
    const r = await call('import:paths', { paths: ['/data/a', '/data/b.txt'] });
    expect(deps.importPaths).toHaveBeenCalledWith(['/data/a', '/data/b.txt'], {
      onProgress: expect.any(Function),
    });
    expect(r).toEqual({
      ok: true,
      value: {
        series: [],
        errors: [
          { path: '/data/a', reason: 'not a DICOM file' },
          { path: '/data/b.txt', reason: 'not a DICOM file' },
        ],
        skipped: 0,
        filesScanned: 2,
      },
    });
  });

  it('import:paths: pushes throttled progress to the calling page only', async () => {
    let clock = 0;
    const notify = vi.fn();
    const { call } = await setup({
      notify,
      now: () => clock,
      importPaths: async (paths, { onProgress }) => {
        for (let i = 1; i <= 1000; i++) {
          clock = i; // 1 ms per file: 1000 files over 1 s
          onProgress?.({ filesScanned: i, currentPath: `${paths[0]}/f${i}.dcm` });
        }
        return { series: [], errors: [], skipped: 0, filesScanned: 1000 };
      },
    });
    expect(code(await call('import:paths', { paths: ['/data'] }))).toBe('OK');
    // First file, then one every 100 ms: files 1, 101, ..., 901.
    expect(notify).toHaveBeenCalledTimes(10);
    expect(notify.mock.calls[0]).toEqual([
      { id: 7 },
      'import:progress',
      { filesScanned: 1, currentPath: '/data/f1.dcm' },
    ]);
    expect(notify.mock.calls[9][2]).toEqual({ filesScanned: 901, currentPath: '/data/f901.dcm' });
  });

  it('library: search, get (NOT_FOUND when absent), remove', async () => {
    const { call, deps } = await setup();
    // The search response lists summaries: the fake's extra `series` field is stripped by the response schema.
    const { series: _series, ...summary } = STUDY;
    expect(await call('library:search', { text: 'DOE' })).toEqual({
      ok: true,
      value: { studies: [summary], total: 1 },
    });
    expect(await call('library:search', {})).toEqual({ ok: true, value: { studies: [], total: 0 } });
    expect(await call('library:getStudy', { studyInstanceUid: '1.2.840.1' })).toEqual({
      ok: true,
      value: STUDY,
    });
    expect(code(await call('library:getStudy', { studyInstanceUid: '9.9' }))).toBe('NOT_FOUND');
    expect(await call('library:removeStudy', { studyInstanceUid: '1.2.840.1' })).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(await call('library:removeStudy', { studyInstanceUid: '9.9' })).toEqual({
      ok: true,
      value: { removed: false },
    });
    expect((deps.library as ReturnType<typeof fakeLibrary>).removed).toEqual(['1.2.840.1', '9.9']);
  });

  it('settings: get, set with validation of the merged result', async () => {
    const { call } = await setup();
    expect(await call('settings:get')).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    const set = await call('settings:set', { theme: 'light' });
    expect(set).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'light' } });
    expect(await call('settings:get')).toEqual(set);
  });

  it('app:info', async () => {
    const { call } = await setup();
    expect(await call('app:info')).toEqual({ ok: true, value: APP_INFO });
  });
});

describe('plugins:*', () => {
  it('installs only with explicit trust, lists, disables and removes; refusals carry the reason', async () => {
    const src = path.join(tmp, 'plugin-src');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'LICENSE'), 'MIT');
    writeFileSync(path.join(src, 'index.js'), 'export default { run: async () => ({}) };');
    writeFileSync(
      path.join(src, 'manifest.json'),
      JSON.stringify({
        id: 'org.test.ipc',
        version: '1.0.0',
        apiVersion: '^0.1.0',
        publisher: 'T',
        license: 'MIT',
        main: 'index.js',
        inputs: [{ role: 'ct', rules: [{ attribute: 'Modality', equals: ['CT'] }] }],
        strings: { en: { name: 'n', description: 'd' }, 'zh-CN': { name: 'n', description: 'd' } },
      }),
    );
    const { bytes } = await packPlugin(src, { privateKeyPem: generatePluginKeyPair('T').privateKeyPem });
    const pkg = path.join(tmp, 'p.qvp');
    writeFileSync(pkg, bytes);
    const { call } = await setup();
    const refused = await call('plugins:install', { path: pkg });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringContaining('untrusted-key') },
    });
    expect(await call('plugins:list')).toEqual({ ok: true, value: { plugins: [] } });
    expect(await call('plugins:install', { path: pkg, trustKey: true })).toMatchObject({
      ok: true,
      value: { id: 'org.test.ipc', trust: 'trusted-on-install', enabled: true },
    });
    expect(await call('plugins:setEnabled', { id: 'org.test.ipc', enabled: false })).toMatchObject({
      ok: true,
      value: { plugins: [{ id: 'org.test.ipc', enabled: false }] },
    });
    expect(code(await call('plugins:remove', { id: '../../etc' }))).toBe('INVALID_REQUEST');
    expect(await call('plugins:remove', { id: 'org.test.ipc' })).toEqual({
      ok: true,
      value: { plugins: [] },
    });
    expect(code(await call('plugins:remove', { id: 'org.test.ipc' }))).toBe('NOT_FOUND');
  });
});
