/**
 * The persistent local library's storage contract: patients, studies, series and instances (with where their bytes
 * live) plus analysis results. Implemented by the SQLite store (core/node/library, desktop and CLI) and the IndexedDB
 * store (core/browser/library, web mode); both pass the same conformance suite. All methods are async so that both
 * fit; all values are the JSON-serialisable records of core/common/dicom/records.ts.
 *
 * @packageDocumentation
 */
import type {
  InstanceRecord,
  ParsedInstance,
  PatientRecord,
  SeriesRecord,
  StudyRecord,
} from '../dicom/records';

/** Study search. Every given field must match; text matches are case-insensitive substrings. */
export interface StudyQuery {
  /** Substring of the patient name (DICOM `^` separators match spaces too). */
  patientName?: string;
  /** Substring of the patient ID. */
  patientId?: string;
  /** First study date, DICOM DA `YYYYMMDD`, inclusive. Studies without a date never match a date range. */
  dateFrom?: string;
  /** Last study date, `YYYYMMDD`, inclusive. */
  dateTo?: string;
  /** A modality one of the study's series has (exact, case-insensitive), e.g. 'CT'. */
  modality?: string;
  /** Substring of the study description. */
  description?: string;
  /** At most this many studies (default: all). */
  limit?: number;
  /** Skip this many (paging; default 0). */
  offset?: number;
}

/** A study as listed: the study record with its patient. */
export interface StudyListing extends StudyRecord {
  patient: PatientRecord;
}

/** What an upsert did. */
export interface UpsertReport {
  /** Instances not in the library before. */
  instancesAdded: number;
  /** Instances already there with the same location (nothing changed). */
  instancesAlreadyKnown: number;
  /** Instances already there whose location or header changed (updated in place). */
  instancesUpdated: number;
  /** Studies / series touched by this upsert, sorted. */
  studies: string[];
  series: string[];
}

/** Options of {@link LibraryStore.upsertInstances}. */
export interface UpsertOptions {
  /** Grouping warnings per series UID (replace the stored ones for those series). */
  seriesWarnings?: Record<string, string[]>;
}

/** Status of an analysis result. */
export type ResultStatus = 'running' | 'done' | 'failed';

/** One analysis result (a plugin run over some input series). */
export interface ResultRecord {
  /** Unique id chosen by the caller (e.g. a UUID, or a hash of inputs for idempotent batch runs). */
  id: string;
  pluginId: string;
  pluginVersion: string;
  /** Model id → version (or sha256) used by the run. */
  modelVersions: Record<string, string>;
  /** SeriesInstanceUIDs the plugin read. */
  inputSeriesUids: string[];
  /** The study the inputs belong to, when known (for listing results per study). */
  studyInstanceUid?: string;
  /** ISO 8601 creation time. */
  createdAt: string;
  status: ResultStatus;
  /** Why it failed (status 'failed'). */
  error?: string;
  /** Where the JSON payload is written (file path or URL), when stored outside the database. */
  payloadPath?: string;
  /** The JSON payload itself, when stored in the database. */
  payload?: unknown;
}

/** Result listing filter; every given field must match. */
export interface ResultQuery {
  pluginId?: string;
  studyInstanceUid?: string;
  /** Results whose inputs include this series. */
  seriesInstanceUid?: string;
  status?: ResultStatus;
}

/** The results part of a store (also implemented alone by the PostgreSQL results store). */
export interface ResultsStore {
  /** Inserts or replaces a result by id. */
  putResult(result: ResultRecord): Promise<void>;
  /** One result, or null. */
  getResult(id: string): Promise<ResultRecord | null>;
  /** Matching results, newest first (createdAt desc, then id). */
  listResults(query?: ResultQuery): Promise<ResultRecord[]>;
  /** Removes a result record (never a payload file); false when absent. */
  removeResult(id: string): Promise<boolean>;
  /** Releases the connection / database handle. */
  close(): Promise<void>;
}

/** Counts of what the library holds. */
export interface LibraryCounts {
  patients: number;
  studies: number;
  series: number;
  instances: number;
  results: number;
}

/** The local library store. */
export interface LibraryStore extends ResultsStore {
  /**
   * Adds or updates instances (and their patients, studies, series) in one transaction. Re-importing the same files
   * is idempotent. Series and study aggregates (counts, modalities) are recomputed from the stored instances.
   */
  upsertInstances(parsed: ParsedInstance[], options?: UpsertOptions): Promise<UpsertReport>;
  /** Studies matching the query, newest study date first (undated last), then by UID. */
  searchStudies(query?: StudyQuery): Promise<StudyListing[]>;
  /** One study with its patient, or null. */
  getStudy(studyInstanceUid: string): Promise<StudyListing | null>;
  /** Series of a study, by series number then UID. */
  listSeries(studyInstanceUid: string): Promise<SeriesRecord[]>;
  /** Instances of a series (with their locations), by instance number then UID. */
  listInstances(seriesInstanceUid: string): Promise<InstanceRecord[]>;
  /**
   * Removes a study's records (series, instances; the patient when it has no study left). Never touches files.
   * Returns false when the study was not in the library.
   */
  removeStudy(studyInstanceUid: string): Promise<boolean>;
  /** True when some instance's location is exactly this file path. */
  hasFile(path: string): Promise<boolean>;
  /** How many of each record the library holds. */
  counts(): Promise<LibraryCounts>;
}
