/**
 * Saving and re-opening analysis results: DICOM SEG / SR (TID 1500) / Parametric Map, JSON, CSV, NIfTI + BIDS
 * derivatives. Environment-neutral (browser, worker, Node).
 *
 * @packageDocumentation
 */
export { writeSeg, SEG_SOP_CLASS_UID, DEFAULT_SEGMENT_CONCEPT, type WriteSegOptions } from './write-seg';
export { readSeg, segDatasetToLabelmap } from './read-seg';
export {
  writeSr,
  measurementConcept,
  COMPREHENSIVE_SR_SOP_CLASS_UID,
  type WriteSrOptions,
  type AlgorithmIdentification,
} from './write-sr';
export { readSr, srDatasetToReport, type MeasurementReport } from './read-sr';
export { writeParametricMap, PARAMETRIC_MAP_SOP_CLASS_UID } from './write-parametric-map';
export { readParametricMap, parametricMapDatasetToMap } from './read-parametric-map';
export {
  writeResultJson,
  parseResultJson,
  resultDocument,
  RESULT_JSON_FORMAT,
  type ResultDocument,
} from './result-json';
export {
  resultRow,
  writeCsv,
  csvColumns,
  csvLine,
  csvField,
  parseCsv,
  readCsv,
  LEADING_COLUMNS,
  TRAILING_COLUMNS,
  type CsvRow,
  type ResultRowInput,
  type StudyIdentifiers,
} from './result-csv';
export { writeNifti, rasAffine, type WriteNiftiOptions } from './write-nifti';
export {
  bidsDerivativeFiles,
  datasetDescription,
  bidsLabel,
  type BidsEntities,
  type OutputFile,
} from './bids-derivative';
export {
  provenanceFromManifest,
  algorithmIdentification,
  modelsCell,
  type ResultProvenance,
  type ModelProvenance,
} from './provenance';
export {
  exportFiles,
  exportUnavailable,
  EXPORT_KINDS,
  type ExportKind,
  type ExportContext,
  type ExportFile,
} from './export-files';
export { readResultFile, resultFromFiles, type LoadedResultFile } from './read-result-file';
export type { DerivedObjectOptions, ReferencedInstance } from './derived-options';
export { newUid, isValidUid } from './uid';
export {
  resultRecordOf,
  resultFromRecord,
  isStoredRun,
  modelVersionsOf,
  RESULT_RECORD_FORMAT,
  type RunToStore,
  type StoredResultPayload,
  type ReopenedResult,
  type VoxelAttachment,
} from './result-record';
