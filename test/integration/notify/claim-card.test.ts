import { afterAll, describe, expect, it } from 'vitest';
import { claimCard, claimCards, forgetCard, saveCard } from '../../../src/jobs/notify/claim-card.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, listKeys, uniquePrefix } from '../../support/test-redis.js';

describe('card bookkeeping', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('claim-card');
  const keys = createRedisKeys(prefix);
  const DESTINATION = 'slack:C0CARDS';

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('records where a live incident\'s card is', async () => {
    await redis.hset(keys.incident('inc-live'), 'key', 'inc-live');
    expect(await claimCard(redis, keys, 'inc-live', DESTINATION, 10, Date.now())).toEqual({ mode: 'card', rendered: 0 });
    await saveCard(redis, keys, 'inc-live', DESTINATION, '1700000000.000100', 3);
    expect(JSON.parse((await redis.hget(keys.messages('inc-live'), DESTINATION))!)).toEqual({ mode: 'card', id: '1700000000.000100', rendered: 3 });
  });

  it('leaves nothing behind for an incident pruned while its card job ran', async () => {
    // The job read the incident, then retention removed it: claim, save and forget write nothing.
    await claimCard(redis, keys, 'inc-pruned', DESTINATION, 10, Date.now());
    await saveCard(redis, keys, 'inc-pruned', DESTINATION, '1700000000.000200', 2);
    await forgetCard(redis, keys, 'inc-pruned', DESTINATION, 2, { id: '1700000000.000200', reason: 'deleted' });
    expect((await listKeys(redis, prefix)).filter((key) => key.includes('inc-pruned'))).toEqual([]);
  });

  it('keeps a storm on a digest in the next minute, and gives cards back after a minute under the limit', async () => {
    const destination = 'slack:C0STORMON';
    const minute = (m: number) => Date.UTC(2026, 11, 6, 12, m, 30);
    const claim = async (key: string, at: number) => {
      await redis.hset(keys.incident(key), 'key', key);
      return (await claimCard(redis, keys, key, destination, 2, at)).mode;
    };
    // Minute 0: two cards, then the storm's digest.
    expect([await claim('s0a', minute(0)), await claim('s0b', minute(0)), await claim('s0c', minute(0))]).toEqual(['card', 'card', 'digest']);
    // Minute 1: the storm is still on, its first incidents join the digest at once.
    expect([await claim('s1a', minute(1)), await claim('s1b', minute(1))]).toEqual(['digest', 'digest']);
    // Minute 2: minute 1 stayed within the limit (two new incidents): cards again.
    expect(await claim('s2a', minute(2))).toBe('card');
  });

  it('decides a batch in its order in one call, as one by one: kept claims, pruned incidents, the limit', async () => {
    const destination = 'slack:C0BATCH';
    const at = Date.UTC(2026, 11, 6, 13, 0, 30);
    for (const key of ['b-kept', 'b-1', 'b-2', 'b-3']) await redis.hset(keys.incident(key), 'key', key);
    // Claimed before (a card of its own, posted): kept as it is, and not counted again.
    await saveCard(redis, keys, 'b-kept', destination, '1700000000.000300', 4);
    const claims = await claimCards(redis, keys, ['b-kept', 'b-1', 'b-gone', 'b-2', 'b-3'], destination, 2, at);
    expect(claims).toEqual([
      { mode: 'card', id: '1700000000.000300', rendered: 4 },
      { mode: 'card', rendered: 0 },
      // Pruned meanwhile: no bookkeeping, and it takes no place under the limit.
      { mode: 'card', rendered: 0 },
      { mode: 'card', rendered: 0 },
      { mode: 'digest', minute: Math.floor(at / 60_000) },
    ]);
    expect(await redis.hget(keys.messages('b-gone'), destination)).toBeNull();
    // Only the last is past the limit: its decision, the digest, is what its record keeps.
    expect(JSON.parse((await redis.hget(keys.messages('b-3'), destination))!)).toEqual({ mode: 'digest', minute: Math.floor(at / 60_000) });
    expect(JSON.parse((await redis.hget(keys.messages('b-2'), destination))!)).toEqual({ mode: 'card', rendered: 0 });
    // The same batch again (a retried job) decides the same and counts nothing more.
    expect(await claimCards(redis, keys, ['b-kept', 'b-1', 'b-gone', 'b-2', 'b-3'], destination, 2, at)).toEqual(claims);
    expect(await redis.get(keys.stormCount(destination, Math.floor(at / 60_000)))).toBe('3');
    expect(await claimCards(redis, keys, [], destination, 2, at)).toEqual([]);
  });
});
