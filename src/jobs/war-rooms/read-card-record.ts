import type { RedisClient } from '../../redis/redis-client.js';
import type { RedisKeys } from '../../redis/redis-keys.js';

/** Where incident `key`'s card in `destination` stands: its message once posted and the version it shows (see `claim-card.ts`). */
export async function readCardRecord(redis: RedisClient, keys: RedisKeys, key: string, destination: string): Promise<{ id?: string; rendered: number } | undefined> {
  const json = await redis.hget(keys.messages(key), destination);
  if (json === null) return undefined;
  const record = JSON.parse(json) as { mode?: string; id?: unknown; rendered?: unknown };
  if (record.mode !== 'card') return undefined;
  return { ...(typeof record.id === 'string' ? { id: record.id } : {}), rendered: typeof record.rendered === 'number' ? record.rendered : 0 };
}
