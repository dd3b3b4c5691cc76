import { Redis, type RedisOptions } from 'ioredis';
import { createSecretScrubber } from '../observability/scrub-secrets.js';
import { listUrlSecrets } from '../config/list-url-secrets.js';

/** Options of {@link connectRedisOnce}. */
export interface ConnectRedisOnceOptions {
  connectionName: string;
  /** Connect and command timeout. Default 1500 ms. */
  timeoutMs?: number;
}

/**
 * Connects to Redis once, with a short timeout and no retries, and checks it answers PING: the
 * audit must not hang on a Redis that is down. The error, if any, is the connection's own
 * ("connect ECONNREFUSED …", "NOAUTH …"), with credentials scrubbed.
 */
export async function connectRedisOnce(
  target: string | RedisOptions,
  options: ConnectRedisOnceOptions,
): Promise<{ redis: Redis; error?: undefined } | { redis?: undefined; error: string }> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const common: RedisOptions = {
    lazyConnect: true,
    // Keep RESP2 replies, as src/redis/connect-redis.ts does.
    protocol: 2,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    // The INFO ready check would turn NOAUTH into a connection error; PING below says it plainly.
    enableReadyCheck: false,
    connectionName: options.connectionName,
  };
  const redis = typeof target === 'string' ? new Redis(target, common) : new Redis({ ...target, ...common });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return { redis };
  } catch (error) {
    redis.disconnect();
    const scrub = createSecretScrubber(typeof target === 'string' ? listUrlSecrets(target) : [target.password ?? '']);
    const reply = error instanceof Error && /^(NOAUTH|WRONGPASS|NOPERM)\b/.test(error.message) ? error : undefined;
    return { error: scrub((reply ?? lastError ?? (error as Error)).message) };
  }
}
