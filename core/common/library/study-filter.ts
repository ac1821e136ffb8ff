/** The study search semantics of {@link StudyQuery}, as a predicate and an order (the SQLite store mirrors them in SQL). */
import type { ResultQuery, ResultRecord, StudyListing, StudyQuery } from './library-store';

const norm = (s: string | undefined) =>
  (s ?? '').toLowerCase().replace(/\^/g, ' ').replace(/\s+/g, ' ').trim();

/** True when a study matches every field of the query. */
export function matchesStudy(s: StudyListing, q: StudyQuery): boolean {
  if (q.patientName?.trim() && !norm(s.patient.patientName).includes(norm(q.patientName))) return false;
  if (q.patientId?.trim() && !s.patientId.toLowerCase().includes(q.patientId.trim().toLowerCase()))
    return false;
  if (q.description?.trim() && !norm(s.studyDescription).includes(norm(q.description))) return false;
  if (q.modality?.trim() && !s.modalities.some((m) => m.toUpperCase() === q.modality!.trim().toUpperCase()))
    return false;
  if (q.dateFrom || q.dateTo) {
    if (!s.studyDate) return false;
    if (q.dateFrom && s.studyDate < q.dateFrom) return false;
    if (q.dateTo && s.studyDate > q.dateTo) return false;
  }
  return true;
}

/** Newest study date first, undated last, then by UID. */
export function compareStudies(a: StudyListing, b: StudyListing): number {
  const da = a.studyDate ?? '';
  const db = b.studyDate ?? '';
  if (da !== db) return da > db ? -1 : 1;
  return a.studyInstanceUid < b.studyInstanceUid ? -1 : 1;
}

/** Applies offset/limit. */
export function page<T>(rows: T[], q: { limit?: number; offset?: number }): T[] {
  const start = Math.max(0, q.offset ?? 0);
  return q.limit === undefined ? rows.slice(start) : rows.slice(start, start + Math.max(0, q.limit));
}

/** True when a result matches the query. */
export function matchesResult(r: ResultRecord, q: ResultQuery): boolean {
  if (q.pluginId && r.pluginId !== q.pluginId) return false;
  if (q.studyInstanceUid && r.studyInstanceUid !== q.studyInstanceUid) return false;
  if (q.status && r.status !== q.status) return false;
  if (q.seriesInstanceUid && !r.inputSeriesUids.includes(q.seriesInstanceUid)) return false;
  return true;
}

/** Newest first, then by id. */
export function compareResults(a: ResultRecord, b: ResultRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : 1;
}
