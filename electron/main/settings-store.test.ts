import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, IpcFailure } from '../common/api';
import { loadSettingsStore } from './settings-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qiview-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings store', () => {
  it('starts from defaults when there is no file', async () => {
    const s = await loadSettingsStore(path.join(dir, 'settings.json'));
    expect(s.current()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toEqual({
      language: 'en',
      theme: 'dark',
      dicomWebServers: [],
      analysisThreads: 2,
      readerName: '',
    });
    expect(s.loadWarnings).toEqual([]);
  });

  it('saves a valid patch atomically and reloads it', async () => {
    const file = path.join(dir, 'nested', 'settings.json');
    const s = await loadSettingsStore(file);
    const saved = await s.update({
      language: 'zh-CN',
      dicomWebServers: [{ id: 'orthanc', name: 'Orthanc', url: 'http://127.0.0.1:8042/dicom-web' }],
    });
    expect(saved.language).toBe('zh-CN');
    expect(saved.theme).toBe('dark');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved);
    expect(readdirSync(path.dirname(file))).toEqual(['settings.json']); // no temp file left behind
    const again = await loadSettingsStore(file);
    expect(again.current()).toEqual(saved);
  });

  it('refuses an invalid patch with INVALID_REQUEST and keeps the old settings', async () => {
    const file = path.join(dir, 'settings.json');
    const s = await loadSettingsStore(file);
    await s.update({ theme: 'light' });
    const dup = [
      { id: 'a', name: 'A', url: 'https://a.example' },
      { id: 'a', name: 'B', url: 'https://b.example' },
    ];
    await expect(s.update({ dicomWebServers: dup })).rejects.toBeInstanceOf(IpcFailure);
    await expect(s.update({ analysisThreads: 1000 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(s.current().theme).toBe('light');
    expect(JSON.parse(readFileSync(file, 'utf8')).theme).toBe('light');
  });

  it('serialises concurrent updates (last one wins, both fields kept)', async () => {
    const s = await loadSettingsStore(path.join(dir, 'settings.json'));
    await Promise.all([s.update({ theme: 'light' }), s.update({ language: 'zh-CN' })]);
    expect(s.current()).toMatchObject({ theme: 'light', language: 'zh-CN' });
  });

  it.each([
    ['not JSON', '{"language": '],
    ['wrong value', '{"language": "fr"}'],
    ['unknown key', '{"language": "en", "nodeIntegration": true}'],
  ])('keeps a damaged file (%s) aside and falls back to defaults', async (_why, text) => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, text);
    const s = await loadSettingsStore(file);
    expect(s.current()).toEqual(DEFAULT_SETTINGS);
    expect(s.loadWarnings).toHaveLength(1);
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.json.invalid-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]), 'utf8')).toBe(text);
  });

  it('fills defaults for keys missing from an older file', async () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, '{"theme":"light"}');
    const s = await loadSettingsStore(file);
    expect(s.current()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
    expect(s.loadWarnings).toEqual([]);
  });
});
