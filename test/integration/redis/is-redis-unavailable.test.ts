import { createServer, type Server, type Socket } from 'node:net';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/redis/connect-redis.js';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import { isRedisUnavailable } from '../../../src/redis/is-redis-unavailable.js';
import { waitUntilReady } from '../../../src/redis/wait-until-ready.js';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const prefix = uniquePrefix('unavailable');
const admin = connectTestRedis();

/** What `run` rejects with (the test fails if it resolves). */
async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('isRedisUnavailable, on the errors real connections give', () => {
  const closers: (() => void)[] = [];
  afterAll(async () => {
    for (const close of closers) close();
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  it('says unavailable when nothing listens', async () => {
    const port = await findFreePort();
    const redis = connectRedis({ kind: 'url', url: `redis://127.0.0.1:${port}` }, 'producer', { lazyConnect: true, retryStrategy: () => null });
    redis.on('error', () => {});
    closers.push(() => redis.disconnect());
    const error = await failureOf(() => waitUntilReady(redis).then(() => redis.get(`${prefix}:x`)));
    expect(isRedisUnavailable(error)).toBe(true);
    // A fail-fast producer that is not connected refuses at once, without an offline queue.
    expect(isRedisUnavailable(await failureOf(() => redis.get(`${prefix}:x`)))).toBe(true);
  });

  it('says unavailable when a server accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    const port = await findFreePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    closers.push(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const redis = new Redis(`redis://127.0.0.1:${port}`, { commandTimeout: 200, enableReadyCheck: false, maxRetriesPerRequest: 0, protocol: 2 });
    redis.on('error', () => {});
    closers.push(() => redis.disconnect());
    expect(isRedisUnavailable(await failureOf(() => redis.get(`${prefix}:x`)))).toBe(true);
  });

  it('says unavailable for replies that mean "not now"', () => {
    for (const reply of ['READONLY You can\'t write against a read only replica.', 'LOADING Redis is loading the dataset in memory', 'CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request during rehashing of slot', 'MASTERDOWN Link with MASTER is down', 'OOM command not allowed when used memory > \'maxmemory\'.', 'NOREPLICAS Not enough good replicas to write.']) {
      expect(isRedisUnavailable(new ReplyError(reply)), reply).toBe(true);
    }
  });

  it('does not call a script error, a wrong type or a bug of our own "unavailable"', async () => {
    const redis = connectRedis({ kind: 'url', url: TEST_REDIS_URL }, 'producer');
    redis.on('error', () => {});
    closers.push(() => redis.disconnect());
    await waitUntilReady(redis);
    const scriptError = await failureOf(() => redis.eval("return cjson.decode(ARGV[1])", 0, '{"a":"\\ud800"}'));
    expect((scriptError as Error).message).toMatch(/invalid unicode escape/);
    expect(isRedisUnavailable(scriptError)).toBe(false);
    await redis.set(`${prefix}:string`, 'x');
    expect(isRedisUnavailable(await failureOf(() => redis.hget(`${prefix}:string`, 'field')))).toBe(false);
    expect(isRedisUnavailable(new TypeError('results[i] is not iterable'))).toBe(false);
    expect(isRedisUnavailable('a string')).toBe(false);
  });
});
