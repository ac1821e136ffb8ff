import { describe, expect, it } from 'vitest';
import { ctSeriesFiles, ctSeriesGeometry } from '../../../tests/phantoms/ct-series';
import { ctBadFiles } from '../../../tests/phantoms/ct-bad-files';
import { importFiles } from './import-files';
import type { FileToParse } from './parse-files';

const blob = (b: Uint8Array) => new Blob([b.slice().buffer as ArrayBuffer]);

describe('importFiles (calling thread)', () => {
  it('groups a shuffled series in geometric order and skips junk with per-file reasons', async () => {
    const dims: [number, number, number] = [16, 16, 12];
    const good = await ctSeriesFiles({ dims });
    const bad = await ctBadFiles();
    const truncated = good[3].bytes.slice(0, Math.floor(good[3].bytes.length * 0.6));
    const files: FileToParse[] = [
      ...good.map((g, i) => ({ id: `g${i}`, name: `ct/${g.name}`, file: blob(g.bytes) })),
      ...bad.map((b, i) => ({ id: `b${i}`, name: `junk/${b.name}`, file: blob(b.bytes) })),
      { id: 't', name: 'ct/truncated.dcm', file: blob(truncated) },
      { id: 'e', name: 'ct/empty', file: blob(new Uint8Array(0)) },
    ];
    const progress: number[] = [];
    const r = await importFiles(files, { useWorker: false, onProgress: (p) => progress.push(p.done) });
    expect(r.cancelled).toBe(false);
    expect(progress.at(-1)).toBe(files.length);
    expect(r.report.filesSeen).toBe(files.length);
    const ctSeries = r.grouped.series.find((s) => s.imageCount === dims[2])!;
    expect(ctSeries).toBeDefined();
    // geometric order: positions along the normal strictly increase
    const g = ctSeriesGeometry({ dims });
    const n = [g.direction[6], g.direction[7], g.direction[8]];
    const d = r.grouped.instances[ctSeries.seriesInstanceUid].map((i) =>
      i.imagePositionPatient!.reduce((s, v, a) => s + v * n[a], 0),
    );
    for (let k = 1; k < d.length; k++) expect(d[k] - d[k - 1]).toBeGreaterThan(1e-3);
    // every bad file is skipped with its expected kind and a non-empty reason
    for (const b of bad) {
      const s = r.report.skipped.find((x) => x.file === `junk/${b.name}`);
      expect(s?.kind, b.name).toBe(b.expectKind);
      expect(s!.reason.length).toBeGreaterThan(3);
    }
    expect(r.report.skipped.find((s) => s.file === 'ct/truncated.dcm')?.kind).toBe('truncated');
    expect(r.report.skipped.find((s) => s.file === 'ct/empty')?.kind).toBe('not-dicom');
    expect(r.grouped.instances[ctSeries.seriesInstanceUid].every((i) => i.location.kind === 'memory')).toBe(
      true,
    );
  });

  it('stops between files when cancelled and reports what it had', async () => {
    const good = await ctSeriesFiles({ dims: [8, 8, 6] });
    const ac = new AbortController();
    const r = await importFiles(
      good.map((g, i) => ({ id: `${i}`, name: g.name, file: blob(g.bytes) })),
      { useWorker: false, signal: ac.signal, onProgress: (p) => p.done === 2 && ac.abort() },
    );
    expect(r.cancelled).toBe(true);
    expect(r.report.filesSeen).toBe(2);
    expect(r.report.instancesAdded).toBe(2);
  });
});
