import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import {
  createSlackClicker,
  INJECTED_INSTANCES,
  ISOLATE_TITLE,
  NOTIFY_TITLE,
  remediationActions,
  responseAccess,
  resultEntries,
  slackButtons,
  type SlackClicker,
} from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

const CHANNEL = 'C0SEC';
const [REQUESTER, OPERATOR, APPROVER] = ['U0OPS1', 'U0OPS2', 'U0BOSS'];

/**
 * The incident response with remediations on Slack, end to end: Alertmanager notification, signed
 * card clicks over real HTTP to a real Warden (Redis, BullMQ workers), cards on the fake Slack API,
 * and remediations reaching a fake target on loopback that counts effects per Idempotency-Key.
 */
describe('Slack: isolate, request, approve and run remediations', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  // Warden's clock: shifted forward to let an approval request expire.
  let offset = 0;
  const now = () => Date.now() + offset;
  let slack: FakeSlackApi;
  let target: FakeRemediationTarget;
  let t: TestWarden;
  let key = '';

  const cardOf = (incident: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(incident));
  const cardText = (incident: string) => JSON.stringify(cardOf(incident)?.blocks ?? null);
  const clickerFor = (incident: string): SlackClicker =>
    createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(incident)?.ts ?? '1700000000.000001', now });
  let click: SlackClicker;
  const ephemeralTo = (user: string, text: string) => slack.ephemerals.some((e) => e.user === user && JSON.stringify(e.blocks ?? e.text).includes(text));
  const timeline = (incident = key) => t.warden.store.timeline(incident);

  async function openIncident(alertname: string, instance: string): Promise<string> {
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname, instances: [instance] }));
    expect(posted.status).toBe(202);
    const opened = posted.body.incident as string;
    await slack.waitFor(() => cardOf(opened) !== undefined, 10_000);
    return opened;
  }

  beforeAll(async () => {
    target = await startFakeRemediationTarget();
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'slack-remediation',
      audit,
      now,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [{ to: [`slack:${CHANNEL}`], playbook: 'suspicious-process' }],
        access: responseAccess('slack', { operators: [REQUESTER, OPERATOR], approvers: [REQUESTER, APPROVER] }),
        actions: remediationActions(target.url),
        limits: { approvalExpiryMinutes: 1, outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    key = await openIncident('SuspiciousProcess', 'web-1:9100');
    click = clickerFor(key);
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    await target?.close();
  });

  it('Isolate shows the phase\'s playbook steps and a button per remediation, labelled with its title', async () => {
    expect((await click(REQUESTER, 'incident.isolate', { k: key })).status).toBe(200);
    await expect.poll(() => cardText(key), { timeout: 10_000 }).toContain('Playbook steps — isolate');
    expect(cardText(key)).toContain('Isolate the host from the network');
    const actions = slackButtons(cardOf(key)!.blocks).filter((button) => button.action_id === 'action.run');
    expect(actions.map((button) => [button.text.text, JSON.parse(button.value)])).toEqual([
      [ISOLATE_TITLE, { k: key, a: 'isolate-host' }],
      [NOTIFY_TITLE, { k: key, a: 'notify-owner' }],
    ]);
    expect(slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(1);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
  });

  let requestId = '';

  it('a destructive remediation waits for approval; the requester and a non-approver are refused privately', async () => {
    const run = await click(REQUESTER, 'action.run', { k: key, a: 'isolate-host' });
    expect(run.status).toBe(200);
    requestId = run.requestId;
    await expect.poll(async () => (await timeline()).some((e) => e.data?.requestId === requestId && e.data.state === 'pending'), { timeout: 10_000 }).toBe(true);
    // The card's Approve button carries the same request id as the click that asked.
    await expect.poll(() => slackButtons(cardOf(key)?.blocks).find((b) => b.action_id === 'approval.approve')?.value, { timeout: 10_000 }).toBe(JSON.stringify({ k: key, r: requestId }));

    expect((await click(REQUESTER, 'approval.approve', { k: key, r: requestId })).status).toBe(200);
    await expect.poll(() => ephemeralTo(REQUESTER, 'someone else with action.approve'), { timeout: 10_000 }).toBe(true);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'approval.refused', actor: `slack:${REQUESTER}`, outcome: 'self_approval' }));

    expect((await click(OPERATOR, 'approval.approve', { k: key, r: requestId })).status).toBe(200);
    await expect.poll(() => ephemeralTo(OPERATOR, 'action.approve'), { timeout: 10_000 }).toBe(true);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: `slack:${OPERATOR}`, subject: 'approval.approve' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.requests).toHaveLength(0);
  });

  it('an approver\'s approval runs it once, with an Idempotency-Key, and the card shows the result', async () => {
    const ids = { triggerId: 'trigger-approve', actionTs: '1700000001.000001' };
    for (let delivery = 0; delivery < 3; delivery++) expect((await click(APPROVER, 'approval.approve', { k: key, r: requestId }, ids)).status).toBe(200);
    await expect.poll(() => target.effectCount(), { timeout: 15_000 }).toBe(1);
    const [sent] = target.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/isolate', idempotencyKey: `warden-${requestId}`, status: 201 });
    expect(JSON.parse(sent!.body)).toEqual({ host: 'web-1:9100', incident: key, mode: 'quarantine' });

    await expect.poll(() => cardText(key), { timeout: 10_000 }).toContain(`✅ ${ISOLATE_TITLE}: HTTP 201`);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
    expect(JSON.stringify(slack.callsTo('chat.update').at(-1)?.body.blocks)).toContain(`✅ ${ISOLATE_TITLE}: HTTP 201`);
    expect(cardText(key)).not.toContain('approval.approve');
    const results = resultEntries(await timeline(), 'isolate-host');
    expect(results.map((e) => e.text)).toEqual([expect.stringMatching(new RegExp(`^OK ${ISOLATE_TITLE} \\(run by slack:${REQUESTER}, approved by slack:${APPROVER}\\): HTTP 201`))]);

    // A later approval of the same request is told it was decided; nothing runs again.
    expect((await click(APPROVER, 'approval.approve', { k: key, r: requestId })).status).toBe(200);
    await expect.poll(() => ephemeralTo(APPROVER, `already approved by slack:${APPROVER}`), { timeout: 10_000 }).toBe(true);
    expect(target.requests).toHaveLength(1);
    expect(audit.entries.filter((e) => e.type === 'approval.approved')).toHaveLength(1);
  });

  it('a non-destructive remediation runs at once, without approval', async () => {
    const run = await click(OPERATOR, 'action.run', { k: key, a: 'notify-owner' });
    await expect.poll(() => target.effects.get(`warden-${run.requestId}`), { timeout: 15_000 }).toBe(1);
    expect(target.requests.at(-1)).toMatchObject({ url: '/notify', idempotencyKey: `warden-${run.requestId}` });
    await expect.poll(() => cardText(key), { timeout: 10_000 }).toContain(`✅ ${NOTIFY_TITLE}: HTTP 201`);
    expect(resultEntries(await timeline(), 'notify-owner')).toEqual([expect.objectContaining({ text: expect.stringMatching(/^OK Notify owner \(run by slack:U0OPS2\)/) })]);
    expect(audit.entries.filter((e) => e.type === 'approval.requested' && (e.detail as { actionId?: string }).actionId === 'notify-owner')).toHaveLength(0);
  });

  it('refuses injected label values with a clear failure on the card and timeline; the target receives nothing', async () => {
    const before = target.requests.length;
    const incidents = await Promise.all(INJECTED_INSTANCES.map((instance, i) => openIncident(`InjectedLabel${i}`, instance)));
    for (const incident of incidents) expect((await clickerFor(incident)(OPERATOR, 'action.run', { k: incident, a: 'notify-owner' })).status).toBe(200);

    // The destructive one too: refused when it is requested, so there is nothing to approve.
    const first = incidents[0]!;
    await clickerFor(first)(REQUESTER, 'action.run', { k: first, a: 'isolate-host' });

    for (const [i, incident] of incidents.entries()) {
      await expect.poll(async () => resultEntries(await timeline(incident), 'notify-owner').length, { timeout: 15_000 }).toBe(1);
      const [failure] = resultEntries(await timeline(incident), 'notify-owner');
      expect(failure!.text).toMatch(/^FAILED Notify owner \(run by slack:U0OPS2\): not sent: \{\{ labels\.instance \}\} was rejected/);
      expect(failure!.text).toContain(`the value ${JSON.stringify(INJECTED_INSTANCES[i])} does not match the pattern`);
      expect(failure!.data).toMatchObject({ ok: false });
      await expect.poll(() => cardText(incident), { timeout: 10_000 }).toContain(`❌ ${NOTIFY_TITLE}: not sent:`);
    }
    await expect.poll(async () => resultEntries(await timeline(first), 'isolate-host').map((e) => e.text), { timeout: 15_000 }).toEqual([
      expect.stringMatching(/^FAILED Isolate host .*not sent: \{\{ labels\.instance \}\} was rejected: the value "web-1; rm -rf \/" does not match the pattern/),
    ]);
    expect((await timeline(first)).some((e) => e.data?.state === 'pending')).toBe(false);
    expect(cardText(first)).not.toContain('approval.approve');
    expect(target.requests).toHaveLength(before);
  });

  it('refuses an approval after the request expired, with the reason, and runs nothing', async () => {
    const run = await click(REQUESTER, 'action.run', { k: key, a: 'isolate-host' });
    await expect.poll(async () => (await timeline()).some((e) => e.data?.requestId === run.requestId && e.data.state === 'pending'), { timeout: 10_000 }).toBe(true);
    const requests = target.requests.length;

    offset += 2 * 60_000; // past limits.approvalExpiryMinutes (1)
    expect((await click(APPROVER, 'approval.approve', { k: key, r: run.requestId })).status).toBe(200);
    await expect.poll(() => ephemeralTo(APPROVER, `The request for ${ISOLATE_TITLE} expired at`), { timeout: 10_000 }).toBe(true);
    expect(ephemeralTo(APPROVER, 'request it again if it is still needed')).toBe(true);
    await expect.poll(async () => (await timeline()).some((e) => e.data?.requestId === run.requestId && e.data.state === 'expired'), { timeout: 10_000 }).toBe(true);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'approval.expired', actor: `slack:${APPROVER}`, outcome: 'expired' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.requests).toHaveLength(requests);
    expect(resultEntries(await timeline(), 'isolate-host')).toHaveLength(1);
  });
});
