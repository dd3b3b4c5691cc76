import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use: a real server (REDIS_URL, default 127.0.0.1:6379), never a mock. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique key prefix per test file, so files running in parallel never see each other's keys. */
export function uniquePrefix(name: string): string {
  return `wt-${name}-${randomBytes(4).toString('hex')}`;
}

/** A client to inspect Redis from a test. */
export function connectTestRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false });
}

/** Deletes every key under `prefix` (BullMQ's and Warden's). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Every key under `prefix`, sorted, to assert that nothing was stored. */
export async function listKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found.sort();
}

/** A fresh random secret of `length` characters for a test. */
export function randomSecret(length = 40): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}
