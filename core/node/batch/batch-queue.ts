import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { BatchStudy, StudyOutcome, StudyProcessor } from './batch-types';
import { executeStudy } from './run-batch';
import { StudyLedger } from './study-ledger';
import { StudyPseudonyms } from './study-pseudonyms';

/**
 * Scale-out over BullMQ on Redis. `enqueueStudies` puts one job per study (job id = hash of the study key and run
 * id, so enqueueing twice never duplicates work); any number of `runQueueWorker` processes on any machine take jobs.
 * A worker that dies mid-job loses its lock; BullMQ's stalled-job check hands the job to another worker
 * (at-least-once). Outputs are idempotent (a study's folder is replaced as a whole, see {@link StudyLedger}), so the
 * summary has each study exactly once. The output folder must be shared by all workers (local disk for one
 * machine, a network share across machines).
 */

/** What a worker needs to process a job; the same for every job of a run. */
export interface QueueRunConfig {
  /** Identifies the run (e.g. a hash of plugin + parameters + output folder). */
  runId: string;
  outDir: string;
  pluginId: string;
  pluginVersion: string;
  /** Plugin parameters and output options, passed to the processor factory. */
  options: Record<string, unknown>;
  /**
   * De-identified run: studies are recorded under pseudonyms keyed by the output folder's re-identification secret
   * (`<outDir>/.qiview/reidentify-secret`, shared by every worker through the shared output folder).
   */
  deidentify?: boolean;
  /** Folder of the re-identification key when not `<outDir>/.qiview` (a path every worker sees). */
  reidentifyDir?: string;
}

/** The ledger of a run's output folder (pseudonymous for de-identified runs). */
export function ledgerOf(
  config: Pick<QueueRunConfig, 'outDir' | 'deidentify' | 'reidentifyDir'>,
): StudyLedger {
  return new StudyLedger(config.outDir, {
    pseudonyms: config.deidentify
      ? StudyPseudonyms.forOutDir(config.outDir, config.reidentifyDir)
      : undefined,
  });
}

/** Payload of one job. */
export interface StudyJob {
  config: QueueRunConfig;
  study: BatchStudy;
}

/** Parses `redis://[user:pass@]host:port[/db]` into BullMQ connection options. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`not a redis:// URL: ${url}`);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  } as ConnectionOptions;
}

/** Job id of a study in a run. */
export function jobIdOf(runId: string, key: string): string {
  return createHash('sha256').update(`${runId}\n${key}`).digest('hex').slice(0, 40);
}

/** Enqueues every study (skipping ones already done in the output folder unless `retryFailed` covers them). */
export async function enqueueStudies(
  redisUrl: string,
  queueName: string,
  config: QueueRunConfig,
  studies: BatchStudy[],
  opts: { retryFailed?: boolean; attempts?: number } = {},
): Promise<{ enqueued: number; skipped: number }> {
  const ledger = ledgerOf(config);
  const queue = new Queue<StudyJob>(queueName, { connection: redisConnection(redisUrl) });
  try {
    const jobs = [];
    let skipped = 0;
    for (const study of studies) {
      const prev = ledger.get(study.key);
      if (prev && (prev.status === 'done' || !opts.retryFailed)) {
        skipped++;
        continue;
      }
      const jobId = jobIdOf(config.runId, study.key);
      // A finished job with the same id would block re-adding (BullMQ de-duplicates by id): drop it first.
      const old = await queue.getJob(jobId);
      if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
      jobs.push({
        name: 'study',
        data: { config, study },
        opts: {
          jobId,
          attempts: opts.attempts ?? 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      });
    }
    if (jobs.length) await queue.addBulk(jobs);
    return { enqueued: jobs.length, skipped };
  } finally {
    await queue.close();
  }
}

/** Counts of a queue, for progress. */
export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/** Waits until the queue has nothing waiting, delayed or active; reports counts every `intervalMs`. */
export async function waitForQueue(
  redisUrl: string,
  queueName: string,
  o: { signal?: AbortSignal; intervalMs?: number; onCounts?: (c: QueueCounts) => void } = {},
): Promise<QueueCounts> {
  const queue = new Queue(queueName, { connection: redisConnection(redisUrl) });
  try {
    for (;;) {
      const c = (await queue.getJobCounts(
        'waiting',
        'active',
        'completed',
        'failed',
        'delayed',
        'prioritized',
      )) as Record<string, number>;
      const counts: QueueCounts = {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        delayed: c.delayed ?? 0,
      };
      o.onCounts?.(counts);
      if (counts.waiting + counts.active + counts.delayed === 0) return counts;
      if (o.signal?.aborted) return counts;
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 500));
    }
  } finally {
    await queue.close();
  }
}

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions {
  redisUrl: string;
  queueName: string;
  /** Builds (and may cache) the processor for a run's config. */
  processorFor: (config: QueueRunConfig) => Promise<StudyProcessor> | StudyProcessor;
  concurrency?: number;
  /** Lock duration (ms): how long a silent worker keeps a job before it counts as stalled. Default 30 s. */
  lockDurationMs?: number;
  /** How often stalled jobs are checked (ms). Default 15 s. */
  stalledIntervalMs?: number;
  onOutcome?: (o: StudyOutcome) => void;
  /** A delivery that threw (it is retried, or failed after its last attempt), e.g. the plugin missing here. */
  onJobError?: (key: string, error: Error) => void;
  signal?: AbortSignal;
}

/**
 * Processes jobs until `signal` aborts (then finishes nothing new, waits for running jobs and closes). Study-level
 * errors with a stable `code` (refusals: wrong modality, corrupt files) are recorded as failed at once; other
 * errors (network, out of memory) are retried by BullMQ and recorded as failed after the last attempt.
 */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<void> {
  const workerId = `${hostname()}:${process.pid}`;
  // One ledger per output folder, made on its first job: its pseudonyms read and check the folder's key once, not
  // for every job.
  const ledgers = new Map<string, StudyLedger>();
  const ledgerFor = (config: QueueRunConfig): StudyLedger => {
    const id = JSON.stringify([config.outDir, Boolean(config.deidentify), config.reidentifyDir ?? null]);
    let ledger = ledgers.get(id);
    if (!ledger) {
      ledger = ledgerOf(config);
      ledgers.set(id, ledger);
    }
    return ledger;
  };
  const worker = new Worker<StudyJob>(
    o.queueName,
    async (job: Job<StudyJob>) => {
      const { config, study } = job.data;
      const processor = await o.processorFor(config);
      const ledger = ledgerFor(config);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await executeStudy(ledger, study, processor, {
        worker: workerId,
        pluginId: config.pluginId,
        pluginVersion: config.pluginVersion,
        rethrow: (e) => !lastAttempt && typeof (e as { code?: unknown })?.code !== 'string',
      });
      if (outcome) o.onOutcome?.(outcome);
      return { status: outcome?.status };
    },
    {
      connection: redisConnection(o.redisUrl),
      // recorded on each job it takes (Job.processedBy): which process holds a job, for operators and tests
      name: workerId,
      concurrency: o.concurrency ?? 1,
      lockDuration: o.lockDurationMs ?? 30_000,
      stalledInterval: o.stalledIntervalMs ?? 15_000,
      maxStalledCount: 3,
      autorun: true,
    },
  );
  worker.on('failed', (job, err) => o.onJobError?.(job?.data.study.key ?? '?', err));
  await new Promise<void>((resolve) => {
    const stop = () => void worker.close().then(resolve, resolve);
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop, { once: true });
  });
}
