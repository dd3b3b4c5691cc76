import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pingRedis } from './ping-redis.js';
import { DEFAULT_REDIS_URL, readRedisTarget, type RedisLocation } from './read-redis-target.js';
import type { RedisTarget } from './redis-target.js';

/** Where `warden serve` records the private redis-server it started: `<dataDir>/redis/warden-redis.json`. */
export function privateRedisStateFile(dataDir: string): string {
  return join(resolve(dataDir), 'redis', 'warden-redis.json');
}

/** The private redis-server a `warden serve` recorded under `dataDir`, if the record is readable. */
export function readPrivateRedis(dataDir: string): { url: string; pid: number } | undefined {
  try {
    const state = JSON.parse(readFileSync(privateRedisStateFile(dataDir), 'utf8')) as { url?: unknown; pid?: unknown };
    return typeof state.url === 'string' && typeof state.pid === 'number' ? { url: state.url, pid: state.pid } : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link findRedis}. */
export interface FindRedisOptions {
  /** The configured `redis` section. */
  redis: RedisLocation;
  /** Where `warden serve` keeps its private redis-server's data (`./data`). */
  dataDir: string;
  /** Tried when no URL is configured. Default `redis://127.0.0.1:6379`. */
  defaultUrl?: string;
}

/**
 * Finds the Redis the embedded defaults point at, without starting anything: the configured URL,
 * Sentinels or cluster as they are; otherwise the default (127.0.0.1:6379) if it answers;
 * otherwise the private redis-server that `warden serve` started under `dataDir`, if it answers.
 * `found: false` gives the default back, for a caller that reports it as unreachable (or, in
 * `warden serve`, starts a private server).
 */
export async function findRedis(options: FindRedisOptions): Promise<{ target: RedisTarget; found: boolean; private?: { url: string; pid: number } }> {
  const { redis } = options;
  if (redis.url || redis.sentinels || redis.cluster) return { target: readRedisTarget(redis), found: true };
  const defaultUrl = options.defaultUrl ?? DEFAULT_REDIS_URL;
  if (await pingRedis(defaultUrl)) return { target: { kind: 'url', url: defaultUrl }, found: true };
  const running = readPrivateRedis(options.dataDir);
  if (running && (await pingRedis(running.url))) return { target: { kind: 'url', url: running.url }, found: true, private: running };
  return { target: { kind: 'url', url: defaultUrl }, found: false };
}
