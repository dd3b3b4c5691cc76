import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildSlackButtonClick, buildSlackSlashCommand, postSignedSlackRequest } from '../../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

/**
 * Slack → Warden → Slack, end to end: signed requests over real HTTP to a real Warden (Redis,
 * BullMQ workers), answered through the fake Slack Web API on loopback.
 */
describe('Slack commands and card buttons, end to end', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let t: TestWarden;
  let serial = 0;
  let key = '';
  let cardTs = '';

  const click = (user: string, actionId: string, ids?: { triggerId: string; actionTs: string }) =>
    postSignedSlackRequest({
      url: t.url,
      signingSecret,
      body: buildSlackButtonClick({
        user,
        actionId,
        value: JSON.stringify({ k: key }),
        channel: 'C0SEC',
        messageTs: cardTs,
        triggerId: ids?.triggerId ?? `trigger-${++serial}`,
        actionTs: ids?.actionTs ?? `1700000000.${String(++serial).padStart(6, '0')}`,
      }),
    });
  const command = (user: string, text: string) =>
    postSignedSlackRequest({ url: t.url, signingSecret, body: buildSlackSlashCommand({ user, command: '/incident', text, channel: 'C0SEC', triggerId: `cmd-${++serial}` }) });
  const card = () => JSON.stringify(slack.messages('C0SEC')[0]?.blocks ?? null);
  const timelineKinds = async () => (await t.warden.store.timeline(key)).map((entry) => entry.kind);

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'slack-actions',
      audit,
      rejectionWindowMs: 300,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [{ to: ['slack:C0SEC'] }],
        access: { groups: { operators: ['slack:U0OPS1', 'slack:U0OPS2'] }, permissions: { 'incident.respond': ['operators'] } },
        limits: { commandsPerUserPerMinute: 4, outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    ({ key, cardTs } = await openSlackIncident(t, slack, 'C0SEC', 'SuspiciousProcess'));
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
  });

  it('Acknowledge updates the incident, the timeline and the card in place — once for four deliveries', async () => {
    const ids = { triggerId: 'trigger-ack', actionTs: '1700000000.999999' };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await click('U0OPS1', 'incident.acknowledge', ids));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('slack:U0OPS1');
    // The card may be updated before the job that changed it has audited the change: wait until
    // every job queued so far is done (a second handling would be among them).
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect(slack.messages('C0SEC')).toHaveLength(1);
    expect(slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(1);
    const incident = await t.warden.store.get(key);
    expect(incident).toMatchObject({ acknowledgedBy: 'slack:U0OPS1', phase: 'triage' });
    expect((await timelineKinds()).filter((kind) => kind === 'acknowledged')).toHaveLength(1);
    expect(audit.entries.filter((e) => e.type === 'incident.acknowledged')).toEqual([expect.objectContaining({ actor: 'slack:U0OPS1', subject: key })]);
  });

  it('a second person acknowledging is told who was first, privately, and changes nothing', async () => {
    const before = (await t.warden.store.get(key))!.version;
    expect((await click('U0OPS2', 'incident.acknowledge')).status).toBe(200);
    await slack.waitFor(() => slack.ephemerals.some((e) => e.user === 'U0OPS2' && JSON.stringify(e.blocks ?? e.text).includes('already acknowledged by slack:U0OPS1')), 10_000);
    expect((await t.warden.store.get(key))!.version).toBe(before);
  });

  it('refuses someone without permission privately, audits it and queues nothing', async () => {
    const jobsBefore = (await t.warden.queues.inbound.getJobCounts()) as Record<string, number>;
    const answer = await click('U0STRANGER', 'incident.resolve');
    expect(answer.status).toBe(200);
    await slack.waitFor(() => slack.ephemerals.some((e) => e.user === 'U0STRANGER'), 10_000);
    const ephemeral = slack.ephemerals.find((e) => e.user === 'U0STRANGER')!;
    expect(JSON.stringify(ephemeral.blocks ?? ephemeral.text)).toContain('incident.respond');
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: 'slack:U0STRANGER', subject: 'incident.resolve' }));
    const jobsAfter = (await t.warden.queues.inbound.getJobCounts()) as Record<string, number>;
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total(jobsAfter)).toBe(total(jobsBefore));
    expect((await t.warden.store.get(key))!.phase).not.toBe('closed');
  });

  it('a phase button moves the phase and records the move', async () => {
    expect((await click('U0OPS1', 'incident.isolate')).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))!.phase, { timeout: 10_000 }).toBe('isolate');
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('isolate');
    expect(await timelineKinds()).toContain('phase');
  });

  it('/incident list answers privately with the open incident', async () => {
    expect((await command('U0OPS1', 'list')).status).toBe(200);
    await slack.waitFor(() => slack.ephemerals.some((e) => e.user === 'U0OPS1' && JSON.stringify(e.blocks ?? e.text).includes(key)), 10_000);
  });

  it('an Events API mention delivered four times (Slack retries) is answered once', async () => {
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0WARDEN',
      type: 'event_callback',
      event_id: 'Ev0RETRIED',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: 'U0OPS2', text: '<@U0WARDEN> /incident timeline ' + key, ts: '1700000100.000100', channel: 'C0SEC', event_ts: '1700000100.000100' },
    });
    const statuses = [];
    for (let retry = 0; retry < 4; retry++) {
      const headers: Record<string, string> = retry === 0 ? {} : { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' };
      statuses.push((await postSignedSlackRequest({ url: t.url, signingSecret, body, contentType: 'application/json', headers })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    const replies = () => slack.ephemerals.filter((e) => e.user === 'U0OPS2' && JSON.stringify(e.blocks ?? e.text).includes(`Timeline of ${key}`));
    await expect.poll(() => replies().length, { timeout: 10_000 }).toBe(1);
    // Every delivery was accepted before its answer: once the jobs queued so far are done, a
    // second reply would have been sent.
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect(replies()).toHaveLength(1);
  });

  it('answers bad arguments and over-limit commands in the ack itself, queueing nothing', async () => {
    const usage = await command('U0OPS2', 'ack nope');
    expect(usage.status).toBe(200);
    expect(JSON.parse(usage.text)).toMatchObject({ response_type: 'ephemeral' });
    expect(usage.text).toContain('Usage: /incident ack');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await command('U0OPS2', 'list'));
    const limited = answers.filter((a) => a.text.includes('please try again in'));
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited[0]!.text)).toMatchObject({ response_type: 'ephemeral' });
  });

  it('Resolve closes the incident, releases its group and leaves the card without buttons', async () => {
    expect((await click('U0OPS1', 'incident.resolve')).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))!.phase, { timeout: 10_000 }).toBe('closed');
    const incident = (await t.warden.store.get(key))!;
    expect(incident.closedBy).toBe('slack:U0OPS1');
    await expect.poll(() => card(), { timeout: 10_000 }).not.toContain('incident.acknowledge');
    expect(await t.warden.store.countOpen()).toBe(0);
    // The group's next firing alert opens a new incident with a new card.
    const again = await postNotification(t.url, t.token, buildNotification({ alertname: 'SuspiciousProcess', instances: ['web-1:9100'], startsAt: '2026-11-21T10:00:00.000Z' }));
    expect(again.body).toMatchObject({ outcome: 'created', incident: `${key}-2` });
    await slack.waitFor(() => slack.messages('C0SEC').length === 2, 10_000);
  });

  it('refuses a click on a closed incident with a reason', async () => {
    expect((await click('U0OPS1', 'incident.acknowledge')).status).toBe(200);
    await slack.waitFor(() => slack.ephemerals.some((e) => JSON.stringify(e.blocks ?? e.text).includes(`${key} is closed`)), 10_000);
  });

  it('rejects unsigned and stale requests with 401 and changes nothing', async () => {
    const version = (await t.warden.store.get(key))!.version;
    const body = buildSlackButtonClick({ user: 'U0OPS1', actionId: 'incident.isolate', value: JSON.stringify({ k: key }), channel: 'C0SEC', messageTs: cardTs, triggerId: 't-x', actionTs: '1.1' });
    const unsigned = await fetch(`${t.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsigned.status).toBe(401);
    const stale = await postSignedSlackRequest({ url: t.url, signingSecret, body, timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(401);
    const wrong = await postSignedSlackRequest({ url: t.url, signingSecret: randomSecret(32), body });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(signingSecret);
    expect((await t.warden.store.get(key))!.version).toBe(version);
    // Audited once per route and window (the three may fall into two), with the verifiers' reasons and never a signature.
    const rejected = () => audit.entries.filter((e) => e.type === 'inbound.rejected');
    const counted = () => rejected().reduce((sum, e) => sum + (e.detail as { count: number }).count, 0);
    await expect.poll(counted, { timeout: 5_000 }).toBe(3);
    for (const entry of rejected()) {
      expect(entry).toMatchObject({ subject: '/slack/events', outcome: 'unauthorized', detail: expect.objectContaining({ sources: { '127.0.0.1': (entry.detail as { count: number }).count } }) });
    }
    expect(JSON.stringify(rejected())).not.toMatch(/v0=[0-9a-f]{64}/);
    expect(audit.entries[0]).toMatchObject({ type: 'config.loaded', actor: 'warden' });
    expect(t.rawLogs()).not.toContain(signingSecret);
    expect(t.rawLogs()).not.toContain(botToken);
  });
});
