/**
 * Which report is open (zustand): a live one built from the analysis result the plugin panel shows, or a stored
 * signed one re-opened by its result id (read-only, no volume needed).
 */
import { create } from 'zustand';
import type { AnalysisResult, Volume } from '@qiview/sdk';
import type { ReportPatient, ReportStudy } from '../../core/common/report/report-model';
import type { ResultProvenance } from '../../core/common/results/provenance';
import type { ManifestStrings } from '../results/format';

/** The analysis result a live report is built from. */
export interface LiveReportSource {
  result: AnalysisResult;
  provenance?: ResultProvenance;
  manifestStrings?: ManifestStrings;
  /** Viewer series key by manifest role (volumes for key images, patient and study for the header). */
  roles: Record<string, string>;
  /** Series the result's overlays are on. */
  seriesKey?: string;
  /** Input volumes by role the caller already has (NIfTI, tests); used before the viewer's series. */
  volumes?: Record<string, Volume>;
  /** Header identification when no open series gives it. */
  patient?: ReportPatient;
  study?: ReportStudy;
  /** Library id of the stored run, when it is stored; else the id is derived from the result (reportResultId). */
  resultId?: string;
}

interface ReportViewState {
  /** Live source, when the report was opened from the results panel. */
  live?: LiveReportSource;
  /** Result id of a stored report opened from the list. */
  resultId?: string;
  open: boolean;
  /** Bumped on every open (remounts the sheet). */
  opened: number;
  /** Bumped after every signature (refreshes the lists of signed reports). */
  signedCount: number;
  set(p: Partial<Omit<ReportViewState, 'set'>>): void;
}

export const useReportView = create<ReportViewState>((set) => ({
  open: false,
  opened: 0,
  signedCount: 0,
  set: (p) => set(p),
}));

/** Opens the report of the analysis result the results panel shows. */
export function openLiveReport(live: LiveReportSource): void {
  const st = useReportView.getState();
  st.set({ live, resultId: undefined, open: true, opened: st.opened + 1 });
}

/** Opens a stored signed report (read-only until amended). */
export function openStoredReport(resultId: string): void {
  const st = useReportView.getState();
  st.set({ live: undefined, resultId, open: true, opened: st.opened + 1 });
}

/** Closes the report view. */
export function closeReport(): void {
  useReportView.getState().set({ open: false, live: undefined, resultId: undefined });
}

/** Tells lists of signed reports that one was stored. */
export function reportSigned(): void {
  const st = useReportView.getState();
  st.set({ signedCount: st.signedCount + 1 });
}
