import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { createLarkAdapter } from '../../../src/chat/lark/create-lark-adapter.js';
import { registerLarkRoute } from '../../../src/chat/lark/register-lark-route.js';
import type { LarkConfig } from '../../../src/config/config-schema.js';
import { WardenError } from '../../../src/errors/warden-error.js';
import type { Acceptance, AcceptInboundEvent, AcceptOptions } from '../../../src/inbound/acceptance.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { sendError } from '../../../src/http/send-error.js';
import { captureLogs } from '../../support/chat-test-kit.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';

const lark = {
  appId: 'cli_wardentest0001',
  appSecret: 'lark-app-secret-do-not-print-0123456789',
  encryptKey: 'lark-encrypt-key-do-not-print-5f1c',
  verificationToken: 'lark-verification-token-do-not-print-77',
  transport: 'http',
} satisfies LarkConfig;
const tenant = '2ca1d211f64f6438';
const person = 'ou_84aad35d084aa403a838cf73ee18467';
const chat = 'oc_security';
const ackTimeoutMs = 500;
const sendPath = 'POST /open-apis/im/v1/messages';

/** What Lark puts in `encrypt`: base64(iv ‖ AES-256-CBC(sha256(key), iv, plaintext)). */
function encrypt(plaintext: string, key = lark.encryptKey): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key, 'utf8').digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** Lark's three signature headers for `body`: hex(sha256(timestamp + nonce + encrypt key + raw body)). */
function sign(body: string, options: { timestamp?: number; nonce?: string; key?: string } = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const signature = createHash('sha256').update(`${timestamp}${nonce}${options.key ?? lark.encryptKey}`, 'utf8').update(body, 'utf8').digest('hex');
  return { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature };
}

function envelope(eventType: string, event: Record<string, unknown>, headerExtra: Record<string, unknown> = {}) {
  return {
    schema: '2.0',
    header: { event_id: 'f7984f25108f8137722bb63cee927e66', event_type: eventType, create_time: '1608725989000', token: lark.verificationToken, app_id: lark.appId, tenant_key: tenant, ...headerExtra },
    event,
  };
}

function messageEvent(text: string, headerExtra: Record<string, unknown> = {}) {
  return envelope(
    'im.message.receive_v1',
    {
      sender: { sender_id: { open_id: person, union_id: 'on_1', user_id: 'u1' }, sender_type: 'user', tenant_key: tenant },
      message: { message_id: 'om_1', chat_id: chat, chat_type: 'group', message_type: 'text', content: JSON.stringify({ text }) },
    },
    headerExtra,
  );
}

function cardAction(value: unknown) {
  return envelope('card.action.trigger', {
    operator: { open_id: person, tenant_key: tenant },
    token: 'c-card-update-token',
    action: { tag: 'button', value },
    context: { open_message_id: 'om_card1', open_chat_id: chat },
  });
}

/** A signed request whose body is the encrypted event, as Lark sends it with an encrypt key set. */
function sealed(payload: unknown, options: { key?: string; nonce?: string } = {}): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(payload), options.key) });
  return { body, headers: sign(body, options.nonce === undefined ? {} : { nonce: options.nonce }) };
}

