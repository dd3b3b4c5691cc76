import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/redis/connect-redis.js';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { waitUntilReady } from '../../../src/redis/wait-until-ready.js';
import { startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';

/**
 * A primary demoted to replica (what a failover does to a primary that is still up) answers writes
 * with READONLY: connections made by `connectRedis` must reconnect rather than keep writing there.
 */
describe('connectRedis when its server turns into a replica', () => {
  let server: TestRedisServer;
  let other: TestRedisServer;
  let admin: Redis;
  const clients: RedisClient[] = [];

  const connect = (role: 'producer' | 'worker') => {
    const client = connectRedis({ kind: 'url', url: server.url }, role);
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  const demote = () => admin.replicaof('127.0.0.1', other.port);
  const promote = () => admin.replicaof('NO', 'ONE');

  beforeAll(async () => {
    server = await startRedisServer();
    other = await startRedisServer();
    admin = new Redis(server.url, { protocol: 2 });
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    admin?.disconnect();
    await server?.dispose();
    await other?.dispose();
  });

  it('a producer fails the refused write at once and reconnects', async () => {
    const producer = connect('producer');
    await waitUntilReady(producer);
    await producer.set('before', '1');
    const reconnected = new Promise<void>((resolve) => producer.once('reconnecting', () => resolve()));
    await demote();
    try {
      await expect(producer.set('during', '1')).rejects.toThrow(/READONLY/);
      await reconnected;
    } finally {
      await promote();
    }
    await expect.poll(() => producer.set('after', '1').catch((error: Error) => error.message), { timeout: 10_000 }).toBe('OK');
  });

  it('a worker reconnects and sends the refused write again, which succeeds once the server is a primary again', async () => {
    const worker = connect('worker');
    await worker.set('before', '1');
    await demote();
    const write = worker.set('during', '2');
    await new Promise((resolve) => worker.once('reconnecting', resolve));
    await promote();
    await expect(write).resolves.toBe('OK');
    expect(await admin.get('during')).toBe('2');
  });
});
