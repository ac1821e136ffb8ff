import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeLibraryStore, syntheticSeries } from '../../common/library/library-store-conformance';
import { openIdbLibraryStore } from './idb-library-store';
import { syntheticLungCase } from '../../common/report/synthetic-results';
import { resultFromRecord, resultRecordOf } from '../../common/results/result-record';

let n = 0;
describeLibraryStore('IdbLibraryStore (fake-indexeddb)', {
  newLocation: async () => `qiview-library-test-${++n}`,
  open: (name) => openIdbLibraryStore(name),
});

describe('IdbLibraryStore specifics', () => {
  it('imports 2k instances in one transaction (timing printed)', async () => {
    const s = await openIdbLibraryStore('qiview-library-bulk');
    const parsed = syntheticSeries({
      patientId: 'P',
      studyUid: '5.1',
      seriesUid: '5.1.1',
      modality: 'CT',
      count: 2000,
    });
    const t0 = performance.now();
    const r = await s.upsertInstances(parsed);
    console.log(`idb library (fake-indexeddb): 2k-instance insert ${(performance.now() - t0).toFixed(0)} ms`);
    expect(r.instancesAdded).toBe(2000);
    expect((await s.getStudy('5.1'))?.imageCount).toBe(2000);
    await s.close();
  });
});

describe('IdbLibraryStore result attachments', () => {
  it('keeps binary attachments beside a result and drops them with it', async () => {
    const s = await openIdbLibraryStore('qiview-library-blobs');
    const rec = {
      id: 'r1',
      pluginId: 'p',
      pluginVersion: '1.0.0',
      modelVersions: {},
      inputSeriesUids: ['1.2'],
      createdAt: '2026-01-01T00:00:00.000Z',
      status: 'done' as const,
    };
    await s.putResult(rec);
    await s.putResult({ ...rec, id: 'r10' });
    const labels = new Uint8Array([0, 1, 2, 255]);
    const floats = new Uint8Array(new Float32Array([1.5, NaN, -3]).buffer);
    await s.putResultBlobs('r1', { 'labelmap/a': labels, 'map/b': floats });
    await s.putResultBlobs('r10', { 'labelmap/a': new Uint8Array([9]) });
    expect(await s.listResultBlobs('r1')).toEqual(['labelmap/a', 'map/b']);
    expect(Array.from((await s.getResultBlob('r1', 'labelmap/a'))!)).toEqual([0, 1, 2, 255]);
    const f = await s.getResultBlob('r1', 'map/b');
    expect(Array.from(new Float32Array(f!.buffer, f!.byteOffset, 3))).toEqual([1.5, NaN, -3]);
    expect(await s.getResultBlob('r1', 'missing')).toBeNull();
    expect(await s.removeResult('r1')).toBe(true);
    expect(await s.listResultBlobs('r1')).toEqual([]);
    // another result whose id starts the same keeps its attachments
    expect(await s.listResultBlobs('r10')).toEqual(['labelmap/a']);
    await s.close();
  });
  it('round-trips through the IndexedDB library store with its attachments', async () => {
    const c = syntheticLungCase();
    const s = await openIdbLibraryStore('qiview-result-record-test');
    const { record, blobs } = resultRecordOf({
      id: 'lung-1',
      status: 'done',
      provenance: c.provenance,
      result: c.result,
      studyInstanceUid: '9.9',
    });
    await s.putResult(record);
    await s.putResultBlobs(record.id, blobs);
    const [listed] = await s.listResults({ studyInstanceUid: '9.9' });
    const back = await resultFromRecord(listed!, (n) => s.getResultBlob(record.id, n));
    expect(back.result.labelmaps.map((l) => Array.from(l.data))).toEqual(
      c.result.labelmaps.map((l) => Array.from(l.data)),
    );
    expect(back.result.measurements.map((m) => m.value)).toEqual(c.result.measurements.map((m) => m.value));
    await s.close();
  });
});
