import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type QiviewApi } from '../../electron/common/api';
import { createElectronPlatform, unwrap } from './electron-platform';
import { SETTINGS_KEY, createWebPlatform, parseStoredSettings } from './web-platform';

class MemStorage {
  private m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

describe('web platform settings', () => {
  it('falls back to defaults on missing or corrupt JSON', () => {
    expect(parseStoredSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseStoredSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseStoredSettings(JSON.stringify({ language: 'fr' }))).toEqual(DEFAULT_SETTINGS);
  });
  it('merges and persists a patch, refusing an invalid server URL', async () => {
    const storage = new MemStorage();
    const p = createWebPlatform(storage as unknown as Storage);
    const s = await p.saveSettings({
      language: 'zh-CN',
      dicomWebServers: [{ id: 'orthanc', name: 'Orthanc', url: 'http://127.0.0.1:8042/dicom-web' }],
    });
    expect(s.language).toBe('zh-CN');
    expect(JSON.parse(storage.getItem(SETTINGS_KEY)!).dicomWebServers).toHaveLength(1);
    expect((await p.loadSettings()).dicomWebServers[0].url).toBe('http://127.0.0.1:8042/dicom-web');
    await expect(
      p.saveSettings({ dicomWebServers: [{ id: 'x', name: 'x', url: 'ftp://bad' }] }),
    ).rejects.toThrow();
    expect((await p.loadSettings()).dicomWebServers).toHaveLength(1);
  });
  it('cannot read a memory file after a reload', async () => {
    const p = createWebPlatform(new MemStorage() as unknown as Storage);
    await expect(p.readInstance({ kind: 'memory', id: 'gone' })).rejects.toThrow(/pick it again/);
  });
});

describe('electron platform', () => {
  it('maps bridge results and errors', async () => {
    const api = {
      apiVersion: 1,
      openFolder: async () => ({ ok: true, value: { paths: ['/data/ct'] } }),
      readFile: async (r: { path: string }) =>
        r.path === '/data/ct/1.dcm'
          ? { ok: true, value: new Uint8Array([1, 2, 3]) }
          : { ok: false, error: { code: 'NOT_IN_LIBRARY', message: 'not in the library' } },
    } as unknown as QiviewApi;
    const p = createElectronPlatform(api);
    expect(await p.pickFolder()).toEqual([{ name: '/data/ct', path: '/data/ct' }]);
    expect(Array.from(await p.readInstance({ kind: 'file', path: '/data/ct/1.dcm' }))).toEqual([1, 2, 3]);
    await expect(p.readInstance({ kind: 'file', path: '/etc/passwd' })).rejects.toThrow('not in the library');
    expect(() => unwrap({ ok: false, error: { code: 'INTERNAL', message: 'boom' } })).toThrow('boom');
  });
});
