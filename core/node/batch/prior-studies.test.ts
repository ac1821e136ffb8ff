import { describe, expect, it } from 'vitest';
import { findPrior, type PriorCandidate } from './prior-studies';

const c = (key: string, patientId: string, studyDate: string, uid = key): PriorCandidate => ({
  key,
  paths: [key],
  patientId,
  studyDate,
  studyInstanceUid: uid,
});

describe('findPrior', () => {
  const index = [
    c('a/2022', 'A', '20220101'),
    c('a/2023', 'A', '20230101'),
    c('a/2024', 'A', '20240101'),
    c('b/2020', 'B', '20200101'),
  ];
  it('picks the newest earlier study of the same patient', () => {
    expect(findPrior(index, { patientId: 'A', studyDate: '20240101', studyInstanceUid: 'a/2024' })?.key).toBe(
      'a/2023',
    );
    expect(findPrior(index, { patientId: 'A', studyDate: '2023-06-01', studyInstanceUid: 'x' })?.key).toBe(
      'a/2023',
    );
  });
  it('gives none for the first study, another patient, the same study or missing identifiers', () => {
    expect(
      findPrior(index, { patientId: 'A', studyDate: '20220101', studyInstanceUid: 'a/2022' }),
    ).toBeUndefined();
    expect(
      findPrior(index, { patientId: 'C', studyDate: '20250101', studyInstanceUid: 'c' }),
    ).toBeUndefined();
    expect(
      findPrior([c('s', 'A', '20200101', 'same')], {
        patientId: 'A',
        studyDate: '20250101',
        studyInstanceUid: 'same',
      }),
    ).toBeUndefined();
    expect(findPrior(index, { patientId: '', studyDate: '20250101' })).toBeUndefined();
    expect(findPrior(index, { patientId: 'A' })).toBeUndefined();
  });
});
