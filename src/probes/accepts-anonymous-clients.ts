import type { Redis } from 'ioredis';

/**
 * Whether the Redis behind `redis` answers a client that sends no credentials: opens a second
 * connection like `redis` but without username and password, PINGs, and hangs up. `true` when it
 * answers, `false` when it demands authentication (NOAUTH, WRONGPASS, NOPERM).
 *
 * @throws the connection error when the second connection cannot be made at all.
 */
export async function acceptsAnonymousClients(redis: Redis, timeoutMs: number): Promise<boolean> {
  const anonymous = redis.duplicate({
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
