/**
 * Types of a batch run: the studies to process, where they come from, and what one study's processing returns.
 * @packageDocumentation
 */

/** Where a study's images come from. */
export type StudySource =
  { kind: 'files'; paths: string[] } | { kind: 'dicomweb'; url: string; studyInstanceUid: string };

/** One unit of batch work. */
export interface BatchStudy {
  /** Stable key (StudyInstanceUID when known): the identity used for resume and de-duplication. */
  key: string;
  /** Identifiers for the summary (patient id, accession, date…). */
  identifiers: Record<string, string>;
  source: StudySource;
}

/** The outcome of one study, as recorded in its `status.json` and as one summary row. */
export interface StudyOutcome {
  key: string;
  status: 'done' | 'failed';
  /** Why it failed, in words a research assistant can act on. */
  reason?: string;
  identifiers: Record<string, string>;
  /** Measurement key → value (numbers, or strings for categories). */
  measurements: Record<string, number | string>;
  /** QC flag and reasons. */
  qc?: { status: 'pass' | 'warn' | 'fail'; reasons: string[] };
  pluginId: string;
  pluginVersion: string;
  /** Model id → sha256 prefix or version. */
  models: Record<string, string>;
  /** Output files written for this study, relative to its folder. */
  files: string[];
  startedAt: string;
  finishedAt: string;
  /** Which worker did it (host:pid), for distributed runs. */
  worker: string;
}

/** What a study processor may write: files land in a staging folder and appear atomically with the status. */
export interface StudyWorkspace {
  /** Folder to write this study's outputs into (a staging folder; renamed into place when the study is recorded). */
  dir: string;
  /** Where `dir` will be once the study is recorded (for references that outlive the run, e.g. a results DB). */
  finalDir: string;
  signal: AbortSignal;
  /** Progress inside the study, 0..1. */
  progress(fraction: number, message?: string): void;
}

/** Processes one study; throws (with a clear message) to fail it. Must be idempotent. */
export type StudyProcessor = (
  study: BatchStudy,
  workspace: StudyWorkspace,
) => Promise<
  Omit<StudyOutcome, 'key' | 'status' | 'reason' | 'identifiers' | 'startedAt' | 'finishedAt' | 'worker'>
>;
