import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSender, writeChecklistFixture, type ChecklistFixture, type SlackSender } from '../../support/checklist-fixtures.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { slackButtons } from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForCompletedJobs, waitForIdleQueue } from '../../support/wait-for-jobs.js';

const CHANNEL = 'C0SEC';
const [OPS1, OPS2, BOSS, NOBODY, FLOODER] = ['U0OPS1', 'U0OPS2', 'U0BOSS', 'U0NOBODY', 'U0FLOOD'];
const COMMANDS_PER_MINUTE = 8;

interface SlackSelect {
  type: 'static_select';
  action_id: string;
  options: { text: { text: string }; value: string }[];
}

/**
 * Checklists on Slack, end to end: signed slash commands and card clicks over real HTTP to a real
 * Warden (Redis, BullMQ workers, real probes against temporary files), cards on the fake Slack API.
 */
describe('Slack: /audit, ticking, N/A, reminders and escalation', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let offset = 0;
  const now = () => Date.now() + offset;
  let fixture: ChecklistFixture;
  let slack: FakeSlackApi;
  let t: TestWarden;
  let send: SlackSender;

  const cards = (title: string) => slack.messages(CHANNEL).filter((message) => JSON.stringify(message.blocks ?? '').includes(title));
  const cardText = (title: string) => JSON.stringify(cards(title)[0]?.blocks ?? null);
  const ephemeralTo = (user: string, text: string) => slack.ephemerals.some((e) => e.user === user && JSON.stringify(e.blocks ?? e.text).includes(text));
  /** Two sweeps start after this call and complete, and everything they queued is sent. */
  const twoMoreSweeps = async () => {
    await waitForCompletedJobs(t.warden.queues.checklists, { name: 'sweep', since: Date.now(), count: 2 });
    await waitForIdleQueue(t.warden.queues.notify);
  };

  beforeAll(async () => {
    fixture = writeChecklistFixture();
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'slack-checklists',
      audit,
      now,
      checklistsDir: fixture.dir,
      checklistSweepEveryMs: 200,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        access: {
          groups: { operators: [`slack:${OPS1}`, `slack:${OPS2}`, `slack:${FLOODER}`], approvers: [`slack:${BOSS}`] },
          permissions: { 'checklist.run': ['operators'], 'checklist.tick': ['operators'], 'action.approve': ['approvers'] },
        },
        checklists: { remindAfterMinutes: 5 },
        limits: { commandsPerUserPerMinute: COMMANDS_PER_MINUTE, outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    send = createSlackSender({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cards('Daily test check')[0]?.ts ?? '1700000000.000001', now });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('/audit daily posts one card; automated items are checked with evidence; a second /audit daily points to the open run', async () => {
    expect((await send.command(OPS1, '/audit daily')).status).toBe(200);
    await expect.poll(() => cards('Daily test check').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => ephemeralTo(OPS1, 'Started Daily test check'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => cardText('Daily test check'), { timeout: 15_000 }).toContain('❌ Config file mode 600');
    const text = cardText('Daily test check');
    // Checked first: the card was posted with both results on it.
    const firstPost = JSON.stringify(slack.callsTo('chat.postMessage').find((call) => JSON.stringify(call.body).includes('Daily test check'))?.body);
    expect(firstPost).toContain('✅ Data disk has room');
    expect(firstPost).toContain('❌ Config file mode 600');
    expect(firstPost).not.toContain('checking…');
    expect(text).toContain('✅ Data disk has room');
    expect(text).toContain('☐ Review the error logs');
    expect(text).toMatch(/0644|644|rw-r--r--|group|others/);
    expect(text).toContain('1 of 3 resolved (1 passed, 1 failed, 0 N/A)');

    expect((await send.command(OPS1, '/audit daily')).status).toBe(200);
    await expect.poll(() => ephemeralTo(OPS1, 'A daily run is already open'), { timeout: 10_000 }).toBe(true);
    expect(cards('Daily test check')).toHaveLength(1);
    expect(audit.entries.filter((e) => e.type === 'checklist.started')).toHaveLength(1);
  });

  it('the card has Done for manual items, Re-check for automated ones and an N/A menu with the reasons', () => {
    const blocks = cards('Daily test check')[0]!.blocks;
    const buttons = slackButtons(blocks);
    const runId = (JSON.parse(buttons[0]!.value) as { r: string }).r;
    expect(buttons.map((b) => [b.action_id, b.text.text, JSON.parse(b.value)])).toEqual([
      ['checklist.done', 'Done', { r: runId, i: 'review-logs' }],
      ['checklist.recheck', 'Re-check', { r: runId, i: 'config-mode' }],
    ]);
    const selects = (blocks as { type: string; elements?: SlackSelect[] }[]).flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'static_select'));
    expect(selects).toHaveLength(2);
    expect(selects[0]!.options.map((o) => o.text.text)).toEqual(['Not applicable here', 'Covered by another control', 'Accepted risk (ticket filed)', 'Not deployed yet']);
  });

  it('refuses a tick from someone without checklist.tick, privately and audited; nothing changes', async () => {
    const runId = (JSON.parse(slackButtons(cards('Daily test check')[0]!.blocks)[0]!.value) as { r: string }).r;
    expect(await send.click(NOBODY, 'checklist.done', { r: runId, i: 'review-logs' })).toBe(200);
    await expect.poll(() => ephemeralTo(NOBODY, 'checklist.tick'), { timeout: 10_000 }).toBe(true);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: `slack:${NOBODY}`, subject: 'checklist.done' }));
    expect(cardText('Daily test check')).toContain('☐ Review the error logs');
  });

  it('Done ticks a manual item once however often Slack delivers the click; N/A from the menu records the reason and completes the run', async () => {
    const runId = (JSON.parse(slackButtons(cards('Daily test check')[0]!.blocks)[0]!.value) as { r: string }).r;
    const ids = { triggerId: 'trigger-done', actionTs: '1700000009.000001' };
    for (let delivery = 0; delivery < 4; delivery++) expect(await send.click(OPS2, 'checklist.done', { r: runId, i: 'review-logs' }, ids)).toBe(200);
    await expect.poll(() => cardText('Daily test check'), { timeout: 10_000 }).toContain(`done by slack:${OPS2}`);
    // Every delivery was accepted before its answer: once the jobs queued so far are done, a second tick would show.
    await waitForIdleQueue(t.warden.queues.inbound);
    expect(audit.entries.filter((e) => e.type === 'checklist.item' && e.actor === `slack:${OPS2}`)).toHaveLength(1);

    expect(await send.choose(OPS1, 'checklist.skip', JSON.stringify({ r: runId, i: 'config-mode', o: 2 }))).toBe(200);
    await expect.poll(() => cardText('Daily test check'), { timeout: 10_000 }).toContain('N/A: Accepted risk (ticket filed)');
    // The run's completion is audited after its cards were queued: wait for the job to finish.
    await waitForIdleQueue(t.warden.queues.inbound);
    const text = cardText('Daily test check');
    expect(text).toContain('3 of 3 resolved (2 passed, 0 failed, 1 N/A)');
    expect(text).toContain('complete');
    expect(slackButtons(cards('Daily test check')[0]!.blocks)).toEqual([]);
    expect(cards('Daily test check')).toHaveLength(1);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'checklist.completed', subject: runId, detail: expect.objectContaining({ passed: 2, skipped: 1 }) }));

    // A click on the complete run is refused with the reason.
    expect(await send.click(OPS2, 'checklist.done', { r: runId, i: 'review-logs' })).toBe(200);
    await expect.poll(() => ephemeralTo(OPS2, 'already complete'), { timeout: 10_000 }).toBe(true);
  });

  it('/audit status and /audit history report compliance', async () => {
    expect((await send.command(OPS1, '/audit status')).status).toBe(200);
    await expect.poll(() => ephemeralTo(OPS1, '67 % passed (2 passed, 1 N/A)'), { timeout: 10_000 }).toBe(true);
    expect(ephemeralTo(OPS1, 'last completed: never')).toBe(true);
    expect((await send.command(OPS1, '/audit history daily')).status).toBe(200);
    await expect.poll(() => ephemeralTo(OPS1, 'daily history'), { timeout: 10_000 }).toBe(true);
  });

  it('reminds every remindAfterMinutes while items stay open, once per interval, then escalates an overdue run to the approvers', async () => {
    expect((await send.command(OPS2, '/audit weekly')).status).toBe(200);
    await expect.poll(() => cards('Weekly test check').length, { timeout: 10_000 }).toBe(1);
    const reminders = () => slack.messages(CHANNEL).filter((m) => JSON.stringify(m.blocks ?? m.text).includes('Reminder: Weekly test check'));
    expect(reminders()).toHaveLength(0);

    offset += 6 * 60_000;
    await expect.poll(() => reminders().length, { timeout: 10_000 }).toBe(1);
    // Two sweeps later, still one reminder for this interval.
    await twoMoreSweeps();
    expect(reminders()).toHaveLength(1);
    expect(JSON.stringify(reminders()[0]!.blocks)).toContain('1 item is still open or failing');

    offset += 5 * 60_000;
    await expect.poll(() => reminders().length, { timeout: 10_000 }).toBe(2);

    // Due within an hour: past it, the run is escalated — in the channel and to each approver.
    offset += 60 * 60_000;
    const overdue = () => slack.messages(CHANNEL).filter((m) => JSON.stringify(m.blocks ?? m.text).includes('Overdue: Weekly test check'));
    await expect.poll(() => overdue().length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => slack.messages(BOSS).length, { timeout: 10_000 }).toBe(1);
    expect(JSON.stringify(overdue()[0]!.blocks)).toContain(`slack:${BOSS}`);
    await expect.poll(() => cardText('Weekly test check'), { timeout: 10_000 }).toContain('OVERDUE');
    // Two sweeps later, still escalated once.
    await twoMoreSweeps();
    expect(overdue()).toHaveLength(1);
    expect(slack.messages(BOSS)).toHaveLength(1);
    expect(audit.entries.filter((e) => e.type === 'checklist.overdue')).toHaveLength(1);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('warden_checklist_runs_open{checklist="weekly",overdue="true"} 1');
    expect(metrics).toContain('warden_checklist_runs_open{checklist="daily",overdue="false"} 0');
  });

  it('/audit skip marks an item N/A with free text; bad arguments get the usage, privately', async () => {
    const runId = (JSON.parse(slackButtons(cards('Weekly test check')[0]!.blocks)[0]!.value) as { r: string }).r;
    expect((await send.command(OPS1, `/audit skip ${runId} look Done by the vendor this week`)).status).toBe(200);
    await expect.poll(() => cardText('Weekly test check'), { timeout: 10_000 }).toContain('N/A: Done by the vendor this week');
    const usage = await send.command(OPS1, '/audit skip not_a_run');
    expect(usage.status).toBe(200);
    expect(usage.text).toContain('Usage: /audit skip &lt;run&gt; &lt;item&gt; &lt;reason…&gt;');
  });

  it('rate-limits /audit per identity with a polite private reply', async () => {
    const answers = [];
    for (let i = 0; i < COMMANDS_PER_MINUTE + 1; i++) answers.push(await send.command(FLOODER, '/audit history monthly'));
    expect(answers.map((a) => a.status)).toEqual(Array(COMMANDS_PER_MINUTE + 1).fill(200));
    expect(answers.slice(0, COMMANDS_PER_MINUTE).every((a) => !a.text.includes('try again'))).toBe(true);
    expect(answers.at(-1)!.text).toMatch(new RegExp(`more than ${COMMANDS_PER_MINUTE} commands in a minute; please try again in \\d+ s`));
    await expect.poll(() => slack.ephemerals.filter((e) => e.user === FLOODER).length, { timeout: 10_000 }).toBe(COMMANDS_PER_MINUTE);
    expect(audit.entries.filter((e) => e.type === 'access.limited' && e.actor === `slack:${FLOODER}`)).toHaveLength(1);
  });
});
