/**
 * Choice of the prior study for follow-up plugins (inputs of role `prior`), shared by `qiview batch --priors` and the
 * workstation's plugin panel: the newest study of the same patient (PatientID) with a strictly earlier StudyDate.
 *
 * @packageDocumentation
 */

/** What identifies a study for the prior choice. */
export interface PriorStudyKey {
  /** Orders ties (same StudyDate): the last key wins. */
  key: string;
  patientId: string;
  /** YYYYMMDD. */
  studyDate: string;
  studyInstanceUid: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** A DICOM DA value (`20240101`, or `2024-01-01` as some tools write it) as YYYYMMDD, or '' when not a date. */
export function studyDateDigits(v: unknown): string {
  const d = text(v).replace(/[^0-9]/g, '');
  return d.length === 8 ? d : '';
}

/**
 * The prior of a study: same PatientID, another StudyInstanceUID, StudyDate strictly earlier; the newest such study
 * (ties: the last key in order). Undefined when the study lacks PatientID or StudyDate, or has no earlier study; the
 * same study or a later one is never chosen.
 */
export function findPrior<C extends PriorStudyKey>(
  index: readonly C[],
  current: { patientId?: unknown; studyDate?: unknown; studyInstanceUid?: unknown },
): C | undefined {
  const patientId = text(current.patientId);
  const date = studyDateDigits(current.studyDate);
  const uid = text(current.studyInstanceUid);
  if (!patientId || !date) return undefined;
  let best: C | undefined;
  for (const c of index) {
    const cDate = studyDateDigits(c.studyDate);
    if (!cDate || text(c.patientId) !== patientId || c.studyInstanceUid === uid || cDate >= date) continue;
    const bDate = best ? studyDateDigits(best.studyDate) : '';
    if (!best || cDate > bDate || (cDate === bDate && c.key > best.key)) best = c;
  }
  return best;
}
