import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

// One configured minute lasts this long here: step 1 a minute after the chain starts.
const MINUTE_MS = 1500;

/**
 * Incidents that opened while no escalation policy was configured get their chain when Warden
 * starts with one — timed from then, once — and incidents that already have a chain, or that
 * someone acknowledged, are left as they are. Real Redis and BullMQ workers across restarts, the
 * fake Slack API on loopback.
 */
describe('escalation for incidents that opened before a policy applied', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let t: TestWarden;
  let prefix = '';

  const start = (withPolicy: boolean) =>
    startTestWarden({
      name: 'escalation-missing',
      audit,
      escalationMinuteMs: MINUTE_MS,
      tree: {
        ...(prefix === '' ? {} : { redis: { prefix } }),
        slack: { signingSecret, botToken, apiUrl: slack.url },
        routes: [{ to: ['slack:C0LATE'] }],
        access: { people: { alice: ['slack:U0ALICE'], bob: ['slack:U0BOB'] }, groups: { responders: ['bob'] }, permissions: { 'incident.respond': ['responders'] } },
        ...(withPolicy ? { escalation: { policies: { default: { steps: [{ afterMinutes: 1, notify: ['alice'] }] } }, default: 'default' } } : {}),
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  const mentions = (id: string) => slack.messages('C0LATE').filter((m) => JSON.stringify(m).includes(`<@${id}>`)).length;

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    t = await start(false);
    prefix = t.prefix;
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
  });

  it('starts the chain of an open, unacknowledged incident once a policy is configured, from then', async () => {
    const { key: waiting } = await openSlackIncident(t, slack, 'C0LATE', 'OpenedBeforePolicy');
    const { key: acknowledged } = await openSlackIncident(t, slack, 'C0LATE', 'AcknowledgedBeforePolicy');
    await t.warden.store.patch(acknowledged, { set: { acknowledgedBy: 'slack:U0BOB' } }, Date.now());
    await t.stop();

    const restartedAt = Date.now();
    t = await start(true);
    await expect.poll(async () => (await t.warden.store.get(waiting))?.escalationFrom, { timeout: 15_000 }).toBeGreaterThanOrEqual(restartedAt);
    const from = (await t.warden.store.get(waiting))!.escalationFrom!;
    await expect.poll(() => mentions('U0ALICE'), { timeout: 15_000 }).toBe(1);
    const step = (await t.warden.queues.escalation.getJob(`escalation.${waiting}.f${from}.s0.r0`))!;
    expect(step.processedOn! - from).toBeGreaterThanOrEqual(MINUTE_MS - 50);
    expect((await t.warden.store.timeline(waiting)).filter((e) => e.kind === 'escalation').map((e) => e.text)).toEqual([
      'Escalation started: policy default applies, and none did when the incident opened',
      'Escalated to alice: step 1, not acknowledged 1 min after its escalation started',
    ]);
    expect(audit.entries.filter((e) => e.type === 'incident.escalation_started').map((e) => e.subject)).toEqual([waiting]);
    expect((await t.warden.store.get(acknowledged))!.escalationFrom).toBeUndefined();

    // A later start finds the chain started (and an incident opened with the policy has its own): nothing more.
    const { key: opened } = await openSlackIncident(t, slack, 'C0LATE', 'OpenedWithPolicy');
    await expect.poll(async () => (await t.warden.queues.escalation.getJob(`escalation.${opened}.start`)) !== undefined, { timeout: 10_000 }).toBe(true);
    await t.stop();
    t = await start(true);
    await expect.poll(() => mentions('U0ALICE'), { timeout: 15_000 }).toBe(2);
    expect((await t.warden.store.get(opened))!.escalationFrom).toBeUndefined();
    expect((await t.warden.store.get(waiting))!.escalationFrom).toBe(from);
    expect(audit.entries.filter((e) => e.type === 'incident.escalation_started')).toHaveLength(1);
  }, 60_000);
});
