/**
 * A queue worker process for the distributed batch test: a real BullMQ worker whose processor takes a while and logs
 * when each delivery starts and ends, so the test can kill it mid-job. Usage: tsx queue-worker-fixture.ts <redisUrl>
 * <queue> <logFile>
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runQueueWorker } from '../../core/node/batch/batch-queue';

const [redisUrl, queueName, logFile] = process.argv.slice(2) as [string, string, string];
const ctl = new AbortController();
process.on('SIGTERM', () => ctl.abort());
await runQueueWorker({
  redisUrl,
  queueName,
  lockDurationMs: 2000,
  stalledIntervalMs: 1000,
  signal: ctl.signal,
  processorFor: () => async (study, ws) => {
    appendFileSync(logFile, `start ${study.key} ${process.pid}\n`);
    await new Promise((r) => setTimeout(r, 400));
    if (study.key.startsWith('bad')) {
      throw Object.assign(new Error(`corrupt study ${study.key}`), { code: 'corrupt' });
    }
    writeFileSync(path.join(ws.dir, 'result.json'), JSON.stringify({ key: study.key }));
    appendFileSync(logFile, `end ${study.key} ${process.pid}\n`);
    return {
      measurements: { n: Number(study.key.split('-')[1]) },
      pluginId: 'p',
      pluginVersion: '1',
      models: {},
      files: ['result.json'],
    };
  },
});
