import type { RedisClient } from './redis-client.js';

/**
 * Resolves when `redis` is ready, connecting it if it is still lazy (BullMQ may already have
 * started connecting it), or rejects with the connection's error.
 */
export async function waitUntilReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') {
    await redis.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`Redis did not become ready within ${timeoutMs} ms`)), timeoutMs);
    const onReady = () => done();
    const onEnd = () => done(new Error('Redis connection ended before it was ready'));
    function done(error?: Error) {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    }
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}
