/**
 * The workstation's results history: every finished plugin run is stored as a result record (plugin id and version,
 * model sha256, parameters, input series, status, time, measurements; label maps and float maps as attachments) in
 * the web-mode library, the same IndexedDB database the study browser uses (core/browser/library), under the run's
 * stable result id (the id signed reports are kept under). A stored result re-opens with its values and voxels
 * without running the plugin again.
 */
import { create } from 'zustand';
import type { AnalysisResult } from '@qiview/sdk';
import { openIdbLibraryStore, type IdbLibraryStore } from '../../core/browser/library/idb-library-store';
import type { ResultRecord } from '../../core/common/library/library-store';
import { reportResultId } from '../../core/common/report/report-result-id';
import type { ResultProvenance } from '../../core/common/results/provenance';
import {
  resultFromRecord,
  resultRecordOf,
  type ReopenedResult,
} from '../../core/common/results/result-record';
import { newUid } from '../../core/common/results/uid';
import { WEB_LIBRARY_DB } from '../study-browser/persist-library';

let opened: Promise<IdbLibraryStore> | undefined;
/** The web-mode library store (opened once per page). */
function store(): Promise<IdbLibraryStore> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(new Error('this browser has no IndexedDB (private mode?)'));
  opened ??= openIdbLibraryStore(WEB_LIBRARY_DB).catch((e: unknown) => {
    opened = undefined;
    throw e;
  });
  return opened;
}

interface HistoryState {
  /** Bumped after every stored run (lists reload). */
  version: number;
  /** The last store error, shown with the list. */
  error?: string;
  set(p: Partial<Omit<HistoryState, 'set'>>): void;
}

export const useResultsHistory = create<HistoryState>((set) => ({
  version: 0,
  set: (p) => set(p),
}));

/** A finished run to store. */
export interface FinishedRun {
  provenance: ResultProvenance;
  status: 'done' | 'failed';
  result?: AnalysisResult;
  error?: string;
  studyInstanceUid?: string;
  /** SeriesInstanceUID the overlays are shown on. */
  overlaySeriesUid?: string;
  durationMs?: number;
}

let saving: Promise<unknown> = Promise.resolve();

/**
 * Stores a finished run (serialised with other saves); resolves with its result id. The attachments are written
 * before the record, so a listed record always has its voxels. Payload keys written by others under the same id (a
 * signed report history) are kept.
 */
export function storeRun(run: FinishedRun): Promise<string> {
  const job = saving.then(async () => {
    const s = await store();
    const id =
      run.status === 'done' && run.result
        ? await reportResultId(run.result, run.provenance)
        : `failed-${newUid()}`;
    const existing = await s.getResult(id);
    const { record, blobs } = resultRecordOf({ ...run, id, existingPayload: existing?.payload });
    await s.putResultBlobs(id, blobs);
    await s.putResult(record);
    return id;
  });
  saving = job.catch(() => undefined);
  return job.then(
    (id) => {
      const st = useResultsHistory.getState();
      st.set({ version: st.version + 1, error: undefined });
      return id;
    },
    (e: unknown) => {
      useResultsHistory.getState().set({ error: e instanceof Error ? e.message : String(e) });
      throw e;
    },
  );
}

/** Stored results of these studies or input series, newest first. */
export async function listHistory(studyUids: string[], seriesUids: string[]): Promise<ResultRecord[]> {
  const s = await store();
  const studies = new Set(studyUids);
  const series = new Set(seriesUids);
  return (await s.listResults()).filter(
    (r) =>
      (r.studyInstanceUid !== undefined && studies.has(r.studyInstanceUid)) ||
      r.inputSeriesUids.some((u) => series.has(u)),
  );
}

/** Re-opens a stored result (values and voxels from the library). */
export async function loadStoredResult(id: string): Promise<ReopenedResult> {
  const s = await store();
  const record = await s.getResult(id);
  if (!record) throw new Error(`result ${id} is not in the library`);
  return resultFromRecord(record, (name) => s.getResultBlob(id, name));
}
