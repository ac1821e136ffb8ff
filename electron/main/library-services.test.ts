/**
 * The shell's library services over the real SQLite store and importer: a generated CT folder with broken files is
 * imported through the `import:paths` handler, found by `library:search`, listed with its files by
 * `library:getStudy`, readable through `file:read` (only library files), survives a restart, and removing the study
 * keeps the files on disk.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ImportPathsResponse, type LibrarySearchResponse, type StudyDetail } from '../common/api';
import { openLibraryServices, type LibraryServices } from './library-services';
import { ipcValue, routerOverServices } from './services-test-router';
import { ctBadFiles } from '../../tests/phantoms/ct-bad-files';
import { writeCtSeries } from '../../tests/phantoms/ct-series';

const STUDY_UID = '1.2.826.0.1.3680043.10.99.7';
const dirs: string[] = [];
const open: Pick<LibraryServices, 'close'>[] = [];
afterAll(async () => {
  for (const s of open) await s.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const routerOver = routerOverServices;
const value = ipcValue;

describe('library services (SQLite store + importer behind the IPC handlers)', () => {
  it('imports, searches, lists files, reads only library files, survives a restart, removes keeping files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-libsvc-'));
    dirs.push(dir);
    const data = path.join(dir, 'incoming');
    const files = await writeCtSeries(path.join(data, 'ct'), { dims: [16, 16, 6], studyUid: STUDY_UID });
    const bad = await ctBadFiles();
    await mkdir(path.join(data, 'junk'));
    for (const b of bad) writeFileSync(path.join(data, 'junk', b.name), b.bytes);
    const outside = path.join(dir, 'secret.txt');
    writeFileSync(outside, 'not for the page');
    const dbFile = path.join(dir, 'library.sqlite');
    const logs: string[] = [];

    const s1 = await openLibraryServices({ libraryDb: dbFile }, (m) => logs.push(m));
    open.push(s1);
    const call1 = routerOver(s1);
    const progress: number[] = [];
    const imported = value(
      await call1<ImportPathsResponse>('import:paths', { paths: [data] }).then((r) => r),
    );
    // progress is also reported through the port directly
    await s1.importPaths([path.join(data, 'ct')], { onProgress: (p) => progress.push(p.filesScanned) });

    expect(imported.filesScanned).toBe(6 + bad.length);
    expect(imported.series).toHaveLength(1);
    expect(imported.series[0]).toMatchObject({
      studyInstanceUid: STUDY_UID,
      modality: 'CT',
      numberOfInstances: 6,
      patientId: 'PHANTOM-CT',
    });
    const notDicom = bad.filter((b) => b.expectKind === 'not-dicom').length;
    expect(imported.skipped).toBe(notDicom);
    expect(imported.errors).toHaveLength(bad.length - notDicom);
    for (const b of bad.filter((x) => x.expectKind !== 'not-dicom')) {
      const e = imported.errors.find((x) => x.path === path.join(data, 'junk', b.name));
      expect(e, b.name).toBeDefined();
      expect(e?.reason.startsWith(`${b.expectKind}: `), `${b.name}: ${e?.reason}`).toBe(true);
    }
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBe(6);

    // search: by text (patient id, case-insensitive), modality, dates; paging total
    const found = value(await call1<LibrarySearchResponse>('library:search', { text: 'phantom-ct' }));
    expect(found.total).toBe(1);
    expect(found.studies[0]).toMatchObject({
      studyInstanceUid: STUDY_UID,
      numberOfSeries: 1,
      numberOfInstances: 6,
      modalities: ['CT'],
    });
    expect(value(await call1<LibrarySearchResponse>('library:search', { modality: 'MR' })).total).toBe(0);
    expect(value(await call1<LibrarySearchResponse>('library:search', { text: 'nobody' })).total).toBe(0);
    const page = value(await call1<LibrarySearchResponse>('library:search', { limit: 1, offset: 1 }));
    expect(page).toEqual({ studies: [], total: 1 });

    // getStudy lists every file
    const study = value(await call1<StudyDetail>('library:getStudy', { studyInstanceUid: STUDY_UID }));
    expect(study.series).toHaveLength(1);
    const listed = study.series[0].files.map((f) => f.path).sort();
    expect(listed).toEqual([...files].map((f) => path.resolve(f)).sort());
    expect(study.series[0].files.every((f) => f.numberOfFrames === 1 && f.sopInstanceUid)).toBe(true);
    const missing = await call1('library:getStudy', { studyInstanceUid: '1.2.3.999' });
    expect(missing.ok ? 'OK' : missing.error.code).toBe('NOT_FOUND');

    // file:read: bytes of library files only
    const first = listed[0];
    const bytes = value(await call1<Uint8Array>('file:read', { path: first }));
    expect(Buffer.from(bytes).equals(readFileSync(first))).toBe(true);
    for (const p of [
      outside,
      path.join(data, 'junk', 'README.txt'),
      path.join(data, 'junk', 'no-rows.dcm'),
    ]) {
      const r = await call1('file:read', { path: p });
      expect(r.ok ? 'OK' : r.error.code, p).toBe('NOT_IN_LIBRARY');
    }

    // re-import: nothing duplicated, the known series is still listed (so the page can open it)
    const again = await s1.importPaths([path.join(data, 'ct')], {});
    expect(again.series.map((x) => [x.seriesInstanceUid, x.numberOfInstances])).toEqual([
      [imported.series[0].seriesInstanceUid, 6],
    ]);
    expect(again.errors).toEqual([]);
    expect((await s1.service!.counts()).instances).toBe(6);
    await s1.close();

    // restart: a fresh services object over the same database keeps the study
    const s2 = await openLibraryServices({ libraryDb: dbFile }, (m) => logs.push(m));
    open.push(s2);
    expect(logs.at(-1)).toContain('1 studies, 6 instances');
    const call2 = routerOver(s2);
    const after = value(await call2<LibrarySearchResponse>('library:search', {}));
    expect(after.studies.map((s) => s.studyInstanceUid)).toEqual([STUDY_UID]);
    expect(value(await call2<Uint8Array>('file:read', { path: first })).length).toBe(
      readFileSync(first).length,
    );

    // remove: the index forgets the study, the files stay
    expect(
      value(await call2<{ removed: boolean }>('library:removeStudy', { studyInstanceUid: STUDY_UID })),
    ).toEqual({ removed: true });
    expect(
      value(await call2<{ removed: boolean }>('library:removeStudy', { studyInstanceUid: STUDY_UID })),
    ).toEqual({ removed: false });
    expect(value(await call2<LibrarySearchResponse>('library:search', {})).total).toBe(0);
    for (const f of files) expect(existsSync(f)).toBe(true);
    const gone = await call2('file:read', { path: first });
    expect(gone.ok ? 'OK' : gone.error.code).toBe('NOT_IN_LIBRARY');
  });

  it('answers UNAVAILABLE with the reason when the database cannot be opened (the app still starts)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-libsvc-bad-'));
    dirs.push(dir);
    const logs: string[] = [];
    // a folder where the database file should be: SQLite cannot open it
    const s = await openLibraryServices({ libraryDb: dir }, (m) => logs.push(m));
    expect(s.service).toBeUndefined();
    expect(logs.join('\n')).toContain('cannot be opened');
    const call = routerOver(s);
    const r = await call('library:search', {});
    expect(r.ok ? 'OK' : r.error.code).toBe('UNAVAILABLE');
    const imp = await call('import:paths', { paths: [dir] });
    expect(imp.ok ? 'OK' : imp.error.code).toBe('UNAVAILABLE');
    await s.close();
  });
});
