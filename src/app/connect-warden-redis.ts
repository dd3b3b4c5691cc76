import type { Logger } from 'pino';
import { WardenError } from '../errors/warden-error.js';
import { connectRedis } from '../redis/connect-redis.js';
import { describeRedisTarget } from '../redis/describe-redis-target.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { RedisTarget } from '../redis/redis-target.js';
import { waitUntilReady } from '../redis/wait-until-ready.js';

/** The Redis connections of one Warden process. */
export interface WardenRedis {
  /** Fail-fast producer, auto-pipelined: intake, inbound events, the audit log. */
  redis: RedisClient;
  /** Fail-fast producer without auto-pipelining: the queues. */
  queueRedis: RedisClient;
  /** In processes that run workers: BullMQ's connection, and the one for Warden's own commands in jobs. */
  worker?: { redis: RedisClient; jobs: RedisClient };
  /** Every connection above. */
  all: RedisClient[];
}

/**
 * Opens the connections a process with `runsWorkers` needs and waits until each is ready; on
 * failure closes them all and throws `redis_unavailable`. Producers fail fast (503 to
 * Alertmanager); workers wait for Redis to come back.
 */
export async function connectWardenRedis(target: RedisTarget, runsWorkers: boolean, logger: Logger): Promise<WardenRedis> {
  const redis = connectRedis(target, 'producer', { lazyConnect: true });
  // BullMQ defines dozens of scripts on its connection, which every auto-pipeline would copy:
  // queues get their own fail-fast connection, intake's stays light.
  const queueRedis = connectRedis(target, 'producer', { lazyConnect: true, enableAutoPipelining: false });
  const worker = runsWorkers
    ? {
        redis: connectRedis(target, 'worker', { lazyConnect: true }),
        // Warden's own commands in jobs (the store, claims, digests) go out together once per tick, on
        // a connection of their own: BullMQ's connection stays without auto-pipelining, which it does not support.
        jobs: connectRedis(target, 'worker', { lazyConnect: true, enableAutoPipelining: true }),
      }
    : undefined;
  const named: [string, RedisClient][] = [['redis connection error', redis], ['redis (queues) connection error', queueRedis]];
  if (worker) named.push(['redis (workers) connection error', worker.redis], ['redis (jobs) connection error', worker.jobs]);
  for (const [message, connection] of named) connection.on('error', (error: Error) => logger.warn({ err: error }, message));
  const all = named.map(([, connection]) => connection);
  try {
    await Promise.all(all.map((connection) => waitUntilReady(connection)));
  } catch (error) {
    for (const connection of all) connection.disconnect();
    throw new WardenError('redis_unavailable', `cannot connect to Redis (${describeRedisTarget(target)}): ${(error as Error).message}`, { cause: error });
  }
  return { redis, queueRedis, ...(worker ? { worker } : {}), all };
}
