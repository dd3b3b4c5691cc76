import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { createRecordingAuditLog } from '../support/recording-audit-log.js';
import { slackButtons } from '../support/remediation-fixtures.js';
import { buildSlackButtonClick, buildSlackSlashCommand, postSignedSlackRequest } from '../support/signed-slack-request.js';
import { startAlertmanager, type TestAlertmanager } from '../support/start-alertmanager.js';
import { findFreePort } from '../support/start-redis-server.js';
import { startTestWarden, type TestWarden } from '../support/start-test-warden.js';
import { randomSecret } from '../support/test-redis.js';
import { waitForIdleQueue } from '../support/wait-for-jobs.js';
import type { Queue } from 'bullmq';

/** Every job of `queue` due now has run (a silence's delayed run-out job waits for its end). */
async function waitForDueJobs(queue: Queue): Promise<void> {
  await expect.poll(async () => Object.values(await queue.getJobCounts('waiting', 'active', 'prioritized')).reduce((a, b) => a + b, 0), { timeout: 15_000 }).toBe(0);
}

interface AmSilence {
  id: string;
  status: { state: string };
  matchers: { name: string; value: string; isEqual: boolean; isRegex: boolean }[];
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
}

const HOUR = 3_600_000;

/**
 * Silences from the card and from chat, over signed HTTP, against the real Alertmanager's API v2:
 * Slack (fake Web API on loopback) → Warden (Redis, BullMQ workers) → Alertmanager → the card.
 */

