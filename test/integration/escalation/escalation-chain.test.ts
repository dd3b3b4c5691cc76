import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildSlackButtonClick, postSignedSlackRequest } from '../../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

// One configured minute lasts this long here: step 1 after 2 s, step 2 after 4 s, step 3 after 12 s.
const MINUTE_MS = 2000;

/**
 * An escalation chain across Warden restarts: real Redis, real BullMQ workers, the fake Slack and
 * Lark APIs on loopback. Each step is a delayed job that outlives the Warden that scheduled it and
 * runs once; the acknowledgement between steps 2 and 3 ends the chain when step 3's job fires.
 */
describe('escalation of an unacknowledged incident', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let larkApi: FakeLarkApi;
  let t: TestWarden;
  let prefix = '';
  let key = '';

  const start = async () =>
    startTestWarden({
      name: 'escalation',
      audit,
      escalationMinuteMs: MINUTE_MS,
      tree: {
        ...(prefix === '' ? {} : { redis: { prefix } }),
        slack: { signingSecret, botToken, apiUrl: slack.url },
        lark: { ...lark, domain: larkApi.url },
        routes: [{ to: ['slack:C0SEC', 'lark:oc_0sec'] }],
        access: {
          people: { alice: ['slack:U0ALICE', 'lark:ou_0alice'], bob: ['slack:U0BOB', 'lark:ou_0bob'] },
          groups: { operators: ['alice', 'bob'], leads: ['bob'] },
          permissions: { 'incident.respond': ['operators'] },
        },
        oncall: { rotations: { primary: { people: ['alice'], timezone: 'Europe/Berlin', start: '2026-01-05', handoff: '09:00', length: '1w' } } },
        escalation: {
          policies: {
            default: {
              steps: [
                { afterMinutes: 1, notify: ['primary'] },
                { afterMinutes: 2, notify: ['leads'] },
                { afterMinutes: 6, notify: ['slack:U0BOSS'] },
              ],
            },
          },
          default: 'default',
        },
        limits: { outbound: { slackPerChannelPerSecond: 50, larkPerChatPerSecond: 50 } },
      },
    });
  const notices = (channel: string, mention: string) => slack.messages(channel).filter((m) => JSON.stringify(m).includes(mention));
  const stepJob = (step: number) => t.warden.queues.escalation.getJob(`escalation.${key}.s${step}.r0`);

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    larkApi = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await start();
    prefix = t.prefix;
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    await larkApi?.close();
  });

  it('step 1 mentions whoever is on call with each platform’s own syntax, messages them directly and buzzes the Lark card', async () => {
    ({ key } = await openSlackIncident(t, slack, 'C0SEC', 'SuspiciousProcess'));
    await expect.poll(() => notices('C0SEC', '<@U0ALICE>').length, { timeout: 15_000 }).toBe(1);
    const notice = notices('C0SEC', '<@U0ALICE>')[0]!;
    expect(notice.text).toContain('<@U0ALICE>');
    expect(JSON.stringify(notice.blocks)).toContain('alice (on call for primary)');
    await expect.poll(() => larkApi.messages('oc_0sec').filter((m) => JSON.stringify(m.content).includes('<at id=ou_0alice></at>')).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => slack.messages('U0ALICE').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => larkApi.directMessages('ou_0alice').length, { timeout: 10_000 }).toBe(1);
    const card = larkApi.messages('oc_0sec')[0]!;
    await larkApi.waitFor((calls) => calls.some((c) => c.route.endsWith('/urgent_app') && c.code === 0), 10_000);
    const buzz = larkApi.callsTo('PATCH /open-apis/im/v1/messages/:message_id/urgent_app')[0]!;
    expect(buzz.path).toBe(`/open-apis/im/v1/messages/${card.message_id}/urgent_app`);
    expect(buzz.body).toEqual({ user_id_list: ['ou_0alice'] });
    await expect.poll(() => JSON.stringify(slack.messages('C0SEC')[0]!.blocks), { timeout: 10_000 }).toMatch(/Escalated to alice \(on call for primary\) at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(step 1/);
  }, 30_000);

  it('step 2, scheduled before a restart, fires once on the new Warden', async () => {
    expect(await (await stepJob(1))!.isDelayed()).toBe(true);
    await t.stop();
    const restartedAt = Date.now();
    t = await start();
    await expect.poll(() => notices('C0SEC', '<@U0BOB>').length, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await stepJob(1))?.finishedOn !== undefined, { timeout: 10_000 }).toBe(true);
    expect((await stepJob(1))!.processedOn).toBeGreaterThanOrEqual(restartedAt);
    expect(await (await stepJob(1))!.returnvalue).toMatch(/^step 2 repeat 0 to 2 identities; next: step 3/);
    await expect.poll(() => slack.messages('U0BOB').length, { timeout: 10_000 }).toBe(1);
    const timeline = await t.warden.store.timeline(key);
    expect(timeline.filter((e) => e.kind === 'escalation').map((e) => e.text)).toEqual([
      expect.stringMatching(/^Escalated to alice \(on call for primary\): step 1,/),
      expect.stringMatching(/^Escalated to leads \(bob\): step 2,/),
    ]);
    expect(audit.entries.filter((e) => e.type === 'incident.escalated')).toHaveLength(2);
    // Counted by the process that took the step.
    expect(await t.warden.metrics.registry.getSingleMetricAsString('warden_incident_escalations_total')).toContain('warden_incident_escalations_total{severity="critical",route="0"} 1');
  }, 30_000);

  it('an acknowledgement between steps 2 and 3 ends the chain: step 3 fires once after another restart and notifies nobody', async () => {
    const cardTs = slack.messages('C0SEC')[0]!.ts;
    const click = buildSlackButtonClick({ user: 'U0BOB', actionId: 'incident.acknowledge', value: JSON.stringify({ k: key }), channel: 'C0SEC', messageTs: cardTs, triggerId: 'trigger-ack', actionTs: '1700000000.000001' });
    expect((await postSignedSlackRequest({ url: t.url, signingSecret, body: click })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.acknowledgedBy, { timeout: 10_000 }).toBe('slack:U0BOB');
    await t.stop();
    const restartedAt = Date.now();
    t = await start();
    await expect.poll(async () => (await stepJob(2))?.finishedOn !== undefined, { timeout: 20_000 }).toBe(true);
    const job = (await stepJob(2))!;
    expect(job.processedOn).toBeGreaterThanOrEqual(restartedAt);
    expect(job.returnvalue).toBe('escalation ended: acknowledged by slack:U0BOB');
    expect(job.attemptsMade).toBe(1);
    expect(notices('C0SEC', 'U0BOSS')).toHaveLength(0);
    expect(slack.messages('U0BOSS')).toHaveLength(0);
    expect(audit.entries.filter((e) => e.type === 'incident.escalated')).toHaveLength(2);
    expect(notices('C0SEC', '<@U0ALICE>')).toHaveLength(1);
    expect(notices('C0SEC', '<@U0BOB>')).toHaveLength(1);
    // Nothing else is waiting to escalate this incident.
    expect(await t.warden.queues.escalation.getDelayedCount()).toBe(0);
  }, 40_000);
});
