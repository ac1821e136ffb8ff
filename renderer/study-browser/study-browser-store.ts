/**
 * State of the study browser (zustand): what has been imported this session (patients → studies → series with their
 * instances in geometric order), the last import's report, progress, search text. Web-mode persistence: the records
 * are saved to IndexedDB (see ./persist-library.ts) so the list survives a reload, but browsers cannot re-open files
 * by path: after a reload the files of a study must be picked again (the UI says so).
 */
import { create } from 'zustand';
import type {
  ImportReport,
  InstanceRecord,
  PatientRecord,
  SeriesRecord,
  StudyRecord,
} from '@qiview/core/common/dicom/records';
import type { GroupedInstances } from '@qiview/core/common/dicom/group-instances';

/** Everything the browser lists. */
export interface LibraryContents {
  patients: PatientRecord[];
  studies: StudyRecord[];
  series: SeriesRecord[];
  instances: Record<string, InstanceRecord[]>;
}

export const EMPTY_LIBRARY: LibraryContents = { patients: [], studies: [], series: [], instances: {} };

/** Merges an import into the library (newer records replace older ones with the same UID). */
export function mergeLibrary(lib: LibraryContents, add: GroupedInstances | LibraryContents): LibraryContents {
  const byKey = <T>(a: T[], b: T[], key: (t: T) => string) => {
    const m = new Map(a.map((x) => [key(x), x]));
    for (const x of b) m.set(key(x), x);
    return [...m.values()];
  };
  return {
    patients: byKey(lib.patients, add.patients, (p) => p.patientId),
    studies: byKey(lib.studies, add.studies, (s) => s.studyInstanceUid),
    series: byKey(lib.series, add.series, (s) => s.seriesInstanceUid),
    instances: { ...lib.instances, ...add.instances },
  };
}

/** Removes a study and its series/instances (and patients left without studies). Files are never touched. */
export function removeStudyFrom(lib: LibraryContents, studyUid: string): LibraryContents {
  const series = lib.series.filter((s) => s.studyInstanceUid !== studyUid);
  const instances: Record<string, InstanceRecord[]> = {};
  for (const s of series) instances[s.seriesInstanceUid] = lib.instances[s.seriesInstanceUid] ?? [];
  const studies = lib.studies.filter((s) => s.studyInstanceUid !== studyUid);
  const patientIds = new Set(studies.map((s) => s.patientId));
  return { patients: lib.patients.filter((p) => patientIds.has(p.patientId)), studies, series, instances };
}

/** True when a study matches the search text (patient name/id, description, accession, modality, date). */
export function studyMatches(study: StudyRecord, patient: PatientRecord | undefined, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  const hay = [
    patient?.patientName?.replace(/\^/g, ' '),
    study.patientId,
    study.studyDescription,
    study.accessionNumber,
    study.studyDate,
    ...study.modalities,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w));
}

/** Progress of a running import. */
export interface BrowserProgress {
  done: number;
  total: number;
}

interface StudyBrowserState {
  library: LibraryContents;
  report?: ImportReport;
  progress?: BrowserProgress;
  busy: boolean;
  search: string;
  /** Last error to show (e.g. files must be re-picked). */
  error?: string;
  /** Series keys whose files live in this session (web mode); others must be re-picked. */
  available: Set<string>;
  set(p: Partial<Omit<StudyBrowserState, 'set'>>): void;
}

export const useStudyBrowser = create<StudyBrowserState>((set) => ({
  library: EMPTY_LIBRARY,
  busy: false,
  search: '',
  available: new Set(),
  set: (p) => set(p),
}));
