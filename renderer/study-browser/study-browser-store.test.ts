import { describe, expect, it } from 'vitest';
import { groupInstances } from '@qiview/core/common/dicom/group-instances';
import { parseInstance } from '@qiview/core/common/dicom/parse-instance';
import { ctSeriesFiles } from '../../tests/phantoms/ct-series';
import { EMPTY_LIBRARY, mergeLibrary, removeStudyFrom, studyMatches } from './study-browser-store';

async function study(studyUid: string, n: number) {
  const files = await ctSeriesFiles({ dims: [8, 8, n], studyUid });
  return groupInstances(
    files.map((f, i) => parseInstance(f.bytes, { kind: 'memory', id: `${studyUid}-${i}` })),
  );
}

describe('study browser library', () => {
  it('merges imports, removes a study without touching the other, searches', async () => {
    const a = await study('1.2.826.0.1.3680043.10.9.1', 4);
    const b = await study('1.2.826.0.1.3680043.10.9.2', 3);
    let lib = mergeLibrary(mergeLibrary(EMPTY_LIBRARY, a), b);
    lib = mergeLibrary(lib, a); // importing the same files again adds nothing
    expect(lib.studies).toHaveLength(2);
    expect(lib.series).toHaveLength(2);
    expect(
      Object.values(lib.instances)
        .map((l) => l.length)
        .sort(),
    ).toEqual([3, 4]);
    lib = removeStudyFrom(lib, '1.2.826.0.1.3680043.10.9.1');
    expect(lib.studies.map((s) => s.studyInstanceUid)).toEqual(['1.2.826.0.1.3680043.10.9.2']);
    expect(Object.keys(lib.instances)).toHaveLength(1);
    const s = lib.studies[0];
    const p = lib.patients.find((x) => x.patientId === s.patientId);
    expect(studyMatches(s, p, '')).toBe(true);
    expect(studyMatches(s, p, 'ct')).toBe(true);
    expect(studyMatches(s, p, 'no-such-patient-xyz')).toBe(false);
  });
});

describe('Electron import errors', () => {
  it('keeps the kind the main process reports as a prefix', async () => {
    const { kindOf } = await import('./electron-import');
    expect(kindOf('truncated: file ends inside Pixel Data')).toEqual({
      kind: 'truncated',
      reason: 'file ends inside Pixel Data',
    });
    expect(kindOf('missing-tags: no Rows')).toEqual({ kind: 'missing-tags', reason: 'no Rows' });
    expect(kindOf('odd: thing')).toEqual({ kind: 'corrupt', reason: 'odd: thing' });
    expect(kindOf('plain reason')).toEqual({ kind: 'corrupt', reason: 'plain reason' });
  });
});
