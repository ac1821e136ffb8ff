/**
 * The workstation's results history: every finished plugin run is stored as a result record (plugin id and version,
 * model sha256, parameters, input series, status, time, measurements; label maps and float maps as attachments) in
 * the page's result store (renderer/platform/result-store: web mode the IndexedDB library the study browser uses,
 * desktop the user's SQLite library through the bridge), under the run's
 * stable result id (the id signed reports are kept under). A stored result re-opens with its values and voxels
 * without running the plugin again.
 */
import { create } from 'zustand';
import type { AnalysisResult } from '@qiview/sdk';
import type { ResultRecord } from '../../core/common/library/library-store';
import { compareResults } from '../../core/common/library/study-filter';
import { reportResultId } from '../../core/common/report/report-result-id';
import type { ResultProvenance } from '../../core/common/results/provenance';
import {
  resultFromRecord,
  resultRecordOf,
  type ReopenedResult,
} from '../../core/common/results/result-record';
import { newUid } from '../../core/common/results/uid';
import { getResultStore, type ResultStore } from '../platform/result-store';

/** The page's result store (web: IndexedDB; Electron: the desktop library), replaceable in tests. */
let store: () => ResultStore = getResultStore;
/** Tests: use another store (undefined restores the platform's). */
export function setResultsHistoryStore(s: ResultStore | undefined): void {
  store = s ? () => s : getResultStore;
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
    const s = store();
    const id =
      run.status === 'done' && run.result
        ? await reportResultId(run.result, run.provenance)
        : `failed-${newUid()}`;
    const existing = await s.getResult(id);
    const { record, blobs } = resultRecordOf({ ...run, id, existingPayload: existing?.payload });
    await s.putResult(record, blobs);
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
  const s = store();
  // One filtered query per study and per series (the desktop store reads each listed payload from disk).
  const lists = await Promise.all([
    ...[...new Set(studyUids)].map((studyInstanceUid) => s.listResults({ studyInstanceUid })),
    ...[...new Set(seriesUids)].map((seriesInstanceUid) => s.listResults({ seriesInstanceUid })),
  ]);
  const byId = new Map<string, ResultRecord>();
  for (const r of lists.flat()) byId.set(r.id, r);
  return [...byId.values()].sort(compareResults);
}

/** Re-opens a stored result (values and voxels from the library). */
export async function loadStoredResult(id: string): Promise<ReopenedResult> {
  const s = store();
  const record = await s.getResult(id);
  if (!record) throw new Error(`result ${id} is not in the library`);
  return resultFromRecord(record, (name) => s.getAttachment(id, name));
}
