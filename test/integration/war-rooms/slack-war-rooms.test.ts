import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarRoomName } from '../../../src/war-rooms/build-war-room-name.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildSlackButtonClick, buildSlackSlashCommand, postSignedSlackRequest } from '../../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

/**
 * War rooms on Slack, end to end: signed clicks and commands to a real Warden with real Redis and
 * BullMQ workers, against the fake Slack Web API (conversations.create / invite / archive, pins.add).
 */
describe('Slack war rooms', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let t: TestWarden;
  let serial = 0;

  const click = (user: string, actionId: string, key: string, ids = { triggerId: `trigger-${++serial}`, actionTs: `1700000000.${String(serial).padStart(6, '0')}` }) =>
    postSignedSlackRequest({ url: t.url, signingSecret, body: buildSlackButtonClick({ user, actionId, value: JSON.stringify({ k: key }), channel: 'C0SEC', messageTs: '1700000000.000001', ...ids }) });
  const command = (user: string, text: string) =>
    postSignedSlackRequest({ url: t.url, signingSecret, body: buildSlackSlashCommand({ user, command: '/incident', text, channel: 'C0SEC', triggerId: `cmd-${++serial}` }) });
  const open = async (alertname: string, severity = 'warning') => {
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname, severity }));
    expect(posted.status).toBe(202);
    const key = posted.body.incident as string;
    await slack.waitFor(() => slack.messages('C0SEC').some((m) => JSON.stringify(m.blocks).includes(key)), 10_000);
    return key;
  };
  const cardIn = (channel: string, key: string) => slack.messages(channel).find((m) => JSON.stringify(m.blocks).includes(`Incident key: ${key}`));
  const roomOf = async (key: string) => {
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoom?.invitedAt ?? 0, { timeout: 15_000, interval: 250 }).toBeGreaterThan(0);
    const room = (await t.warden.store.get(key))!.warRoom!;
    return { ...room, channel: room.destination.slice('slack:'.length) };
  };
  const createsNamed = (name: string) => slack.callsTo('conversations.create').filter((c) => c.body.name === name);

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'slack-war-rooms',
      audit,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url },
        routes: [
          { match: { alertname: 'PaymentsBreach' }, to: ['slack:C0SEC'], warRoom: { invite: ['leads'] } },
          { match: { alertname: 'LateInvitee' }, to: ['slack:C0SEC'], warRoom: { invite: ['slack:U0LATE1'], inviteOnCall: false, auto: false } },
          { to: ['slack:C0SEC'] },
        ],
        warRooms: { bySeverity: { fatal: { invite: ['carol'], inviteOnCall: false } } },
        access: {
          people: { alice: ['slack:U0ALICE'], bob: ['slack:U0BOB'], carol: ['slack:U0CAROL'] },
          groups: { operators: ['alice', 'bob'], leads: ['carol'] },
          permissions: { 'incident.respond': ['operators'] },
        },
        oncall: { rotations: { primary: { people: ['bob'], timezone: 'UTC', start: '2026-01-05', handoff: '09:00', length: '1d' } } },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
  });

  it('the War room button opens one private channel (a redelivered and a second click included), invites, mirrors, pins and links the card', async () => {
    const key = await open('ButtonRoom');
    const name = buildWarRoomName({ key, title: 'ButtonRoom' });
    expect(name).toMatch(/^inc-[0-9a-f]{6}-button-room$/);
    const ids = { triggerId: 'trigger-room-once', actionTs: '1700000001.000001' };
    const answers = await Promise.all([click('U0ALICE', 'incident.war-room', key, ids), click('U0ALICE', 'incident.war-room', key, ids)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await click('U0BOB', 'incident.war-room', key)).status).toBe(200);

    const room = await roomOf(key);
    expect(room.name).toBe(name);
    await expect.poll(() => slack.rooms.get(room.channel)?.pins.length, { timeout: 15_000 }).toBe(1);
    expect(createsNamed(name)).toHaveLength(1);
    expect(String(createsNamed(name)[0]!.body.is_private)).toBe('true');
    // Whoever asked, and whoever is on call (no escalation policy: every rotation).
    expect([...slack.rooms.get(room.channel)!.members].sort()).toEqual(['U0ALICE', 'U0BOB', 'U0WARDEN']);
    const roomCard = cardIn(room.channel, key)!;
    expect(slack.rooms.get(room.channel)!.pins).toEqual([roomCard.ts]);
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).toContain(`War room: #${name}`);
    expect(JSON.stringify(cardIn('C0SEC', key)!.blocks)).toContain(`https://slack.com/app_redirect?channel=${room.channel}`);
    expect(JSON.stringify(cardIn('C0SEC', key)!.blocks)).not.toContain('incident.war-room');
    expect(audit.entries.filter((e) => e.type === 'war-room.opened' && e.subject === key)).toHaveLength(1);

    // Updated in place in the room like in the channel, then archived when the incident closes.
    expect((await click('U0BOB', 'incident.acknowledge', key)).status).toBe(200);
    await expect.poll(() => JSON.stringify(cardIn(room.channel, key)?.blocks), { timeout: 10_000 }).toContain('slack:U0BOB');
    expect(slack.messages(room.channel)).toHaveLength(1);
    expect(cardIn(room.channel, key)!.updates).toBeGreaterThan(0);
    expect((await click('U0BOB', 'incident.resolve', key)).status).toBe(200);
    await expect.poll(() => slack.rooms.get(room.channel)?.archived, { timeout: 15_000 }).toBe(true);
    expect(JSON.stringify(cardIn(room.channel, key)!.blocks)).toContain('Closed at');
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).toContain(`War room #${name} was archived`);
    expect((await t.warden.store.get(key))!.destinations).toEqual(['slack:C0SEC']);
  }, 60_000);

  it('/incident room shows a missing scope with its fix, then opens the room under a suffixed name when the name is taken', async () => {
    const key = await open('CommandRoom');
    const name = buildWarRoomName({ key, title: 'CommandRoom' });
    slack.refuseScope('conversations.create', 'groups:write');
    expect((await command('U0ALICE', `room ${key}`)).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoomFailure?.fix ?? '', { timeout: 15_000, interval: 250 }).toContain('groups:write');
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).toContain('add the groups:write bot scope to the Slack app');
    const failed = (await t.warden.store.timeline(key)).filter((e) => e.kind === 'war-room');
    expect(failed.at(-1)?.text).toContain('missing_scope');
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'war-room.failed', subject: key, outcome: 'missing_permission' }));

    slack.takenNames.add(name);
    expect((await command('U0ALICE', `room ${key}`)).status).toBe(200);
    const room = await roomOf(key);
    expect(room.name).toBe(`${name}-2`);
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).not.toContain('groups:write');
    await expect.poll(() => slack.rooms.get(room.channel)?.pins.length, { timeout: 15_000 }).toBe(1);
  }, 60_000);

  it('a pin refused for a missing scope keeps the War room button; pressed again after the fix, it pins and the failure goes', async () => {
    const key = await open('PinRetryRoom');
    const name = buildWarRoomName({ key, title: 'PinRetryRoom' });
    slack.refuseScope('pins.add', 'pins:write');
    expect((await click('U0ALICE', 'incident.war-room', key)).status).toBe(200);
    const room = await roomOf(key);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoomFailure?.fix ?? '', { timeout: 15_000, interval: 250 }).toContain('pins:write');
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).toContain('add the pins:write bot scope to the Slack app');
    expect(JSON.stringify(cardIn('C0SEC', key)!.blocks)).toContain('incident.war-room');
    expect(slack.rooms.get(room.channel)!.pins).toEqual([]);

    // The scope is added (the fake refused once): War room again retries the pin, not the room.
    expect((await click('U0ALICE', 'incident.war-room', key)).status).toBe(200);
    await expect.poll(() => slack.rooms.get(room.channel)?.pins.length, { timeout: 15_000 }).toBe(1);
    expect(slack.rooms.get(room.channel)!.pins).toEqual([cardIn(room.channel, key)!.ts]);
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).not.toContain('pins:write');
    expect(JSON.stringify(cardIn('C0SEC', key)!.blocks)).not.toContain('incident.war-room');
    expect((await t.warden.store.get(key))!.warRoomFailure).toBeUndefined();
    expect(createsNamed(name)).toHaveLength(1);
    expect(slack.callsTo('conversations.create').filter((c) => c.body.name === `${name}-2`)).toHaveLength(0);
  }, 60_000);

  it('/incident room retries invitations refused for a missing scope once the scope is added', async () => {
    const key = await open('InviteRetryRoom');
    slack.refuseScope('conversations.invite', 'groups:write');
    expect((await command('U0ALICE', `room ${key}`)).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoomFailure?.text ?? '', { timeout: 15_000, interval: 250 }).toContain('invitations failed');
    const { destination } = (await t.warden.store.get(key))!.warRoom!;
    const channel = destination.slice('slack:'.length);
    await expect.poll(() => slack.rooms.get(channel)?.pins.length, { timeout: 15_000 }).toBe(1);
    expect([...slack.rooms.get(channel)!.members]).toEqual(['U0WARDEN']);
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).toContain('incident.war-room');

    expect((await command('U0ALICE', `room ${key}`)).status).toBe(200);
    await expect.poll(() => [...slack.rooms.get(channel)!.members].sort(), { timeout: 15_000 }).toEqual(['U0ALICE', 'U0BOB', 'U0WARDEN']);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoomFailure, { timeout: 10_000 }).toBeUndefined();
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).not.toContain('invitations failed');
    expect(JSON.stringify(cardIn('C0SEC', key)!.blocks)).not.toContain('incident.war-room');
    expect(slack.rooms.get(channel)!.pins).toHaveLength(1);
  }, 60_000);

  it('someone Slack would not add is invited again by War room, which stays on the card until they are in', async () => {
    const key = await open('LateInvitee');
    slack.unknownUsers.add('U0LATE1');
    expect((await click('U0ALICE', 'incident.war-room', key)).status).toBe(200);
    const room = await roomOf(key);
    expect([...slack.rooms.get(room.channel)!.members].sort()).toEqual(['U0ALICE', 'U0WARDEN']);
    expect(room.notInvited).toEqual(['slack:U0LATE1']);
    expect((await t.warden.store.timeline(key)).map((e) => e.text)).toContainEqual('Could not add to the war room: slack:U0LATE1');
    await expect.poll(() => slack.rooms.get(room.channel)?.pins.length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).toContain('incident.war-room');

    slack.unknownUsers.delete('U0LATE1');
    expect((await click('U0ALICE', 'incident.war-room', key)).status).toBe(200);
    await expect.poll(() => [...slack.rooms.get(room.channel)!.members].sort(), { timeout: 15_000 }).toEqual(['U0ALICE', 'U0LATE1', 'U0WARDEN']);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoom?.notInvited, { timeout: 10_000 }).toBeUndefined();
    await expect.poll(() => JSON.stringify(cardIn('C0SEC', key)?.blocks), { timeout: 10_000 }).not.toContain('incident.war-room');
    expect(slack.callsTo('conversations.invite').at(-1)?.body.users).toBe('U0LATE1');
  }, 60_000);

  it('a channel Slack made whose answer was lost is adopted by the retry, not made again under a suffix', async () => {
    const key = await open('LostAnswerRoom');
    const name = buildWarRoomName({ key, title: 'LostAnswerRoom' });
    // Slack makes the channel, but Warden never hears of it (as when the worker dies before recording it).
    slack.loseAnswerNext('conversations.create');
    expect((await click('U0ALICE', 'incident.war-room', key)).status).toBe(200);
    const room = await roomOf(key);
    expect(room.name).toBe(name);
    const made = [...slack.rooms.values()].filter((r) => r.name.startsWith(name));
    expect(made.map((r) => r.id)).toEqual([room.channel]);
    expect(createsNamed(name).map((c) => c.error ?? c.status)).toEqual([503, 'name_taken']);
    expect(createsNamed(`${name}-2`)).toHaveLength(0);
    expect(slack.callsTo('users.conversations').at(-1)?.body).toMatchObject({ types: 'private_channel' });
    await expect.poll(() => slack.rooms.get(room.channel)?.pins.length, { timeout: 15_000 }).toBe(1);
    expect([...slack.rooms.get(room.channel)!.members].sort()).toEqual(['U0ALICE', 'U0BOB', 'U0WARDEN']);
    expect((await t.warden.store.get(key))!.warRoomIntent).toBeUndefined();
  }, 60_000);

  it('a room card posted anew because its message was deleted is pinned again', async () => {
    const key = await open('RepostPinRoom');
    expect((await click('U0ALICE', 'incident.war-room', key)).status).toBe(200);
    const room = await roomOf(key);
    await expect.poll(() => slack.rooms.get(room.channel)?.pins.length, { timeout: 15_000 }).toBe(1);
    const first = cardIn(room.channel, key)!.ts;
    slack.deleteMessage(room.channel, first);

    expect((await click('U0BOB', 'incident.acknowledge', key)).status).toBe(200);
    await expect.poll(() => cardIn(room.channel, key)?.ts ?? first, { timeout: 15_000 }).not.toBe(first);
    const second = cardIn(room.channel, key)!.ts;
    await expect.poll(() => slack.rooms.get(room.channel)?.pins, { timeout: 15_000 }).toEqual([first, second]);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoom?.pinned, { timeout: 10_000 }).toBe(second);
  }, 60_000);

  it('opens rooms by route and by severity as incidents open, inviting their lists and whoever is on call', async () => {
    const byRoute = await open('PaymentsBreach');
    const routeRoom = await roomOf(byRoute);
    expect([...slack.rooms.get(routeRoom.channel)!.members].sort()).toEqual(['U0BOB', 'U0CAROL', 'U0WARDEN']);
    await expect.poll(() => cardIn(routeRoom.channel, byRoute) !== undefined, { timeout: 10_000 }).toBe(true);

    const bySeverity = await open('KernelPanic', 'fatal');
    const severityRoom = await roomOf(bySeverity);
    expect([...slack.rooms.get(severityRoom.channel)!.members].sort()).toEqual(['U0CAROL', 'U0WARDEN']);
    expect((await t.warden.store.timeline(bySeverity)).find((e) => e.kind === 'war-room')?.text).toContain('asked by warden');

    // Other incidents get none until someone asks.
    const plain = await open('NoRoom');
    await waitForIdleQueue(t.warden.queues['war-rooms']);
    expect((await t.warden.store.get(plain))!.warRoom).toBeUndefined();
  }, 60_000);

  it('refuses a stranger: no room, an audited denial', async () => {
    const key = await open('StrangerRoom');
    const creates = slack.callsTo('conversations.create').length;
    expect((await click('U0STRANGER', 'incident.war-room', key)).status).toBe(200);
    await expect.poll(() => audit.entries.some((e) => e.type === 'access.denied' && e.actor === 'slack:U0STRANGER'), { timeout: 10_000 }).toBe(true);
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues['war-rooms']);
    expect(slack.callsTo('conversations.create')).toHaveLength(creates);
    expect((await t.warden.store.get(key))!.warRoom).toBeUndefined();
  }, 30_000);
});
