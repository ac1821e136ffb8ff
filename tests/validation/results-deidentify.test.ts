import { describe, expect, it } from 'vitest';
import { readDataset, writeDataset } from '../../core/common/results/dcmjs';
import { deidentifyDataset, deidentifyFile } from '../../core/common/deidentify/deidentify';
import { createUidRemapper } from '../../core/common/deidentify/uid-remapper';
import { BASIC_PROFILE, resolveAction } from '../../core/common/deidentify/basic-profile';
import { writeSeg } from '../../core/common/results/write-seg';
import { readSeg } from '../../core/common/results/read-seg';
import { writeSr } from '../../core/common/results/write-sr';
import { readSr } from '../../core/common/results/read-sr';
import {
  phantomInstances,
  phantomLabelmap,
  phantomMeasurements,
  phantomSource,
  PHANTOM_SERIES_UID,
  PHANTOM_STUDY_UID,
} from './results-phantom';

const IMAGE_UID = phantomInstances(9)[0].sopInstanceUid;

/** A CT image with identifying attributes of every action class and a private tag. */
function ctImage(): Uint8Array {
  const px = new Int16Array([1, -2, 300, -1024]);
  return writeDataset({
    ...phantomSource(),
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    SOPInstanceUID: IMAGE_UID,
    PatientAddress: '1 Hospital Road',
    OtherPatientIDs: 'OLD-7',
    PatientAge: '056Y',
    StudyDescription: 'CT abdomen for Mr Doe',
    InstitutionName: 'General Hospital',
    ContentDate: '20260101',
    SeriesDate: '20260101',
    DeviceSerialNumber: 'SN-12345',
    SecondaryReviewerName: 'Reviewer^Rita',
    Modality: 'CT',
    Rows: 2,
    Columns: 2,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    ReferencedStudySequence: [
      { ReferencedSOPClassUID: '1.2.840.10008.3.1.2.3.1', ReferencedSOPInstanceUID: '1.2.3.999' },
    ],
    '00090010': 'ACME PRIVATE',
    '00091001': 'secret-serial',
    _vrMap: { PixelData: 'OW', '00090010': 'LO', '00091001': 'LO' },
    PixelData: [px.buffer],
  });
}

