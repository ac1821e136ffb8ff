/**
 * Pure helpers shared by the library stores: folding parsed instances into records and recomputing aggregates, so
 * every store computes the same counts and modalities.
 */
import type {
  InstanceRecord,
  ParsedInstance,
  PatientRecord,
  SeriesRecord,
  StudyRecord,
} from '../dicom/records';

/** The distinct records of a batch of parsed instances (last one wins per key). */
export interface MergedBatch {
  patients: Map<string, PatientRecord>;
  studies: Map<string, Omit<StudyRecord, 'modalities' | 'seriesCount' | 'imageCount'>>;
  series: Map<string, Omit<SeriesRecord, 'instanceCount' | 'imageCount' | 'warnings'>>;
  instances: Map<string, InstanceRecord>;
}

/** Groups a batch by key. Throws on an instance missing one of its UIDs (the parser never produces one). */
export function mergeParsed(parsed: ParsedInstance[]): MergedBatch {
  const out: MergedBatch = {
    patients: new Map(),
    studies: new Map(),
    series: new Map(),
    instances: new Map(),
  };
  for (const p of parsed) {
    const i = p.instance;
    if (!i.sopInstanceUid || !i.seriesInstanceUid || !i.studyInstanceUid)
      throw new Error(`library: instance without UIDs (${JSON.stringify(i.location)})`);
    out.patients.set(p.patient.patientId, p.patient);
    out.studies.set(p.study.studyInstanceUid, p.study);
    out.series.set(p.series.seriesInstanceUid, p.series);
    out.instances.set(i.sopInstanceUid, i);
  }
  return out;
}

/** Deterministic JSON (sorted keys) to tell whether a stored record changed. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/** Series aggregates from its instances. */
export function seriesAggregate(instances: Pick<InstanceRecord, 'numberOfFrames'>[]): {
  instanceCount: number;
  imageCount: number;
} {
  let imageCount = 0;
  for (const i of instances) imageCount += Math.max(1, i.numberOfFrames || 1);
  return { instanceCount: instances.length, imageCount };
}

/** Study aggregates from its series. */
export function studyAggregate(series: Pick<SeriesRecord, 'modality' | 'imageCount'>[]): {
  modalities: string[];
  seriesCount: number;
  imageCount: number;
} {
  const modalities = [...new Set(series.map((s) => s.modality).filter(Boolean))].sort();
  return { modalities, seriesCount: series.length, imageCount: series.reduce((a, s) => a + s.imageCount, 0) };
}

/** Series order: series number (missing last), then UID. */
export function compareSeries(a: SeriesRecord, b: SeriesRecord): number {
  const na = a.seriesNumber ?? Number.POSITIVE_INFINITY;
  const nb = b.seriesNumber ?? Number.POSITIVE_INFINITY;
  return na !== nb ? (na < nb ? -1 : 1) : a.seriesInstanceUid < b.seriesInstanceUid ? -1 : 1;
}

/** Instance order: instance number (missing last), then UID. */
export function compareInstances(a: InstanceRecord, b: InstanceRecord): number {
  const na = a.instanceNumber ?? Number.POSITIVE_INFINITY;
  const nb = b.instanceNumber ?? Number.POSITIVE_INFINITY;
  return na !== nb ? (na < nb ? -1 : 1) : a.sopInstanceUid < b.sopInstanceUid ? -1 : 1;
}
