import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema, type WebhookNotification } from '../../../src/incidents/alertmanager-schema.js';
import { buildIncidentKey } from '../../../src/incidents/build-incident-key.js';
import { createIntake } from '../../../src/incidents/create-intake.js';
import { createQueues, type Queues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingChatAdapter, type RecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

const LONE_SURROGATE = '\ud800';

function notificationFor(name: string): WebhookNotification {
  return webhookNotificationSchema.parse(buildNotification({ alertname: name, instances: ['a:1'], groupKey: `{}:{alertname="${name}"}` }));
}

/** What a promise settled to: its value, or the error it rejected with. */
function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe('a bad notification fails alone', () => {
  describe('in one batch of the intake', () => {
    const prefix = uniquePrefix('bad-batch');
    const keys = createRedisKeys(prefix);
    const redis = connectTestRedis();
    let queues: Queues;
    beforeAll(() => {
      queues = createQueues(redis, prefix);
    });
    afterAll(async () => {
      await queues.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });

    it('stores its batch-mates when the store cannot decode it (a lone surrogate that got past validation)', async () => {
      const intake = createIntake({ redis, keys, work: createJobWork(queues), config: { routes: [] }, now: Date.now });
      const bad = notificationFor('SurrogateInBatch');
      bad.groupLabels = { alertname: `bad${LONE_SURROGATE}` };
      // Called together, before the batch is taken: one script call carries all of them.
      const results = await Promise.all([
        settle(intake(notificationFor('BeforeSurrogate'))),
        settle(intake(bad)),
        settle(intake(notificationFor('AfterSurrogate'))),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      expect(results[1]).toMatchObject({ ok: false, error: { code: 'invalid_payload', status: 400, message: expect.stringMatching(/could not be stored/) } });
      for (const result of [results[0], results[2]]) {
        expect(result).toMatchObject({ ok: true, value: { outcome: 'created' } });
        if (result?.ok) expect(await redis.hget(keys.incident(result.value.key), 'json')).not.toBeNull();
      }
      expect(await redis.hget(keys.openIncidents, bad.groupKey)).toBeNull();
      expect(await redis.hexists(keys.incidentGenerations, bad.groupKey)).toBe(0);
    });

    it('stores the batch one by one when its script fails, so only the notification that breaks it is refused', async () => {
      const intake = createIntake({ redis, keys, work: createJobWork(queues), config: { routes: [] }, now: Date.now });
      const broken = notificationFor('WrongTypeInBatch');
      // A key in the way of the new incident's hash: the script fails half-way, after earlier writes.
      await redis.set(keys.incident(buildIncidentKey(broken.groupKey)), 'not a hash');
      const results = await Promise.all([
        settle(intake(notificationFor('BeforeWrongType'))),
        settle(intake(broken)),
        settle(intake(notificationFor('AfterWrongType'))),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      expect(results[1]).toMatchObject({ ok: false, error: { code: 'invalid_payload', status: 400, message: expect.stringMatching(/WRONGTYPE/) } });
      for (const result of [results[0], results[2]]) {
        if (!result?.ok) throw new Error('expected a stored notification');
        expect(['created', 'unchanged']).toContain(result.value.outcome);
        expect(await redis.hget(keys.incident(result.value.key), 'json')).not.toBeNull();
        // Each notification stored alone queued its own dispatch job.
        const jobs = await queues.dispatch.getJobs(['waiting', 'delayed'], 0, 1000);
        expect(jobs.some((job) => job.data.groupKeys.length === 1 && job.data.groupKeys[0] === `{}:{alertname="${result === results[0] ? 'BeforeWrongType' : 'AfterWrongType'}"}`)).toBe(true);
      }
    });

    it('answers 503 to the whole batch, not 400, when Redis itself is unreachable', async () => {
      const closed = connectTestRedis();
      await closed.quit();
      const intake = createIntake({ redis: closed, keys, work: createJobWork(queues), config: { routes: [] }, now: Date.now });
      const results = await Promise.all([settle(intake(notificationFor('Unreachable1'))), settle(intake(notificationFor('Unreachable2')))]);
      for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: 'store_unavailable', status: 503 } });
    });
  });

  describe('over HTTP', () => {
    let t: TestWarden;
    let inspect: Redis;
    let cards: RecordingChatAdapter;
    beforeAll(async () => {
      cards = createRecordingChatAdapter();
      t = await startTestWarden({ name: 'bad-notification', adapters: { console: cards } });
      inspect = connectTestRedis();
    });
    afterAll(async () => {
      await t.stop();
      await deleteKeys(inspect, t.prefix);
      inspect.disconnect();
    });

    const post = async (payload: Record<string, unknown>) => {
      const response = await fetch(`${t.url}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
        body: JSON.stringify(payload),
      });
      return { status: response.status, body: (await response.json()) as { error?: string; message?: string; outcome?: string } };
    };

    it('answers 400 naming the field with a lone surrogate, while notifications sent with it are stored', async () => {
      const bad = buildNotification({ alertname: 'SurrogateOverHttp', instances: ['a:1'], groupKey: '{}:{alertname="SurrogateOverHttp"}' });
      (bad.alerts as { labels: Record<string, string> }[])[0]!.labels.instance = `web${LONE_SURROGATE}-1:9100`;
      const good = Array.from({ length: 10 }, (_, i) => buildNotification({ alertname: `NextToSurrogate${i}`, instances: ['a:1'], groupKey: `{}:{alertname="NextToSurrogate${i}"}` }));
      const answers = await Promise.all([post(bad), ...good.map(post)]);
      expect(answers[0]).toEqual({
        status: 400,
        body: { error: 'invalid_payload', message: expect.stringContaining('alerts[0].labels.instance: contains a lone UTF-16 surrogate') },
      });
      expect(answers.slice(1).map((a) => a.status)).toEqual(good.map(() => 202));
      expect(await inspect.hget(`${t.prefix}:incidents:open`, '{}:{alertname="SurrogateOverHttp"}')).toBeNull();
      await cards.waitFor((calls) => good.every((_, i) => calls.some((c) => c.kind === 'post' && c.card.summary.includes(`NextToSurrogate${i}`))));
    });

    it('refuses a lone surrogate in a label name too', async () => {
      const bad = buildNotification({ alertname: 'SurrogateKey', instances: ['a:1'] });
      (bad.alerts as { labels: Record<string, string> }[])[0]!.labels[`team${LONE_SURROGATE}`] = 'x';
      const answer = await post(bad);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/alerts\[0\]\.labels: a label name contains a lone UTF-16 surrogate/);
    });
  });
});
