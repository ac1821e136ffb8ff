import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresUnavailableReason, startPostgres } from '../servers';

const why = postgresUnavailableReason();
if (why) console.warn(`SKIP postgres-server: ${why}`);

describe.skipIf(why !== null)('startPostgres', () => {
  it('starts a throwaway cluster reachable over TCP and the unix socket, then removes it', async () => {
    const t0 = performance.now();
    const server = await startPostgres();
    console.log(`postgres ready in ${(performance.now() - t0).toFixed(0)} ms`);
    try {
      const tcp = new pg.Client({ connectionString: server.connectionString });
      await tcp.connect();
      expect((await tcp.query('select 1 + 1 as two')).rows[0].two).toBe(2);
      await tcp.end();
      const sock = new pg.Client({
        host: server.socketDir,
        port: server.port,
        user: 'test',
        database: 'postgres',
      });
      await sock.connect();
      expect((await sock.query('select current_user as u')).rows[0].u).toBe('test');
      await sock.end();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.socketDir)).toBe(false);
  });
});
