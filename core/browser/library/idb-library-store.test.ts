import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeLibraryStore, syntheticSeries } from '../../common/library/library-store-conformance';
import { openIdbLibraryStore } from './idb-library-store';

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
