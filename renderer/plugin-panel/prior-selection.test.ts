/**
 * The plugin panel's prior choice for follow-up plugins (lung fibrosis, role `prior`): from the study browser's
 * library, the newest earlier study of the same PatientID; the same study, same-day and later studies and other
 * patients are refused, as `qiview batch --priors` does.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { groupInstances } from '@qiview/core/common/dicom/group-instances';
import { parseInstance } from '@qiview/core/common/dicom/parse-instance';
import type { ManifestInput } from '@qiview/sdk';
import { ctSeriesFiles } from '../../tests/phantoms/ct-series';
import { EMPTY_LIBRARY, mergeLibrary, useStudyBrowser } from '../study-browser/study-browser-store';
import { librarySeries, priorFor } from './series-inputs';

const PRIOR: ManifestInput = {
  role: 'prior',
  required: false,
  rules: [{ attribute: 'Modality', equals: ['CT'] }],
  minSlices: 10,
};
const uid = (n: number) => `1.2.826.0.1.3680043.10.77.${n}`;

async function ctStudy(n: number, patientId: string, studyDate: string, slices = 12, seriesN = n) {
  const files = await ctSeriesFiles({
    dims: [8, 8, slices],
    studyUid: uid(n),
    seriesUid: uid(1000 + seriesN),
    sopUidPrefix: `${uid(2000 + seriesN)}.`,
    patientId,
    studyDate,
  });
  return groupInstances(
    files.map((f, i) => parseInstance(f.bytes, { kind: 'memory', id: `${n}-${seriesN}-${i}` })),
  );
}

describe('plugin panel prior (role prior) from the library', () => {
  beforeEach(async () => {
    let lib = EMPTY_LIBRARY;
    for (const s of [
      await ctStudy(1, 'P1', '20220110'),
      await ctStudy(2, 'P1', '20230315'),
      await ctStudy(3, 'P1', '20240101'), // current
      await ctStudy(4, 'P1', '20240101', 12, 40), // same day, another study
      await ctStudy(5, 'P1', '20250101'), // later
      await ctStudy(6, 'P2', '20231201'), // another patient
      await ctStudy(7, 'P1', '20231120', 4), // earlier but too few slices for the input
    ])
      lib = mergeLibrary(lib, s);
    // a second series in the current study must never be the prior
    lib = mergeLibrary(lib, await ctStudy(3, 'P1', '20240101', 12, 30));
    useStudyBrowser.getState().set({ library: lib });
  });

  it('chooses the newest earlier study of the same patient that has a fitting series', () => {
    const current = librarySeries(uid(1003))!;
    expect(current.patientId).toBe('P1');
    const p = priorFor(current, PRIOR);
    // 20231120 (study 7) is newer but its series has 4 slices: the input refuses it, no older study is tried
    expect(p).toMatchObject({ ok: false });
    expect(!p.ok && p.reason).toMatch(/earlier study 20231120: .*4 slice\(s\), needs at least 10/);
  });

  it('takes study 2 once the unfit newer study is gone; same study, same day and later studies are refused', () => {
    const st = useStudyBrowser.getState();
    st.set({
      library: {
        ...st.library,
        studies: st.library.studies.filter((s) => s.studyInstanceUid !== uid(7)),
        series: st.library.series.filter((s) => s.studyInstanceUid !== uid(7)),
      },
    });
    const p = priorFor(librarySeries(uid(1003))!, PRIOR);
    expect(p.ok && p.series.studyInstanceUid).toBe(uid(2));
    expect(p.ok && p.studyDate).toBe('20230315');
    // from the later study 5 the prior is the newest earlier one: study 3 or 4 (same day: the last key)
    const fromLater = priorFor(librarySeries(uid(1005))!, PRIOR);
    expect(fromLater.ok && fromLater.series.studyInstanceUid).toBe(uid(4));
    // the first study has no prior (its patient's other studies are all later)
    const first = priorFor(librarySeries(uid(1001))!, PRIOR);
    expect(first).toEqual({ ok: false, reason: 'no earlier study of this patient in the library' });
    // patient P2 has only one study
    expect(priorFor(librarySeries(uid(1006))!, PRIOR).ok).toBe(false);
  });

  it('needs PatientID and StudyDate', () => {
    const current = { ...librarySeries(uid(1003))!, patientId: '' };
    const st = useStudyBrowser.getState();
    st.set({ library: { ...st.library, studies: st.library.studies.map((s) => ({ ...s, patientId: '' })) } });
    expect(priorFor(current, PRIOR)).toEqual({
      ok: false,
      reason: 'the current study has no PatientID or StudyDate to find a prior by',
    });
  });
});
