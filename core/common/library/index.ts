/** The local library: storage contract, shared semantics and the service with events. */
export type {
  LibraryCounts,
  LibraryStore,
  ResultQuery,
  ResultRecord,
  ResultStatus,
  ResultsStore,
  StudyListing,
  StudyQuery,
  UpsertOptions,
  UpsertReport,
} from './library-store';
export { Library } from './library';
export type {
  LibraryChangedEvent,
  LibraryChangeReason,
  LibraryEvents,
  LibraryImportedEvent,
} from './library';
export { TypedEmitter } from './typed-emitter';
export {
  compareInstances,
  compareSeries,
  mergeParsed,
  seriesAggregate,
  stableJson,
  studyAggregate,
} from './merge-parsed';
export { compareResults, compareStudies, matchesResult, matchesStudy, page } from './study-filter';
