/**
 * Opens the library store and the importer for the shell. This is the one place where the core/node
 * implementations (the SQLite library store, the {@link Library} service and the recursive path importer
 * {@link scanPaths}) are adapted to the shell's {@link LibraryPort} / {@link ImportPathsFn} and to the IPC response
 * shapes of electron/common/api.ts.
 */
import {
  IpcFailure,
  type ImportFileError,
  ImportPathsResponse,
  LibrarySearchRequest,
  LibrarySearchResponse,
  SeriesSummary,
  StudyDetail,
  StudySummary,
} from '../common/api';
import { groupInstances } from '../../core/common/dicom/group-instances';
import type { InstanceRecord, SeriesRecord } from '../../core/common/dicom/records';
import { Library } from '../../core/common/library/library';
import type { StudyListing } from '../../core/common/library/library-store';
import { scanPaths } from '../../core/node/import/scan-paths';
import { openSqliteLibraryStore } from '../../core/node/library/sqlite-library-store';
import type { UserDataPaths } from '../../core/node/user-data/resolve-user-data-paths';
import type { ImportPathsFn, LibraryPort } from './library-port';
import { createResultsService, unavailableResults, type ResultsPort } from './results-service';
import path from 'node:path';

/** The library services of a running app. */
export interface LibraryServices {
  library: LibraryPort;
  importPaths: ImportPathsFn;
  /** Analysis results: records in the SQLite store, payload and attachments as files (results-service). */
  results: ResultsPort;
  /** The library service itself (events, results), for main-process code beyond the IPC port. */
  service: Library;
  /** Closes the database. */
  close(): Promise<void>;
}

const normText = (s: string | undefined): string =>
  (s ?? '').toLowerCase().replace(/\^/g, ' ').replace(/\s+/g, ' ').trim();

/** A study listing as the bridge reports it. */
export function toStudySummary(s: StudyListing, numberOfInstances: number): StudySummary {
  return {
    studyInstanceUid: s.studyInstanceUid,
    patientName: s.patient.patientName ?? '',
    patientId: s.patientId,
    patientBirthDate: s.patient.patientBirthDate ?? '',
    patientSex: s.patient.patientSex ?? '',
    studyDate: s.studyDate ?? '',
    studyDescription: s.studyDescription ?? '',
    accessionNumber: s.accessionNumber ?? '',
    modalities: s.modalities,
    numberOfSeries: s.seriesCount,
    numberOfInstances,
  };
}

/** A series record (with its study listing) as the bridge reports it. */
export function toSeriesSummary(series: SeriesRecord, study: StudyListing): SeriesSummary {
  return {
    studyInstanceUid: series.studyInstanceUid,
    seriesInstanceUid: series.seriesInstanceUid,
    modality: series.modality,
    seriesDescription: series.seriesDescription ?? '',
    seriesNumber: series.seriesNumber ?? null,
    numberOfInstances: series.instanceCount,
    patientName: study.patient.patientName ?? '',
    patientId: study.patientId,
    studyDate: study.studyDate ?? '',
    studyDescription: study.studyDescription ?? '',
  };
}

/** True when the free text occurs in the patient name/id, study description or accession number. */
function matchesText(s: StudyListing, text: string): boolean {
  const q = normText(text);
  if (!q) return true;
  return [s.patient.patientName, s.patientId, s.studyDescription, s.accessionNumber].some((f) =>
    normText(f).includes(q),
  );
}

/**
 * Adapts a {@link Library} to the shell's {@link LibraryPort}. `text` is matched in the adapter (the store's query
 * has per-field filters); modality and dates are filtered by the store.
 */
export function createLibraryPort(library: Library): LibraryPort {
  const instancesOfStudy = async (studyUid: string): Promise<number> => {
    let n = 0;
    for (const s of await library.listSeries(studyUid)) n += s.instanceCount;
    return n;
  };
  return {
    async search(q: LibrarySearchRequest): Promise<LibrarySearchResponse> {
      const all = await library.searchStudies({
        modality: q.modality,
        dateFrom: q.studyDateFrom,
        dateTo: q.studyDateTo,
      });
      const hits = q.text ? all.filter((s) => matchesText(s, q.text ?? '')) : all;
      const offset = q.offset ?? 0;
      const pageRows = hits.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
      const studies: StudySummary[] = [];
      for (const s of pageRows) studies.push(toStudySummary(s, await instancesOfStudy(s.studyInstanceUid)));
      return { studies, total: hits.length };
    },
    async getStudy(studyUid: string): Promise<StudyDetail | null> {
      const study = await library.getStudy(studyUid);
      if (!study) return null;
      const series: StudyDetail['series'] = [];
      let total = 0;
      for (const s of await library.listSeries(studyUid)) {
        const instances = await library.listInstances(s.seriesInstanceUid);
        total += s.instanceCount;
        series.push({
          ...toSeriesSummary(s, study),
          files: instances.filter(isFileInstance).map((i) => ({
            path: i.location.path,
            sopInstanceUid: i.sopInstanceUid,
            instanceNumber: i.instanceNumber ?? null,
            numberOfFrames: Math.max(1, i.numberOfFrames),
          })),
        });
      }
      return { ...toStudySummary(study, total), series };
    },
    removeStudy: (studyUid: string) => library.removeStudy(studyUid),
    hasFile: (p: string) => library.hasFile(p),
  };
}

