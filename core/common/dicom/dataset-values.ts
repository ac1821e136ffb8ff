/**
 * Typed accessors on dicom-parser data sets (trimmed strings, DS/IS numbers, functional groups of enhanced
 * multi-frame objects). Tags are dicom-parser keys ('x00200032').
 *
 * @packageDocumentation
 */
import type { DataSet } from './open-dataset';

/** Trimmed string value (NULs removed), or undefined when absent or empty. */
export function str(ds: DataSet | undefined, tag: string): string | undefined {
  if (!ds?.elements[tag]) return undefined;
  const v = ds.string(tag)?.replace(/\0/g, '').trim();
  return v ? v : undefined;
}

/** All values of a multi-valued string attribute (DS/IS as numbers via {@link nums}). */
export function strs(ds: DataSet | undefined, tag: string): string[] | undefined {
  const v = str(ds, tag);
  return v === undefined ? undefined : v.split('\\').map((s) => s.trim());
}

/** Numbers of a DS/IS attribute; undefined when absent or any value is not a number. */
export function nums(ds: DataSet | undefined, tag: string): number[] | undefined {
  const s = strs(ds, tag);
  if (!s) return undefined;
  const n = s.map(Number);
  return n.every((x, i) => s[i] !== '' && Number.isFinite(x)) ? n : undefined;
}

/** First number of a DS/IS attribute. */
export function num(ds: DataSet | undefined, tag: string): number | undefined {
  return nums(ds, tag)?.[0];
}

/** A US attribute (binary 16-bit), or undefined. */
export function us(ds: DataSet | undefined, tag: string): number | undefined {
  const el = ds?.elements[tag];
  if (!ds || !el || el.length < 2) return undefined;
  return ds.uint16(tag);
}

/** First item data set of a sequence attribute. */
export function firstItem(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}

/** Number of items in the PerFrameFunctionalGroupsSequence (0 when absent). */
export function perFrameCount(ds: DataSet): number {
  return ds.elements.x52009230?.items?.length ?? 0;
}

/**
 * The item of functional group macro `groupTag` (e.g. PlanePositionSequence 'x00209113') that applies to `frame` of an
 * enhanced multi-frame object: the per-frame one when present, else the shared one.
 */
export function functionalGroup(ds: DataSet, frame: number, groupTag: string): DataSet | undefined {
  const perFrame = ds.elements.x52009230?.items?.[frame]?.dataSet;
  const own = firstItem(perFrame, groupTag);
  if (own) return own;
  return firstItem(firstItem(ds, 'x52009229'), groupTag);
}

/** Tags used across the reader. */
export const T = {
  sopClassUid: 'x00080016',
  sopInstanceUid: 'x00080018',
  studyDate: 'x00080020',
  studyTime: 'x00080030',
  accessionNumber: 'x00080050',
  modality: 'x00080060',
  imageType: 'x00080008',
  manufacturer: 'x00080070',
  studyDescription: 'x00081030',
  seriesDescription: 'x0008103e',
  patientName: 'x00100010',
  patientId: 'x00100020',
  patientBirthDate: 'x00100030',
  patientSex: 'x00100040',
  bodyPartExamined: 'x00180015',
  sliceThickness: 'x00180050',
  studyInstanceUid: 'x0020000d',
  seriesInstanceUid: 'x0020000e',
  seriesNumber: 'x00200011',
  acquisitionNumber: 'x00200012',
  instanceNumber: 'x00200013',
  imagePositionPatient: 'x00200032',
  imageOrientationPatient: 'x00200037',
  temporalPositionIdentifier: 'x00200100',
  samplesPerPixel: 'x00280002',
  photometricInterpretation: 'x00280004',
  planarConfiguration: 'x00280006',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  pixelSpacing: 'x00280030',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  highBit: 'x00280102',
  pixelRepresentation: 'x00280103',
  rescaleIntercept: 'x00281052',
  segmentationType: 'x00620001',
  rescaleSlope: 'x00281053',
  rescaleType: 'x00281054',
  pixelData: 'x7fe00010',
  floatPixelData: 'x7fe00008',
  doubleFloatPixelData: 'x7fe00009',
  planePositionSeq: 'x00209113',
  planeOrientationSeq: 'x00209116',
  pixelMeasuresSeq: 'x00289110',
  pixelValueTransformSeq: 'x00289145',
  frameContentSeq: 'x00209111',
  temporalPositionIndex: 'x00209128',
} as const;
