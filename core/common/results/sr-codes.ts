/**
 * Coded concepts used in Qiview's TID 1500 Measurement Reports. Values from DICOM PS3.16 (DCM codes from the
 * DICOM Controlled Terminology, Annex D; SCT codes from the templates that use them: TID 1500, 1410/1411, 1419,
 * 1002/1004, 4019).
 *
 * @packageDocumentation
 */
import type { CodedConcept } from '@qiview/sdk';

const dcm = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'DCM', meaning });

/** Codes by role. */
export const SR_CODES = {
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  languageOfContent: dcm('121049', 'Language of Content Item and Descendants'),
  english: { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' } as CodedConcept,
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  deviceObserverUid: dcm('121012', 'Device Observer UID'),
  deviceObserverName: dcm('121013', 'Device Observer Name'),
  deviceObserverManufacturer: dcm('121014', 'Device Observer Manufacturer'),
  deviceObserverModelName: dcm('121015', 'Device Observer Model Name'),
  procedureReported: dcm('121058', 'Procedure reported'),
  imagingProcedure: { value: '363679005', scheme: 'SCT', meaning: 'Imaging procedure' } as CodedConcept,
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUid: dcm('112040', 'Tracking Unique Identifier'),
  finding: dcm('121071', 'Finding'),
  findingSite: { value: '363698007', scheme: 'SCT', meaning: 'Finding Site' } as CodedConcept,
  referencedSegment: dcm('121191', 'Referenced Segment'),
  sourceSeriesForSegmentation: dcm('121232', 'Source series for segmentation'),
  derivation: dcm('121401', 'Derivation'),
  algorithmName: dcm('111001', 'Algorithm Name'),
  algorithmVersion: dcm('111003', 'Algorithm Version'),
  algorithmParameters: dcm('111002', 'Algorithm Parameters'),
  notANumber: dcm('114000', 'Not a number'),
  negativeInfinity: dcm('114001', 'Negative Infinity'),
  positiveInfinity: dcm('114002', 'Positive Infinity'),
  anatomicalStructure: { value: '91723000', scheme: 'SCT', meaning: 'Anatomical Structure' } as CodedConcept,
  /** Qiview private codes (coding scheme 99QIVIEW). */
  measurementKey: {
    value: 'measurement-key',
    scheme: '99QIVIEW',
    meaning: 'Measurement key',
  } as CodedConcept,
  measurementName: {
    value: 'measurement-name',
    scheme: '99QIVIEW',
    meaning: 'Measurement name',
  } as CodedConcept,
  region: { value: 'region', scheme: '99QIVIEW', meaning: 'Region (labelmap:label)' } as CodedConcept,
  unitOfMissingValue: {
    value: 'unit',
    scheme: '99QIVIEW',
    meaning: 'Unit (value not a number)',
  } as CodedConcept,
  uncertainty: {
    value: 'uncertainty-1sd',
    scheme: '99QIVIEW',
    meaning: 'Uncertainty (1 SD)',
  } as CodedConcept,
  globalGroup: { value: 'global', scheme: '99QIVIEW', meaning: 'Whole-study measurements' } as CodedConcept,
} as const;

/** Private scheme designator of Qiview codes. */
export const QIVIEW_SCHEME = '99QIVIEW';