function isFileInstance(
  i: InstanceRecord,
): i is InstanceRecord & { location: Extract<InstanceRecord['location'], { kind: 'file' }> } {
  return i.location.kind === 'file';
}

/**
 * Adapts {@link scanPaths} + {@link Library.importInstances} to the shell's {@link ImportPathsFn}: files already in
 * the library at the same path are not put into the batch again (the store's `isKnown` hook); grouping warnings
 * are stored per series; every unusable file except plain non-imaging files becomes an error with its reason
 * (prefixed with its kind, e.g. `truncated: …`). The response lists every series the picked files belong to,
 * including series already in the library (a re-import of a known folder still lists it, so the page can open it).
 */
export function createImportPaths(
  library: Library,
  isKnown: (sop: string, location: InstanceRecord['location']) => boolean,
): ImportPathsFn {
  return async (paths, { signal, onProgress }) => {
    const knownSops = new Set<string>();
    const { parsed, report } = await scanPaths(paths, {
      signal,
      isKnown: (sop, location) => {
        const known = isKnown(sop, location);
        if (known) knownSops.add(sop);
        return known;
      },
      onProgress: (p) => onProgress?.({ filesScanned: p.filesDone, currentPath: p.current ?? '' }),
    });
    const grouped = groupInstances(parsed);
    const seriesWarnings = Object.fromEntries(grouped.series.map((s) => [s.seriesInstanceUid, s.warnings]));
    const upsert = await library.importInstances(parsed, { seriesWarnings, source: 'files' });
    const touched = new Set(upsert.series);
    const studies = new Set(upsert.studies);
    if (knownSops.size > 0) await addSeriesOfKnown(library, knownSops, touched, studies);
    const series: SeriesSummary[] = [];
    for (const studyUid of studies) {
      const study = await library.getStudy(studyUid);
      if (!study) continue;
      for (const s of await library.listSeries(studyUid))
        if (touched.has(s.seriesInstanceUid)) series.push(toSeriesSummary(s, study));
    }
    const errors: ImportFileError[] = report.skipped
      .filter((s) => s.kind !== 'not-dicom')
      .map((s) => ({ path: s.file, reason: `${s.kind}: ${s.reason}` }));
    const skipped = report.skipped.length - errors.length;
    return { series, errors, skipped, filesScanned: report.filesSeen } satisfies ImportPathsResponse;
  };
}

/**
 * Adds the series (and studies) of instances that were already in the library. The store offers no lookup by SOP
 * Instance UID, so the library is walked series by series until every known instance is placed (only on re-imports).
 */
async function addSeriesOfKnown(
  library: Library,
  knownSops: Set<string>,
  series: Set<string>,
  studies: Set<string>,
): Promise<void> {
  const left = new Set(knownSops);
  for (const st of await library.searchStudies()) {
    for (const se of await library.listSeries(st.studyInstanceUid)) {
      if (left.size === 0) return;
      for (const inst of await library.listInstances(se.seriesInstanceUid)) {
        if (!left.delete(inst.sopInstanceUid)) continue;
        series.add(se.seriesInstanceUid);
        studies.add(st.studyInstanceUid);
      }
    }
  }
}

/**
 * Services that answer every call with UNAVAILABLE and the reason (the database could not be opened: a native
 * module built for another ABI, a database from a newer app version, a locked or unreadable file). The app still
 * starts and the page shows the reason instead of crashing.
 */
export function unavailableLibraryServices(reason: string): Omit<LibraryServices, 'service'> {
  const fail = (): never => {
    throw new IpcFailure('UNAVAILABLE', `the study library is not available: ${reason}`);
  };
  return {
    library: { search: fail, getStudy: fail, removeStudy: fail, hasFile: () => false },
    importPaths: async () => fail(),
    results: unavailableResults(reason),
    async close() {},
  };
}

/**
 * Opens the library services over the user's library database (created and migrated when needed). When the
 * database cannot be opened the error is logged and services answering UNAVAILABLE are returned (`service` absent).
 */
export async function openLibraryServices(
  paths: Pick<UserDataPaths, 'libraryDb'> & Partial<Pick<UserDataPaths, 'resultsDir'>>,
  log: (message: string) => void,
): Promise<LibraryServices | (Omit<LibraryServices, 'service'> & { service?: undefined })> {
  let store: ReturnType<typeof openSqliteLibraryStore>;
  try {
    store = openSqliteLibraryStore(paths.libraryDb);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    log(`library database ${paths.libraryDb} cannot be opened: ${reason}`);
    return unavailableLibraryServices(reason);
  }
  const service = new Library(store);
  const counts = await service.counts();
  log(
    `library database: ${paths.libraryDb} (schema ${store.schemaVersion}; ${counts.studies} studies, ${counts.instances} instances)`,
  );
  let closed = false;
  return {
    library: createLibraryPort(service),
    importPaths: createImportPaths(service, (sop, loc) => store.isKnown(sop, loc)),
    results: createResultsService(
      store,
      paths.resultsDir ?? path.join(path.dirname(paths.libraryDb), 'results'),
    ),
    service,
    async close() {
      if (closed) return;
      closed = true;
      await service.close();
    },
  };
}
