/**
 * End to end: real phantom files → importer (scanPaths) → SQLite library → close → reopen → the series' instances and
 * locations come from the database and build the same volume, with no re-scan. Removing the study keeps the files.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { Library } from '../../core/common/library/library';
import { openSqliteLibraryStore } from '../../core/node/library/sqlite-library-store';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { ctSeriesExpectedHu, writeCtSeries } from '../phantoms/ct-series';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('library: import, restart, reopen without re-parsing', () => {
  it('re-opens a phantom series from the database with identical voxels', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-lib-e2e-'));
    dirs.push(dir);
    const data = path.join(dir, 'ct');
    const dims: [number, number, number] = [24, 24, 8];
    const files = await writeCtSeries(data, { dims, studyUid: '1.2.826.0.1.3680043.10.88.1' });
    const dbFile = path.join(dir, 'library.sqlite');

    const { parsed, report } = await scanPaths([data]);
    expect(report.skipped).toEqual([]);
    const grouped = groupInstances(parsed);
    const warnings = Object.fromEntries(grouped.series.map((s) => [s.seriesInstanceUid, s.warnings]));
    const lib1 = new Library(openSqliteLibraryStore(dbFile));
    const r = await lib1.importInstances(parsed, { seriesWarnings: warnings, source: 'files' });
    expect(r.instancesAdded).toBe(8);
    expect((await lib1.importInstances(parsed)).instancesAlreadyKnown).toBe(8);
    await lib1.close();

    // "restart": a fresh store over the same file
    const lib2 = new Library(openSqliteLibraryStore(dbFile));
    const [study] = await lib2.searchStudies({ modality: 'CT', patientId: 'PHANTOM' });
    expect(study.studyInstanceUid).toBe('1.2.826.0.1.3680043.10.88.1');
    expect(study.imageCount).toBe(8);
    const [series] = await lib2.listSeries(study.studyInstanceUid);
    const instances = await lib2.listInstances(series.seriesInstanceUid);
    expect(instances).toHaveLength(8);
    for (const f of files) expect(await lib2.hasFile(f)).toBe(true);
    // a re-scan with the store's synchronous isKnown hook reports every file as already known
    const store = lib2.store as ReturnType<typeof openSqliteLibraryStore>;
    const rescan = await scanPaths([data], { isKnown: (sop, loc) => store.isKnown(sop, loc) });
    expect(rescan.report.instancesAlreadyKnown).toBe(8);
    expect(rescan.parsed).toHaveLength(0);
    const volume = await loadSeriesVolume(instances);
    const expected = ctSeriesExpectedHu({ dims, studyUid: '1.2.826.0.1.3680043.10.88.1' });
    expect(volume.geometry.dimensions).toEqual(dims);
    expect(volume.data.length).toBe(expected.length);
    let maxErr = 0;
    const v = volume.data as ArrayLike<number>;
    for (let k = 0; k < expected.length; k++) maxErr = Math.max(maxErr, Math.abs(v[k] - expected[k]));
    expect(maxErr).toBeLessThanOrEqual(0.5);

    expect(await lib2.removeStudy(study.studyInstanceUid)).toBe(true);
    expect(await lib2.searchStudies()).toEqual([]);
    for (const f of files) expect(existsSync(f)).toBe(true);
    await lib2.close();
  });
});
