import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager, type PostableAlert, type TestAlertmanager } from '../support/start-alertmanager.js';
import { startFakeLarkApi, type FakeLarkApi } from '../support/fake-lark-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { startTestWarden, type TestWarden } from '../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../support/test-redis.js';
import { waitForIdleQueue } from '../support/wait-for-jobs.js';

/**
 * The whole path with real parts: two unclustered Alertmanagers (as two HA peers that both deliver)
 * → Warden over HTTP with a Bearer token → Redis → BullMQ workers → Slack and Lark Web APIs (fakes
 * on loopback, the only stand-ins) — plus a diagnosis probe against a real HTTP endpoint.
 */
describe('Alertmanager → Warden → Slack and Lark cards', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const lark = { appId: 'cli_e2e', appSecret: randomSecret(32) };
  let slackApi: FakeSlackApi;
  let larkApi: FakeLarkApi;
  let health: Server;
  let t: TestWarden;
  let peers: TestAlertmanager[];

  // Like Prometheus, send each alert's start time (the two peers would otherwise each stamp their own).
  const startedAt = new Map<string, string>();
  const suspicious = (instance: string, extra: Partial<PostableAlert> = {}): PostableAlert => {
    if (!startedAt.has(instance)) startedAt.set(instance, new Date().toISOString());
    return {
      labels: { alertname: 'SuspiciousProcess', severity: 'critical', instance, process: 'ncat' },
      annotations: { summary: `ncat started on ${instance}`, runbook_url: 'https://runbooks.example/suspicious-process' },
      startsAt: startedAt.get(instance),
      ...extra,
    };
  };
  const diskFull: PostableAlert = { labels: { alertname: 'DiskFull', severity: 'warning', instance: 'db-1:9100' } };
  const pushToAll = (alerts: PostableAlert[]) => Promise.all(peers.map((peer) => peer.pushAlerts(alerts)));
  const slackText = (channel: string) => JSON.stringify(slackApi.messages(channel).map((m) => m.blocks));
  const larkText = (chat: string) => JSON.stringify(larkApi.messages(chat).map((m) => m.content));
  const chatCallCount = () => slackApi.calls.length + larkApi.calls.filter((c) => c.path.includes('/im/v1/messages')).length;
  /** Every job queued so far is done, and those they queued (dispatch → diagnose → notify). */
  const settle = async () => {
    for (const queue of [t.warden.queues.dispatch, t.warden.queues.diagnose, t.warden.queues.notify]) await waitForIdleQueue(queue, 30_000);
  };

  beforeAll(async () => {
    slackApi = await startFakeSlackApi({ botToken });
    larkApi = await startFakeLarkApi(lark);
    health = createServer((_req, res) => res.writeHead(503).end('maintenance')).listen(0, '127.0.0.1');
    await new Promise((r) => health.once('listening', r));
    const healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
    t = await startTestWarden({
      name: 'e2e',
      tree: {
        slack: { signingSecret: randomSecret(32), botToken, apiUrl: slackApi.url },
        lark: { ...lark, encryptKey: randomSecret(16), verificationToken: randomSecret(16), domain: larkApi.url },
        routes: [{ match: { severity: 'critical' }, to: ['slack:C0SECURITY', 'lark:oc_0security'] }, { to: ['slack:C0ALERTS'] }],
        actions: { 'api-health': { kind: 'http-check', phase: 'analyze', title: 'API health', url: healthUrl, timeoutSeconds: 2 } },
        limits: { outbound: { slackPerChannelPerSecond: 20, larkPerChatPerSecond: 20 } },
      },
    });
    peers = await Promise.all(
      [1, 2].map(() => startAlertmanager({ webhookUrl: `${t.url}/webhooks/alertmanager`, token: t.token, repeatInterval: '2s' })),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all((peers ?? []).map((p) => p.stop()));
    await t?.dispose();
    await slackApi?.close();
    await larkApi?.close();
    health?.close();
  });

  it('posts one card per alert group on each destination, with diagnosis results', async () => {
    await pushToAll([suspicious('web-1:9100'), diskFull]);

    await slackApi.waitFor(() => slackApi.messages('C0SECURITY').length === 1 && slackApi.messages('C0ALERTS').length === 1, 20_000);
    await larkApi.waitFor(() => larkApi.messages('oc_0security').length === 1, 20_000);
    // Diagnosis ran against the real endpoint and its result reached the card, in place.
    await slackApi.waitFor(() => slackText('C0SECURITY').includes('API health') && slackText('C0SECURITY').includes('503'), 20_000);

    expect(slackText('C0SECURITY')).toContain('SuspiciousProcess');
    expect(slackText('C0SECURITY')).toContain('web-1:9100');
    for (const label of ['Acknowledge', 'Isolate', 'Analyze', 'Recover', 'Optimize', 'Resolve']) {
      expect(slackText('C0SECURITY')).toContain(`"${label}"`);
    }
    expect(slackText('C0ALERTS')).toContain('DiskFull');
    expect(larkText('oc_0security')).toContain('SuspiciousProcess');
    // Both peers delivered, yet every destination has exactly one card per group: wait until both
    // groups were delivered twice and everything that queued is done.
    await expect.poll(() => countAccepted(t), { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    await settle();
    expect(slackApi.messages('C0SECURITY')).toHaveLength(1);
    expect(slackApi.messages('C0ALERTS')).toHaveLength(1);
    expect(larkApi.messages('oc_0security')).toHaveLength(1);
    expect(slackApi.callsTo('chat.postMessage').filter((c) => c.status === 200)).toHaveLength(2);
  }, 60_000);

  it('updates the same card in place when an alert joins the group', async () => {
    const before = { ...slackApi.messages('C0SECURITY')[0]! };
    await pushToAll([suspicious('web-1:9100'), suspicious('web-2:9100')]);
    await slackApi.waitFor(() => slackText('C0SECURITY').includes('web-2:9100'), 20_000);
    await larkApi.waitFor(() => larkText('oc_0security').includes('web-2:9100'), 20_000);

    expect(slackApi.messages('C0SECURITY')).toHaveLength(1);
    expect(slackApi.messages('C0SECURITY')[0]!.ts).toBe(before.ts);
    expect(slackApi.messages('C0SECURITY')[0]!.updates).toBeGreaterThan(before.updates);
    expect(larkApi.messages('oc_0security')).toHaveLength(1);
    expect(larkApi.messages('oc_0security')[0]!.updates).toBeGreaterThan(0);
  }, 60_000);

  it('marks the card resolved when the source resolves, without closing the incident', async () => {
    const now = new Date().toISOString();
    await pushToAll([suspicious('web-1:9100', { endsAt: now }), suspicious('web-2:9100', { endsAt: now })]);
    await slackApi.waitFor(() => slackText('C0SECURITY').includes('Resolved'), 20_000);
    await larkApi.waitFor(() => larkText('oc_0security').includes('Resolved'), 20_000);

    expect(slackApi.messages('C0SECURITY')).toHaveLength(1);
    const redis = connectTestRedis();
    try {
      const keys = await redis.hvals(`${t.prefix}:incidents:open`);
      const incidents = await Promise.all(keys.map(async (k) => JSON.parse((await redis.hget(`${t.prefix}:incident:${k}`, 'json'))!)));
      const resolved = incidents.find((i) => i.title === 'SuspiciousProcess');
      expect(resolved).toMatchObject({ status: 'resolved', firing: 0, resolved: 2 });
      expect(resolved.phase).not.toBe('closed');
    } finally {
      redis.disconnect();
    }
    // Still buttons to close it: a source "resolved" is not the responders' verdict.
    expect(slackText('C0SECURITY')).toContain('"Resolve"');
  }, 60_000);

  it('ignores duplicate deliveries: repeats from both peers change nothing', async () => {
    // Let in-flight card updates settle, then watch several repeat intervals of both peers.
    await settle();
    const unchangedBefore = await countIntake(t, 'unchanged');
    const callsBefore = chatCallCount();
    const messagesBefore = JSON.stringify([slackApi.messages('C0SECURITY'), slackApi.messages('C0ALERTS'), larkApi.messages('oc_0security')]);

    // The peers repeat every 2 s: wait until Warden has taken four repeats (each is counted once
    // stored, its jobs queued), then until everything they queued is done.
    await expect.poll(() => countIntake(t, 'unchanged'), { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(unchangedBefore + 4);
    await settle();

    expect(chatCallCount()).toBe(callsBefore);
    expect(JSON.stringify([slackApi.messages('C0SECURITY'), slackApi.messages('C0ALERTS'), larkApi.messages('oc_0security')])).toBe(messagesBefore);
  }, 60_000);
});

/** Notifications stored (created, changed or unchanged), whatever their outcome. */
async function countAccepted(t: TestWarden): Promise<number> {
  const metric = await t.warden.metrics.intakeNotifications.get();
  return metric.values.filter((v) => v.labels.outcome !== 'rejected').reduce((sum, v) => sum + v.value, 0);
}

async function countIntake(t: TestWarden, outcome: string): Promise<number> {
  const metric = await t.warden.metrics.intakeNotifications.get();
  return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}
