/**
 * Groups parsed instances into patient, study and series records with counts and per-series warnings.
 *
 * @packageDocumentation
 */
import type { InstanceRecord, ParsedInstance, PatientRecord, SeriesRecord, StudyRecord } from './records';
import { sortByGeometry } from './sort-by-geometry';

/** Result of {@link groupInstances}. JSON-serialisable. */
export interface GroupedInstances {
  patients: PatientRecord[];
  studies: StudyRecord[];
  series: SeriesRecord[];
  /** Instances of each series (by SeriesInstanceUID), in geometric order (frame-major for 4D). */
  instances: Record<string, InstanceRecord[]>;
}

/**
 * Groups instances by patient (PatientID), study (StudyInstanceUID) and series (SeriesInstanceUID). Series are sorted
 * by study then SeriesNumber; their instances by geometry ({@link sortByGeometry}), whose warnings (missing geometry,
 * uneven spacing, duplicates) become the series' warnings. A SOP Instance UID seen twice counts once.
 */
export function groupInstances(parsed: readonly ParsedInstance[]): GroupedInstances {
  const patients = new Map<string, PatientRecord>();
  const studyInfo = new Map<string, ParsedInstance['study']>();
  const seriesInfo = new Map<string, ParsedInstance['series']>();
  const bySeries = new Map<string, ParsedInstance[]>();
  for (const p of parsed) {
    if (!patients.has(p.patient.patientId)) patients.set(p.patient.patientId, { ...p.patient });
    if (!studyInfo.has(p.study.studyInstanceUid)) studyInfo.set(p.study.studyInstanceUid, p.study);
    const uid = p.series.seriesInstanceUid;
    if (!seriesInfo.has(uid)) seriesInfo.set(uid, p.series);
    let list = bySeries.get(uid);
    if (!list) bySeries.set(uid, (list = []));
    list.push(p);
  }
  const series: SeriesRecord[] = [];
  const instances: Record<string, InstanceRecord[]> = {};
  for (const [uid, list] of bySeries) {
    const sorted = sortByGeometry(list);
    const ordered = sorted.frames.flat().map((p) => p.instance);
    instances[uid] = ordered;
    // a NIfTI file is a whole volume with its own geometry: slice-sorting warnings do not apply
    const isNifti = list.every((p) => p.instance.format === 'nifti');
    const warnings = isNifti ? [] : [...sorted.warnings];
    if (list.some((p) => p.instance.generatedUids)) {
      warnings.push(
        'files lack Study/Series/SOP Instance UIDs: grouped by folder and geometry with generated UIDs',
      );
    }
    const info = seriesInfo.get(uid)!;
    series.push({
      ...info,
      instanceCount: ordered.length,
      imageCount: ordered.reduce((s, i) => s + i.numberOfFrames, 0),
      warnings,
    });
  }
  series.sort(
    (a, b) =>
      a.studyInstanceUid.localeCompare(b.studyInstanceUid) ||
      (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity) ||
      a.seriesInstanceUid.localeCompare(b.seriesInstanceUid),
  );
  const studies: StudyRecord[] = [...studyInfo.values()].map((s) => {
    const ss = series.filter((x) => x.studyInstanceUid === s.studyInstanceUid);
    return {
      ...s,
      modalities: [...new Set(ss.map((x) => x.modality))].sort(),
      seriesCount: ss.length,
      imageCount: ss.reduce((n, x) => n + x.imageCount, 0),
    };
  });
  studies.sort(
    (a, b) =>
      (a.studyDate ?? '').localeCompare(b.studyDate ?? '') ||
      a.studyInstanceUid.localeCompare(b.studyInstanceUid),
  );
  return { patients: [...patients.values()], studies, series, instances };
}