/** The sum of `warden_incident_silences_total` over its labels, read from `/metrics`. */
async function countSilencesMetric(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('warden_incident_silences_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
describe('silencing an incident in Alertmanager, end to end', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let am: TestAlertmanager;
  let t: TestWarden;
  let serial = 0;

  /** Opens an incident of its own group whose notification names `externalURL`; resolves with its key. */
  const open = async (alertname: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const posted = await postNotification(t.url, t.token, { ...buildNotification({ alertname }), externalURL: am.url, ...extra });
    expect(posted.status).toBe(202);
    const key = posted.body.incident as string;
    await slack.waitFor(() => card(key) !== undefined, 10_000);
    return key;
  };
  const card = (key: string) => slack.messages('C0SEC').find((m) => JSON.stringify(m.blocks).includes(`Incident key: ${key}`));
  const cardText = (key: string) => JSON.stringify(card(key)?.blocks ?? null);
  const labels = (key: string) => slackButtons(card(key)?.blocks).map((b) => b.text.text);
  const click = (user: string, key: string, actionId: string, value: Record<string, string> = { k: key }, ids?: { triggerId: string; actionTs: string }) =>
    postSignedSlackRequest({
      url: t.url,
      signingSecret,
      body: buildSlackButtonClick({
        user,
        actionId,
        value: JSON.stringify(value),
        channel: 'C0SEC',
        messageTs: card(key)!.ts,
        triggerId: ids?.triggerId ?? `trigger-${++serial}`,
        actionTs: ids?.actionTs ?? `1700000000.${String(++serial).padStart(6, '0')}`,
      }),
    });
  const command = (user: string, text: string) =>
    postSignedSlackRequest({ url: t.url, signingSecret, body: buildSlackSlashCommand({ user, command: '/incident', text, channel: 'C0SEC', triggerId: `cmd-${++serial}` }) });
  const silencesOf = async (key: string, base = am.url): Promise<AmSilence[]> => {
    const response = await fetch(`${base}/api/v2/silences`);
    return ((await response.json()) as AmSilence[]).filter((s) => s.comment.includes(key));
  };
  const activeSilencesOf = async (key: string) => (await silencesOf(key)).filter((s) => s.status.state === 'active');
  const ephemeralTo = (user: string, text: string) => slack.ephemerals.some((e) => e.user === user && JSON.stringify(e.blocks ?? e.text).includes(text));

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    // Nothing is pushed to this Alertmanager: incidents arrive at Warden's webhook directly, naming it as their externalURL.
    am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused', token: randomSecret(32) });
    t = await startTestWarden({
      name: 'silences',
      audit,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url },
        routes: [{ match: { severity: 'critical' }, to: ['slack:C0SEC'], silenceDuration: '90m' }, { to: ['slack:C0SEC'] }],
        // A chain that would page the lead in ten hours: a silence stops it.
        escalation: { policies: { slow: { steps: [{ afterMinutes: 600, notify: ['lead'] }] } }, default: 'slow' },
        access: {
          people: { ops: ['slack:U0OPS1'], lead: ['slack:U0LEAD'], deputy: ['slack:U0DEPUTY'] },
          groups: { operators: ['ops'], approvers: ['lead', 'deputy'] },
          permissions: { 'incident.respond': ['operators', 'approvers'], 'action.approve': ['approvers'] },
        },
        alertmanager: { silence: { defaultDuration: '2h', maxWithoutApproval: '4h' } },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
    await am?.stop();
    await slack?.close();
  });

  it('Silence on the card creates one silence in Alertmanager for the group, however often the click is delivered', async () => {
    const key = await open('SilenceClick');
    expect(labels(key)).toContain('Silence');
    expect(cardText(key)).toContain('#/silences/new?filter=%7Balertname%3D%22SilenceClick%22%7D');
    const before = Date.now();
    const countedBefore = await countSilencesMetric(t.url);
    const ids = { triggerId: 'trigger-silence-once', actionTs: '1700000001.000001' };
    for (let i = 0; i < 3; i++) expect((await click('U0OPS1', key, 'incident.silence', { k: key }, ids)).status).toBe(200);

    await expect.poll(() => cardText(key), { timeout: 15_000 }).toContain('Silenced in Alertmanager until');
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForDueJobs(t.warden.queues.silences);
    const silences = await silencesOf(key);
    expect(silences).toHaveLength(1);
    const [silence] = silences;
    expect(silence!.status.state).toBe('active');
    expect(silence!.matchers).toEqual([{ name: 'alertname', value: 'SilenceClick', isEqual: true, isRegex: false }]);
    expect(silence!.createdBy).toBe('ops');
    expect(silence!.comment).toContain(key);
    expect(silence!.comment).toContain('silenced from Warden');
    // The critical route silences for 90 minutes.
    const endsAt = Date.parse(silence!.endsAt);
    expect(endsAt).toBeGreaterThanOrEqual(before + 1.5 * HOUR - 1000);
    expect(endsAt).toBeLessThanOrEqual(Date.now() + 1.5 * HOUR + 1000);

    const incident = await t.warden.store.get(key);
    expect(incident!.silence).toMatchObject({ id: silence!.id, createdBy: 'ops', requestedBy: 'slack:U0OPS1' });
    expect(labels(key)).toContain('Unsilence');
    expect(labels(key)).not.toContain('Silence');
    expect(cardText(key)).toContain('by ops');
    const timeline = (await t.warden.store.timeline(key)).filter((e) => e.kind === 'silence').map((e) => e.text);
    expect(timeline).toEqual([expect.stringContaining('slack:U0OPS1 asked to silence the alerts for 1h30m'), expect.stringContaining(`(silence ${silence!.id})`)]);
    expect(audit.entries.filter((e) => e.type === 'silence.created' && e.subject === key)).toEqual([
      expect.objectContaining({ actor: 'slack:U0OPS1', detail: expect.objectContaining({ silenceId: silence!.id, createdBy: 'ops', matchers: ['alertname="SilenceClick"'] }) }),
    ]);
    // Counted once, by severity and route, however often the click came.
    expect((await countSilencesMetric(t.url)) - countedBefore).toBe(1);
    // Nobody is paged for alerts someone chose to silence.
    expect(incident!.escalationStopped).toMatchObject({ reason: expect.stringContaining('silenced in Alertmanager until'), by: 'slack:U0OPS1' });
  }, 60_000);

  it('Unsilence expires it in Alertmanager and the card offers Silence again', async () => {
    const key = await open('SilenceUnsilence');
    await click('U0OPS1', key, 'incident.silence');
    await expect.poll(async () => (await activeSilencesOf(key)).length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => labels(key), { timeout: 15_000 }).toContain('Unsilence');

    expect((await click('U0OPS1', key, 'incident.unsilence')).status).toBe(200);
    await expect.poll(async () => (await silencesOf(key)).map((s) => s.status.state), { timeout: 15_000 }).toEqual(['expired']);
    await expect.poll(() => labels(key), { timeout: 15_000 }).toContain('Silence');
    expect(cardText(key)).not.toContain('Silenced in Alertmanager until');
    expect((await t.warden.store.get(key))!.silence).toBeUndefined();
    await expect
      .poll(() => audit.entries, { timeout: 15_000 })
      .toContainEqual(expect.objectContaining({ type: 'silence.expired', subject: key, actor: 'slack:U0OPS1', detail: expect.objectContaining({ why: 'unsilence' }) }));
    expect((await t.warden.store.timeline(key)).map((e) => e.text)).toContainEqual(expect.stringContaining('expired by slack:U0OPS1 (Unsilence)'));
    // The silence had stopped the escalation; nobody acknowledged the incident: a new chain starts now.
    await expect.poll(async () => (await t.warden.store.get(key))!.escalationFrom, { timeout: 15_000 }).toBeTypeOf('number');
    const resumed = (await t.warden.store.get(key))!;
    expect(resumed.escalationStopped).toBeUndefined();
    expect((await t.warden.store.timeline(key)).map((e) => e.text)).toContainEqual(expect.stringMatching(/^Escalation resumed: silence .* expired by slack:U0OPS1 \(Unsilence\)$/));
    await expect
      .poll(() => audit.entries, { timeout: 15_000 })
      .toContainEqual(expect.objectContaining({ type: 'incident.escalation_resumed', subject: key, actor: 'slack:U0OPS1' }));
    // Its first step is timed from the resumption (the slow policy: in ten hours).
    await expect.poll(async () => (await t.warden.queues.escalation.getJob(`escalation.${key}.f${resumed.escalationFrom}.s0.r0`))?.delay, { timeout: 15_000 }).toBeGreaterThan(599 * 60_000);
  }, 60_000);

  it('/incident silence <key> 8h needs a second person: the requester cannot approve it, another approver can', async () => {
    const key = await open('SilenceLong');
    expect((await command('U0LEAD', `silence ${key} 8h maintenance window on web-1`)).status).toBe(200);
    await slack.waitFor(() => ephemeralTo('U0LEAD', 'has to approve it'), 15_000);
    await expect.poll(() => labels(key), { timeout: 15_000 }).toContain('Approve: Silence for 8h');
    expect(cardText(key)).toContain('Silence the alerts matching {alertname=\\"SilenceLong\\"} in Alertmanager for 8h');
    expect(await silencesOf(key)).toEqual([]);
    const approve = slackButtons(card(key)!.blocks).find((b) => b.text.text === 'Approve: Silence for 8h')!;

    expect((await click('U0LEAD', key, approve.action_id, JSON.parse(approve.value) as Record<string, string>)).status).toBe(200);
    await slack.waitFor(() => ephemeralTo('U0LEAD', 'yourself'), 15_000);
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForDueJobs(t.warden.queues.silences);
    expect(await silencesOf(key)).toEqual([]);

    const before = Date.now();
    expect((await click('U0DEPUTY', key, approve.action_id, JSON.parse(approve.value) as Record<string, string>)).status).toBe(200);
    await expect.poll(async () => (await activeSilencesOf(key)).length, { timeout: 15_000 }).toBe(1);
    const [silence] = await activeSilencesOf(key);
    expect(silence!.createdBy).toBe('lead');
    expect(silence!.comment).toContain('maintenance window on web-1');
    expect(silence!.comment).toContain('approved by deputy');
    expect(Date.parse(silence!.endsAt)).toBeGreaterThanOrEqual(before + 8 * HOUR - 1000);
    await expect.poll(() => cardText(key), { timeout: 15_000 }).toContain('by lead, approved by deputy');
  }, 60_000);

  it('a short /incident silence with a reason runs at once, and a duration that is none gets the usage', async () => {
    const key = await open('SilenceCommand');
    await command('U0OPS1', `silence ${key} 0m`);
    await slack.waitFor(() => ephemeralTo('U0OPS1', 'is not a duration'), 15_000);
    await command('U0OPS1', `silence ${key} 30m deploying the fix`);
    await expect.poll(async () => (await activeSilencesOf(key)).length, { timeout: 15_000 }).toBe(1);
    const [silence] = await activeSilencesOf(key);
    expect(silence!.comment).toContain('deploying the fix');
    expect(Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt)).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt)).toBeLessThanOrEqual(30 * 60_000 + 1000);
  }, 60_000);

  it('resolving the incident (Resolve) expires its silence', async () => {
    const key = await open('SilenceResolve');
    await click('U0OPS1', key, 'incident.silence');
    await expect.poll(async () => (await activeSilencesOf(key)).length, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await t.warden.store.get(key))!.silence, { timeout: 15_000 }).toBeDefined();

    await click('U0OPS1', key, 'incident.resolve');
    await expect.poll(async () => (await silencesOf(key)).map((s) => s.status.state), { timeout: 15_000 }).toEqual(['expired']);
    // Audited once Alertmanager answered, so a moment after the silence shows as expired there.
    await expect
      .poll(() => audit.entries, { timeout: 15_000 })
      .toContainEqual(expect.objectContaining({ type: 'silence.expired', subject: key, actor: 'warden', detail: expect.objectContaining({ why: 'closed' }) }));
    await expect.poll(async () => (await t.warden.store.timeline(key)).map((e) => e.text), { timeout: 15_000 }).toContainEqual(expect.stringContaining('expired: the incident was closed'));
  }, 60_000);

  it('the alerts resolving at the source expire the silence too', async () => {
    const key = await open('SilenceSourceResolved');
    await click('U0OPS1', key, 'incident.silence');
    await expect.poll(async () => (await t.warden.store.get(key))!.silence, { timeout: 15_000 }).toBeDefined();
    const resolved = { ...buildNotification({ alertname: 'SilenceSourceResolved', resolved: ['web-1:9100'] }), externalURL: am.url };
    expect((await postNotification(t.url, t.token, resolved)).status).toBe(202);
    await expect.poll(async () => (await silencesOf(key)).map((s) => s.status.state), { timeout: 15_000 }).toEqual(['expired']);
    await expect.poll(async () => (await t.warden.store.get(key))!.silence, { timeout: 15_000 }).toBeUndefined();
    await expect.poll(() => audit.entries, { timeout: 15_000 }).toContainEqual(expect.objectContaining({ type: 'silence.expired', subject: key, detail: expect.objectContaining({ why: 'resolved' }) }));
  }, 60_000);

  it('an unreachable Alertmanager puts a clear error on the card and the timeline after the retries', async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    const key = await open('SilenceUnreachable', { externalURL: closed });
    await click('U0OPS1', key, 'incident.silence');
    const message = `Silence failed: Alertmanager unreachable at ${closed}: connection refused`;
    await expect.poll(() => cardText(key), { timeout: 30_000 }).toContain(message);
    expect(labels(key)).toContain('Silence');
    expect((await t.warden.store.timeline(key)).map((e) => e.text)).toContainEqual(expect.stringContaining(message));
    await expect.poll(() => audit.entries, { timeout: 15_000 }).toContainEqual(expect.objectContaining({ type: 'silence.failed', subject: key, outcome: 'alertmanager_unavailable' }));
  }, 60_000);

  it('a stranger is refused privately and nothing is queued or created', async () => {
    const key = await open('SilenceStranger');
    const jobs = async () => Object.values(await t.warden.queues.silences.getJobCounts()).reduce((a, b) => a + b, 0);
    const before = await jobs();
    expect((await click('U0STRANGER', key, 'incident.silence')).status).toBe(200);
    await slack.waitFor(() => ephemeralTo('U0STRANGER', 'incident.respond'), 15_000);
    // A refused command is answered in the slash command's own response.
    expect((await command('U0STRANGER', `silence ${key} 1h`)).text).toContain('incident.respond');
    await waitForIdleQueue(t.warden.queues.inbound);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: 'slack:U0STRANGER', subject: 'incident.silence' }));
    expect(await jobs()).toBe(before);
    expect(await silencesOf(key)).toEqual([]);
    expect((await t.warden.store.get(key))!.silence).toBeUndefined();
  }, 60_000);

  it('says how many alerts Alertmanager left out and links to the whole group', async () => {
    const key = await open('Truncated', { truncatedAlerts: 7 });
    expect(cardText(key)).toContain('+7 more alerts not sent by Alertmanager');
    expect(cardText(key)).toContain('#/alerts?filter=%7Balertname%3D%22Truncated%22%7D');
  }, 30_000);
});
