import { hostname } from 'node:os';
import type { BatchStudy, StudyOutcome, StudyProcessor } from './batch-types';
import { StudyLedger } from './study-ledger';
import type { StudyPseudonyms } from './study-pseudonyms';

/** Progress of a batch, emitted after every study and periodically. */
export interface BatchProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  running: string[];
  /** Studies per minute over this run so far. */
  ratePerMinute: number;
  /** Estimated seconds left, or undefined before the first study finishes. */
  etaSeconds?: number;
}

/** Options of {@link runBatch}. */
export interface RunBatchOptions {
  outDir: string;
  studies: BatchStudy[];
  process: StudyProcessor;
  pluginId: string;
  pluginVersion: string;
  /** Studies processed at once (default 1). */
  workers?: number;
  /** Re-run studies that failed before (done ones are always skipped). */
  retryFailed?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
  /** Called once per finished study (done or failed), with its source key. */
  onStudy?: (o: StudyOutcome) => void;
  /** De-identified runs: studies are recorded under their pseudonyms (see {@link StudyLedger}). */
  pseudonyms?: StudyPseudonyms;
}

/** What a batch run did. */
export interface BatchReport {
  total: number;
  done: number;
  failed: number;
  /** Skipped because already done (or failed without `retryFailed`). */
  skipped: number;
  /** Not started or interrupted because the run was cancelled. */
  cancelled: number;
  outcomes: StudyOutcome[];
}

/**
 * Processes studies with a pool of `workers` concurrent slots. Resumable: studies already done are skipped, failed
 * ones only with `retryFailed`. One study's failure is recorded with its reason and never stops the run. When
 * `signal` aborts, running studies are told to stop, their staging folders are discarded and nothing half-written
 * remains.
 */
export async function runBatch(o: RunBatchOptions): Promise<BatchReport> {
  const ledger = new StudyLedger(o.outDir, { pseudonyms: o.pseudonyms });
  ledger.cleanStaging();
  const worker = `${hostname()}:${process.pid}`;
  const todo: BatchStudy[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  for (const s of o.studies) {
    if (seen.has(s.key)) continue; // the same study listed twice is one unit of work
    seen.add(s.key);
    const prev = ledger.get(s.key);
    if (prev && (prev.status === 'done' || !o.retryFailed)) skipped++;
    else todo.push(s);
  }
  const report: BatchReport = { total: seen.size, done: 0, failed: 0, skipped, cancelled: 0, outcomes: [] };
  const running = new Set<string>();
  const t0 = Date.now();
  const emit = () => {
    const finished = report.done + report.failed;
    const minutes = (Date.now() - t0) / 60000;
    const rate = minutes > 0 ? finished / minutes : 0;
    const left = todo.length - finished;
    o.onProgress?.({
      total: report.total,
      done: report.done,
      failed: report.failed,
      skipped,
      running: [...running],
      ratePerMinute: rate,
      etaSeconds: finished > 0 && rate > 0 ? (left / rate) * 60 : undefined,
    });
  };
  emit();

  let next = 0;
  const slot = async () => {
    while (next < todo.length) {
      if (o.signal?.aborted) return;
      const study = todo[next++]!;
      running.add(study.key);
      emit();
      const outcome = await executeStudy(ledger, study, o.process, {
        signal: o.signal,
        worker,
        pluginId: o.pluginId,
        pluginVersion: o.pluginVersion,
      });
      running.delete(study.key);
      if (!outcome) {
        report.cancelled++;
        emit();
        return;
      }
      if (outcome.status === 'done') report.done++;
      else report.failed++;
      report.outcomes.push(outcome);
      o.onStudy?.(outcome);
      emit();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.workers ?? 1) }, slot));
  report.cancelled += todo.length - Math.min(next, todo.length);
  return report;
}

/**
 * Runs one study into a staging folder and records it atomically. Returns the outcome, or undefined when the run
 * was cancelled (the staging folder is then discarded and nothing is recorded). A thrown error becomes a 'failed'
 * outcome with the error's message as the reason, unless `rethrow` says it should be retried instead.
 */
export async function executeStudy(
  ledger: StudyLedger,
  study: BatchStudy,
  process: StudyProcessor,
  o: {
    signal?: AbortSignal;
    worker: string;
    pluginId: string;
    pluginVersion: string;
    rethrow?: (e: unknown) => boolean;
  },
): Promise<StudyOutcome | undefined> {
  const staging = ledger.stage(study.key);
  const startedAt = new Date().toISOString();
  const signal = o.signal ?? new AbortController().signal;
  let outcome: StudyOutcome;
  try {
    const r = await process(study, {
      dir: staging,
      finalDir: ledger.folderPath(study.key),
      signal,
      progress: () => {},
    });
    outcome = {
      ...r,
      key: study.key,
      status: 'done',
      identifiers: study.identifiers,
      startedAt,
      finishedAt: '',
      worker: o.worker,
    };
  } catch (e) {
    if (signal.aborted || o.rethrow?.(e)) {
      ledger.discard(staging);
      if (signal.aborted) return undefined;
      throw e;
    }
    outcome = {
      key: study.key,
      status: 'failed',
      reason: (e as Error)?.message ?? String(e),
      identifiers: study.identifiers,
      measurements: {},
      pluginId: o.pluginId,
      pluginVersion: o.pluginVersion,
      models: {},
      files: [],
      startedAt,
      finishedAt: '',
      worker: o.worker,
    };
  }
  if (signal.aborted) {
    ledger.discard(staging);
    return undefined;
  }
  outcome.finishedAt = new Date().toISOString();
  ledger.commit(staging, outcome);
  return outcome;
}
