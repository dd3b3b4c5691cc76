import { Redis, type RedisOptions } from 'ioredis';

/** How a connection will be used; each needs different failure behaviour. */
export type RedisRole =
  /** HTTP intake and other producers: fail fast (no offline queue) so callers can answer 503. */
  | 'producer'
  /** BullMQ workers and schedulers: block and retry forever, as BullMQ requires. */
  | 'worker';

/**
 * Opens an ioredis connection for `role`. Producers get `enableOfflineQueue: false`, one retry and a
 * command timeout, so an unavailable Redis turns into an immediate error instead of a hung request;
 * workers get `maxRetriesPerRequest: null` (https://docs.bullmq.io/guide/going-to-production).
 */
export function connectRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectionName: `warden-${role}`,
    // Keep RESP2 replies: BullMQ's scripts and ours read flat arrays.
    protocol: 2,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
  };
  const options: RedisOptions =
    role === 'producer'
      ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5000, enableAutoPipelining: true }
      : { ...common, maxRetriesPerRequest: null, enableReadyCheck: true };
  return new Redis(url, { ...options, ...extra });
}
