import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../common/library/library';
import type { LibraryChangedEvent, LibraryImportedEvent } from '../../common/library/library';
import { describeLibraryStore, syntheticSeries } from '../../common/library/library-store-conformance';
import { MIGRATIONS, openSqliteLibraryStore } from './sqlite-library-store';

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'qiview-sqlite-lib-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describeLibraryStore('SqliteLibraryStore', {
  newLocation: async () => path.join(await tempDir(), 'library.sqlite'),
  open: async (file) => openSqliteLibraryStore(file),
});

describe('SqliteLibraryStore specifics', () => {
  it('uses WAL and a versioned schema, and refuses a newer schema', async () => {
    const file = path.join(await tempDir(), 'lib.sqlite');
    const s = openSqliteLibraryStore(file);
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    await s.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openSqliteLibraryStore(file)).toThrow(/newer than this app supports/);
  });

  it('removing a study never deletes its files', async () => {
    const dir = await tempDir();
    const data = path.join(dir, 'data');
    await mkdir(data);
    const parsed = syntheticSeries({
      patientId: 'P',
      studyUid: '2.1',
      seriesUid: '2.1.1',
      modality: 'CT',
      count: 3,
      dir: data,
    });
    for (const p of parsed)
      if (p.instance.location.kind === 'file') await writeFile(p.instance.location.path, 'DICM');
    const lib = new Library(openSqliteLibraryStore(path.join(dir, 'lib.sqlite')));
    await lib.importInstances(parsed);
    expect(await lib.hasFile(path.join(data, 'IM00000.dcm'))).toBe(true);
    expect(await lib.removeStudy('2.1')).toBe(true);
    for (const p of parsed)
      if (p.instance.location.kind === 'file') expect(existsSync(p.instance.location.path)).toBe(true);
    await lib.close();
  });

  it('emits typed imported/changed events', async () => {
    const lib = new Library(openSqliteLibraryStore(':memory:'));
    const imported: LibraryImportedEvent[] = [];
    const changed: LibraryChangedEvent[] = [];
    lib.on('imported', (e) => imported.push(e));
    const off = lib.on('changed', (e) => changed.push(e));
    const parsed = syntheticSeries({
      patientId: 'P',
      studyUid: '3.1',
      seriesUid: '3.1.1',
      modality: 'MR',
      count: 2,
    });
    await lib.importInstances(parsed, { source: 'files' });
    await lib.importInstances(parsed, { source: 'files' });
    expect(imported.map((e) => [e.instancesAdded, e.instancesAlreadyKnown, e.source])).toEqual([
      [2, 0, 'files'],
      [0, 2, 'files'],
    ]);
    expect(changed).toEqual([{ reason: 'import', studyInstanceUids: ['3.1'] }]);
    await lib.removeStudy('3.1');
    off();
    await lib.importInstances(parsed);
    expect(changed.map((c) => c.reason)).toEqual(['import', 'remove-study']);
    await lib.close();
  });

  it('inserts 10k instances in one transaction quickly and re-opens without re-parsing', async () => {
    const file = path.join(await tempDir(), 'big.sqlite');
    const parsed = Array.from({ length: 20 }, (_, k) =>
      syntheticSeries({
        patientId: `P${k % 5}`,
        patientName: `Patient^${k % 5}`,
        studyUid: `4.${k % 10}`,
        studyDate: `2024010${k % 9}`,
        seriesUid: `4.${k % 10}.${k}`,
        modality: k % 2 ? 'CT' : 'MR',
        count: 500,
      }),
    ).flat();
    const s = openSqliteLibraryStore(file);
    const t0 = performance.now();
    const r = await s.upsertInstances(parsed);
    const insertMs = performance.now() - t0;
    const t1 = performance.now();
    const again = await s.upsertInstances(parsed);
    const reimportMs = performance.now() - t1;
    await s.close();
    const t2 = performance.now();
    const s2 = openSqliteLibraryStore(file);
    const studies = await s2.searchStudies({ modality: 'CT' });
    const inst = await s2.listInstances('4.1.1');
    const reopenMs = performance.now() - t2;
    console.log(
      `sqlite library: 10k-instance insert ${insertMs.toFixed(0)} ms, idempotent re-import ${reimportMs.toFixed(0)} ms, reopen+search+list ${reopenMs.toFixed(1)} ms`,
    );
    expect(r.instancesAdded).toBe(10_000);
    expect(again.instancesAlreadyKnown).toBe(10_000);
    expect(studies.length).toBe(5);
    expect(inst.length).toBe(500);
    expect(insertMs).toBeLessThan(20_000);
    await s2.close();
  });
});
