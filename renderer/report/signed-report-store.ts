/**
 * Signed reports kept with their analysis result in the page's result store (renderer/platform/result-store: web
 * mode the shared IndexedDB library the study browser uses; desktop the user's SQLite library through the bridge). A result record holds its version
 * history under `payload.signedReports`; saving appends one version and refuses anything else, so a signed version
 * is never overwritten.
 */
import type { ResultRecord, ResultsStore } from '../../core/common/library/library-store';
import { appendSignedReport, type SignedReport } from '../../core/common/report/signed-report';
import { getResultStore, type ResultStore } from '../platform/result-store';

/** What the report history needs from a store: a {@link ResultStore} or a core {@link ResultsStore}. */
export type ReportStore = Pick<ResultStore | ResultsStore, 'getResult' | 'putResult' | 'listResults'>;

function defaultStore(): Promise<ReportStore> {
  return Promise.resolve(getResultStore());
}

/** What a result record needs besides its reports (taken from the run's provenance). */
export type ReportResultMeta = Omit<ResultRecord, 'payload' | 'payloadPath' | 'status' | 'error'>;

/** One stored report history, for the list of signed reports. */
export interface SignedReportListing {
  resultId: string;
  latest: SignedReport;
  versions: number;
}

function historyOf(r: ResultRecord | null): SignedReport[] {
  const p = r?.payload as { signedReports?: unknown } | undefined;
  return Array.isArray(p?.signedReports) ? (p.signedReports as SignedReport[]) : [];
}

/** The signed versions of a result's report, oldest first (empty when none). */
export async function loadReportHistory(resultId: string, store?: ReportStore): Promise<SignedReport[]> {
  const s = store ?? (await defaultStore());
  return historyOf(await s.getResult(resultId));
}

let saving: Promise<unknown> = Promise.resolve();

/**
 * Appends a signed version to the result's history (creating the result record from `meta` when absent; an
 * existing record keeps its fields and any other payload it holds) and returns the new history. Rejects, storing nothing, when `report` is not the next version of
 * what is stored (e.g. another window signed first).
 */
export function saveSignedReport(
  meta: ReportResultMeta,
  report: SignedReport,
  store?: ReportStore,
): Promise<SignedReport[]> {
  const run = saving.then(async () => {
    const s = store ?? (await defaultStore());
    const existing = await s.getResult(meta.id);
    const history = appendSignedReport(historyOf(existing), report);
    const payload = {
      ...((existing?.payload as Record<string, unknown> | undefined) ?? {}),
      signedReports: history,
    };
    // a stored run keeps its own fields (provenance, status, time); only the payload gains the history
    await s.putResult(existing ? { ...existing, payload } : { ...meta, status: 'done', payload });
    return history;
  });
  saving = run.catch(() => undefined);
  return run;
}

/** Every result with signed reports, newest result first. */
export async function listSignedReports(store?: ReportStore): Promise<SignedReportListing[]> {
  const s = store ?? (await defaultStore());
  const out: SignedReportListing[] = [];
  for (const r of await s.listResults()) {
    const h = historyOf(r);
    const latest = h.at(-1);
    if (latest) out.push({ resultId: r.id, latest, versions: h.length });
  }
  return out;
}
