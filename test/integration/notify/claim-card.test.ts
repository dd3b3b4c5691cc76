import { afterAll, describe, expect, it } from 'vitest';
import { claimCard, forgetCard, saveCard } from '../../../src/jobs/notify/claim-card.js';
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
});
