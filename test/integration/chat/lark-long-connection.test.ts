import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkAdapter } from '../../../src/chat/lark/create-lark-adapter.js';
import { startLarkLongConnection } from '../../../src/chat/lark/start-lark-long-connection.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { WardenError } from '../../../src/errors/warden-error.js';
import type { Acceptance } from '../../../src/inbound/acceptance.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { captureLogs, failureOf } from '../../support/chat-test-kit.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { startFakeLarkWsServer, type FakeLarkWsServer } from '../../support/fake-lark-ws-server.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildLarkButtonClick, buildLarkTextMessage, encryptLarkBody } from '../../support/signed-lark-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

/** Lark → Warden → Lark over the long connection: no public URL, the SDK's frames on loopback. */
describe('Lark over the long connection, end to end', () => {
  const lark = { appId: 'cli_a1b2c3d4e5f60718', appSecret: randomSecret(32) };
  const readToken = randomSecret(40);
  const audit = createRecordingAuditLog();
  let api: FakeLarkApi;
  let ws: FakeLarkWsServer;
  let t: TestWarden;
  let key = '';
  let messageId = '';
  let serial = 0;

  const click = (openId: string, actionId: string, eventId = `ev-ws-${++serial}`) =>
    ws.deliver(buildLarkButtonClick({ eventId, token: '', appId: lark.appId, openId, actionId, value: JSON.stringify({ k: key }), chatId: 'oc_sec', messageId }));
  const card = () => JSON.stringify(api.messages('oc_sec')[0]?.content ?? null);
  const connectionUp = async () => /^warden_lark_connection_up (\d)$/m.exec(await (await fetch(`${t.url}/metrics`)).text())?.[1];
  const health = async () => {
    const response = await fetch(`${t.url}/healthz`, { headers: { authorization: `Bearer ${readToken}` } });
    return { status: response.status, body: (await response.json()) as { checks: Record<string, { ok: boolean; detail: string }> } };
  };

  beforeAll(async () => {
    api = await startFakeLarkApi(lark);
    ws = await startFakeLarkWsServer();
    api.setLongConnection(ws.endpoint);
    t = await startTestWarden({
      name: 'lark-ws',
      audit,
      tree: {
        lark: { ...lark, domain: api.url, transport: 'websocket' },
        routes: [{ to: ['lark:oc_sec'] }],
        access: { groups: { operators: ['lark:ou_ops1', 'lark:ou_ops2'] }, permissions: { 'incident.respond': ['operators'] } },
        limits: { outbound: { larkPerChatPerSecond: 50 } },
        api: { readToken },
      },
    });
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname: 'DataExfiltration', instances: ['db-1:9100'] }));
    key = posted.body.incident as string;
    await api.waitFor(() => api.messages('oc_sec').length === 1, 10_000);
    messageId = api.messages('oc_sec')[0]!.message_id;
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await ws?.close();
    await api?.close();
  });

  it('connects with the app id and secret, reports the connection, and serves no Lark route', async () => {
    expect(api.callsTo('POST /callback/ws/endpoint')[0]?.body).toMatchObject({ AppID: lark.appId, AppSecret: lark.appSecret });
    expect(ws.openConnections()).toBe(1);
    await expect.poll(() => ws.pings(), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    expect(await connectionUp()).toBe('1');
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.checks.lark_connection).toEqual({ ok: true, detail: 'long connection connected' });
    expect((await fetch(`${t.url}/lark/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });

  it('a click is answered in its acknowledgement and updates the card; the same event again changes nothing', async () => {
    const first = await click('ou_ops1', 'incident.acknowledge', 'ev-ws-ack');
    expect(first).toEqual({ code: 200, answer: { toast: { type: 'info', content: expect.any(String), i18n: { en_us: expect.any(String), zh_cn: expect.any(String) } } } });
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('lark:ou_ops1');
    const again = await click('ou_ops1', 'incident.acknowledge', 'ev-ws-ack');
    expect(again).toEqual({ code: 200, answer: {} });
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect((await t.warden.store.timeline(key)).filter((entry) => entry.kind === 'acknowledged')).toHaveLength(1);
    expect(api.messages('oc_sec')).toHaveLength(1);
  });

  it('refuses a stranger privately with an error toast, audits it and changes nothing', async () => {
    const version = (await t.warden.store.get(key))!.version;
    const refused = await click('ou_stranger', 'incident.resolve');
    expect(refused).toEqual({
      code: 200,
      answer: { toast: { type: 'error', content: expect.stringContaining('incident.respond'), i18n: { en_us: expect.stringContaining('incident.respond'), zh_cn: expect.stringContaining('incident.respond') } } },
    });
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'access.denied', actor: 'lark:ou_stranger' }));
    await waitForIdleQueue(t.warden.queues.inbound);
    await waitForIdleQueue(t.warden.queues.notify);
    expect((await t.warden.store.get(key))!.version).toBe(version);
  });

  it('a message command to the bot is answered privately', async () => {
    const ack = await ws.deliver(buildLarkTextMessage({ eventId: `ev-ws-${++serial}`, token: '', appId: lark.appId, openId: 'ou_ops2', chatId: 'oc_sec', text: '/incident list' }));
    expect(ack).toEqual({ code: 200, answer: {} });
    await expect.poll(() => api.directMessages('ou_ops2').length, { timeout: 10_000 }).toBe(1);
    expect(JSON.stringify(api.directMessages('ou_ops2')[0]!.content)).toContain(key);
  });

  it('re-establishes a dropped connection: down in the metric and health, then up, and a later click works', async () => {
    ws.refuseConnections(true);
    ws.dropConnections();
    // Down for as long as the server refuses: the SDK keeps trying on the interval the server set.
    await expect.poll(() => ws.refusals(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await connectionUp()).toBe('0');
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.checks.lark_connection).toMatchObject({ ok: false, detail: expect.stringMatching(/^long connection reconnecting \(attempt \d+\)$/) });

    ws.refuseConnections(false);
    await expect.poll(connectionUp, { timeout: 10_000 }).toBe('1');
    expect(ws.connections()).toBeGreaterThanOrEqual(2);
    expect(ws.openConnections()).toBe(1);
    expect((await health()).status).toBe(200);

    expect(await click('ou_ops2', 'incident.resolve')).toMatchObject({ code: 200, answer: { toast: { type: 'info' } } });
    await expect.poll(async () => (await t.warden.store.get(key))!.phase, { timeout: 10_000 }).toBe('closed');
    await expect.poll(() => card(), { timeout: 10_000 }).not.toContain('incident.acknowledge');
  });

  it('writes no secret to its logs', () => {
    expect(t.rawLogs()).toContain('lark long connection: reconnected');
    for (const secret of [lark.appSecret, ws.ticket]) expect(t.rawLogs()).not.toContain(secret);
  });
});

describe('Lark long connection deliveries', () => {
  const lark = { appId: 'cli_0123456789abcdef', appSecret: randomSecret(32), encryptKey: randomSecret(24) };
  let api: FakeLarkApi;
  let ws: FakeLarkWsServer;
  let connection: ReturnType<typeof startLarkLongConnection>;
  let logs: ReturnType<typeof captureLogs>;
  let events: InboundEvent[];
  let script: () => Promise<Acceptance>;
  const click = (eventId: string) =>
    buildLarkButtonClick({ eventId, token: '', appId: lark.appId, openId: 'ou_ops1', actionId: 'incident.acknowledge', value: '{"k":"inc-1"}', chatId: 'oc_sec', messageId: 'om_1' });

  beforeAll(async () => {
    api = await startFakeLarkApi(lark);
    ws = await startFakeLarkWsServer();
    api.setLongConnection(ws.endpoint);
    logs = captureLogs();
    events = [];
    script = async () => ({ outcome: 'queued' });
    connection = startLarkLongConnection({
      lark: { ...lark, domain: api.url, transport: 'websocket' },
      accept: async (event) => {
        events.push(event);
        return script();
      },
      adapter: createLarkAdapter({ ...lark, domain: api.url }),
      logger: logs.logger,
    });
    await connection.start();
  });

  afterAll(async () => {
    await connection?.stop();
    await ws?.close();
    await api?.close();
    expect(logs.text()).not.toContain(lark.appSecret);
    expect(logs.text()).not.toContain(lark.encryptKey);
  });

  it('opens an encrypted delivery with the encrypt key and hands the same neutral event to accept', async () => {
    const ack = await ws.deliver({ encrypt: encryptLarkBody(lark.encryptKey, JSON.stringify(click('ev-encrypted'))) });
    expect(ack).toEqual({ code: 200, answer: { toast: { type: 'info', content: expect.any(String), i18n: { en_us: expect.any(String), zh_cn: expect.any(String) } } } });
    expect(events.at(-1)).toMatchObject({ id: 'lark:ev-encrypted', identity: 'lark:ou_ops1', appId: lark.appId, input: { type: 'action', actionId: 'incident.acknowledge' } });
  });

  it('acknowledges a delivery as failed when accept fails, so Lark sends it again', async () => {
    script = async () => {
      throw new WardenError('store_unavailable', 'Redis is unavailable', { status: 503, retryable: true });
    };
    try {
      expect((await ws.deliver(click('ev-failing'))).code).toBe(500);
      expect(logs.text()).toContain('acknowledged as failed');
    } finally {
      script = async () => ({ outcome: 'queued' });
    }
  });

  it('answers {} to what it does not handle: another schema, another event type', async () => {
    const count = events.length;
    expect(await ws.deliver({ uuid: 'u1', token: 't', ts: '1', type: 'event_callback', event: { type: 'message' } })).toEqual({ code: 200, answer: {} });
    expect(await ws.deliver({ ...click('ev-other'), header: { ...click('ev-other').header, event_type: 'im.chat.member.bot.added_v1' } })).toEqual({ code: 200, answer: {} });
    expect(events).toHaveLength(count);
  });
});

describe('Lark long connection start', () => {
  it('fails the start with a message, and no secret, when Lark refuses the app credentials', async () => {
    const lark = { appId: 'cli_a1b2c3d4e5f60718', appSecret: randomSecret(32) };
    const api = await startFakeLarkApi(lark);
    const ws = await startFakeLarkWsServer();
    api.setLongConnection(ws.endpoint);
    const logs = captureLogs();
    const wrongSecret = randomSecret(32);
    const connection = startLarkLongConnection({
      lark: { appId: lark.appId, appSecret: wrongSecret, domain: api.url, transport: 'websocket' },
      accept: async () => ({ outcome: 'queued' }),
      adapter: createLarkAdapter({ appId: lark.appId, appSecret: wrongSecret, domain: api.url }),
      logger: logs.logger,
    });
    try {
      const error = await failureOf(connection.start());
      expect(error.code).toBe('chat_rejected');
      expect(error.message).toContain('code=514');
      expect(connection.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('514') });
      expect(connection.checkHealth().ok).toBe(false);
      expect(ws.connections()).toBe(0);
      expect(logs.text() + error.message).not.toContain(wrongSecret);
    } finally {
      await connection.stop();
      await ws.close();
      await api.close();
    }
  });
});
