/**
 * The distributed batch at CLI level, no mocks: a real redis-server, `qiview batch --queue` (in-process runCli) and
 * two `qiview worker` child processes (cli/main.ts under tsx) running the built example plugin on generated CT
 * studies. One worker is SIGKILLed while it holds a job (BullMQ's Job.processedBy names the process); its job is
 * redone by the other after the lock expires, and summary.csv ends with every study done exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program';
import { redisConnection } from '../../core/node/batch/batch-queue';
import type { StudyOutcome } from '../../core/node/batch/batch-types';
import { writeCtSeries } from '../phantoms/ct-series';
import { openPostgresResultsStore } from '../../core/node/library/postgres-results-store';
import {
  postgresUnavailableReason,
  redisUnavailableReason,
  startPostgres,
  startRedis,
  type PostgresServer,
  type RedisServer,
} from '../servers';
import { REIDENTIFY_DIR, StudyPseudonyms } from '../../core/node/batch/study-pseudonyms';
import { batchArgv, buildPlugins, readSummary, runBatch, spawnCli } from '../support/cli-harness';
import { findLeaks } from '../support/leak-scan';

const why = redisUnavailableReason();
if (why) console.warn(`SKIP batch-distributed-cli: ${why}`);

const PLUGIN = 'org.qiview.example-threshold';
const N = 12;
const QUEUE = 'qiview-cli-test';

let redis: RedisServer;
let tmp: string;
let tree: string;
const workers: Array<{ proc: ChildProcess; log: () => string }> = [];

function startWorker(): { proc: ChildProcess; log: () => string } {
  const proc = spawnCli(['worker', '--queue', redis.url, '--queue-name', QUEUE, '--lock-ms', '2000']);
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return { proc, log: () => log };
}

beforeAll(async () => {
  if (why) return;
  buildPlugins();
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-dist-cli-'));
  tree = path.join(tmp, 'tree');
  redis = await startRedis();
  for (let i = 0; i < N; i++) {
    await writeCtSeries(path.join(tree, `p${String(i).padStart(2, '0')}`), {
      dims: [64, 64, 32],
      studyUid: `1.2.826.0.1.3680043.10.99.${i + 1}`,
      seriesUid: `1.2.826.0.1.3680043.10.99.${i + 1}.1`,
      patientId: `Q${i}`,
    });
  }
}, 60_000);
afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await redis?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(why !== null)('qiview batch --queue with qiview worker processes (real redis-server)', () => {
  it('2 workers, one SIGKILLed mid-job: summary.csv has every study done exactly once', async () => {
    const out = path.join(tmp, 'out');
    workers.push(startWorker(), startWorker());
    const pids = workers.map((w) => w.proc.pid!);
    const queue = new Queue(QUEUE, { connection: redisConnection(redis.url) });

    // Watch the queue: once a few studies are done, kill the process holding an active job.
    let victim: { pid: number; key: string } | undefined;
    let watching = true;
    const watcher = (async () => {
      while (watching && !victim) {
        await new Promise((r) => setTimeout(r, 30));
        if ((await queue.getCompletedCount()) < 2) continue;
        for (const job of await queue.getActive()) {
          const pid = Number(
            String(job.processedBy ?? '')
              .split(':')
              .pop(),
          );
          if (pids.includes(pid)) {
            process.kill(pid, 'SIGKILL');
            victim = { pid, key: (job.data as { study: { key: string } }).study.key };
            break;
          }
        }
      }
    })();

    const {
      code,
      io: { lines, errs },
      seconds,
    } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir: path.join(tmp, 'user'),
      args: ['--queue', redis.url, '--queue-name', QUEUE],
    });
    watching = false;
    await watcher;
    await queue.close();
    console.log(`distributed CLI run: ${N} studies, 2 workers (one killed) in ${seconds.toFixed(1)} s`);
    const diag = `${errs.join('\n')}\n--- workers:\n${workers.map((w) => w.log()).join('\n---\n')}`;
    expect(code, diag).toBe(0);
    expect(errs[1], diag).toMatch(new RegExp(`^enqueued ${N} \\(skipped 0`));
    expect(lines.at(-1)).toMatch(new RegExp(`^${N} done, 0 failed of ${N}`));
    expect(errs.filter((l) => l.startsWith('progress ')).at(-1)).toMatch(
      new RegExp(`^progress ${N}/${N} done=${N} failed=0 skipped=0 `),
    );
    expect(victim, diag).toBeDefined();
    const killed = workers.find((w) => w.proc.pid === victim!.pid)!;
    await new Promise((r) =>
      killed.proc.exitCode !== null || killed.proc.signalCode ? r(0) : killed.proc.once('exit', r),
    );
    expect(killed.proc.signalCode).toBe('SIGKILL');

    // summary.csv: every study exactly once, all done, with the phantom's values
    const rows = readSummary(out);
    const keys = rows.map((r) => r.study_key);
    expect(keys).toHaveLength(N);
    expect(new Set(keys).size).toBe(N);
    expect(keys.sort()).toEqual(readdirSync(tree).sort());
    for (const r of rows) {
      expect(r.status, r.reason).toBe('done');
      expect(Number(r.mean_hu)).toBeCloseTo(300, 6);
    }
    expect(readdirSync(path.join(out, 'studies'))).toHaveLength(N);
    // the killed worker's job was finished by the survivor
    const survivor = workers.find((w) => w.proc.pid !== victim!.pid)!;
    const victimRow = rows.find((r) => r.study_key === victim!.key)!;
    expect(victimRow.worker.endsWith(`:${survivor.proc.pid}`), diag).toBe(true);
    const byWorker = new Map<string, number>();
    for (const d of readdirSync(path.join(out, 'studies'))) {
      const s = JSON.parse(readFileSync(path.join(out, 'studies', d, 'status.json'), 'utf8')) as StudyOutcome;
      byWorker.set(s.worker, (byWorker.get(s.worker) ?? 0) + 1);
    }
    console.log(
      `studies by worker: ${JSON.stringify(Object.fromEntries(byWorker))}; killed ${victim!.pid} on ${victim!.key}`,
    );

    // a re-run enqueues nothing (all recorded) and reports the same summary
    const again: string[] = [];
    const code2 = await runCli(
      batchArgv({
        source: tree,
        plugin: PLUGIN,
        out,
        args: ['--queue', redis.url, '--queue-name', QUEUE, '--no-results'],
      }),
      { out: (l) => again.push(l), err: (l) => again.push(l), isTty: false, env: {} },
    );
    expect(code2, again.join('\n')).toBe(0);
    expect(again).toContain(`enqueued 0 (skipped ${N} already recorded) on ${QUEUE}`);
    expect(again.at(-1)).toMatch(new RegExp(`^${N} done, 0 failed of ${N}`));

    // the survivor stops cleanly on SIGTERM
    const exited = new Promise((r) => survivor.proc.once('exit', r));
    survivor.proc.kill('SIGTERM');
    await exited;
    expect(survivor.proc.exitCode, survivor.log()).toBe(0);
    expect(survivor.log()).toMatch(/stopped after \d+ studies/);
  }, 90_000);
});

const whyPg = why ?? postgresUnavailableReason();
describe.skipIf(whyPg !== null)(
  'qiview batch --queue --db postgres:// (real redis-server and PostgreSQL)',
  () => {
    let pg: PostgresServer;
    beforeAll(async () => {
      pg = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await pg?.stop();
    });

    it('the database password never reaches Redis; a worker given --db with it records every result', async () => {
      const queueName = 'qiview-cli-test-db';
      const small = path.join(tmp, 'small');
      for (const d of readdirSync(tree).slice(0, 2))
        cpSync(path.join(tree, d), path.join(small, d), { recursive: true });
      const u = new URL(pg.connectionString);
      u.password = 'n0t-in-redis';
      const withPassword = u.toString();
      const queue = new Queue(queueName, { connection: redisConnection(redis.url) });
      const batch = runBatch({
        source: small,
        plugin: PLUGIN,
        out: path.join(tmp, 'out-db'),
        dataDir: path.join(tmp, 'user'),
        args: ['--queue', redis.url, '--queue-name', queueName, '--db', withPassword],
      });
      // no worker yet: the jobs wait in Redis; read them back as any Redis client could
      let waiting: Awaited<ReturnType<typeof queue.getWaiting>> = [];
      for (let i = 0; i < 200 && waiting.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        waiting = await queue.getWaiting();
      }
      expect(waiting).toHaveLength(2);
      for (const job of waiting) {
        const raw = JSON.stringify(job.data);
        expect(raw).not.toContain('n0t-in-redis');
        expect((job.data as { config: { options: { db: string } } }).config.options.db).toBe(
          new URL(pg.connectionString).toString(),
        );
      }
      const worker = spawnCli([
        'worker',
        '--queue',
        redis.url,
        '--queue-name',
        queueName,
        '--db',
        withPassword,
      ]);
      let log = '';
      worker.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      worker.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      try {
        const { code, io } = await batch;
        expect(code, `${io.errs.join('\n')}\n--- worker:\n${log}`).toBe(0);
        expect(io.errs.join('\n')).toMatch(/--db password is not put on the queue/);
        const store = await openPostgresResultsStore(pg.connectionString);
        try {
          const results = await store.listResults({ pluginId: PLUGIN });
          expect(results.map((r) => r.status)).toEqual(['done', 'done']);
        } finally {
          await store.close();
        }
      } finally {
        const exited = new Promise((r) => worker.once('exit', r));
        worker.kill('SIGTERM');
        await exited;
        await queue.close();
      }
    }, 60_000);
  },
);

describe.skipIf(why !== null)(
  'qiview batch --queue --deidentify (real redis-server, a worker process)',
  () => {
    it('the worker records every study under the pseudonyms of the shared output folder; a re-run enqueues nothing', async () => {
      const queueName = 'qiview-cli-test-deid';
      const folders = ['DOE_JANE_MRN4711', 'ROE_RICHARD_MRN4712', 'SMITH_ANNA_MRN4713'];
      const src = path.join(tmp, 'deid-src');
      const uids: string[] = [];
      for (const [i, f] of folders.entries()) {
        cpSync(path.join(tree, `p0${i}`), path.join(src, f), { recursive: true });
        uids.push(`1.2.826.0.1.3680043.10.99.${i + 1}`);
      }
      const out = path.join(tmp, 'out-deid');
      const args = ['--queue', redis.url, '--queue-name', queueName, '--deidentify', '--no-results'];
      const worker = spawnCli(['worker', '--queue', redis.url, '--queue-name', queueName]);
      let log = '';
      worker.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      worker.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      try {
        const { code, io } = await runBatch({
          source: src,
          plugin: PLUGIN,
          out,
          dataDir: path.join(tmp, 'user'),
          args,
        });
        expect(code, `${io.errs.join('\n')}\n--- worker:\n${log}`).toBe(0);
        const p = StudyPseudonyms.forOutDir(out);
        const rows = readSummary(out);
        expect(rows.map((r) => r.study_key).sort()).toEqual(folders.map((f) => p.studyKey(f)).sort());
        for (const r of rows) {
          expect(r.status, r.reason).toBe('done');
          expect(r.worker.endsWith(`:${worker.pid}`)).toBe(true); // recorded by the other process
        }
        const leaks = findLeaks(out, [...folders, ...uids, 'Phantom^CT'], [REIDENTIFY_DIR]);
        expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);
        const again = await runBatch({
          source: src,
          plugin: PLUGIN,
          out,
          dataDir: path.join(tmp, 'user'),
          args,
        });
        expect(again.code, again.io.errs.join('\n')).toBe(0);
        expect(again.io.errs).toContain(`enqueued 0 (skipped 3 already recorded) on ${queueName}`);
        expect(readSummary(out)).toEqual(rows);
      } finally {
        const exited = new Promise((r) => worker.once('exit', r));
        worker.kill('SIGTERM');
        await exited;
      }
    }, 60_000);
  },
);
