import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { paceSends } from '../../../src/jobs/notify/pace-sends.js';
import { takeOutboundBudget } from '../../../src/jobs/notify/take-outbound-budget.js';
import type { ChatAdapter } from '../../../src/ports/chat-adapter.js';
import { chatRejected } from '../../../src/ports/chat-errors.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { createRecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

const CARD = { title: 'Paced', blocks: [] } as never;

/**
 * A send that leaves after its slot (the job's event loop was busy, the request slow) moves the
 * destination's next send to one interval after it ended, so the channel never sees two messages
 * closer than the budget allows.
 */
describe('paceSends', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('pace-sends');
  const keys = createRedisKeys(prefix);
  const limits = configSchema.parse({ alertmanager: { token: 'x'.repeat(32) }, limits: { outbound: { slackPerChannelPerSecond: 1 } } }).limits;
  const logger = pino({ level: 'silent' });
  let clock = 1_800_000_000_000;
  const now = () => clock;

  /** An adapter whose every send takes `sendMs` on Warden's clock, and fails when `fail` is set. */
  const slowAdapter = (sendMs: number, fail = false): ChatAdapter => {
    const recording = createRecordingChatAdapter('slack');
    const slow = <T>(result: () => Promise<T>) => async () => {
      clock += sendMs;
      if (fail) throw chatRejected('slack', 'channel_not_found');
      return result();
    };
    return {
      ...recording,
      postCard: (destination, card, options) => slow(() => recording.postCard(destination, card, options))(),
      updateCard: (ref, card) => slow(() => recording.updateCard(ref, card))(),
      postPrivate: (identity, destination, card) => slow(() => recording.postPrivate(identity, destination, card))(),
    };
  };

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('moves the next send to one interval after a send that ended late', async () => {
    const destination = 'slack:C0PACED';
    const adapterFor = paceSends(() => slowAdapter(700), { redis, keys, limits, now, logger });
    expect(await takeOutboundBudget(redis, keys.budget(destination), 1, now())).toBe(0);
    const slot = now();
    await adapterFor(destination).postCard(destination, CARD);
    // The slot alone would free the budget 1000 ms after it was taken; the send ended 700 ms later.
    clock = slot + 1000;
    expect(await takeOutboundBudget(redis, keys.budget(destination), 1, now())).toBe(700);
    clock = slot + 1700;
    expect(await takeOutboundBudget(redis, keys.budget(destination), 1, now())).toBe(0);
  });

  it('counts a failed send and a private message against their budgets too, and leaves unbudgeted destinations alone', async () => {
    const adapterFor = paceSends(() => slowAdapter(300, true), { redis, keys, limits, now, logger });
    await expect(adapterFor('slack:C0FAILED').updateCard({ destination: 'slack:C0FAILED', id: '1.2' }, CARD)).rejects.toMatchObject({ code: 'chat_rejected' });
    expect(Number(await redis.get(keys.budget('slack:C0FAILED')))).toBe(now() + 1000);

    const ok = paceSends(() => slowAdapter(0), { redis, keys, limits, now, logger });
    await ok('slack:C0PLACE').postPrivate('slack:U0PERSON', 'slack:C0PLACE', CARD);
    expect(Number(await redis.get(keys.budget('slack:U0PERSON')))).toBe(now() + 1000);
    expect(await redis.exists(keys.budget('slack:C0PLACE'))).toBe(0);

    await ok('console:terminal').postCard('console:terminal', CARD);
    expect(await redis.exists(keys.budget('console:terminal'))).toBe(0);
  });

  it('never fails a send that went out because the budget could not be noted', async () => {
    // A connection that refuses every command at once (closed, no offline queue).
    const closed = new Redis(redis.options.port ?? 6379, redis.options.host ?? '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false });
    const adapterFor = paceSends(() => slowAdapter(10), { redis: closed, keys, limits, now, logger });
    await expect(adapterFor('slack:C0NOREDIS').postCard('slack:C0NOREDIS', CARD)).resolves.toMatchObject({ destination: 'slack:C0NOREDIS' });
    closed.disconnect();
  });
});
