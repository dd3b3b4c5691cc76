import { Cluster, type RedisOptions } from 'ioredis';
import type { RedisClient } from './redis-client.js';
import { toClusterOptions } from './to-cluster-options.js';

/**
 * A new connection like `client` (same target, credentials and options) with `overrides`: for a
 * `Cluster`, the overrides are split between the cluster and its nodes' connections as
 * {@link toClusterOptions} does.
 */
export function duplicateRedis(client: RedisClient, overrides: RedisOptions): RedisClient {
  if (client instanceof Cluster) return client.duplicate([], toClusterOptions(overrides));
  return client.duplicate(overrides);
}
