import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResultsStore } from '../../core/common/library/library-store-conformance';
import type { ResultRecord } from '../../core/common/library/library-store';
import { openPostgresResultsStore } from '../../core/node/library/postgres-results-store';
import { freePort, postgresUnavailableReason, startPostgres, type PostgresServer } from '../servers';

const why = postgresUnavailableReason();
if (why) console.warn(`SKIP postgres-results-store: ${why}`);

describe.skipIf(why !== null)('PostgresResultsStore against a real PostgreSQL', () => {
  let server: PostgresServer;
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => server?.stop());

  describeResultsStore('PostgresResultsStore', {
    newLocation: async () => `t${++n}`,
    open: (schema) => openPostgresResultsStore(server.connectionString, { schema }),
  });

  it('two users writing at once: every result lands once; concurrent opens migrate once', async () => {
    const [a, b] = await Promise.all([
      openPostgresResultsStore(server.connectionString, { schema: 'multi' }),
      openPostgresResultsStore(server.connectionString, { schema: 'multi' }),
    ]);
    const rec = (i: number): ResultRecord => ({
      id: `job-${i}`,
      pluginId: 'qiview.lung',
      pluginVersion: '0.3.0',
      modelVersions: { unet: 'sha256:1' },
      inputSeriesUids: [`9.${i}`],
      createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
      status: 'done',
      payload: { i },
    });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).putResult(rec(i % 60))));
    console.log(`postgres results: 100 concurrent upserts in ${(performance.now() - t0).toFixed(0)} ms`);
    const all = await a.listResults({ pluginId: 'qiview.lung' });
    expect(all).toHaveLength(60);
    expect(all[0].id).toBe('job-59');
    expect((await b.listResults({ seriesInstanceUid: '9.7' }))[0].payload).toEqual({ i: 7 });
    await Promise.all([a.close(), b.close()]);
  });

  it('an unreachable server fails with a clear message', async () => {
    const port = await freePort();
    await expect(openPostgresResultsStore(`postgresql://u:secret@127.0.0.1:${port}/x`)).rejects.toThrow(
      /results database unreachable \(postgresql:\/\/u:\*\*\*@127\.0\.0\.1/,
    );
  });
});
