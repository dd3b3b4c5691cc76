import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import { defineScript } from './define-script.js';

const runRelease = defineScript<number>(
  'wardenReleaseLock',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

const runTakeOver = defineScript<number>(
  'wardenTakeOverLock',
  `local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`,
);

/** A held lock; `release` frees it only if it is still ours (it may have expired and been taken). */
export interface Lock {
  release(): Promise<void>;
}

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** What the key holds while the lock is ours (it must be unique to this holder); default a random UUID. */
  value?: string;
  /** Also take the lock when it still holds exactly this value: a holder known to be gone. */
  replacing?: string;
}

/**
 * Takes a short-lived lock (`SET NX PX`), or returns null when someone else holds it. The expiry
 * bounds how long a crashed holder can block others.
 */
export async function acquireLock(redis: RedisClient, key: string, ttlMs: number, options: LockOptions = {}): Promise<Lock | null> {
  const value = options.value ?? randomUUID();
  const ok =
    options.replacing === undefined
      ? (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK'
      : (await runTakeOver(redis, [key], [value, options.replacing, ttlMs])) === 1;
  if (!ok) return null;
  return {
    async release() {
      await runRelease(redis, [key], [value]);
    },
  };
}
