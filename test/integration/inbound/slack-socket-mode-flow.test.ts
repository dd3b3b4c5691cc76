import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startFakeSlackSocketServer, type FakeSlackSocketServer } from '../../support/fake-slack-socket-server.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildSlackButtonClick, buildSlackSlashCommand } from '../../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

/**
 * Slack over Socket Mode → a whole Warden (Redis, BullMQ workers) → Slack: the WebSocket and the
 * Web API are fakes on loopback; `apps.connections.open` is served by the same fake Web API at
 * `slack.apiUrl`, as Slack serves both.
 */
describe('Slack Socket Mode, end to end', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const appToken = `xapp-1-A0WARDEN-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let socket: FakeSlackSocketServer;
  let slack: FakeSlackApi;
  let t: TestWarden;
  let key = '';
  let cardTs = '';
  let serial = 0;

  /** A button click as Socket Mode delivers it: the interactivity payload as an object. */
  const clickEnvelope = (envelopeId: string, user: string, actionId: string, actionTs: string) => ({
    envelope_id: envelopeId,
    type: 'interactive',
    accepts_response_payload: false,
    payload: JSON.parse(
      new URLSearchParams(
        buildSlackButtonClick({ user, actionId, value: JSON.stringify({ k: key }), channel: 'C0SEC', messageTs: cardTs, triggerId: `trigger-${actionTs}`, actionTs }),
      ).get('payload')!,
    ) as Record<string, unknown>,
  });
  const commandEnvelope = (envelopeId: string, user: string, text: string) => ({
    envelope_id: envelopeId,
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: Object.fromEntries(new URLSearchParams(buildSlackSlashCommand({ user, command: '/incident', text, channel: 'C0SEC', triggerId: `cmd-${++serial}` }))),
  });
  const acked = (envelopeId: string) => socket.received.waitFor((messages) => messages.some((m) => m.envelope_id === envelopeId), 10_000);
  const card = () => JSON.stringify(slack.messages('C0SEC')[0]?.blocks ?? null);

  beforeAll(async () => {
    socket = await startFakeSlackSocketServer();
    slack = await startFakeSlackApi({ botToken, socket: { appToken, url: socket.url } });
    t = await startTestWarden({
      name: 'slack-socket',
      audit,
      tree: {
        slack: { signingSecret, botToken, appToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [{ to: ['slack:C0SEC'] }],
        access: { groups: { operators: ['slack:U0OPS1'] }, permissions: { 'incident.respond': ['operators'] } },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    ({ key, cardTs } = await openSlackIncident(t, slack, 'C0SEC', 'SocketModeIncident'));
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    await socket?.close();
  });

  it('connects once Warden starts, with the app-level token at the configured API URL', () => {
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(slack.callsTo('apps.connections.open')[0]!.error).toBeUndefined();
    expect(socket.connections()).toBe(1);
  });

  it('Acknowledge over the socket is acked, updates the card in place, and a redelivered envelope changes nothing more', async () => {
    const envelope = clickEnvelope('env-ack-1', 'U0OPS1', 'incident.acknowledge', '1700000000.000101');
    socket.deliver(envelope);
    await acked('env-ack-1');
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('slack:U0OPS1');
    expect(await t.warden.store.get(key)).toMatchObject({ acknowledgedBy: 'slack:U0OPS1' });

    // Slack sends an envelope again when it thinks the ack was lost: same payload, new envelope id.
    socket.deliver({ ...envelope, envelope_id: 'env-ack-2', retry_attempt: 1, retry_reason: 'timeout' });
    await acked('env-ack-2');
    // Acked once accepted: once the jobs queued so far are done, a second handling would show.
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    const timeline = await t.warden.store.timeline(key);
    expect(timeline.filter((entry) => entry.kind === 'acknowledged')).toHaveLength(1);
    expect(audit.entries.filter((entry) => entry.type === 'incident.acknowledged')).toHaveLength(1);
    // Handled twice, the second click would have been told, privately, that it was already done.
    expect(slack.ephemerals.filter((e) => JSON.stringify(e.blocks ?? e.text).includes('already acknowledged'))).toEqual([]);
    expect(slack.messages('C0SEC')).toHaveLength(1);

    // A new click (its own action_ts) is a new event: it is handled, and told so privately.
    socket.deliver(clickEnvelope('env-ack-3', 'U0OPS1', 'incident.acknowledge', '1700000000.000103'));
    await acked('env-ack-3');
    await slack.waitFor(() => slack.ephemerals.some((e) => JSON.stringify(e.blocks ?? e.text).includes('already acknowledged by slack:U0OPS1')), 10_000);
    // Delivered after the redelivery and handled: still one acknowledgement, and only this click's reply.
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect(slack.ephemerals.filter((e) => JSON.stringify(e.blocks ?? e.text).includes('already acknowledged'))).toHaveLength(1);
    expect((await t.warden.store.timeline(key)).filter((entry) => entry.kind === 'acknowledged')).toHaveLength(1);
  });

  it('refuses a click from someone without permission privately and changes nothing', async () => {
    const before = (await t.warden.store.get(key))!.version;
    socket.deliver(clickEnvelope('env-stranger', 'U0STRANGER', 'incident.resolve', '1700000000.000202'));
    await acked('env-stranger');
    await slack.waitFor(() => slack.ephemerals.some((e) => e.user === 'U0STRANGER'), 10_000);
    expect(JSON.stringify(slack.ephemerals.find((e) => e.user === 'U0STRANGER'))).toContain('incident.respond');
    expect((await t.warden.store.get(key))!.version).toBe(before);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: 'slack:U0STRANGER' }));
  });

  it('/incident list over the socket is answered privately; bad arguments are answered on the ack itself', async () => {
    socket.deliver(commandEnvelope('env-list', 'U0OPS1', 'list'));
    await acked('env-list');
    await slack.waitFor(() => slack.ephemerals.some((e) => e.user === 'U0OPS1' && JSON.stringify(e.blocks ?? e.text).includes(key)), 10_000);

    socket.deliver(commandEnvelope('env-usage', 'U0OPS1', 'ack nope'));
    await acked('env-usage');
    const ack = socket.received.calls.find((m) => m.envelope_id === 'env-usage')!;
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(ack.payload)).toContain('Usage: /incident ack');
  });

  it('keeps every token out of the logs', () => {
    const logs = t.rawLogs();
    for (const secret of [botToken, appToken, signingSecret]) expect(logs).not.toContain(secret);
  });
});
