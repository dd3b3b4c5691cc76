import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import { defineScript } from './define-script.js';

const runRelease = defineScript<number>(
  'wardenReleaseLock',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

/** A held lock; `release` frees it only if it is still ours (it may have expired and been taken). */
export interface Lock {
  release(): Promise<void>;
}

/**
 * Takes a short-lived lock (`SET NX PX`), or returns null when someone else holds it. The expiry
 * bounds how long a crashed holder can block others.
 */
export async function acquireLock(redis: RedisClient, key: string, ttlMs: number): Promise<Lock | null> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  return {
    async release() {
      await runRelease(redis, [key], [token]);
    },
  };
}
