import type { RedisAddress, RedisTarget } from './redis-target.js';

const list = (addresses: readonly RedisAddress[]) => addresses.map(({ host, port }) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)).join(', ');

/**
 * The target in words, without credentials, for logs and messages: `redis://127.0.0.1:6379`,
 * `Sentinel primary "warden" via 10.0.0.5:26379, 10.0.0.6:26379` or `Redis Cluster 10.0.0.5:6379, …`.
 */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'sentinel') return `Sentinel primary "${target.name}" via ${list(target.sentinels)}`;
  if (target.kind === 'cluster') return `Redis Cluster ${list(target.nodes)}`;
  try {
    const url = new URL(target.url);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return 'an unparsable Redis URL';
  }
}
