import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingChatAdapter, type RecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, listKeys } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

const firing = readFileSync(new URL('../../fixtures/alertmanager/firing.json', import.meta.url), 'utf8');

async function post(t: TestWarden, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}`, ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error?: string; message?: string; outcome?: string; incident?: string } };
}

function withGroupKey(groupKey: string, mutate: (payload: Record<string, unknown>) => void = () => {}): string {
  const payload = JSON.parse(firing) as Record<string, unknown>;
  payload.groupKey = groupKey;
  mutate(payload);
  return JSON.stringify(payload);
}

describe('POST /webhooks/alertmanager', () => {
  let t: TestWarden;
  let redis: Redis;
  let cards: RecordingChatAdapter;

  beforeAll(async () => {
    cards = createRecordingChatAdapter();
    t = await startTestWarden({ name: 'intake', adapters: { console: cards }, tree: { alertmanager: { bodyLimitBytes: 256 * 1024 }, limits: { storm: { newIncidentsPerMinute: 1000 } } } });
    redis = connectTestRedis();
  });
  afterAll(async () => {
    await t.stop();
    await deleteKeys(redis, t.prefix);
    redis.disconnect();
  });

  /** Incidents, alerts and jobs ever added: a rejected request must leave all of them as they were. */
  async function snapshot() {
    // Incidents and their alerts; the card bookkeeping of earlier, accepted requests may still change.
    const incidentKeys = (await listKeys(redis, t.prefix)).filter((k) => /:incident:[^:]+(:alerts)?$/.test(k));
    const jobs = async (name: 'notify' | 'diagnose') => {
      const counts = await t.warden.queues[name].getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    };
    return {
      incidents: await redis.zcard(`${t.prefix}:incidents:index`),
      open: await redis.hlen(`${t.prefix}:incidents:open`),
      incidentKeys,
      notifyJobs: await jobs('notify'),
      diagnoseJobs: await jobs('diagnose'),
    };
  }
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    // An earlier test's accepted notification may still be dispatching (its job can wait for its
    // batch): the baseline is taken once that is done.
    await expect
      .poll(async () => Object.values(await t.warden.queues.dispatch.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).reduce((a, b) => a + b, 0), { timeout: 10_000 })
      .toBe(0);
    before = await snapshot();
  });
  async function expectNothingStored(): Promise<void> {
    expect(await snapshot()).toEqual(before);
  }

  describe('authentication, checked before the body is read', () => {
    it.each([
      ['no Authorization header', {}],
      ['a wrong Bearer token', { authorization: 'Bearer not-the-token-but-long-enough-to-look-right' }],
      ['the token with a wrong scheme', { authorization: 'Token %TOKEN%' }],
      ['Basic auth with a wrong password', { authorization: `Basic ${Buffer.from('alertmanager:wrong').toString('base64')}` }],
      ['Basic auth with the token as user name', { authorization: `Basic ${Buffer.from('%TOKEN%:').toString('base64')}` }],
      ['a Bearer token with one extra character', { authorization: 'Bearer %TOKEN%x' }],
      ['a scheme without credentials', { authorization: 'Bearer' }],
    ])('rejects %s with 401 and stores nothing', async (_name, headers: Record<string, string>) => {
      const resolved = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('%TOKEN%', t.token)]));
      const response = await fetch(`${t.url}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...resolved },
        body: withGroupKey('{}:{alertname="Unauthorized"}'),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('Authorization') });
      await expectNothingStored();
    });

    it('answers 401, not 413, to an unauthenticated body over the limit (the body is never read)', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${t.url}/webhooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        // Send only a small part of the announced 50 MiB: Warden must answer without waiting for the rest.
        req.write(Buffer.alloc(64 * 1024, 0x20));
      });
      expect(status).toBe(401);
      await expectNothingStored();
    });

    it('accepts the token as a Basic-auth password', async () => {
      const basic = `Basic ${Buffer.from(`alertmanager:${t.token}`).toString('base64')}`;
      const response = await post(t, withGroupKey('{}:{alertname="BasicAuth"}'), { authorization: basic });
      expect(response.status).toBe(202);
    });
  });

  describe('payload validation', () => {
    it.each([
      ['invalid JSON', '{"version":"4",', 'invalid_json', 'not valid JSON'],
      ['an empty body', '', 'empty_body', 'empty'],
      ['a wrong version', withGroupKey('{}:{v="3"}', (p) => (p.version = '3')), 'invalid_payload', 'version'],
      ['a missing groupKey', withGroupKey('', (p) => delete p.groupKey), 'invalid_payload', 'groupKey'],
      ['no alerts', withGroupKey('{}:{n="0"}', (p) => (p.alerts = [])), 'invalid_payload', 'alerts'],
      [
        'an alert without fingerprint',
        withGroupKey('{}:{fp="none"}', (p) => delete (p.alerts as Record<string, unknown>[])[0]!.fingerprint),
        'invalid_payload',
        'alerts[0].fingerprint',
      ],
      [
        'an alert with a bad status',
        withGroupKey('{}:{s="bad"}', (p) => ((p.alerts as Record<string, unknown>[])[1]!.status = 'burning')),
        'invalid_payload',
        'alerts[1].status',
      ],
      [
        'a fingerprint with a line break',
        withGroupKey('{}:{fp="nl"}', (p) => ((p.alerts as Record<string, unknown>[])[0]!.fingerprint = 'abc\tfiring|1|2\nx')),
        'invalid_payload',
        'alerts[0].fingerprint',
      ],
      ['a label that is not a string', withGroupKey('{}:{l="n"}', (p) => ((p.commonLabels as Record<string, unknown>).x = 1)), 'invalid_payload', 'commonLabels.x'],
      ['a JSON array', '[]', 'invalid_payload', 'expected object'],
    ])('rejects %s with 400 naming the problem, and stores nothing', async (_name, body, code, fragment) => {
      const response = await post(t, body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe(code);
      expect(response.body.message).toContain(fragment);
      await expectNothingStored();
    });

    it('rejects a body that is not JSON with 400', async () => {
      const response = await post(t, 'version=4', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('application/json');
      await expectNothingStored();
    });

    it('tolerates keys newer Alertmanagers add', async () => {
      const body = withGroupKey('{}:{alertname="Newer"}', (p) => {
        p.notification_reason = 'new alerts';
        p.routeLabels = { team: 'security' };
        (p.alerts as Record<string, unknown>[])[0]!.silencedBy = [];
      });
      const response = await post(t, body);
      expect(response.status).toBe(202);
      expect(response.body.outcome).toBe('created');
    });
  });

  describe('body limit', () => {
    it('answers 413 to an authenticated body over the configured limit and stores nothing', async () => {
      const body = withGroupKey('{}:{alertname="Huge"}', (p) => {
        (p.commonAnnotations as Record<string, string>).padding = 'x'.repeat(300 * 1024);
      });
      const response = await post(t, body);
      expect(response.status).toBe(413);
      expect(response.body.error).toBe('body_too_large');
      await expectNothingStored();
    });
  });

  describe('incidents', () => {
    it('opens one incident per group and a redelivery changes nothing', async () => {
      const body = withGroupKey('{}:{alertname="Dedupe"}');
      const first = await post(t, body);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ outcome: 'created', incident: expect.stringMatching(/^inc-[0-9a-f]{12}$/) });
      await cards.waitFor((calls) => calls.some((c) => c.kind === 'post' && c.card.summary.includes('SuspiciousProcess')));
      const version = JSON.parse((await redis.hget(`${t.prefix}:incident:${first.body.incident}`, 'json'))!).version as number;

      for (let i = 0; i < 3; i++) {
        const again = await post(t, body);
        expect(again).toMatchObject({ status: 202, body: { outcome: 'unchanged', incident: first.body.incident } });
      }
      const stored = JSON.parse((await redis.hget(`${t.prefix}:incident:${first.body.incident}`, 'json'))!);
      expect(stored.version).toBe(version);
      expect(await redis.hlen(`${t.prefix}:incident:${first.body.incident}:alerts`)).toBe(2);
      const timeline = await redis.lrange(`${t.prefix}:incident:${first.body.incident}:timeline`, 0, -1);
      expect(timeline).toHaveLength(1);
    });
  });

  describe('concurrent deliveries (handled in batches)', () => {
    it('opens one incident per group when many groups arrive at once', async () => {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) => post(t, withGroupKey(`{}:{alertname="Burst${i}"}`))),
      );
      expect(answers.every((a) => a.status === 202 && a.body.outcome === 'created')).toBe(true);
      expect(new Set(answers.map((a) => a.body.incident)).size).toBe(60);
      // The dispatch job queues each incident's card and marks its jobs as queued.
      await expect.poll(async () => Promise.all(answers.map((a) => redis.hget(`${t.prefix}:incident:${a.body.incident}`, 'jobs'))), { timeout: 10_000 }).toEqual(
        answers.map(() => '1'),
      );
    });

    it('opens exactly one incident when the same notification arrives many times at once', async () => {
      const body = withGroupKey('{}:{alertname="SameTime"}');
      const answers = await Promise.all(Array.from({ length: 25 }, () => post(t, body)));
      expect(answers.filter((a) => a.body.outcome === 'created')).toHaveLength(1);
      expect(answers.filter((a) => a.body.outcome === 'unchanged')).toHaveLength(24);
      expect(new Set(answers.map((a) => a.body.incident)).size).toBe(1);
      const cardJobs = async () =>
        (await t.warden.queues.notify.getJobs(['waiting', 'active', 'completed', 'delayed'], 0, 1000)).filter((j) => j.data.key === answers[0]!.body.incident).length;
      await expect.poll(cardJobs, { timeout: 10_000 }).toBe(1);
      // Card jobs are queued by dispatch jobs: once every dispatch job is done, no second one can come.
      await waitForIdleQueue(t.warden.queues.dispatch);
      expect(await cardJobs()).toBe(1);
    });
  });
});