describe('POST /lark/events', () => {
  let app: FastifyInstance;
  let url: string;
  let api: FakeLarkApi;
  let logs: ReturnType<typeof captureLogs>;
  let calls: { event: InboundEvent; options: AcceptOptions | undefined }[];
  let script: (event: InboundEvent) => Promise<Acceptance>;

  beforeAll(async () => {
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    logs = captureLogs();
    const accept: AcceptInboundEvent = async (event, options) => {
      calls.push({ event, options });
      return script(event);
    };
    app = Fastify({ logger: false });
    app.setErrorHandler((error, request, reply) => sendError(error, request, reply, logs.logger));
    const adapter = createLarkAdapter({ appId: lark.appId, appSecret: lark.appSecret, domain: api.url, logger: logs.logger });
    registerLarkRoute(app, { lark, accept, adapter, logger: logs.logger, ackTimeoutMs });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/lark/events`;
  });
  afterAll(async () => {
    await app.close();
    await api.close();
  });
  beforeEach(() => {
    calls = [];
    script = async () => ({ outcome: 'queued' });
  });

  async function post(body: string | Buffer, headers: Record<string, string> = {}, contentType = 'application/json; charset=utf-8') {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as Record<string, any>, ms: performance.now() - started };
  }

  /** Makes accept wait until `release()`, then answer `acceptance`; `settled()` says whether it answered. */
  function holdAccept(acceptance: Acceptance): { release: () => void; settled: () => boolean } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let settled = false;
    script = async () => {
      await released;
      settled = true;
      return acceptance;
    };
    return { release, settled: () => settled };
  }

  /** A refusal: the status, an `{ error, message }` body without secrets, and nothing accepted. */
  function expectRefused(response: Awaited<ReturnType<typeof post>>, status: number, error: string) {
    expect(response.status, response.text).toBe(status);
    expect(response.json).toEqual({ error, message: expect.any(String) });
    for (const secret of [lark.encryptKey, lark.verificationToken, lark.appSecret]) expect(response.text).not.toContain(secret);
    expect(calls).toHaveLength(0);
  }

  describe('url_verification', () => {
    it('echoes the challenge of a plain request with the right token, quickly and unsigned', async () => {
      const response = await post(JSON.stringify({ challenge: 'ajls384kdjx98XX', token: lark.verificationToken, type: 'url_verification' }));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ challenge: 'ajls384kdjx98XX' });
      expect(response.ms).toBeLessThan(1000);
      expect(calls).toHaveLength(0);
    });

    it('refuses a wrong token with 401', async () => {
      const response = await post(JSON.stringify({ challenge: 'c1', token: 'guess', type: 'url_verification' }));
      expectRefused(response, 401, 'unauthorized');
      expect(response.text).not.toContain('c1');
    });

    it('opens an encrypted challenge, and refuses one encrypted with another key', async () => {
      const plain = JSON.stringify({ challenge: 'enc-challenge', token: lark.verificationToken, type: 'url_verification' });
      const response = await post(JSON.stringify({ encrypt: encrypt(plain) }));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ challenge: 'enc-challenge' });
      expectRefused(await post(JSON.stringify({ encrypt: encrypt(plain, 'another-apps-encrypt-key') })), 401, 'unauthorized');
    });
  });

  describe('verified events', () => {
    it('accepts a signed, encrypted command with the neutral event and the replay key', async () => {
      const request = sealed(messageEvent('@_user_1 /incident list'), { nonce: 'nonce-cmd-1' });
      const before = Date.now();
      const response = await post(request.body, request.headers);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      expect(calls).toHaveLength(1);
      expect(calls[0]?.event).toEqual({
        id: 'lark:f7984f25108f8137722bb63cee927e66',
        platform: 'lark',
        identity: `lark:${person}`,
        tenant,
        appId: lark.appId,
        destination: `lark:${chat}`,
        receivedAt: expect.any(Number),
        input: { type: 'command', name: 'incident', text: 'list' },
      });
      expect(calls[0]?.event.receivedAt).toBeGreaterThanOrEqual(before);
      expect(calls[0]?.options).toEqual({ replayKey: `${request.headers['x-lark-request-timestamp']}:nonce-cmd-1` });
    });

    it('answers a card action with a toast', async () => {
      const body = JSON.stringify(cardAction({ actionId: 'incident.ack', value: { k: 'inc-1' } }));
      const response = await post(body, sign(body));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ toast: { type: 'info', content: expect.stringMatching(/working/i), i18n: { en_us: expect.stringMatching(/working/i), zh_cn: '正在处理…' } } });
      expect(calls[0]?.event.input).toEqual({ type: 'action', actionId: 'incident.ack', value: '{"k":"inc-1"}', message: { destination: `lark:${chat}`, id: 'om_card1' } });
    });

    it('answers {} to a duplicate action and to events Warden does not handle', async () => {
      script = async () => ({ outcome: 'duplicate' });
      const action = JSON.stringify(cardAction({ actionId: 'incident.ack', value: 'x' }));
      expect((await post(action, sign(action))).json).toEqual({});
      const chatter = JSON.stringify(messageEvent('good morning'));
      const response = await post(chatter, sign(chatter));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      expect(calls).toHaveLength(1);
    });

    it('sends a refused command privately, by direct message, without delaying the answer', async () => {
      script = async () => ({ outcome: 'refused', reason: 'denied', message: 'You are not allowed to run /incident.\nAsk an operator to add you.' });
      const request = sealed(messageEvent('/incident close'));
      const response = await post(request.body, request.headers);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      await api.waitFor((all) => all.some((call) => call.route === sendPath && call.query.receive_id_type === 'open_id'));
      const [dm] = api.callsTo(sendPath).filter((call) => call.query.receive_id_type === 'open_id');
      expect(dm?.body.receive_id).toBe(person);
      expect(api.directMessages(person)[0]?.content).toEqual(renderLarkCard(buildNoticeCard('You are not allowed to run /incident.\nAsk an operator to add you.')));
      expect(api.messages(chat)).toHaveLength(0);
    });

    it('answers a refused action with an error toast, shortened when long', async () => {
      script = async () => ({ outcome: 'refused', reason: 'limited', message: `Slow down: ${'too many clicks '.repeat(40)}`, retryAfterSeconds: 30 });
      const body = JSON.stringify(cardAction({ actionId: 'incident.phase', value: 'isolate' }));
      const response = await post(body, sign(body));
      expect(response.status).toBe(200);
      expect(response.json.toast.type).toBe('error');
      expect(response.json.toast.content).toMatch(/^Slow down: too many clicks/);
      expect(response.json.toast.content.length).toBeLessThanOrEqual(200);
    });

    it('gives each delivery of one event to accept with the same id and its own replay key', async () => {
      for (const nonce of ['first-push', 'second-push']) {
        const request = sealed(messageEvent('/help'), { nonce });
        expect((await post(request.body, request.headers)).status).toBe(200);
      }
      expect(calls).toHaveLength(2);
      expect(calls[0]?.event.id).toBe(calls[1]?.event.id);
      expect(calls[0]?.options?.replayKey).not.toBe(calls[1]?.options?.replayKey);
    });

    it('answers 503 when the store is unavailable, so Lark pushes again', async () => {
      script = async () => {
        throw new WardenError('store_unavailable', 'the event store (Redis) is unavailable; Lark will deliver again', { status: 503, retryable: true });
      };
      const request = sealed(messageEvent('/help'));
      const response = await post(request.body, request.headers);
      expect(response.status).toBe(503);
      expect(response.json).toEqual({ error: 'store_unavailable', message: expect.stringContaining('unavailable') });
    });

    it('answers 200 before Lark gives up when accept is slow, and logs a warning', async () => {
      // accept is held until the test has its answer: however slow the machine, the answer can only
      // have come from the timer.
      const slow = holdAccept({ outcome: 'queued' });
      const body = JSON.stringify(cardAction({ actionId: 'incident.ack', value: 'x' }));
      const response = await post(body, sign(body));
      expect(slow.settled()).toBe(false);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      expect(response.ms).toBeGreaterThanOrEqual(ackTimeoutMs - 20);
      expect(logs.text()).toMatch(/"level":40.*accept is slow/);
      slow.release();
    });

    it('still sends the private reply when a slow accept refuses after the answer', async () => {
      const before = api.directMessages(person).length;
      const slow = holdAccept({ outcome: 'refused', reason: 'usage', message: 'Unknown command /nope.' });
      const request = sealed(messageEvent('/nope'));
      const response = await post(request.body, request.headers);
      // Answered while accept was still held; it refuses only now.
      expect(slow.settled()).toBe(false);
      expect(response.status).toBe(200);
      slow.release();
      await api.waitFor(() => api.directMessages(person).length > before);
      expect(api.directMessages(person).at(-1)?.content).toEqual(renderLarkCard(buildNoticeCard('Unknown command /nope.')));
    });
  });

  describe('refusals', () => {
    const event = () => JSON.stringify(messageEvent('/help'));

    it('refuses an unsigned event', async () => {
      expectRefused(await post(event()), 401, 'unauthorized');
      expectRefused(await post(sealed(messageEvent('/help')).body), 401, 'unauthorized');
    });

    it('refuses a wrong signature, a foreign key and a re-serialised body', async () => {
      const body = event();
      const headers = sign(body);
      expectRefused(await post(body, { ...headers, 'x-lark-signature': sign(`${body} `)['x-lark-signature']! }), 401, 'unauthorized');
      expectRefused(await post(body, sign(body, { key: 'another-key' })), 401, 'unauthorized');
      const respaced = JSON.stringify(JSON.parse(body), null, 2);
      expect(JSON.parse(respaced)).toEqual(JSON.parse(body));
      expectRefused(await post(respaced, headers), 401, 'unauthorized');
    });

    it('refuses timestamps beyond the 300 s window in the past or the future', async () => {
      // The server reads its own clock a moment later (the exact boundary is tested with an injected
      // clock in the verifier's unit tests): a few seconds beyond it cannot flip on a busy machine.
      const body = event();
      const now = Math.floor(Date.now() / 1000);
      expectRefused(await post(body, sign(body, { timestamp: now - 301 })), 401, 'unauthorized');
      expectRefused(await post(body, sign(body, { timestamp: now + 305 })), 401, 'unauthorized');
    });

    it('refuses a request missing any one of the three signature headers', async () => {
      const body = event();
      for (const name of ['x-lark-request-timestamp', 'x-lark-request-nonce', 'x-lark-signature']) {
        const headers = sign(body);
        delete headers[name];
        const response = await post(body, headers);
        expectRefused(response, 401, 'unauthorized');
        expect(response.json.message).toMatch(/missing/);
      }
    });

    it('refuses non-hex and wrong-length signatures without echoing them', async () => {
      const body = event();
      for (const signature of ['z'.repeat(64), 'ab'.repeat(31), `${'ab'.repeat(32)}00`]) {
        const response = await post(body, { ...sign(body), 'x-lark-signature': signature });
        expectRefused(response, 401, 'unauthorized');
        expect(response.text).not.toContain(signature);
      }
    });

    it('refuses a wrong verification token in header.token', async () => {
      const body = JSON.stringify(messageEvent('/help', { token: 'not-the-token' }));
      expectRefused(await post(body, sign(body)), 401, 'unauthorized');
      const missing = JSON.stringify(messageEvent('/help', { token: undefined }));
      expectRefused(await post(missing, sign(missing)), 401, 'unauthorized');
    });

    it('refuses a body encrypted with another key (401) and an encrypt field that is not base64 (400)', async () => {
      const wrongKey = sealed(messageEvent('/help'), { key: 'another-apps-encrypt-key' });
      expectRefused(await post(wrongKey.body, wrongKey.headers), 401, 'unauthorized');
      const garbage = JSON.stringify({ encrypt: 'not base64 at all!' });
      expectRefused(await post(garbage, sign(garbage)), 400, 'invalid_encrypt');
    });

    it('refuses empty and non-JSON bodies with 400, after checking the signature', async () => {
      expectRefused(await post('', sign('')), 400, 'empty_body');
      expectRefused(await post('{"schema":"2.0",', sign('{"schema":"2.0",')), 400, 'invalid_json');
      expectRefused(await post('[1,2]', sign('[1,2]')), 400, 'invalid_payload');
      expectRefused(await post('{"schema":"2.0",', sign('other')), 401, 'unauthorized');
      const poisoned = '{"schema":"2.0","__proto__":{"x":1}}';
      expectRefused(await post(poisoned, sign(poisoned)), 400, 'invalid_json');
    });

    it('refuses schema 1.0 events with a clear message', async () => {
      const body = JSON.stringify({ uuid: 'u1', token: lark.verificationToken, ts: '1', type: 'event_callback', event: { type: 'message' } });
      const response = await post(body, sign(body));
      expectRefused(response, 400, 'unsupported_schema');
      expect(response.json.message).toMatch(/schema 2\.0/);
    });

    it('refuses bodies over the limit with 413 and other content types with a message', async () => {
      const huge = JSON.stringify({ ...messageEvent('/help'), padding: 'x'.repeat(1024 * 1024) });
      expectRefused(await post(huge, sign(huge)), 413, 'body_too_large');
      const body = event();
      const response = await post(body, sign(body), 'text/plain');
      expectRefused(response, 400, 'unsupported_content_type');
      expect(response.json.message).toMatch(/JSON/);
    });

    it('keeps secrets out of the logs', () => {
      for (const secret of [lark.encryptKey, lark.verificationToken, lark.appSecret]) expect(logs.text()).not.toContain(secret);
    });
  });
});
