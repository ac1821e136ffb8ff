/**
 * Web-mode persistence of the study browser's records in the shared IndexedDB library store
 * ({@link IdbLibraryStore}, core/browser/library: the same {@link LibraryStore} contract and conformance suite as the
 * desktop SQLite store). Only records are stored, never pixel data; a page cannot re-open the user's files by path,
 * so after a reload the list is back but the files must be picked again.
 */
import { groupInstances } from '../../core/common/dicom/group-instances';
import type { ParsedInstance } from '../../core/common/dicom/records';
import type { LibraryStore } from '../../core/common/library/library-store';
import { openIdbLibraryStore } from '../../core/browser/library/idb-library-store';
import type { LibraryContents } from './study-browser-store';

/** IndexedDB database of the web-mode library. */
export const WEB_LIBRARY_DB = 'qiview-library';

let opened: Promise<LibraryStore> | undefined;
/** The store, opened once per page (tests may pass their own). */
function store(): Promise<LibraryStore> {
  opened ??= openIdbLibraryStore(WEB_LIBRARY_DB).catch((e: unknown) => {
    opened = undefined;
    throw e;
  });
  return opened;
}

/** The parsed-instance records of the browser's contents (the shape the store upserts). */
export function toParsedInstances(lib: LibraryContents): ParsedInstance[] {
  const studies = new Map(lib.studies.map((s) => [s.studyInstanceUid, s]));
  const patients = new Map(lib.patients.map((p) => [p.patientId, p]));
  const out: ParsedInstance[] = [];
  for (const s of lib.series) {
    const st = studies.get(s.studyInstanceUid);
    if (!st) continue;
    const { modalities: _m, seriesCount: _sc, imageCount: _ic, ...study } = st;
    const { instanceCount: _n, imageCount: _i, warnings: _w, ...series } = s;
    const patient = patients.get(st.patientId) ?? { patientId: st.patientId };
    for (const instance of lib.instances[s.seriesInstanceUid] ?? [])
      out.push({ patient, study, series, instance });
  }
  return out;
}

/**
 * Makes the store hold exactly these records: studies no longer listed are removed (records only), the rest are
 * upserted (idempotent: unchanged instances are not rewritten) with their series warnings. Resolves false when
 * IndexedDB is unavailable (private mode): the list then lives for this session only.
 */
export function saveLibrary(lib: LibraryContents, target?: LibraryStore): Promise<boolean> {
  // saves run one after the other (an import's save and a removal's save must not interleave)
  const run = saving.then(() => saveNow(lib, target));
  saving = run.catch(() => undefined);
  return run;
}

let saving: Promise<unknown> = Promise.resolve();

async function saveNow(lib: LibraryContents, target?: LibraryStore): Promise<boolean> {
  if (!target && typeof indexedDB === 'undefined') return false;
  const s = target ?? (await store());
  const keep = new Set(lib.studies.map((x) => x.studyInstanceUid));
  for (const old of await s.searchStudies())
    if (!keep.has(old.studyInstanceUid)) await s.removeStudy(old.studyInstanceUid);
  const seriesWarnings = Object.fromEntries(lib.series.map((x) => [x.seriesInstanceUid, x.warnings]));
  await s.upsertInstances(toParsedInstances(lib), { seriesWarnings });
  return true;
}

/** Loads the saved records (grouped again, so instances come back in geometric order), or undefined when empty. */
export async function loadLibrary(target?: LibraryStore): Promise<LibraryContents | undefined> {
  if (!target && typeof indexedDB === 'undefined') return undefined;
  const s = target ?? (await store());
  const parsed: ParsedInstance[] = [];
  const warnings = new Map<string, string[]>();
  for (const st of await s.searchStudies()) {
    const { patient, modalities: _m, seriesCount: _sc, imageCount: _ic, ...study } = st;
    for (const se of await s.listSeries(st.studyInstanceUid)) {
      const { instanceCount: _n, imageCount: _i, warnings: w, ...series } = se;
      warnings.set(se.seriesInstanceUid, w);
      for (const instance of await s.listInstances(se.seriesInstanceUid))
        parsed.push({ patient, study, series, instance });
    }
  }
  if (parsed.length === 0) return undefined;
  const grouped = groupInstances(parsed);
  // the stored warnings are the ones computed at import (same grouping), kept as saved
  const series = grouped.series.map((x) => ({
    ...x,
    warnings: warnings.get(x.seriesInstanceUid) ?? x.warnings,
  }));
  return { patients: grouped.patients, studies: grouped.studies, series, instances: grouped.instances };
}
