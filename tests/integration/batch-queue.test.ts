import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueStudies, waitForQueue } from '../../core/node/batch/batch-queue';
import { StudyLedger } from '../../core/node/batch/study-ledger';
import { summaryCsv } from '../../core/node/batch/summary-csv';
import type { BatchStudy } from '../../core/node/batch/batch-types';

const hasRedis = existsSync('/usr/bin/redis-server');
let redis: ChildProcess | undefined;
let redisUrl = '';
let work = '';
const spawned: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  if (!hasRedis) return;
  work = mkdtempSync(path.join(tmpdir(), 'qiview-queue-'));
  const port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  redisUrl = `redis://127.0.0.1:${port}`;
  const { Redis } = await import('ioredis');
  for (let i = 0; i < 50; i++) {
    const c = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await c.connect();
      await c.ping();
      c.disconnect();
      return;
    } catch {
      c.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('redis-server did not start');
});
afterAll(() => {
  for (const w of spawned) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  redis?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasRedis)('distributed batch over BullMQ (real redis-server)', () => {
  it('3 worker processes, one killed mid-job: every study ends up recorded exactly once', async () => {
    const outDir = path.join(work, 'out');
    const log = path.join(work, 'deliveries.log');
    writeFileSync(log, '');
    const studies: BatchStudy[] = Array.from({ length: 20 }, (_, i) => ({
      key: `${i === 5 ? 'bad' : 'study'}-${i}`,
      identifiers: { index: String(i) },
      source: { kind: 'files', paths: [] },
    }));
    const config = { runId: 'run-1', outDir, pluginId: 'p', pluginVersion: '1', options: {} };
    expect(await enqueueStudies(redisUrl, 'q1', config, studies)).toEqual({ enqueued: 20, skipped: 0 });
    // Enqueueing again de-duplicates by job id.
    await enqueueStudies(redisUrl, 'q1', config, studies);

    const fixture = path.resolve('tests/support/queue-worker-fixture.ts');
    const workers = [0, 1, 2].map(() =>
      spawn(process.execPath, ['--import', 'tsx', fixture, redisUrl, 'q1', log], { stdio: 'ignore' }),
    );
    spawned.push(...workers);
    // Kill a worker mid-job: wait until some delivery has started but not ended.
    let victim: { key: string; pid: number } | undefined;
    for (let i = 0; i < 400 && !victim; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
      const ended = new Set(lines.filter((l) => l.startsWith('end')).map((l) => l.split(' ')[1]));
      const doneCount = ended.size;
      const open = lines.filter((l) => l.startsWith('start') && !ended.has(l.split(' ')[1]));
      if (doneCount >= 3 && open.length) {
        const [, key, pid] = open[0]!.split(' ');
        victim = { key: key!, pid: Number(pid) };
      }
    }
    expect(victim).toBeDefined();
    expect(workers.map((w) => w.pid)).toContain(victim!.pid);
    process.kill(victim!.pid, 'SIGKILL');

    const counts = await waitForQueue(redisUrl, 'q1', { intervalMs: 200 });
    expect(counts.completed).toBe(20);
    await Promise.all(
      workers.map((w) =>
        w.exitCode !== null || w.signalCode !== null
          ? undefined
          : new Promise((r) => {
              w.once('exit', r);
              w.kill('SIGTERM');
            }),
      ),
    );

    const outcomes = new StudyLedger(outDir).all();
    expect(outcomes.map((o) => o.key).sort()).toEqual(studies.map((s) => s.key).sort());
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(19);
    expect(outcomes.find((o) => o.key === 'bad-5')).toMatchObject({
      status: 'failed',
      reason: 'corrupt study bad-5',
    });
    // The killed delivery was redone by another worker.
    const victimOutcome = outcomes.find((o) => o.key === victim!.key)!;
    if (!victim!.key.startsWith('bad')) expect(victimOutcome.status).toBe('done');
    expect(victimOutcome.worker.endsWith(`:${victim!.pid}`)).toBe(false);
    const starts = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(`start ${victim!.key} `));
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(summaryCsv(outcomes).trim().split('\r\n')).toHaveLength(21);
  }, 120_000);
});
