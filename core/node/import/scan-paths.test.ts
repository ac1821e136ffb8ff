import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPaths } from './scan-paths';
import { loadSeriesVolume } from './load-series-volume';
import { groupInstances } from '../../common/dicom/group-instances';
import { ctSeriesExpectedHu, ctSeriesFiles, writeCtSeries } from '../../../tests/phantoms/ct-series';
import { ctBadFiles } from '../../../tests/phantoms/ct-bad-files';
import { ctDicomdir } from '../../../tests/phantoms/ct-dicomdir';
import { writeNifti1 } from '../../../tests/phantoms/nifti-volume';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qiview-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scanPaths + loadSeriesVolume', () => {
  it('imports a folder tree with DICOM, DICOMDIR, NIfTI and junk; reports every bad file; loads the volume', async () => {
    const o = { dims: [32, 32, 10] as [number, number, number], transferSyntax: 'rle' as const };
    await writeCtSeries(path.join(dir, 'a', 'series1'), o);
    // a DICOMDIR medium whose files have no extension, in a sibling folder
    const cd = path.join(dir, 'cd');
    await mkdir(path.join(cd, 'DICOM'), { recursive: true });
    const other = await ctSeriesFiles({
      dims: [8, 8, 3],
      seriesUid: '1.2.9.9',
      transferSyntax: 'implicitLE',
    });
    for (let i = 0; i < other.length; i++) await writeFile(path.join(cd, 'DICOM', `I${i}`), other[i].bytes);
    await writeFile(
      path.join(cd, 'DICOMDIR'),
      ctDicomdir([...other.map((_, i) => `DICOM/I${i}`), 'DICOM/MISSING']),
    );
    const bad = await ctBadFiles();
    await mkdir(path.join(dir, 'junk'));
    for (const b of bad) await writeFile(path.join(dir, 'junk', b.name), b.bytes);
    await writeFile(path.join(dir, 'junk', '.DS_Store'), 'x');
    await writeFile(
      path.join(dir, 'vol.nii.gz'),
      writeNifti1({ dims: [4, 4, 2], data: new Int16Array(32).fill(7), gzip: true }),
    );

    const progress: number[] = [];
    const { parsed, report } = await scanPaths([dir], { onProgress: (p) => progress.push(p.filesDone) });
    expect(report.instancesAdded).toBe(10 + 3 + 1);
    expect(report.series).toHaveLength(3);
    expect(report.filesSeen).toBe(10 + 3 + 1 + bad.length + 1 + 1); // + DICOMDIR + .DS_Store + nifti
    const kinds = Object.fromEntries(report.skipped.map((s) => [path.basename(s.file), s.kind]));
    for (const b of bad) expect(kinds[b.name], b.name).toBe(b.expectKind);
    expect(kinds['.DS_Store']).toBe('not-dicom');
    expect(kinds.MISSING).toBe('io-error');
    expect(progress[progress.length - 1]).toBe(parsed.length + report.skipped.length - 1); // MISSING never read

    const g = groupInstances(parsed);
    const s1 = g.series.find((s) => s.instanceCount === 10)!;
    const v = await loadSeriesVolume(g.instances[s1.seriesInstanceUid]);
    expect(v.geometry.dimensions).toEqual([32, 32, 10]);
    expect(Array.from(v.data)).toEqual(Array.from(ctSeriesExpectedHu(o)));
    const nii = parsed.find((p) => p.instance.format === 'nifti')!;
    expect(g.series.find((s) => s.seriesInstanceUid === nii.series.seriesInstanceUid)!.warnings).toEqual([]);
    const nv = await loadSeriesVolume([nii.instance]);
    expect(nv.data[31]).toBe(7);

    const known = await scanPaths([path.join(dir, 'a')], { isKnown: () => true });
    expect(known.report.instancesAlreadyKnown).toBe(10);
    expect(known.parsed).toHaveLength(0);
  });

  it('a missing path is an io-error entry, and abort rejects', async () => {
    const r = await scanPaths([path.join(dir, 'nope')]);
    expect(r.report.skipped[0].kind).toBe('io-error');
    const ac = new AbortController();
    ac.abort();
    await expect(scanPaths([dir], { signal: ac.signal })).rejects.toBeDefined();
  });
});
