/** Reading values out of DICOM JSON objects (PS3.18 Annex F) and summarising QIDO-RS answers. */
import type { DicomJsonObject } from './dicomweb-types';

/** First value of a tag as a string ('' when absent; person names as their Alphabetic form). */
export function jsonString(o: DicomJsonObject, tag: string): string {
  const v = o[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as { Alphabetic?: string }).Alphabetic ?? '');
  return String(v);
}

/** All values of a tag as strings. */
export function jsonStrings(o: DicomJsonObject, tag: string): string[] {
  return (o[tag]?.Value ?? []).map((v) =>
    v !== null && typeof v === 'object' ? String((v as { Alphabetic?: string }).Alphabetic ?? '') : String(v),
  );
}

/** First value of a tag as a finite number, or undefined. */
export function jsonNumber(o: DicomJsonObject, tag: string): number | undefined {
  const s = jsonString(o, tag);
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : undefined;
}

/** A study found by QIDO-RS. */
export interface RemoteStudy {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  modalities: string[];
  numberOfSeries?: number;
  numberOfInstances?: number;
}

/** A series found by QIDO-RS. */
export interface RemoteSeries {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  seriesNumber?: number;
  seriesDescription: string;
  numberOfInstances?: number;
}

/** An instance found by QIDO-RS. */
export interface RemoteInstance {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  instanceNumber?: number;
}

/** Summary of a QIDO-RS study answer. */
export function toRemoteStudy(o: DicomJsonObject): RemoteStudy {
  return {
    studyInstanceUid: jsonString(o, '0020000D'),
    patientName: jsonString(o, '00100010'),
    patientId: jsonString(o, '00100020'),
    studyDate: jsonString(o, '00080020'),
    studyDescription: jsonString(o, '00081030'),
    accessionNumber: jsonString(o, '00080050'),
    modalities: jsonStrings(o, '00080061'),
    numberOfSeries: jsonNumber(o, '00201206'),
    numberOfInstances: jsonNumber(o, '00201208'),
  };
}

/** Summary of a QIDO-RS series answer. */
export function toRemoteSeries(o: DicomJsonObject): RemoteSeries {
  return {
    studyInstanceUid: jsonString(o, '0020000D'),
    seriesInstanceUid: jsonString(o, '0020000E'),
    modality: jsonString(o, '00080060'),
    seriesNumber: jsonNumber(o, '00200011'),
    seriesDescription: jsonString(o, '0008103E'),
    numberOfInstances: jsonNumber(o, '00201209'),
  };
}

/** Summary of a QIDO-RS instance answer. */
export function toRemoteInstance(o: DicomJsonObject): RemoteInstance {
  return {
    studyInstanceUid: jsonString(o, '0020000D'),
    seriesInstanceUid: jsonString(o, '0020000E'),
    sopInstanceUid: jsonString(o, '00080018'),
    sopClassUid: jsonString(o, '00080016'),
    instanceNumber: jsonNumber(o, '00200013'),
  };
}
