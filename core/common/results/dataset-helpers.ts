/**
 * Small accessors for naturalized dcmjs datasets (values may arrive as scalars or one-element arrays, sequences
 * as arrays or a single item), and the patient/study attributes a derived object copies from its source.
 *
 * @packageDocumentation
 */
import type { CodedConcept } from '@qiview/sdk';
import type { NaturalDataset } from './dcmjs';

/** Items of a sequence attribute ([] when absent). */
export function items(v: unknown): NaturalDataset[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as NaturalDataset[];
}

/** First item of a sequence, or undefined. */
export function item(v: unknown): NaturalDataset | undefined {
  return items(v)[0];
}

/** A numeric attribute (first value), or undefined. */
export function num(v: unknown): number | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined || x === null || x === '') return undefined;
  const n = typeof x === 'number' ? x : Number(x);
  return Number.isFinite(n) ? n : undefined;
}

/** A multi-valued numeric attribute. */
export function nums(v: unknown): number[] {
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : String(v).split('\\');
  return arr.map((x) => Number(x));
}

/** A string attribute (first value; PersonName objects give their Alphabetic part). */
export function str(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined || x === null) return undefined;
  if (typeof x === 'object' && 'Alphabetic' in (x as object))
    return String((x as { Alphabetic: unknown }).Alphabetic);
  return String(x);
}

/** A code sequence item from a coded concept. */
export function codeItem(c: CodedConcept): NaturalDataset {
  return { CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning };
}

/** A coded concept from a code sequence (first item), or undefined. */
export function conceptOf(seq: unknown): CodedConcept | undefined {
  const it = item(seq);
  if (!it) return undefined;
  const value = str(it.CodeValue) ?? str(it.LongCodeValue) ?? str(it.URNCodeValue);
  if (value === undefined) return undefined;
  return { value, scheme: str(it.CodingSchemeDesignator) ?? '', meaning: str(it.CodeMeaning) ?? '' };
}

/** Patient and study attributes (keywords) a derived object copies from its source series. */
export const PATIENT_STUDY_KEYWORDS = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'PatientAge',
  'StudyInstanceUID',
  'StudyDate',
  'StudyTime',
  'StudyID',
  'AccessionNumber',
  'ReferringPhysicianName',
  'StudyDescription',
] as const;

/**
 * Copies the patient/study module from a source series' attributes (by keyword, as in `InputSeries.dicom`).
 * Type 2 attributes that are missing are written empty. Throws when the source has no StudyInstanceUID.
 */
export function patientStudyFrom(source: Record<string, unknown>): NaturalDataset {
  const out: NaturalDataset = {};
  for (const k of PATIENT_STUDY_KEYWORDS) {
    const v = source[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  if (typeof out.StudyInstanceUID !== 'string' || out.StudyInstanceUID === '') {
    throw new Error('source series has no StudyInstanceUID: a derived DICOM object must belong to a study');
  }
  for (const k of ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime']) {
    if (out[k] === undefined) out[k] = '';
  }
  if (out.StudyID === undefined) out.StudyID = '';
  if (out.AccessionNumber === undefined) out.AccessionNumber = '';
  if (out.ReferringPhysicianName === undefined) out.ReferringPhysicianName = '';
  return out;
}

/** DICOM DA and TM strings for a date. */
export function dicomDateTime(d: Date): { date: string; time: string } {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/** A DS (decimal string) of at most 16 characters for a finite `v`, as precise as fits. */
export function formatDS(v: number): string {
  for (let p = 16; p >= 1; p--) {
    const fixed = String(Number(v.toPrecision(p)));
    if (fixed.length <= 16) return fixed;
    const exp = v.toExponential(p - 1);
    if (exp.length <= 16) return exp;
  }
  return v.toExponential(6);
}

/** DS values for an array of numbers. */
export const formatDSs = (vs: readonly number[]): string[] => vs.map(formatDS);
