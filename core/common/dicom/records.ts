/**
 * Plain records describing what was found in DICOM/NIfTI files: one per instance, grouped into series, studies and
 * patients. These are what the library stores and the study browser lists; pixel data is not part of them.
 * All are JSON-serialisable (they cross worker, IPC and database boundaries).
 *
 * @packageDocumentation
 */

/** Where an instance's bytes live. */
export type InstanceLocation =
  | { kind: 'file'; path: string; offset?: number; length?: number }
  | { kind: 'dicomweb'; serverId: string; studyUid: string; seriesUid: string; sopInstanceUid: string }
  /** A browser File kept in memory for this session (web mode), by an id the caller chose. */
  | { kind: 'memory'; id: string };

/** One DICOM instance (or one NIfTI file, with synthetic UIDs). */
export interface InstanceRecord {
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  transferSyntaxUid: string;
  instanceNumber?: number;
  /** Number of frames (enhanced multi-frame / NIfTI: > 1). */
  numberOfFrames: number;
  rows: number;
  columns: number;
  /** ImagePositionPatient of the first frame, when present. */
  imagePositionPatient?: [number, number, number];
  /** ImageOrientationPatient, when present. */
  imageOrientationPatient?: [number, number, number, number, number, number];
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  location: InstanceLocation;
  /** File format: DICOM part 10, or NIfTI-1/2. */
  format: 'dicom' | 'nifti';
  /** AcquisitionNumber (0020,0012): orders frames of a 4D series. */
  acquisitionNumber?: number;
  /** TemporalPositionIdentifier (0020,0100): orders frames of a 4D series. */
  temporalPositionIdentifier?: number;
  /** NIfTI only: time frames (product of dims 4–7) of the file; `numberOfFrames` is slices × this. */
  niftiFrames?: number;
  /** True when the file lacked Study/Series/SOP Instance UIDs and stable ones were generated from folder and geometry. */
  generatedUids?: boolean;
}

/** One series. */
export interface SeriesRecord {
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  seriesNumber?: number;
  seriesDescription?: string;
  bodyPartExamined?: string;
  /** ImageType values (e.g. ['ORIGINAL', 'PRIMARY', 'AXIAL']). */
  imageType?: string[];
  manufacturer?: string;
  /** SegmentationType of a SEG series (BINARY, FRACTIONAL, LABELMAP), which plugin input rules may select on. */
  segmentationType?: string;
  /** Number of instances (files) in the series. */
  instanceCount: number;
  /** Number of images (frames summed over instances). */
  imageCount: number;
  /** Non-fatal problems found while grouping (e.g. "missing geometry: opens as a stack"). */
  warnings: string[];
}

/** One study. */
export interface StudyRecord {
  studyInstanceUid: string;
  patientId: string;
  studyDate?: string;
  studyTime?: string;
  studyDescription?: string;
  accessionNumber?: string;
  /** Modalities of its series, unique, sorted. */
  modalities: string[];
  seriesCount: number;
  imageCount: number;
}

/** One patient. */
export interface PatientRecord {
  patientId: string;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: string;
}

/** Everything parsed from one instance's header. */
export interface ParsedInstance {
  patient: PatientRecord;
  study: Omit<StudyRecord, 'modalities' | 'seriesCount' | 'imageCount'>;
  series: Omit<SeriesRecord, 'instanceCount' | 'imageCount' | 'warnings'>;
  instance: InstanceRecord;
}

/** A file that could not be used, with a reason a user can read. */
export interface SkippedFile {
  /** File path or name. */
  file: string;
  /** 'not-dicom' files are counted but expected (e.g. README, .DS_Store); others are problems. */
  kind: 'not-dicom' | 'corrupt' | 'truncated' | 'missing-tags' | 'unsupported' | 'io-error';
  reason: string;
}

/** Summary of an import (files, folder, DICOMDIR or DICOMweb retrieve). */
export interface ImportReport {
  filesSeen: number;
  instancesAdded: number;
  /** Instances already in the library (same SOPInstanceUID and location): not added twice. */
  instancesAlreadyKnown: number;
  studies: string[];
  series: string[];
  skipped: SkippedFile[];
}
