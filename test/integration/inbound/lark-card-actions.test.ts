import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildLarkButtonClick, buildLarkTextMessage, postSignedLarkEvent } from '../../support/signed-lark-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

/** Lark → Warden → Lark, end to end: encrypted, signed events over real HTTP to a real Warden. */
describe('Lark commands and card buttons, end to end', () => {
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  const audit = createRecordingAuditLog();
  let api: FakeLarkApi;
  let t: TestWarden;
  let key = '';
  let messageId = '';
  let serial = 0;

  const click = (openId: string, actionId: string, eventId = `ev-${++serial}`, nonce?: string) =>
    postSignedLarkEvent({
      url: t.url,
      encryptKey: lark.encryptKey,
      nonce,
      event: buildLarkButtonClick({ eventId, token: lark.verificationToken, appId: lark.appId, openId, actionId, value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId }),
    });
  const card = () => JSON.stringify(api.messages('oc_sec')[0]?.content ?? null);
  const privateMessages = (openId: string) => api.callsTo('POST /open-apis/im/v1/messages').filter((c) => c.query.receive_id_type === 'open_id' && c.body.receive_id === openId);

  beforeAll(async () => {
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await startTestWarden({
      name: 'lark-actions',
      audit,
      tree: {
        lark: { ...lark, domain: api.url },
        routes: [{ to: ['lark:oc_sec'] }],
        access: { groups: { operators: ['lark:ou_ops1', 'lark:ou_ops2'] }, permissions: { 'incident.respond': ['operators'] } },
        limits: { outbound: { larkPerChatPerSecond: 50 } },
      },
    });
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname: 'DataExfiltration', instances: ['db-1:9100'] }));
    key = posted.body.incident as string;
    await api.waitFor(() => api.messages('oc_sec').length === 1, 10_000);
    messageId = api.messages('oc_sec')[0]!.message_id;
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await api?.close();
  });

  it('Acknowledge delivered twice (a Lark re-push with a new nonce) patches the card once', async () => {
    const first = await click('ou_ops1', 'incident.acknowledge', 'ev-ack', 'nonce-a');
    const again = await click('ou_ops1', 'incident.acknowledge', 'ev-ack', 'nonce-b');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ toast: { type: 'info' } });
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('lark:ou_ops1');
    expect(api.messages('oc_sec')).toHaveLength(1);
    expect(api.callsTo('PATCH /open-apis/im/v1/messages/:message_id').length).toBeGreaterThanOrEqual(1);
    // Both deliveries were accepted before their answers: once the jobs queued so far are done, a
    // second acknowledgement would be on the timeline.
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('a replayed request (same timestamp and nonce) has no effect even under a new event id', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const event = buildLarkButtonClick({ eventId: 'ev-replay-1', token: lark.verificationToken, appId: lark.appId, openId: 'ou_ops1', actionId: 'incident.analyze', value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId });
    expect((await postSignedLarkEvent({ url: t.url, encryptKey: lark.encryptKey, event, nonce: 'fixed', timestamp })).body).toMatchObject({ toast: { type: 'info' } });
    const replay = await postSignedLarkEvent({ url: t.url, encryptKey: lark.encryptKey, event: { ...event, header: { ...event.header, event_id: 'ev-replay-2' } }, nonce: 'fixed', timestamp });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({});
    await expect.poll(async () => (await t.warden.store.get(key))!.phase, { timeout: 10_000 }).toBe('analyze');
  });

  it('refuses someone without permission with an error toast, audits it and changes nothing', async () => {
    const version = (await t.warden.store.get(key))!.version;
    const refused = await click('ou_stranger', 'incident.resolve');
    expect(refused.status).toBe(200);
    // Each reader's Lark client picks the refusal in its own language.
    expect(refused.body).toMatchObject({ toast: { type: 'error', content: expect.stringContaining('incident.respond'), i18n: { en_us: expect.stringContaining('incident.respond'), zh_cn: expect.stringMatching(/incident\.respond/) } } });
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: 'lark:ou_stranger' }));
    // Anything the refused click could have queued is done once the queues are idle.
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect((await t.warden.store.get(key))!.version).toBe(version);
  });

  it('a message command to the bot is answered privately', async () => {
    const answer = await postSignedLarkEvent({
      url: t.url,
      encryptKey: lark.encryptKey,
      event: buildLarkTextMessage({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId: 'ou_ops2', chatId: 'oc_sec', text: '/incident list' }),
    });
    expect(answer.status).toBe(200);
    await expect.poll(() => privateMessages('ou_ops2').length, { timeout: 10_000 }).toBe(1);
    expect(JSON.stringify(privateMessages('ou_ops2')[0]!.body)).toContain(key);
  });

  it('Resolve closes the incident and the card loses its buttons', async () => {
    expect((await click('ou_ops2', 'incident.resolve')).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))!.phase, { timeout: 10_000 }).toBe('closed');
    await expect.poll(() => card(), { timeout: 10_000 }).not.toContain('incident.acknowledge');
  });

  it('rejects an unsigned event and a wrong verification token with 401, changing nothing', async () => {
    const unsigned = await fetch(`${t.url}/lark/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(buildLarkButtonClick({ eventId: 'ev-unsigned', token: lark.verificationToken, appId: lark.appId, openId: 'ou_ops1', actionId: 'incident.recover', value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId })) });
    expect(unsigned.status).toBe(401);
    const wrongToken = await postSignedLarkEvent({ url: t.url, encryptKey: lark.encryptKey, event: buildLarkButtonClick({ eventId: 'ev-token', token: 'not-the-token', appId: lark.appId, openId: 'ou_ops1', actionId: 'incident.recover', value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId }) });
    expect(wrongToken.status).toBe(401);
    expect((await t.warden.store.get(key))!.phase).toBe('closed');
    for (const secret of [lark.appSecret, lark.encryptKey, lark.verificationToken]) expect(t.rawLogs()).not.toContain(secret);
  });
});
