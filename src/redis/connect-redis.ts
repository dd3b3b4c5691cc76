import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from './redis-client.js';
import type { RedisTarget } from './redis-target.js';
import { toClusterOptions } from './to-cluster-options.js';

/** How a connection will be used; each needs different failure behaviour. */
export type RedisRole =
  /** HTTP intake and other producers: fail fast (no offline queue) so callers can answer 503. */
  | 'producer'
  /** BullMQ workers and schedulers: block and retry forever, as BullMQ requires. */
  | 'worker';

/**
 * What a command's error reply says about the connection. A primary demoted to replica by a
 * failover keeps its clients and answers writes with READONLY (MASTERDOWN: a replica that lost its
 * primary): the connection must be made again, through Sentinel, to the new primary. Workers resend
 * the failed command there (it was refused, so it did not run); producers let it fail, so that intake
 * answers 503 at once and Alertmanager delivers again.
 */
function reconnectOnError(role: RedisRole): (error: Error) => boolean | 2 {
  return (error) => {
    if (!/\b(READONLY|MASTERDOWN)\b/.test(error.message)) return false;
    return role === 'worker' ? 2 : true;
  };
}

/** Options of every connection of `role`, whatever the target. */
function roleOptions(role: RedisRole): RedisOptions {
  const common: RedisOptions = {
    connectionName: `warden-${role}`,
    // Keep RESP2 replies: BullMQ's scripts and ours read flat arrays.
    protocol: 2,
    // Quick first retries: a failover moves the primary within a second or two.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    reconnectOnError: reconnectOnError(role),
  };
  // A producer's command that was sent but not answered when the connection dropped fails instead
  // of being sent again after the reconnect: after a failover that would be to another server,
  // which may lack what the process read or wrote just before.
  return role === 'producer'
    ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 5000, enableAutoPipelining: true }
    : { ...common, maxRetriesPerRequest: null, enableReadyCheck: true };
}

/**
 * Opens an ioredis connection for `role` to `target`: a `Redis` for one server or a Sentinel-managed
 * primary, a `Cluster` for Redis Cluster. Producers get `enableOfflineQueue: false`, no retry and a
 * command timeout, so an unavailable Redis (down, failing over) turns into an immediate error
 * instead of a hung request; workers get `maxRetriesPerRequest: null`
 * (https://docs.bullmq.io/guide/going-to-production). Through Sentinel, the connection listens for
 * `+switch-master` (`failoverDetector`) and moves to the new primary as soon as the Sentinels
 * announce it, instead of writing on to a primary that is about to be demoted.
 */
export function connectRedis(target: RedisTarget, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  const options: RedisOptions = { ...roleOptions(role), ...extra };
  if (target.kind === 'url') return new Redis(target.url, options);
  const { username, password } = target;
  if (target.kind === 'sentinel') {
    return new Redis({
      failoverDetector: true,
      ...options,
      sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
      name: target.name,
      username,
      password,
      sentinelUsername: target.sentinelUsername,
      sentinelPassword: target.sentinelPassword,
    });
  }
  return new Cluster(
    target.nodes.map(({ host, port }) => ({ host, port })),
    toClusterOptions({ ...options, username, password }),
  );
}
