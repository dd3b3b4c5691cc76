import type { ClusterOptions, RedisOptions } from 'ioredis';

/** Options a `Cluster` takes itself rather than passing them on to the connection of each node. */
const CLUSTER_LEVEL = ['enableOfflineQueue', 'enableReadyCheck', 'lazyConnect', 'enableAutoPipelining', 'autoPipeliningIgnoredCommands'] as const;

/**
 * The `Cluster` form of connection options written for one `Redis`: offline queue, ready check,
 * lazy connect and auto-pipelining apply to the cluster as a whole, `retryStrategy` becomes
 * `clusterRetryStrategy`, and everything else (RESP2, password, timeouts, retries per request) goes
 * to every node's connection through `redisOptions`.
 */
export function toClusterOptions(options: RedisOptions): ClusterOptions {
  const { retryStrategy, host: _host, port: _port, path: _path, sentinels: _sentinels, readOnly: _readOnly, ...rest } = options;
  const clusterLevel: Record<string, unknown> = {};
  const redisOptions: Record<string, unknown> = { ...rest };
  for (const key of CLUSTER_LEVEL) {
    if (key in redisOptions) {
      clusterLevel[key] = redisOptions[key];
      delete redisOptions[key];
    }
  }
  return {
    ...(clusterLevel as ClusterOptions),
    ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
    redisOptions: redisOptions as ClusterOptions['redisOptions'],
  };
}
