import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createSlackClicker, remediationActions, responseAccess, type SlackClicker } from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

const CHANNEL = 'C0SEC';
const MINUTE = 60_000;

/** The value of one sample line of `/metrics`, e.g. `warden_x_bucket{le="300",route="security",severity="critical"}`. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) return Number(match[3]);
  }
  return undefined;
}

/**
 * MTTA, MTTC and MTTR end to end: an Alertmanager notification opens incidents, signed Slack
 * clicks over real HTTP acknowledge, isolate (or run an isolate-phase action) and resolve them on a
 * real Warden with a clock moved forward between the steps, and `/metrics` shows each duration once,
 * in its bucket, labelled by severity and route — also when clicks are repeated or redelivered.
 */
describe('incident response times as metrics', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  let offset = 0;
  const now = () => Date.now() + offset;
  let slack: FakeSlackApi;
  let target: FakeRemediationTarget;
  let t: TestWarden;
  let click: SlackClicker;
  let readToken = '';

  const metrics = async () => (await fetch(`${t.url}/metrics`)).text();
  const settle = async () => {
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.remediate);
  };
  const open = async (alertname: string) => {
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname, severity: 'critical', instances: ['web-1:9100'] }));
    expect(posted.status).toBe(202);
    return posted.body.incident as string;
  };

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    target = await startFakeRemediationTarget();
    readToken = randomSecret(40);
    t = await startTestWarden({
      name: 'mttx',
      now,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [{ name: 'security', match: { severity: 'critical' }, to: [`slack:${CHANNEL}`] }, { to: [`slack:${CHANNEL}`] }],
        access: responseAccess('slack', { operators: ['U0OPS1', 'U0OPS2'], approvers: ['U0BOSS'] }),
        actions: remediationActions(target.url),
        api: { readToken },
        limits: { commandsPerUserPerMinute: 100, outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    click = createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => slack.messages(CHANNEL)[0]?.ts ?? '1.1', now });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await target?.close();
    await slack?.close();
  });

  it('observes time to acknowledge, contain and resolve once each, in the right buckets, by severity and route', async () => {
    const key = await open('SuspiciousProcess');
    const labels = { severity: 'critical', route: 'security' };

    offset = 3 * MINUTE;
    const ack = { triggerId: 'trigger-ack-once', actionTs: '1700000001.000001' };
    // The same click delivered twice (Slack's retry) and a second person's click: one acknowledgement.
    expect((await click('U0OPS1', 'incident.acknowledge', { k: key }, ack)).status).toBe(200);
    expect((await click('U0OPS1', 'incident.acknowledge', { k: key }, ack)).status).toBe(200);
    expect((await click('U0OPS2', 'incident.acknowledge', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.acknowledgedBy, { timeout: 10_000 }).toBe('slack:U0OPS1');

    offset = 20 * MINUTE;
    expect((await click('U0OPS1', 'incident.isolate', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('isolate');
    // Leaving isolate and coming back later does not contain it again.
    offset = 25 * MINUTE;
    expect((await click('U0OPS1', 'incident.analyze', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('analyze');
    offset = 30 * MINUTE;
    expect((await click('U0OPS2', 'incident.isolate', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('isolate');

    offset = 150 * MINUTE;
    expect((await click('U0OPS1', 'incident.resolve', { k: key })).status).toBe(200);
    expect((await click('U0OPS2', 'incident.resolve', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('closed');
    await settle();

    const incident = (await t.warden.store.get(key))!;
    expect(incident.acknowledgedAt! - incident.openedAt).toBeGreaterThanOrEqual(3 * MINUTE);
    expect(incident.containedAt! - incident.openedAt).toBeGreaterThanOrEqual(20 * MINUTE);
    expect(incident.containedAt! - incident.openedAt).toBeLessThan(25 * MINUTE);

    const text = await metrics();
    const bucket = (name: string, le: string) => sample(text, `warden_incident_time_to_${name}_seconds_bucket`, { ...labels, le });
    const count = (name: string) => sample(text, `warden_incident_time_to_${name}_seconds_count`, labels);
    // 3 minutes: above 60 s, within 300 s.
    expect([bucket('acknowledge', '60'), bucket('acknowledge', '300'), count('acknowledge')]).toEqual([0, 1, 1]);
    // 20 minutes: above 900 s, within 1800 s.
    expect([bucket('contain', '900'), bucket('contain', '1800'), count('contain')]).toEqual([0, 1, 1]);
    // 2.5 hours: above 7200 s, within 14400 s.
    expect([bucket('resolve', '7200'), bucket('resolve', '14400'), count('resolve')]).toEqual([0, 1, 1]);
    // Never the incident key as a label.
    expect(text.split('\n').filter((line) => line.startsWith('warden_incident_') && line.includes(key))).toEqual([]);
    expect(text).toContain('# TYPE warden_incident_escalations_total counter');
    expect(text).toContain('# TYPE warden_incident_silences_total counter');
  });

  it('counts an incident as contained when an isolate-phase action succeeds before the Isolate phase', async () => {
    offset = 0;
    const key = await open('DataExfiltration');
    const before = sample(await metrics(), 'warden_incident_time_to_contain_seconds_count', { severity: 'critical', route: 'security' });
    offset = 4 * MINUTE;
    expect((await click('U0OPS1', 'incident.analyze', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('analyze');
    expect((await t.warden.store.get(key))?.containedAt).toBeUndefined();

    offset = 10 * MINUTE;
    // `notify-owner` is an isolate-phase action that needs no approval.
    const first = await click('U0OPS1', 'action.run', { k: key, a: 'notify-owner' });
    expect(first.status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.containedAt, { timeout: 15_000 }).toBeDefined();
    await settle();
    offset = 40 * MINUTE;
    expect((await click('U0OPS1', 'incident.isolate', { k: key })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('isolate');
    await settle();

    const incident = (await t.warden.store.get(key))!;
    const contained = incident.containedAt! - incident.openedAt;
    expect(contained).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(contained).toBeLessThan(40 * MINUTE);
    const text = await metrics();
    const labels = { severity: 'critical', route: 'security' };
    expect(sample(text, 'warden_incident_time_to_contain_seconds_count', labels)).toBe((before ?? 0) + 1);
    // 10 minutes: the first incident's 20 minutes sit above 900 s, this one within it.
    expect(sample(text, 'warden_incident_time_to_contain_seconds_bucket', { ...labels, le: '900' })).toBe(1);

    // The export has the time to contain, in JSON and CSV.
    const json = (await (await fetch(`${t.url}/api/incidents`, { headers: { authorization: `Bearer ${readToken}` } })).json()) as { incidents: Record<string, unknown>[] };
    const row = json.incidents.find((r) => r.key === key)!;
    expect(row).toMatchObject({ contained: new Date(incident.containedAt!).toISOString(), timeToContainSeconds: contained / 1000 });
    const csv = await (await fetch(`${t.url}/api/incidents?format=csv`, { headers: { authorization: `Bearer ${readToken}` } })).text();
    const [header, ...lines] = csv.split('\r\n');
    const columns = header!.split(',');
    const cells = lines.find((line) => line.startsWith(key))!.split(',');
    expect(cells[columns.indexOf('timeToContainSeconds')]).toBe(String(contained / 1000));
    expect(cells[columns.indexOf('contained')]).toBe(new Date(incident.containedAt!).toISOString());
  });
});
