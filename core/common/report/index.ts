/** The one-page report of an analysis result: UI-free model and key-image rasterisation. */
export { buildReport, type BuildReportOptions } from './build-report';
export type * from './report-model';
export {
  selectKeyMeasurements,
  isMeanOrMedian,
  isQcMeasurement,
  DEFAULT_KEY_MEASUREMENTS,
  MAX_KEY_ROWS,
} from './select-key-measurements';
export { formatReportNumber, formatParameterValue, formatStudyDate } from './format-report-value';
export { sliceImage, type SliceImage, type SliceImageOptions } from './slice-image';
export { canonicalJson, type CanonicalValue } from './canonical-json';
export { sha256Hex } from './sha256-hex';
export {
  SIGNED_REPORT_FORMAT,
  appendSignedReport,
  reportHash,
  signReport,
  signedContent,
  verifySignedReport,
  type ReportDraft,
  type ReportImageSnapshot,
  type ReportSignature,
  type SignOptions,
  type SignedReport,
} from './signed-report';
export { reportResultId } from './report-result-id';
export { chooseKeySlice } from './choose-key-slice';
export { KEY_IMAGE_WINDOWS, keyImageWindow } from './key-image-window';
