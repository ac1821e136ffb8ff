import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisUnavailableReason, startRedis } from '../servers';

const why = redisUnavailableReason();
if (why) console.warn(`SKIP redis-server: ${why}`);

describe.skipIf(why !== null)('startRedis', () => {
  it('starts on loopback, answers SET/GET, stops, and the port is closed afterwards', async () => {
    const server = await startRedis();
    const client = new Redis(server.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
    } finally {
      client.disconnect();
      await server.stop();
    }
    const again = new Redis(server.url, {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    again.on('error', () => {});
    await expect(again.connect()).rejects.toThrow();
    again.disconnect();
  });
});
