import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '@qiview/sdk';
import { syntheticAslCase, syntheticLungCase } from '../report/synthetic-results';
import { isStoredRun, resultFromRecord, resultRecordOf, RESULT_RECORD_FORMAT } from './result-record';
import { parseResultJson, writeResultJson } from './result-json';
import { resultFromFiles } from './read-result-file';

function voxelSum(r: AnalysisResult): { labels: number[]; mapSum: number; nan: number } {
  const labels = r.labelmaps.map((l) => l.data.reduce((a, b) => a + (b ? 1 : 0), 0));
  let mapSum = 0,
    nan = 0;
  for (const m of r.maps)
    for (const v of Array.from(m.volume.data)) {
      if (Number.isNaN(v)) nan++;
      else mapSum += v;
    }
  return { labels, mapSum, nan };
}

describe('result record mapping', () => {
  it('maps a run to a record (provenance fields) and back with identical voxels and values', async () => {
    const c = syntheticAslCase();
    // a non-finite measurement and a NaN voxel must survive JSON
    c.result.measurements.push({ key: 'nan_case', name: 'NaN case', value: NaN, unit: '1' });
    c.result.maps[0]!.volume.data[0] = NaN;
    c.provenance.models = [{ id: 'unet', sha256: 'ab'.repeat(32), version: '2.1', file: 'm.onnx' }];
    c.provenance.parameters = { pld: 1.8 };
    const { record, blobs } = resultRecordOf({
      id: 'result-1',
      status: 'done',
      provenance: c.provenance,
      result: c.result,
      studyInstanceUid: '1.2.3',
      overlaySeriesUid: Object.values(c.provenance.inputSeries)[0],
      durationMs: 1234,
      existingPayload: { signedReports: [{ version: 1 }] },
    });
    expect(record).toMatchObject({
      id: 'result-1',
      pluginId: c.provenance.pluginId,
      pluginVersion: c.provenance.pluginVersion,
      modelVersions: { unet: `sha256:${'ab'.repeat(32)}` },
      inputSeriesUids: [...new Set(Object.values(c.provenance.inputSeries))],
      studyInstanceUid: '1.2.3',
      createdAt: c.provenance.timestamp,
      status: 'done',
    });
    const payload = record.payload as Record<string, unknown>;
    expect(payload.format).toBe(RESULT_RECORD_FORMAT);
    expect(payload.signedReports).toEqual([{ version: 1 }]); // another writer's payload is kept
    const blobBytes = Object.values(blobs).reduce((n, b) => n + b.byteLength, 0);
    const expectedBytes =
      c.result.labelmaps.reduce((n, l) => n + l.data.length, 0) +
      c.result.maps.reduce((n, m) => n + m.volume.data.length * 4, 0);
    expect(blobBytes).toBe(expectedBytes);

    // through JSON (what the IndexedDB and SQLite stores do with records)
    const stored = JSON.parse(JSON.stringify(record));
    expect(isStoredRun(stored)).toBe(true);
    const back = await resultFromRecord(stored, async (n) => blobs[n] ?? null);
    expect(back.provenance).toEqual(c.provenance);
    expect(back.durationMs).toBe(1234);
    expect(back.result.measurements).toEqual(c.result.measurements);
    expect(back.result.findings).toEqual(c.result.findings);
    expect(back.result.qc).toEqual(c.result.qc);
    expect(back.result.parameters).toEqual(c.result.parameters);
    expect(back.result.plots).toEqual(c.result.plots);
    for (const [i, l] of c.result.labelmaps.entries()) {
      expect(back.result.labelmaps[i]!.segments).toEqual(l.segments);
      expect(back.result.labelmaps[i]!.geometry).toEqual(l.geometry);
      expect(back.result.labelmaps[i]!.data).toEqual(l.data);
    }
    for (const [i, m] of c.result.maps.entries()) {
      const b = back.result.maps[i]!;
      expect(b.volume.geometry).toEqual(m.volume.geometry);
      expect(b.volume.unit).toBe(m.volume.unit);
      expect(b.display).toEqual(m.display);
      expect(Array.from(b.volume.data)).toEqual(Array.from(m.volume.data));
    }
    const a = voxelSum(c.result),
      z = voxelSum(back.result);
    expect(z).toEqual(a);
    expect(a.nan).toBe(1);
    console.log(
      `result record: ${Object.keys(blobs).length} attachments, ${blobBytes} bytes, payload ${JSON.stringify(record.payload).length} chars; labelled voxels ${a.labels.join('/')}`,
    );
  });

  it('keeps the registrations (SDK 0.1.1) through store → reopen and result JSON → reopen', async () => {
    const c = syntheticLungCase();
    const turn = (3 * Math.PI) / 180;
    c.result.registrations = [
      {
        fixedRole: 'ct',
        movingRole: 'prior',
        // an exact fraction and irrational entries: JSON must give them back bit for bit
        matrix: [
          Math.cos(turn),
          -Math.sin(turn),
          0,
          6.125,
          Math.sin(turn),
          Math.cos(turn),
          0,
          -4,
          0,
          0,
          1,
          30,
        ],
        method: 'elastix rigid (itk-wasm)',
      },
    ];
    const { record, blobs } = resultRecordOf({
      id: 'lung-1',
      status: 'done',
      provenance: c.provenance,
      result: c.result,
    });
    const back = await resultFromRecord(JSON.parse(JSON.stringify(record)), async (n) => blobs[n] ?? null);
    expect(back.result.registrations).toEqual(c.result.registrations);
    const file = parseResultJson(writeResultJson(c.result, c.provenance));
    expect(file.result.registrations).toEqual(c.result.registrations);
    expect(resultFromFiles([{ kind: 'json', name: 'result.json', document: file }]).registrations).toEqual(
      c.result.registrations,
    );
  });

  it('stores failed runs with their reason and refuses to reopen them', async () => {
    const c = syntheticLungCase();
    const { record, blobs } = resultRecordOf({
      id: 'failed-1',
      status: 'failed',
      provenance: c.provenance,
      error: 'timeout: plugin ran past 600 s',
    });
    expect(record.status).toBe('failed');
    expect(record.error).toBe('timeout: plugin ran past 600 s');
    expect(blobs).toEqual({});
    expect(isStoredRun(record)).toBe(false);
    await expect(resultFromRecord(record, async () => null)).rejects.toThrow(/status "failed": timeout/);
  });

  it('reports missing or truncated voxel attachments clearly', async () => {
    const c = syntheticAslCase();
    const { record, blobs } = resultRecordOf({
      id: 'r',
      status: 'done',
      provenance: c.provenance,
      result: c.result,
    });
    await expect(resultFromRecord(record, async () => null)).rejects.toThrow(/missing from the library/);
    await expect(
      resultFromRecord(record, async (n) => (blobs[n] ? blobs[n]!.subarray(1) : null)),
    ).rejects.toThrow(/bytes, \d+ expected/);
    expect(() => resultRecordOf({ id: 'x', status: 'done', provenance: c.provenance })).toThrow(
      /needs its result/,
    );
  });
});
