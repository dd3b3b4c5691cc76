import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { markDigestChanged } from '../../../src/jobs/notify/mark-digest-changed.js';
import { dropDigestCarrier, settleDigestCarrier } from '../../../src/jobs/notify/settle-digest-carrier.js';
import { takeDigestCarrier } from '../../../src/jobs/notify/take-digest-carrier.js';
import type { NotifyJobData } from '../../../src/jobs/create-queues.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

/**
 * The bookkeeping that lets one job carry a storm digest: whatever the order in which changes and
 * the carrier's passes meet in Redis, a change is followed by a send, and only one job waits.
 */
describe('storm digest carrier', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('digest-carrier');
  const keys = createRedisKeys(prefix);
  const notifyQueue = new Queue<NotifyJobData>('notify', { connection: redis, prefix });
  const deps = { redis, keys, notifyQueue };
  const DESTINATION = 'slack:C0CARRIER';
  let minute = 1000;

  afterAll(async () => {
    await notifyQueue.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const carrierKeys = (m: number) => ({ carrier: keys.digestCarrier(DESTINATION, m), generation: keys.digestGeneration(DESTINATION, m) });
  const digestJobs = async (m: number) => (await notifyQueue.getJobs(['waiting', 'delayed', 'active', 'completed'], 0, -1)).filter((job) => job.name === 'digest' && job.data.minute === m);
  const card = (id: string) => ({ id, name: 'card' });
  /** Job `notify.<incident>.v<version>` marks incident `<incident>` at that version (a warning opened at t = 1000 ms). */
  const mark = (id: string, m: number) => {
    const [, key, version] = /^notify\.(\w+)\.v(\d+)$/.exec(id)!;
    return markDigestChanged(card(id), { key: key!, version: Number(version), severity: 'warning', openedAt: 1000 }, DESTINATION, m, deps);
  };

  it('queues one digest job for many changes, and again for the retry of the job that named it', async () => {
    const m = (minute += 1);
    expect(await mark('notify.a.v1', m)).toBe('in digest; digest job queued');
    for (const id of ['notify.b.v1', 'notify.c.v1', 'notify.a.v2']) expect(await mark(id, m)).toBe('in digest');
    // The job that named the carrier may have stopped before queueing it: its retry queues the same id.
    expect(await mark('notify.a.v1', m)).toBe('in digest; digest job queued');
    const jobs = await digestJobs(m);
    expect(jobs.map((job) => job.id)).toEqual([`digest.slack_C0CARRIER.${m}.g1`]);
    expect(jobs[0]!.data).toEqual({ key: `digest.${m}`, destination: DESTINATION, minute: m });
    // Four changes: the retry marked what was already marked.
    expect(await redis.get(keys.digestGeneration(DESTINATION, m))).toBe('4');
  });

  it('counts no change for an incident marked again as it is already shown, and orders the digest most severe first', async () => {
    const m = (minute += 1);
    const at = (key: string, version: number, severity: string, openedAt: number) => markDigestChanged(card(`notify.${key}.v${version}`), { key, version, severity, openedAt }, DESTINATION, m, deps);
    await at('x', 1, 'info', 10);
    await at('y', 1, 'warning', 20);
    await at('z', 1, 'critical', 30);
    expect(await redis.get(keys.digestGeneration(DESTINATION, m))).toBe('3');
    // A redundant job (a version the digest already shows, same place): nothing to send.
    expect(await at('y', 1, 'warning', 20)).toBe('in digest');
    expect(await redis.get(keys.digestGeneration(DESTINATION, m))).toBe('3');
    // An incident that became critical moves up, and the digest changed.
    await at('x', 2, 'critical', 10);
    expect(await redis.get(keys.digestGeneration(DESTINATION, m))).toBe('4');
    expect(await redis.zrange(keys.digestRanking(DESTINATION, m), '0', '-1')).toEqual(['x', 'z', 'y']);
    expect(await redis.hget(keys.digest(DESTINATION, m), 'versions')).toBe('4');
  });

  it('goes again when a change lands during a pass, and a change after the last pass queues a new job', async () => {
    const m = (minute += 1);
    await mark('notify.d.v1', m);
    const [carrier] = await digestJobs(m);
    const jobId = carrier!.id!;

    const first = await takeDigestCarrier(redis, carrierKeys(m), jobId);
    expect(first).toBe(1);
    // A change while the digest as of generation 1 is being sent: no new job, the pass goes again.
    expect(await mark('notify.e.v1', m)).toBe('in digest');
    expect(await settleDigestCarrier(redis, carrierKeys(m), jobId, first!)).toBe('again');

    const second = await takeDigestCarrier(redis, carrierKeys(m), jobId);
    expect(second).toBe(2);
    expect(await settleDigestCarrier(redis, carrierKeys(m), jobId, second!)).toBe('done');
    expect(await redis.exists(keys.digestCarrier(DESTINATION, m))).toBe(0);

    // The carrier let go: the next change names and queues a new one.
    expect(await mark('notify.f.v1', m)).toBe('in digest; digest job queued');
    expect((await digestJobs(m)).map((job) => job.id).sort()).toEqual([jobId, `digest.slack_C0CARRIER.${m}.g3`].sort());
  });

  it('leaves the digest to the job named carrier, and takes it over when no job is named', async () => {
    const m = (minute += 1);
    await mark('notify.g.v1', m);
    const named = `digest.slack_C0CARRIER.${m}.g1`;
    // A job whose naming expired while it waited: another was named meanwhile.
    expect(await takeDigestCarrier(redis, carrierKeys(m), 'digest.stale')).toBeNull();
    expect(await settleDigestCarrier(redis, carrierKeys(m), 'digest.stale', 1)).toBe('superseded');
    await dropDigestCarrier(redis, carrierKeys(m), 'digest.stale');
    expect(JSON.parse((await redis.get(keys.digestCarrier(DESTINATION, m)))!)).toMatchObject({ job: named });

    // The carrier fails for good: it lets go, and a stale job may take the digest over.
    await dropDigestCarrier(redis, carrierKeys(m), named);
    expect(await redis.exists(keys.digestCarrier(DESTINATION, m))).toBe(0);
    expect(await takeDigestCarrier(redis, carrierKeys(m), 'digest.stale')).toBe(1);
    expect(await redis.pttl(keys.digestCarrier(DESTINATION, m))).toBeGreaterThan(0);
    expect(await settleDigestCarrier(redis, carrierKeys(m), 'digest.stale', 1)).toBe('done');
  });
});
