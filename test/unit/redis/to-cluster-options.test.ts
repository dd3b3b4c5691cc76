import { describe, expect, it } from 'vitest';
import { toClusterOptions } from '../../../src/redis/to-cluster-options.js';

describe('toClusterOptions', () => {
  it('keeps cluster-wide options on the cluster and passes the rest to every node', () => {
    const retry = (times: number) => times * 100;
    const options = toClusterOptions({
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      enableReadyCheck: true,
      retryStrategy: retry,
      protocol: 2,
      password: 'secret',
      maxRetriesPerRequest: 1,
      commandTimeout: 5000,
      connectionName: 'warden-producer',
    });
    expect(options).toEqual({
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      enableReadyCheck: true,
      clusterRetryStrategy: retry,
      redisOptions: { protocol: 2, password: 'secret', maxRetriesPerRequest: 1, commandTimeout: 5000, connectionName: 'warden-producer' },
    });
  });
});
