import { DelayedError, type Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import type { NotifyDeps } from '../../../src/jobs/notify/notify-deps.js';
import { DIGEST_FIRST_MS, digestFirstMs, spendBudget } from '../../../src/jobs/notify/spend-budget.js';
import { createMetrics } from '../../../src/observability/create-metrics.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

/** A job that records where BullMQ would be told to put it back (the queue itself is BullMQ's, tested there). */
function recordingJob() {
  const job = { delayedUntil: undefined as number | undefined, async moveToDelayed(timestamp: number) { job.delayedUntil = timestamp; } };
  return job;
}

describe('spendBudget', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('spend-budget');
  const limits = configSchema.parse({ alertmanager: { token: 'x'.repeat(32) }, limits: { outbound: { slackPerChannelPerSecond: 1 } } }).limits;
  // Warden's clock stands still, so the budget's answer is exact: the next free send is 1000 ms after it.
  const deps = { redis, keys: createRedisKeys(prefix), limits, metrics: createMetrics(), now: () => 1_800_000_000_000 } as unknown as NotifyDeps;

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('lets the first send go, then puts a storm digest back for the next free send and anything else a little after it', async () => {
    const destination = 'slack:C0SPEND';
    await spendBudget(recordingJob() as unknown as Job, 'token', destination, deps);

    // BullMQ's delays are on the system clock: bounded by the moments before and after each call.
    const digest = recordingJob();
    await expect(spendBudget(digest as unknown as Job, 'token', destination, deps, { first: true })).rejects.toBeInstanceOf(DelayedError);
    const afterDigest = Date.now();
    const card = recordingJob();
    const beforeCard = Date.now();
    await expect(spendBudget(card as unknown as Job, 'token', destination, deps)).rejects.toBeInstanceOf(DelayedError);

    // The digest comes back when the budget frees up; the card only after it.
    expect(digest.delayedUntil! - afterDigest).toBeLessThanOrEqual(1000);
    expect(card.delayedUntil! - beforeCard).toBeGreaterThanOrEqual(1000 + DIGEST_FIRST_MS);
  });

  it('holds a card back behind the digest by at most half the interval of a budget of many sends a second', async () => {
    expect(digestFirstMs(1)).toBe(DIGEST_FIRST_MS);
    expect(digestFirstMs(100)).toBe(5);
    const fast = { ...deps, limits: { ...limits, outbound: { ...limits.outbound, slackPerChannelPerSecond: 100 } } } as NotifyDeps;
    const destination = 'slack:C0SPENDFAST';
    await spendBudget(recordingJob() as unknown as Job, 'token', destination, fast);
    const card = recordingJob();
    const before = Date.now();
    await expect(spendBudget(card as unknown as Job, 'token', destination, fast)).rejects.toBeInstanceOf(DelayedError);
    const after = Date.now();
    // The next free send is 10 ms away: the card comes back 5 ms after it, not 150.
    expect(card.delayedUntil! - before).toBeGreaterThanOrEqual(15);
    expect(card.delayedUntil! - after).toBeLessThanOrEqual(15);
  });

  it('waits out a wait of a few ms in the job instead of sending it back as a delayed job', async () => {
    const live = { ...deps, now: Date.now, limits: { ...limits, outbound: { ...limits.outbound, slackPerChannelPerSecond: 100 } } } as NotifyDeps;
    const destination = 'slack:C0SPENDLIVE';
    await spendBudget(recordingJob() as unknown as Job, 'token', destination, live);
    const card = recordingJob();
    const started = Date.now();
    await spendBudget(card as unknown as Job, 'token', destination, live);
    // Sent on the budget's next free send (10 ms on), without being put back.
    expect(card.delayedUntil).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(9);
  });
});
