import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarRoomName } from '../../../src/war-rooms/build-war-room-name.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildLarkButtonClick, buildLarkTextMessage, postSignedLarkEvent } from '../../support/signed-lark-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

/**
 * War rooms on Lark, end to end: encrypted, signed events to a real Warden with real Redis and
 * BullMQ workers, against the fake Lark open platform (im/v1/chats, chat members, pins, dissolve).
 */
describe('Lark war rooms', () => {
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  const audit = createRecordingAuditLog();
  let api: FakeLarkApi;
  let t: TestWarden;
  let serial = 0;

  const click = (openId: string, key: string, eventId = `ev-${++serial}`) =>
    postSignedLarkEvent({
      url: t.url,
      encryptKey: lark.encryptKey,
      event: buildLarkButtonClick({ eventId, token: lark.verificationToken, appId: lark.appId, openId, actionId: 'incident.war-room', value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId: 'om_fake1' }),
    });
  const clickAction = (openId: string, actionId: string, key: string) =>
    postSignedLarkEvent({
      url: t.url,
      encryptKey: lark.encryptKey,
      event: buildLarkButtonClick({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId, actionId, value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId: 'om_fake1' }),
    });
  const say = (openId: string, text: string) =>
    postSignedLarkEvent({ url: t.url, encryptKey: lark.encryptKey, event: buildLarkTextMessage({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId, chatId: 'oc_sec', text }) });
  const open = async (alertname: string) => {
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname, severity: 'warning' }));
    expect(posted.status).toBe(202);
    const key = posted.body.incident as string;
    await api.waitFor(() => cardIn('oc_sec', key) !== undefined, 10_000);
    return key;
  };
  const cardIn = (chatId: string, key: string) => api.messages(chatId).find((m) => JSON.stringify(m.content).includes(`Incident key: ${key}`));
  const roomOf = async (key: string) => {
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoom?.invitedAt ?? 0, { timeout: 15_000, interval: 250 }).toBeGreaterThan(0);
    const room = (await t.warden.store.get(key))!.warRoom!;
    return { ...room, chatId: room.destination.slice('lark:'.length) };
  };

  beforeAll(async () => {
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await startTestWarden({
      name: 'lark-war-rooms',
      audit,
      tree: {
        lark: { ...lark, domain: api.url },
        routes: [{ match: { alertname: 'LarkAutoRoom' }, to: ['lark:oc_sec'], warRoom: { invite: ['leads'], inviteOnCall: false } }, { to: ['lark:oc_sec'] }],
        access: {
          people: { alice: ['lark:ou_0alice', 'slack:U0ALICE'], bob: ['lark:ou_0bob'], carol: ['lark:ou_0carol'] },
          groups: { operators: ['alice', 'bob'], leads: ['carol'] },
          permissions: { 'incident.respond': ['operators'] },
        },
        oncall: { rotations: { primary: { people: ['bob'], timezone: 'UTC', start: '2026-01-05', handoff: '09:00', length: '1d' } } },
        limits: { outbound: { larkPerChatPerSecond: 50 } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await api?.close();
  });

  it('the War room button (delivered twice) makes one group chat, adds the people, mirrors and pins the card, links it, and dissolves it on close', async () => {
    const key = await open('LarkButtonRoom');
    const name = buildWarRoomName({ key, title: 'LarkButtonRoom' });
    const answers = await Promise.all([click('ou_0alice', key, 'ev-room-once'), click('ou_0alice', key, 'ev-room-once')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await click('ou_0bob', key)).status).toBe(200);

    const room = await roomOf(key);
    const chat = api.chats.get(room.chatId)!;
    expect(api.callsTo('POST /open-apis/im/v1/chats')).toHaveLength(1);
    expect(chat).toMatchObject({ name, chat_type: 'private' });
    expect([...chat.members].sort()).toEqual(['ou_0alice', 'ou_0bob']);
    await expect.poll(() => chat.pins.length, { timeout: 15_000 }).toBe(1);
    expect(chat.pins).toEqual([cardIn(room.chatId, key)!.message_id]);
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).toContain(`War room: #${name}`);
    expect(JSON.stringify(cardIn('oc_sec', key)!.content)).toContain(`https://applink.feishu.cn/client/chat/open?openChatId=${room.chatId}`);

    expect((await clickAction('ou_0bob', 'incident.acknowledge', key)).status).toBe(200);
    await expect.poll(() => JSON.stringify(cardIn(room.chatId, key)?.content), { timeout: 10_000 }).toContain('lark:ou_0bob');
    expect(api.messages(room.chatId)).toHaveLength(1);
    expect((await clickAction('ou_0bob', 'incident.resolve', key)).status).toBe(200);
    await expect.poll(() => chat.dissolved, { timeout: 15_000 }).toBe(true);
    expect(JSON.stringify(cardIn(room.chatId, key)!.content)).toContain('Closed at');
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).toContain(`War room #${name} was archived`);
    expect(audit.entries.filter((e) => e.type === 'war-room.archived' && e.subject === key)).toHaveLength(1);
  }, 60_000);

  it('/incident room shows a missing Lark permission with its fix; after the fix it opens the room; a chat Warden may not dissolve is left to people', async () => {
    const key = await open('LarkCommandRoom');
    api.failNext('/open-apis/im/v1/chats', 99991672, 'Access denied. One of the following scopes is required: [im:chat, im:chat:create].');
    expect((await say('ou_0alice', `/incident room ${key}`)).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoomFailure?.fix ?? '', { timeout: 15_000, interval: 250 }).toContain('im:chat, im:chat:create');
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).toContain('grant the app the im:chat, im:chat:create permission');
    // The Lark card carries the failure and its fix in Chinese too.
    expect(JSON.stringify(cardIn('oc_sec', key)?.content)).toContain('作战室创建失败：lark 拒绝了请求');
    expect(JSON.stringify(cardIn('oc_sec', key)?.content)).toContain('在飞书开发者后台为应用开通 im:chat, im:chat:create 权限');
    expect((await t.warden.store.get(key))?.warRoomFailure).toMatchObject({ textRef: { key: 'card.warRoom.failed.open' }, fixRef: { key: 'card.warRoom.fix.larkScope', params: { scope: 'im:chat, im:chat:create' } } });
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'war-room.failed', subject: key, outcome: 'missing_permission' }));

    expect((await say('ou_0alice', `/incident room ${key}`)).status).toBe(200);
    const room = await roomOf(key);
    await expect.poll(() => api.chats.get(room.chatId)?.pins.length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).not.toContain('im:chat:create');

    // The chat's ownership moved to a person: Lark refuses the dissolve; the room and whoever closed it are asked.
    api.failNext('/open-apis/im/v1/chats/:chat_id', 232017, 'The operator is not the chat owner.');
    expect((await clickAction('ou_0bob', 'incident.resolve', key)).status).toBe(200);
    await expect.poll(() => api.messages(room.chatId).some((m) => JSON.stringify(m.content).includes('please archive or dissolve it')), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => api.directMessages('ou_0bob').some((m) => JSON.stringify(m.content).includes('please archive or dissolve it')), { timeout: 10_000 }).toBe(true);
    expect(api.chats.get(room.chatId)!.dissolved).toBe(false);
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).toContain('Warden may not archive it');
  }, 60_000);

  it('a group chat Lark made whose answer was lost is adopted by the retry (found by its name past the uuid window), not made twice', async () => {
    const key = await open('LarkLostRoom');
    const name = buildWarRoomName({ key, title: 'LarkLostRoom' });
    const creates = () => api.callsTo('POST /open-apis/im/v1/chats').filter((c) => c.body.name === name);
    // Lark makes the chat, but Warden never hears of it (as when the worker dies before recording it) …
    api.loseAnswerNext('POST /open-apis/im/v1/chats');
    expect((await click('ou_0alice', key)).status).toBe(200);
    await api.waitFor(() => creates().some((c) => c.status === 503), 10_000);
    // … and the retry comes after Lark's uuid window, so only the name can find it.
    api.forgetChatUuids();
    const room = await roomOf(key);
    const named = [...api.chats.values()].filter((chat) => chat.name === name);
    expect(named.map((chat) => chat.chat_id)).toEqual([room.chatId]);
    expect(creates()).toHaveLength(1);
    expect(api.callsTo('GET /open-apis/im/v1/chats').length).toBeGreaterThan(0);
    expect([...api.chats.get(room.chatId)!.members].sort()).toEqual(['ou_0alice', 'ou_0bob']);
    await expect.poll(() => api.chats.get(room.chatId)?.pins.length, { timeout: 15_000 }).toBe(1);
  }, 60_000);

  it('a pin refused for a missing permission is retried by the War room button once granted', async () => {
    const key = await open('LarkPinRetry');
    api.failNext('/open-apis/im/v1/pins', 99991672, 'Access denied. One of the following scopes is required: [im:message.pins:write_only].');
    expect((await click('ou_0alice', key)).status).toBe(200);
    const room = await roomOf(key);
    await expect.poll(async () => (await t.warden.store.get(key))?.warRoomFailure?.fix ?? '', { timeout: 15_000, interval: 250 }).toContain('im:message.pins:write_only');
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).toContain('im:message.pins:write_only');
    expect(JSON.stringify(cardIn('oc_sec', key)!.content)).toContain('incident.war-room');

    expect((await click('ou_0alice', key)).status).toBe(200);
    await expect.poll(() => api.chats.get(room.chatId)?.pins, { timeout: 15_000 }).toEqual([cardIn(room.chatId, key)!.message_id]);
    await expect.poll(() => JSON.stringify(cardIn('oc_sec', key)?.content), { timeout: 10_000 }).not.toContain('im:message.pins:write_only');
    expect(JSON.stringify(cardIn('oc_sec', key)!.content)).not.toContain('incident.war-room');
    expect(api.callsTo('POST /open-apis/im/v1/chats').filter((c) => c.body.name === room.name)).toHaveLength(1);
  }, 60_000);

  it('opens a room by route as the incident opens, with the route list', async () => {
    const key = await open('LarkAutoRoom');
    const room = await roomOf(key);
    expect([...api.chats.get(room.chatId)!.members]).toEqual(['ou_0carol']);
    await expect.poll(() => cardIn(room.chatId, key) !== undefined, { timeout: 10_000 }).toBe(true);
  }, 30_000);

  it('refuses a stranger', async () => {
    const key = await open('LarkStrangerRoom');
    const creates = api.callsTo('POST /open-apis/im/v1/chats').length;
    const refused = await click('ou_stranger', key);
    expect(refused.body).toMatchObject({ toast: { type: 'error', content: expect.stringContaining('incident.respond') } });
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues['war-rooms']);
    expect(api.callsTo('POST /open-apis/im/v1/chats')).toHaveLength(creates);
    expect((await t.warden.store.get(key))!.warRoom).toBeUndefined();
  }, 30_000);
});
