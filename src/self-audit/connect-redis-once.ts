import type { RedisOptions } from 'ioredis';
import { createSecretScrubber } from '../observability/scrub-secrets.js';
import { listUrlSecrets } from '../config/list-url-secrets.js';
import { connectRedis } from '../redis/connect-redis.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { RedisTarget } from '../redis/redis-target.js';

/** Options of {@link connectRedisOnce}. */
export interface ConnectRedisOnceOptions {
  connectionName: string;
  /** Connect and command timeout. Default 1500 ms. */
  timeoutMs?: number;
}

function listTargetSecrets(target: RedisTarget): string[] {
  if (target.kind === 'url') return listUrlSecrets(target.url);
  return [target.password ?? '', target.kind === 'sentinel' ? (target.sentinelPassword ?? '') : ''].filter((secret) => secret !== '');
}

/**
 * Connects to Redis once — one server, through Sentinel, or a cluster — with a short timeout and no
 * retries, and checks it answers PING: the audit must not hang on a Redis that is down. The error,
 * if any, is the connection's own ("connect ECONNREFUSED …", "NOAUTH …", "All sentinels are
 * unreachable …"), with credentials scrubbed.
 */
export async function connectRedisOnce(
  target: RedisTarget,
  options: ConnectRedisOnceOptions,
): Promise<{ redis: RedisClient; error?: undefined } | { redis?: undefined; error: string }> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const once: RedisOptions = {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    sentinelRetryStrategy: () => null,
    sentinelCommandTimeout: timeoutMs,
    failoverDetector: false,
    reconnectOnError: null,
    enableAutoPipelining: false,
    // The INFO ready check would turn NOAUTH into a connection error; PING below says it plainly.
    enableReadyCheck: false,
    enableOfflineQueue: true,
    connectionName: options.connectionName,
  };
  const redis = connectRedis(target, 'producer', once);
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return { redis };
  } catch (error) {
    redis.disconnect();
    const scrub = createSecretScrubber(listTargetSecrets(target));
    const reply = error instanceof Error && /^(NOAUTH|WRONGPASS|NOPERM)\b/.test(error.message) ? error : undefined;
    return { error: scrub((reply ?? lastError ?? (error as Error)).message) };
  }
}