describe('PS3.15 Basic Application Level Confidentiality Profile', () => {
  it('applies each action class: X, Z, D, U, K, private removal, PN hardening', () => {
    const original = readDataset(ctImage());
    expect(original['00091001']).toBeDefined(); // the private tag really is in the input
    const uids = createUidRemapper();
    const { bytes, report } = deidentifyFile(ctImage(), { uids, pseudonym: 'SUBJ-001' });
    const ds = readDataset(bytes);
    // X: removed
    for (const k of ['PatientAddress', 'OtherPatientIDs', 'PatientAge', 'StudyDescription'])
      expect(ds[k], k).toBeUndefined();
    // X/D → D for SeriesDate; X/Z/D → D for InstitutionName / DeviceSerialNumber; Z/D → D for ContentDate
    expect(ds.SeriesDate).toBe('19000101');
    expect(ds.ContentDate).toBe('19000101');
    expect(ds.InstitutionName).toBe('ANONYMIZED');
    expect(ds.DeviceSerialNumber).toBe('ANONYMIZED');
    // Z: present, empty (pseudonym replaces name/ID)
    expect(ds.StudyDate ?? '').toBe('');
    expect(ds.AccessionNumber ?? '').toBe('');
    expect(ds.PatientBirthDate ?? '').toBe('');
    expect(JSON.stringify(ds.PatientName)).toContain('SUBJ-001');
    expect(ds.PatientID).toBe('SUBJ-001');
    // PN not in the table: zeroed
    expect(JSON.stringify(ds.SecondaryReviewerName ?? '')).not.toContain('Rita');
    // U: remapped, consistent, valid 2.25 UIDs; nested references too
    expect(ds.StudyInstanceUID).toBe(uids.remap(PHANTOM_STUDY_UID));
    expect(ds.SeriesInstanceUID).toBe(uids.remap(PHANTOM_SERIES_UID));
    expect(ds.SOPInstanceUID).toBe(uids.remap(IMAGE_UID));
    expect(ds.SOPInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(ds._meta.MediaStorageSOPInstanceUID).toBe(ds.SOPInstanceUID);
    expect(ds.ReferencedStudySequence).toEqual([]); // X/Z → Z
    // K: kept, pixel data byte-identical, SOP class untouched
    expect(ds.Modality).toBe('CT');
    expect(ds.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(Array.from(new Int16Array(ds.PixelData[0]))).toEqual([1, -2, 300, -1024]);
    // private: removed
    expect(ds['00091001']).toBeUndefined();
    expect(report.privateRemoved).toBeGreaterThanOrEqual(2);
    // markers
    expect(ds.PatientIdentityRemoved).toBe('YES');
    expect(ds.DeidentificationMethod).toMatch(/PS3\.15/);
    expect(ds.DeidentificationMethodCodeSequence[0].CodeValue).toBe('113100');
    expect(ds.LongitudinalTemporalInformationModified).toBe('REMOVED');
    // nothing identifying survives anywhere in the file bytes
    const text = new TextDecoder('latin1').decode(bytes);
    for (const s of [
      'Phantom^Results',
      'PH-001',
      'Hospital',
      'SN-12345',
      'secret-serial',
      'Rita',
      PHANTOM_STUDY_UID,
      IMAGE_UID,
    ]) {
      expect(text.includes(s), s).toBe(false);
    }
  });

  it("keeps references between a run's objects valid (SEG → image, same study/series map)", () => {
    const uids = createUidRemapper();
    const image = readDataset(deidentifyFile(ctImage(), { uids }).bytes);
    const lm = phantomLabelmap();
    const seg = writeSeg(lm, phantomSource(), { referencedInstances: phantomInstances(9) });
    const deSeg = deidentifyFile(seg, { uids }).bytes;
    const ds = readDataset(deSeg);
    expect(ds.StudyInstanceUID).toBe(image.StudyInstanceUID);
    const refs = ds.ReferencedSeriesSequence[0];
    expect(refs.SeriesInstanceUID).toBe(image.SeriesInstanceUID);
    expect(refs.ReferencedInstanceSequence.map((r: any) => r.ReferencedSOPInstanceUID)).toContain(
      image.SOPInstanceUID,
    );
    // the de-identified SEG still reads back voxel-for-voxel
    const back = readSeg(deSeg, lm.geometry);
    let diff = 0;
    for (let i = 0; i < lm.data.length; i++) if (back.data[i] !== lm.data[i]) diff++;
    expect(diff).toBe(0);
  });

  it('removes SR content by default and keeps it (cleaned) with the Clean Structured Content option', () => {
    const sr = writeSr(phantomMeasurements(), phantomSource());
    const basic = readDataset(deidentifyFile(sr).bytes);
    expect(basic.ContentSequence).toBeUndefined();
    const cleaned = deidentifyFile(sr, { cleanStructuredContent: true, retainFullDates: true });
    const ds = readDataset(cleaned.bytes);
    expect(ds.DeidentificationMethodCodeSequence.map((c: any) => c.CodeValue)).toEqual([
      '113100',
      '113104',
      '113106',
    ]);
    expect(ds.StudyDate).toBe('20260101');
    const r = readSr(cleaned.bytes);
    expect(r.measurements.length).toBe(phantomMeasurements().length);
    expect(r.measurements.find((m) => m.key === 'box_bmd')!.value).toBe(123456789.12345679);
  });

  it('resolves combined actions and refuses compressed or non-DICOM input clearly', () => {
    expect(resolveAction(BASIC_PROFILE.ContentDate)).toBe('D');
    expect(resolveAction(BASIC_PROFILE.AcquisitionDate)).toBe('Z');
    expect(resolveAction(BASIC_PROFILE.ReferencedImageSequence)).toBe('U');
    expect(() => deidentifyFile(new Uint8Array([0, 1, 2]))).toThrow(/DICOM/);
    const ds = readDataset(ctImage());
    const r = deidentifyDataset(ds);
    expect(r.removed).toContain('PatientAddress');
    expect(r.zeroed).toContain('PatientName');
    expect(r.dummied).toContain('InstitutionName');
    expect(r.uidsReplaced).toBeGreaterThanOrEqual(4);
  });
});
