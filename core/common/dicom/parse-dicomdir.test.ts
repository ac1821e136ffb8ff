import { describe, expect, it } from 'vitest';
import { isDicomdirName, parseDicomdir } from './parse-dicomdir';
import { ctDicomdir } from '../../../tests/phantoms/ct-dicomdir';
import { ctSeriesFiles } from '../../../tests/phantoms/ct-series';

describe('parseDicomdir', () => {
  it('lists referenced files as relative paths, skipping records without files and traversal', () => {
    const e = parseDicomdir(ctDicomdir(['DICOM/S1/IM1', 'DICOM/S1/IM2', '../evil', 'DICOM/S1/IM1']));
    expect(e.map((x) => x.path)).toEqual(['DICOM/S1/IM1', 'DICOM/S1/IM2']);
    expect(e[0].recordType).toBe('IMAGE');
    expect(e[1].sopInstanceUid).toBe('1.2.3.2');
  });
  it('refuses an image file as DICOMDIR', async () => {
    const [f] = await ctSeriesFiles({ dims: [4, 4, 1] });
    expect(() => parseDicomdir(f.bytes)).toThrow(/not a DICOMDIR/);
  });
  it('recognises the name', () => {
    expect(isDicomdirName('/media/cd/DICOMDIR')).toBe(true);
    expect(isDicomdirName('dicomdir')).toBe(true);
    expect(isDicomdirName('DICOMDIR.txt')).toBe(false);
  });
});
