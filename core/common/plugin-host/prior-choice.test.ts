import { describe, expect, it } from 'vitest';
import { findPrior, studyDateDigits, type PriorStudyKey } from './prior-choice';

const c = (key: string, patientId: string, studyDate: string, uid = key): PriorStudyKey => ({
  key,
  patientId,
  studyDate,
  studyInstanceUid: uid,
});

describe('findPrior (shared by batch --priors and the plugin panel)', () => {
  const index = [
    c('a2022', 'A', '20220101'),
    c('a2023', 'A', '20230101'),
    c('a2024', 'A', '20240101'),
    c('a2025', 'A', '20250101'),
    c('b2020', 'B', '20200101'),
  ];
  it('picks the newest earlier study of the same patient', () => {
    expect(findPrior(index, { patientId: 'A', studyDate: '20240101', studyInstanceUid: 'a2024' })?.key).toBe(
      'a2023',
    );
    expect(findPrior(index, { patientId: ' A ', studyDate: '2023-06-01', studyInstanceUid: 'x' })?.key).toBe(
      'a2023',
    );
  });
  it('refuses the same study, same-day and later studies, and other patients', () => {
    // only the study itself and later ones exist for A at 2022
    expect(
      findPrior(index, { patientId: 'A', studyDate: '20220101', studyInstanceUid: 'a2022' }),
    ).toBeUndefined();
    // a second study on the same day is not earlier
    expect(
      findPrior([c('s1', 'A', '20240101'), c('s2', 'A', '20240101')], {
        patientId: 'A',
        studyDate: '20240101',
        studyInstanceUid: 's2',
      }),
    ).toBeUndefined();
    // an earlier StudyDate with the same StudyInstanceUID is still the same study
    expect(
      findPrior([c('k', 'A', '20200101', 'same')], {
        patientId: 'A',
        studyDate: '20240101',
        studyInstanceUid: 'same',
      }),
    ).toBeUndefined();
    expect(findPrior(index, { patientId: 'C', studyDate: '20300101' })).toBeUndefined();
    expect(
      findPrior(index, { patientId: 'B', studyDate: '20200101', studyInstanceUid: 'b2020' }),
    ).toBeUndefined();
  });
  it('gives none without PatientID or a date, and skips candidates without a date', () => {
    expect(findPrior(index, { patientId: '', studyDate: '20240101' })).toBeUndefined();
    expect(findPrior(index, { patientId: 'A', studyDate: '' })).toBeUndefined();
    expect(findPrior([c('x', 'A', '')], { patientId: 'A', studyDate: '20240101' })).toBeUndefined();
  });
  it('breaks same-day ties by the last key', () => {
    const two = [c('p1', 'A', '20230101'), c('p2', 'A', '20230101')];
    expect(findPrior(two, { patientId: 'A', studyDate: '20240101' })?.key).toBe('p2');
  });
  it('reads DA values with separators', () => {
    expect(studyDateDigits('2024.01.02')).toBe('20240102');
    expect(studyDateDigits('2024')).toBe('');
  });
});
