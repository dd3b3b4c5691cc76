import type { RedisConfig } from '../config/redis-schema.js';
import type { RedisAddress, RedisTarget } from './redis-target.js';

/** The keys of the `redis` section that say where Redis is and how to log in. */
export type RedisLocation = Omit<RedisConfig, 'prefix' | 'waitForReplicas'>;

/** Where Warden looks for Redis when no URL is configured (DESIGN.md §5). */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function toAddress(hostPort: string): RedisAddress {
  const split = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, split).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(split + 1)) };
}

/**
 * The Redis the validated `redis` section points at: Sentinel (`sentinels` + `name`), a cluster
 * (`cluster.nodes`) or one server (`url`); with none of them, one server at `fallbackUrl`.
 */
export function readRedisTarget(redis: RedisLocation, fallbackUrl = DEFAULT_REDIS_URL): RedisTarget {
  const credentials = {
    ...(redis.username === undefined ? {} : { username: redis.username }),
    ...(redis.password === undefined ? {} : { password: redis.password }),
  };
  if (redis.sentinels !== undefined && redis.name !== undefined) {
    return {
      kind: 'sentinel',
      sentinels: redis.sentinels.map(toAddress),
      name: redis.name,
      ...credentials,
      ...(redis.sentinelUsername === undefined ? {} : { sentinelUsername: redis.sentinelUsername }),
      ...(redis.sentinelPassword === undefined ? {} : { sentinelPassword: redis.sentinelPassword }),
    };
  }
  if (redis.cluster !== undefined) return { kind: 'cluster', nodes: redis.cluster.nodes.map(toAddress), ...credentials };
  return { kind: 'url', url: redis.url ?? fallbackUrl };
}
