/** The one-page report of an analysis result: view, printable page, sign-off and storage of signed versions. */
export { ReportView } from './ReportView';
export { ReportPage, reportTime, type ReportPageProps } from './ReportPage';
export { SignedReportList } from './SignedReportList';
export {
  openLiveReport,
  openStoredReport,
  closeReport,
  useReportView,
  type LiveReportSource,
} from './report-view-store';
export {
  loadReportHistory,
  saveSignedReport,
  listSignedReports,
  type ReportResultMeta,
} from './signed-report-store';
export { keyImageSnapshots, slicePng, MAX_KEY_IMAGES } from './key-image-snapshots';
export { localiseReport } from './localise-report';
