import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { sampleLibrary, syntheticSeries } from '../../core/common/library/library-store-conformance';
import { openIdbLibraryStore } from '../../core/browser/library/idb-library-store';
import { loadLibrary, saveLibrary, toParsedInstances, WEB_LIBRARY_DB } from './persist-library';
import { removeStudyFrom, type LibraryContents } from './study-browser-store';

const contentsOf = (g: ReturnType<typeof groupInstances>): LibraryContents => ({
  patients: g.patients,
  studies: g.studies,
  series: g.series,
  instances: g.instances,
});
const sorted = (lib: LibraryContents) => ({
  patients: [...lib.patients].sort((a, b) => a.patientId.localeCompare(b.patientId)),
  studies: [...lib.studies].sort((a, b) => a.studyInstanceUid.localeCompare(b.studyInstanceUid)),
  series: [...lib.series].sort((a, b) => a.seriesInstanceUid.localeCompare(b.seriesInstanceUid)),
  instances: lib.instances,
});

describe('study browser persistence over the shared IndexedDB library store', () => {
  it('round-trips the records (geometric order, warnings), survives a reopen, and forgets removed studies', async () => {
    const lib = contentsOf(groupInstances(sampleLibrary()));
    // one series with a grouping warning (no geometry)
    const noGeo = syntheticSeries({
      patientId: 'P9',
      studyUid: '9.1',
      seriesUid: '9.1.1',
      modality: 'MR',
      count: 3,
    });
    for (const p of noGeo) delete p.instance.imagePositionPatient;
    const withWarn = contentsOf(groupInstances([...sampleLibrary(), ...noGeo]));
    expect(withWarn.series.find((s) => s.seriesInstanceUid === '9.1.1')?.warnings.length).toBeGreaterThan(0);
    expect(toParsedInstances(lib)).toHaveLength(sampleLibrary().length);

    expect(await saveLibrary(withWarn)).toBe(true);
    const loaded = await loadLibrary();
    expect(loaded).toBeDefined();
    expect(sorted(loaded!)).toEqual(sorted(withWarn));
    // instances keep the geometric order of the grouping (not instance-number order)
    for (const s of withWarn.series)
      expect(loaded!.instances[s.seriesInstanceUid].map((i) => i.sopInstanceUid)).toEqual(
        withWarn.instances[s.seriesInstanceUid].map((i) => i.sopInstanceUid),
      );

    // a fresh connection to the same database (a reload) sees the same records
    const again = await openIdbLibraryStore(WEB_LIBRARY_DB);
    expect((await again.counts()).instances).toBe(sampleLibrary().length + 3);

    // removing a study and saving drops its records only
    const removed = removeStudyFrom(withWarn, '9.1');
    await saveLibrary(removed);
    expect((await again.counts()).instances).toBe(sampleLibrary().length);
    expect(sorted((await loadLibrary(again))!)).toEqual(sorted(removed));
    await again.close();

    // saving an empty library empties the store; loading then gives undefined
    await saveLibrary({ patients: [], studies: [], series: [], instances: {} });
    expect(await loadLibrary()).toBeUndefined();
  });
});
