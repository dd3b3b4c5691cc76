import { describe, expect, it } from 'vitest';
import { describeRedisTarget } from '../../../src/redis/describe-redis-target.js';

describe('describeRedisTarget', () => {
  it('names where Redis is without its credentials', () => {
    expect(describeRedisTarget({ kind: 'url', url: 'redis://warden:s3cret@10.0.0.5:6379/2?password=x' })).toBe('redis://10.0.0.5:6379/2');
    expect(describeRedisTarget({ kind: 'sentinel', name: 'warden', sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: 'fd00::7', port: 26379 }], password: 's3cret', sentinelPassword: 'other' })).toBe(
      'Sentinel primary "warden" via 10.0.0.5:26379, [fd00::7]:26379',
    );
    expect(describeRedisTarget({ kind: 'cluster', nodes: [{ host: '10.0.0.5', port: 6379 }], password: 's3cret' })).toBe('Redis Cluster 10.0.0.5:6379');
  });
});
