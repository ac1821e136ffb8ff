import { Command } from 'commander';
import { runQueueWorker, type QueueRunConfig } from '../../core/node/batch/batch-queue';
import { workerDbUrl } from '../../core/node/batch/db-credentials';
import {
  processorFromConfig,
  type BuiltProcessor,
  type PluginRunOptions,
} from '../../core/node/batch/processor-from-config';
import { cliUserData } from '../data-dir';
import { CliError, type CliIo } from '../io';

/** The run's config with this worker's `--db` (same database, with its password) in place of the queued one. */
function withWorkerDb(config: QueueRunConfig, db: string | undefined): QueueRunConfig {
  const runDb = (config.options as unknown as PluginRunOptions).db;
  if (!runDb) return config;
  return { ...config, options: { ...config.options, db: workerDbUrl(runDb, db) } };
}

/** `qiview worker`: takes batch jobs from a Redis queue until SIGTERM/SIGINT. */
export function workerCommand(io: CliIo, globals: () => { dataDir?: string }): Command {
  return new Command('worker')
    .description('process `qiview batch --queue` jobs from Redis until stopped (SIGTERM/SIGINT)')
    .requiredOption('--queue <redis-url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue-name <name>', 'BullMQ queue name', 'qiview-batch')
    .option('--concurrency <n>', 'jobs processed at once', '1')
    .option(
      '--db <url>',
      "the results database with its password (batch runs put it on the queue without one); must name the run's database",
    )
    .option(
      '--lock-ms <ms>',
      "job lock duration: a killed worker's job is redone after about this long",
      '30000',
    )
    .action(
      async (o: { queue: string; queueName: string; concurrency: string; lockMs: string; db?: string }) => {
        const concurrency = Number(o.concurrency);
        const lockMs = Number(o.lockMs);
        if (!Number.isInteger(concurrency) || concurrency < 1) {
          throw new CliError('--concurrency must be a positive integer', 2);
        }
        if (!(lockMs >= 1000)) throw new CliError('--lock-ms must be at least 1000', 2);
        const controller = new AbortController();
        const stop = () => {
          if (!controller.signal.aborted) io.err('stopping: finishing running jobs');
          controller.abort();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        // One processor per run, built on its first job (plugin manifest read, results store opened once).
        const cache = new Map<string, Promise<BuiltProcessor>>();
        const { pluginsDir } = cliUserData(globals().dataDir, io.env);
        let n = 0;
        io.err(`worker ${process.pid} on ${o.queueName} (concurrency ${concurrency})`);
        try {
          await runQueueWorker({
            redisUrl: o.queue,
            queueName: o.queueName,
            concurrency,
            lockDurationMs: lockMs,
            stalledIntervalMs: Math.max(500, Math.round(lockMs / 2)),
            signal: controller.signal,
            processorFor: async (config: QueueRunConfig) => {
              let p = cache.get(config.runId);
              if (!p) {
                p = processorFromConfig(withWorkerDb(config, o.db), { pluginsDir });
                cache.set(config.runId, p);
                p.catch(() => cache.delete(config.runId));
              }
              return (await p).process;
            },
            onJobError: (key, e) => io.err(`error ${key}: ${e.message}`),
            onOutcome: (s) => {
              n++;
              io.err(`${s.status} ${s.key}${s.reason ? `: ${s.reason}` : ''}`);
            },
          });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          for (const p of cache.values()) await p.then((b) => b.close()).catch(() => {});
        }
        io.out(`worker ${process.pid} stopped after ${n} studies`);
      },
    );
}
