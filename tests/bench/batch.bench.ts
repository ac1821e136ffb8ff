/**
 * `npm run bench:batch` (not a test): batch throughput of the built example plugin on one generated tree of CT
 * studies (default 40 studies of 64×64×32; `QIVIEW_BENCH_STUDIES`, `QIVIEW_BENCH_DIMS=64x64x32`), in studies per
 * minute for: 1 local worker, 2 local workers (`--workers 2`), and 2 queue workers (`qiview batch --queue` with two
 * `qiview worker` processes on a throwaway local redis-server). Every mode runs the same `qiview batch` CLI
 * (in-process `runCli`) into a fresh output folder with `--no-results`; the queue workers are started and ready
 * before the clock starts. Prints one JSON object with the ratio of each mode to 1 local worker, the machine's CPU
 * count and load averages (the numbers are only comparable at a similar load).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCtSeries } from '../phantoms/ct-series';
import { startRedis } from '../servers';
import { buildPlugins, runBatch, spawnCli } from '../support/cli-harness';

const PLUGIN = 'org.qiview.example-threshold';
const STUDIES = Number(process.env.QIVIEW_BENCH_STUDIES ?? 40);
const DIMS = (process.env.QIVIEW_BENCH_DIMS ?? '64x64x32').split('x').map(Number) as [number, number, number];

async function timeBatch(tree: string, out: string, extra: string[]): Promise<number> {
  const { code, io, seconds } = await runBatch({
    source: tree,
    plugin: PLUGIN,
    out,
    dataDir: path.join(out, 'user'),
    args: ['--no-results', ...extra],
  });
  if (code !== 0 || !io.lines.at(-1)?.startsWith(`${STUDIES} done, 0 failed`)) {
    throw new Error(
      `batch ${extra.join(' ')} failed (exit ${code}):\n${[...io.errs, ...io.lines].join('\n')}`,
    );
  }
  return seconds;
}

function startWorker(redisUrl: string, queue: string): Promise<ChildProcess> {
  const proc = spawnCli(['worker', '--queue', redisUrl, '--queue-name', queue], ['ignore', 'ignore', 'pipe']);
  return new Promise((resolve, reject) => {
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes(`worker ${proc.pid} on ${queue}`)) resolve(proc);
    });
    proc.once('exit', (c) => reject(new Error(`worker exited (${c}) before it was ready:\n${log}`)));
  });
}

async function main() {
  buildPlugins();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'qiview-bench-batch-'));
  const workers: ChildProcess[] = [];
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  try {
    const tree = path.join(tmp, 'tree');
    const t0 = performance.now();
    for (let i = 0; i < STUDIES; i++) {
      await writeCtSeries(path.join(tree, `s${String(i).padStart(3, '0')}`), {
        dims: DIMS,
        studyUid: `1.2.826.0.1.3680043.10.55.${i + 1}`,
        seriesUid: `1.2.826.0.1.3680043.10.55.${i + 1}.1`,
        patientId: `B${i}`,
      });
    }
    console.error(
      `generated ${STUDIES} studies of ${DIMS.join('×')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // warm-up (module loading, JIT, file cache) on a separate output folder, not counted
    await timeBatch(tree, path.join(tmp, 'warm'), ['--workers', '2']);

    const load = { before: os.loadavg().map((x) => Number(x.toFixed(2))) };
    const modes: Record<string, { seconds: number }> = {};
    const perMinute = (s: number) => Number(((STUDIES / s) * 60).toFixed(1));

    modes.local1 = { seconds: await timeBatch(tree, path.join(tmp, 'local1'), ['--workers', '1']) };
    console.error(`1 local worker: ${modes.local1.seconds.toFixed(1)} s`);
    modes.local2 = { seconds: await timeBatch(tree, path.join(tmp, 'local2'), ['--workers', '2']) };
    console.error(`2 local workers: ${modes.local2.seconds.toFixed(1)} s`);

    redis = await startRedis();
    const queue = 'bench';
    workers.push(...(await Promise.all([startWorker(redis.url, queue), startWorker(redis.url, queue)])));
    modes.queue2 = {
      seconds: await timeBatch(tree, path.join(tmp, 'queue2'), ['--queue', redis.url, '--queue-name', queue]),
    };
    console.error(`2 queue workers: ${modes.queue2.seconds.toFixed(1)} s`);

    const base = perMinute(modes.local1.seconds);
    const results = Object.fromEntries(
      Object.entries(modes).map(([k, v]) => [
        k,
        {
          seconds: Number(v.seconds.toFixed(2)),
          studiesPerMinute: perMinute(v.seconds),
          ratioTo1Worker: Number((perMinute(v.seconds) / base).toFixed(2)),
        },
      ]),
    );
    console.log(
      JSON.stringify(
        {
          bench: 'batch',
          plugin: PLUGIN,
          studies: STUDIES,
          dims: DIMS,
          cpus: os.cpus().length,
          loadavg: { ...load, after: os.loadavg().map((x) => Number(x.toFixed(2))) },
          results,
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((r) => {
            if (w.exitCode !== null || w.signalCode !== null) return r(0);
            w.once('exit', r);
            w.kill('SIGTERM');
          }),
      ),
    );
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
