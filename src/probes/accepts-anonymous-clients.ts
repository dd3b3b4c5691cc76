import { Cluster } from 'ioredis';
import type { RedisClient } from '../redis/redis-client.js';

/**
 * Whether the Redis behind `redis` answers a client that sends no credentials: opens a second
 * connection like `redis` (on a cluster, like its connection to one master) but without username
 * and password, PINGs, and hangs up. `true` when it answers, `false` when it demands
 * authentication (NOAUTH, WRONGPASS, NOPERM).
 *
 * @throws the connection error when the second connection cannot be made at all.
 */
export async function acceptsAnonymousClients(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  // On a cluster, one of its nodes is asked: a Cluster client would only report that it could not load the slots.
  const node = redis instanceof Cluster ? redis.nodes('master')[0] : redis;
  if (node === undefined) throw new Error('no cluster node is connected');
  const anonymous = node.duplicate({
    username: undefined,
    password: undefined,
    lazyConnect: true,
    // The ready check's INFO would fail first on a server that requires a password.
    enableReadyCheck: false,
    // RESP3's HELLO would be refused first, and ioredis then closes the connection without saying why.
    protocol: 2,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  anonymous.on('error', () => {});
  try {
    await anonymous.connect();
    await anonymous.ping();
    return true;
  } catch (error) {
    if (/^(NOAUTH|WRONGPASS|NOPERM)\b/.test((error as Error).message)) return false;
    throw error;
  } finally {
    anonymous.disconnect();
  }
}
