import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildSlackSlashCommand, postSignedSlackRequest } from '../../support/signed-slack-request.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForCompletedJobs, waitForIdleQueue } from '../../support/wait-for-jobs.js';

const CHANNEL = 'C0SEC';
const STAKEHOLDERS = 'C0STAKE';
// 3 s: short enough for a test, long enough for a command to land first on a busy machine.
const REMIND_AFTER_MINUTES = 0.05;

/**
 * `/incident lead` and `/incident update` end to end: signed slash commands over real HTTP to a
 * real Warden (Redis, BullMQ workers) plus a second worker process on the same Redis, answered
 * through the fake Slack Web API on loopback. The lead shows on the card as a real mention; an
 * update reaches the incident's channel, the route's stakeholder channel and the timeline; a quiet
 * lead is reminded privately, once per quiet stretch, whichever worker runs the reminder.
 */
describe('/incident lead and /incident update, end to end', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let t: TestWarden;
  let replica: TestWarden;
  let key = '';
  let serial = 0;

  const command = (user: string, text: string) =>
    postSignedSlackRequest({ url: t.url, signingSecret, body: buildSlackSlashCommand({ user, command: '/incident', text, channel: CHANNEL, triggerId: `cmd-${++serial}` }) });
  const card = () => JSON.stringify(slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key))?.blocks ?? null);
  const repliesTo = (user: string) => slack.ephemerals.filter((e) => e.user === user).map((e) => JSON.stringify(e.blocks ?? e.text));
  const reminders = () => slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'U0LEAD' && JSON.stringify(call.body.blocks).includes('Time for a status update'));

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    const tree: ConfigTree = {
      slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
      routes: [{ name: 'security', to: [`slack:${CHANNEL}`], updates: { to: [`slack:${STAKEHOLDERS}`], remindAfterMinutes: REMIND_AFTER_MINUTES } }],
      access: {
        people: { lead: ['slack:U0LEAD', 'lark:ou_0lead'], alice: ['lark:ou_0alice', 'slack:U0ALICE'] },
        groups: { operators: ['slack:U0OPS1', 'lead'], viewers: ['slack:U0VIEW'] },
        permissions: { 'incident.respond': ['operators'], 'incident.view': ['operators', 'viewers'] },
      },
      limits: { commandsPerUserPerMinute: 100, outbound: { slackPerChannelPerSecond: 50 } },
    };
    t = await startTestWarden({ name: 'lead-updates', audit, tree });
    // A second worker process on the same Redis: reminders still come once.
    replica = await startTestWarden({ role: 'worker', audit, tree: { ...tree, redis: { prefix: t.prefix } } });
    ({ key } = await openSlackIncident(t, slack, CHANNEL, 'SuspiciousProcess'));
  }, 30_000);

  afterAll(async () => {
    await replica?.stop();
    await t?.dispose();
    await slack?.close();
  });

  it('refuses /incident lead and /incident update to someone without incident.respond, privately, and changes nothing', async () => {
    const before = (await t.warden.store.get(key))!.version;
    // A refused slash command is answered privately in the command's own answer.
    const answers = [await command('U0VIEW', `lead ${key} <@U0VIEW|viewer>`), await command('U0STRANGER', `update ${key} all good, trust me`)];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    for (const answer of answers) expect(answer.text).toContain('incident.respond');
    for (const answer of answers) expect(JSON.parse(answer.text)).toMatchObject({ response_type: 'ephemeral' });
    expect(audit.entries.filter((e) => e.type === 'access.denied').map((e) => e.actor)).toEqual(expect.arrayContaining(['slack:U0VIEW', 'slack:U0STRANGER']));
    const incident = (await t.warden.store.get(key))!;
    expect(incident.version).toBe(before);
    expect(incident.lead).toBeUndefined();
    expect(slack.messages(STAKEHOLDERS)).toEqual([]);
  });

  it('/incident lead shows the lead on the card as a real mention, notes and audits it', async () => {
    expect((await command('U0OPS1', `lead ${key} <@U0LEAD|lead>`)).status).toBe(200);
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('<@U0LEAD>');
    expect(card()).toContain('*Lead*');
    const incident = (await t.warden.store.get(key))!;
    expect(incident.lead).toBe('slack:U0LEAD');
    const entries = (await t.warden.store.timeline(key)).filter((entry) => entry.kind === 'lead');
    expect(entries).toEqual([expect.objectContaining({ actor: 'slack:U0OPS1', data: { lead: 'slack:U0LEAD' } })]);
    await expect.poll(() => audit.entries.filter((e) => e.type === 'incident.lead'), { timeout: 10_000 }).toEqual([
      expect.objectContaining({ actor: 'slack:U0OPS1', subject: key, detail: { lead: 'slack:U0LEAD', previous: null } }),
    ]);
    await expect.poll(() => repliesTo('U0OPS1').join(), { timeout: 10_000 }).toContain('now leads');
  });

  it('reminds the quiet lead privately once, however many workers run and however often the reminder is asked for', async () => {
    const since = (await t.warden.store.get(key))!.leadSetAt!;
    await expect.poll(() => reminders().length, { timeout: 15_000 }).toBe(1);
    expect(JSON.stringify(reminders()[0]!.body.blocks)).toContain(`/incident update ${key}`);
    // Asked again for the same quiet stretch (a retried command): no second reminder.
    const started = Date.now();
    await createJobWork(t.warden.queues).remindLead(key, since, 0);
    await expect.poll(async () => (await t.warden.queues.maintenance.getJobs(['delayed', 'waiting', 'active'])).filter((job) => job.name === 'lead-reminder').length).toBe(0);
    await waitForCompletedJobs(t.warden.queues.maintenance, { name: 'lead-reminder', since: started, count: 0 });
    await waitForIdleQueue(t.warden.queues.notify);
    expect(reminders()).toHaveLength(1);
    expect(audit.entries.filter((e) => e.type === 'incident.update-reminder')).toEqual([expect.objectContaining({ subject: key, detail: { lead: 'slack:U0LEAD', since } })]);
  });

  it('/incident update reaches the incident channel, the stakeholders and the timeline, and restarts the reminder clock', async () => {
    const text = 'Contained: web-1 is isolated.\nNext: rotate the deploy key <!channel>';
    const remindersBefore = reminders().length;
    const started = Date.now();
    expect((await command('U0LEAD', `update ${key} ${text}`)).status).toBe(200);
    const posted = (channel: string) => slack.messages(channel).filter((message) => JSON.stringify(message.blocks).includes('Contained: web-1 is isolated.'));
    await expect.poll(() => [posted(CHANNEL).length, posted(STAKEHOLDERS).length], { timeout: 10_000 }).toEqual([1, 1]);
    // The text stays text: no channel-wide ping.
    expect(JSON.stringify(posted(STAKEHOLDERS)[0]!.blocks)).not.toContain('<!channel>');
    const updates = (await t.warden.store.timeline(key)).filter((entry) => entry.kind === 'update');
    expect(updates).toEqual([expect.objectContaining({ text, actor: 'slack:U0LEAD' })]);
    const incident = (await t.warden.store.get(key))!;
    expect(incident.lastUpdateAt).toBe(updates[0]!.at);
    await expect.poll(() => audit.entries.filter((e) => e.type === 'incident.update'), { timeout: 10_000 }).toEqual([
      expect.objectContaining({ actor: 'slack:U0LEAD', subject: key, detail: { chars: text.length, destinations: 2 } }),
    ]);
    // The lead stays quiet again: one more reminder, about the last update.
    await expect.poll(() => reminders().length, { timeout: 15_000 }).toBe(remindersBefore + 1);
    expect(JSON.stringify(reminders().at(-1)!.body.blocks)).toContain('since the last status update');
    await waitForCompletedJobs(t.warden.queues.maintenance, { name: 'lead-reminder', since: started, count: 1 });
    expect(reminders()).toHaveLength(remindersBefore + 1);
  });

  it('names the lead by person (their identity on this platform) and refuses someone unknown', async () => {
    expect((await command('U0OPS1', `lead ${key} alice`)).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.lead, { timeout: 10_000 }).toBe('slack:U0ALICE');
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('<@U0ALICE>');
    expect((await command('U0OPS1', `lead ${key} nobody`)).status).toBe(200);
    await expect.poll(() => repliesTo('U0OPS1').join(), { timeout: 10_000 }).toContain('nobody is nobody Warden knows');
    expect((await t.warden.store.get(key))?.lead).toBe('slack:U0ALICE');
  });

  it('takes no lead or update once the incident is closed', async () => {
    expect((await command('U0OPS1', `resolve ${key}`)).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.phase, { timeout: 10_000 }).toBe('closed');
    expect((await command('U0OPS1', `update ${key} late news`)).status).toBe(200);
    await expect.poll(() => repliesTo('U0OPS1').join(), { timeout: 10_000 }).toContain('updates are taken until an incident is closed');
    expect(slack.messages(STAKEHOLDERS).filter((message) => JSON.stringify(message.blocks).includes('late news'))).toEqual([]);
  });
});
