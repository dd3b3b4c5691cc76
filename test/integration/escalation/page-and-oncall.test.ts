import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageIncident } from '../../../src/escalation/page-incident.js';
import { stopEscalation } from '../../../src/escalation/stop-escalation.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { findOnCall } from '../../../src/oncall/find-on-call.js';
import { textRef } from '../../../src/shared/messages/text-ref.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildSlackSlashCommand, postSignedSlackRequest } from '../../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

/** `/oncall`, `/incident page` and the hook that stops an escalation, through signed Slack commands and the fake APIs. */
describe('/oncall, /incident page and stopping escalation', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let larkApi: FakeLarkApi;
  let t: TestWarden;
  let serial = 0;
  const dir = mkdtempSync(join(tmpdir(), 'warden-page-'));
  // An iCalendar that gives bob the day around now.
  const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Warden tests//EN', 'BEGIN:VEVENT', 'UID:b1', `DTSTART:${basic(Date.now() - 86_400_000)}`, `DTEND:${basic(Date.now() + 86_400_000)}`, 'SUMMARY:bob', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');

  const command = (user: string, name: string, text: string) =>
    postSignedSlackRequest({ url: t.url, signingSecret, body: buildSlackSlashCommand({ user, command: name, text, channel: 'C0SEC', triggerId: `cmd-${++serial}` }) });
  const replyTo = (user: string, text: string) => slack.ephemerals.find((e) => e.user === user && JSON.stringify(e.blocks ?? e.text).includes(text));
  const open = async (alertname: string, severity: string) => {
    const before = slack.messages('C0SEC').length;
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname, severity }));
    expect(posted.status).toBe(202);
    await slack.waitFor(() => slack.messages('C0SEC').length > before, 10_000);
    return posted.body.incident as string;
  };

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    larkApi = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    writeFileSync(join(dir, 'backup.ics'), ics);
    t = await startTestWarden({
      name: 'page',
      audit,
      escalationMinuteMs: 1500,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url },
        lark: { ...lark, domain: larkApi.url },
        routes: [{ to: ['slack:C0SEC', 'lark:oc_0sec'] }],
        access: {
          people: { alice: ['slack:U0ALICE', 'lark:ou_0alice'], bob: ['slack:U0BOB', 'lark:ou_0bob'] },
          groups: { operators: ['alice', 'bob'], leads: ['bob'] },
          permissions: { 'incident.respond': ['operators'] },
        },
        oncall: {
          rotations: {
            primary: { people: ['alice', 'bob'], timezone: 'Europe/Berlin', start: '2026-01-05', handoff: '09:00', length: '1d' },
            backup: { timezone: 'UTC', start: '2026-01-05', calendar: { file: join(dir, 'backup.ics') } },
          },
        },
        escalation: { policies: { fast: { steps: [{ afterMinutes: 1, notify: ['primary'] }] } }, bySeverity: { critical: 'fast' } },
        limits: { outbound: { slackPerChannelPerSecond: 50, larkPerChatPerSecond: 50 } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    await larkApi?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/oncall says who is on call now and next, with handoffs in the rotation zone and UTC', async () => {
    const expected = findOnCall(t.config.oncall.rotations.primary!, Date.now());
    expect((await command('U0ALICE', '/oncall', '')).status).toBe(200);
    await expect.poll(() => replyTo('U0ALICE', 'primary — 1d turns'), { timeout: 10_000 }).toBeDefined();
    const text = JSON.stringify(replyTo('U0ALICE', 'primary — 1d turns'));
    expect(text).toContain('handoff 09:00 Europe/Berlin');
    expect(text).toContain(`now: ${expected.now.person} since`);
    expect(text).toContain(`next: ${expected.next.person} from`);
    expect(text).toMatch(/09:00 GMT\+[12] \(0[78]:00 UTC\)/);
    expect(text).toContain('backup — 1w turns, handoff 09:00 UTC, with a calendar');
    expect(text).toContain('now: bob (override or calendar) since');
  });

  it('/incident page <rotation> follows the rotation calendar', async () => {
    const key = await open('CalendarPage', 'warning');
    expect((await command('U0ALICE', '/incident', `page ${key} backup`)).status).toBe(200);
    await expect.poll(() => replyTo('U0ALICE', 'You paged bob (on call for backup)'), { timeout: 10_000 }).toBeDefined();
  });

  it('/incident page mentions a group in the channels with each platform’s syntax, messages them, buzzes the Lark card, audits it and notes it on the timeline', async () => {
    const key = await open('DataExfiltration', 'warning');
    expect((await command('U0ALICE', '/incident', `page ${key} leads`)).status).toBe(200);
    await expect.poll(() => slack.messages('C0SEC').filter((m) => m.text?.includes('<@U0BOB>')).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => larkApi.messages('oc_0sec').filter((m) => JSON.stringify(m.content).includes('<at id=ou_0bob></at>')).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => slack.messages('U0BOB').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => larkApi.directMessages('ou_0bob').length, { timeout: 10_000 }).toBe(1);
    await larkApi.waitFor((calls) => calls.some((c) => c.route.endsWith('/urgent_app') && JSON.stringify(c.body) === '{"user_id_list":["ou_0bob"]}'), 10_000);
    await expect.poll(() => replyTo('U0ALICE', 'You paged leads (bob)'), { timeout: 10_000 }).toBeDefined();
    const timeline = await t.warden.store.timeline(key);
    expect(timeline).toContainEqual(expect.objectContaining({ kind: 'page', text: 'Paged leads (bob) (by slack:U0ALICE)', actor: 'slack:U0ALICE' }));
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'incident.paged', actor: 'slack:U0ALICE', subject: key, detail: { target: 'leads', identities: ['slack:U0BOB', 'lark:ou_0bob'] } }));
  });

  it('/incident page <rotation> reaches whoever is on call now; an unknown target is refused with the names Warden knows', async () => {
    const key = await open('AbnormalAccess', 'warning');
    const onCall = findOnCall(t.config.oncall.rotations.primary!, Date.now()).now.person;
    const slackId = onCall === 'alice' ? 'U0ALICE' : 'U0BOB';
    const before = slack.messages('C0SEC').filter((m) => m.text?.includes(`<@${slackId}>`)).length;
    expect((await command('U0BOB', '/incident', `page ${key} primary`)).status).toBe(200);
    await expect.poll(() => slack.messages('C0SEC').filter((m) => m.text?.includes(`<@${slackId}>`)).length, { timeout: 10_000 }).toBe(before + 1);
    expect((await command('U0BOB', '/incident', `page ${key} ghost`)).status).toBe(200);
    await expect.poll(() => replyTo('U0BOB', '\\"ghost\\" is no rotation, group or person'), { timeout: 10_000 }).toBeDefined();
    expect(JSON.stringify(replyTo('U0BOB', 'ghost'))).toContain('primary, backup, operators, leads, alice, bob');
  });

  it('a page retried with the same request id is noted and audited once', async () => {
    const key = await open('ApiKeyLeak', 'warning');
    const deps = { config: t.config, store: t.warden.store, work: createJobWork(t.warden.queues), audit: t.warden.audit, now: Date.now };
    const first = await pageIncident(deps, key, 'alice', 'slack:U0BOB', 'delivery-1');
    const again = await pageIncident(deps, key, 'alice', 'slack:U0BOB', 'delivery-1');
    expect([first.outcome, again.outcome]).toEqual(['changed', 'changed']);
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'page')).toHaveLength(1);
    expect(audit.entries.filter((e) => e.type === 'incident.paged' && e.subject === key)).toHaveLength(1);
    await expect.poll(() => slack.messages('U0ALICE').filter((m) => JSON.stringify(m.blocks).includes(key)).length, { timeout: 10_000 }).toBe(1);
  });

  it('a step due while the source reports the alerts resolved notifies nobody and the chain moves on', async () => {
    const key = await open('ResourceExhaustion', 'critical');
    expect((await postNotification(t.url, t.token, buildNotification({ alertname: 'ResourceExhaustion', severity: 'critical', resolved: ['web-1:9100'] }))).status).toBe(202);
    await expect.poll(async () => (await t.warden.store.get(key))?.status, { timeout: 10_000 }).toBe('resolved');
    const job = () => t.warden.queues.escalation.getJob(`escalation.${key}.s0.r0`);
    await expect.poll(async () => (await job())?.returnvalue, { timeout: 10_000 }).toBe('step 1 repeat 0 skipped: the source reports the alerts resolved; last step');
    expect(audit.entries.filter((e) => e.type === 'incident.escalated' && e.subject === key)).toHaveLength(0);
  });

  it('stopEscalation (the hook a silence calls) ends the chain: the step that fires then notifies nobody, and the card says why', async () => {
    const key = await open('PrivilegeEscalation', 'critical');
    const work = createJobWork(t.warden.queues);
    expect(await stopEscalation({ store: t.warden.store, work, audit: t.warden.audit, now: Date.now }, key, textRef('card.escalation.stop.silenced', { until: '12:00 UTC', by: 'alice' }), 'slack:U0ALICE')).toBe(true);
    expect(await stopEscalation({ store: t.warden.store, work, audit: t.warden.audit, now: Date.now }, key, textRef('card.escalation.stop.silenced', { until: '13:00 UTC', by: 'bob' }))).toBe(false);
    const job = () => t.warden.queues.escalation.getJob(`escalation.${key}.s0.r0`);
    await expect.poll(async () => (await job())?.returnvalue, { timeout: 10_000 }).toBe('escalation ended: stopped: silenced in Alertmanager until 12:00 UTC by alice');
    const card = slack.messages('C0SEC').find((m) => JSON.stringify(m.blocks).includes(key))!;
    await expect.poll(() => JSON.stringify(slack.messages('C0SEC').find((m) => m.ts === card.ts)!.blocks), { timeout: 10_000 }).toContain('Escalation stopped at');
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'escalation').map((e) => e.text)).toEqual(['Escalation stopped: silenced in Alertmanager until 12:00 UTC by alice']);
    expect((await t.warden.store.get(key))?.escalationStopped).toMatchObject({ reason: 'silenced in Alertmanager until 12:00 UTC by alice', reasonRef: { key: 'card.escalation.stop.silenced' } });
    expect(audit.entries.filter((e) => e.type === 'incident.escalated' && e.subject === key)).toHaveLength(0);
  });
});
