/**
 * Starts a throwaway redis-server on a free loopback port with persistence off
 * (recipe: /work/shared/guides/stack.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, ServerUnavailable, spawnChild, stopChild, waitUntil } from './process-helpers';

/** A running redis-server. */
export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Why redis-server cannot run here, or null. */
export function redisUnavailableReason(): string | null {
  return findBinary(['redis-server']) ? null : 'redis-server not found (apt-get install -y redis-server)';
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        s.destroy();
        resolve(buf.startsWith('+PONG'));
      }
    });
  });
}

/** Starts redis-server; throws {@link ServerUnavailable} when it is not installed. */
export async function startRedis(): Promise<RedisServer> {
  const why = redisUnavailableReason();
  if (why) throw new ServerUnavailable(why);
  const bin = findBinary(['redis-server'])!;
  const dir = await mkdtemp(path.join(tmpdir(), 'qiview-redis-'));
  const port = await freePort();
  const child = spawnChild(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { cwd: dir },
  );
  try {
    await waitUntil('redis-server', () => ping(port), child);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
