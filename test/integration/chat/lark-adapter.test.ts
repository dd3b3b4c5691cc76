import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { ChatMessageGoneError, ChatRateLimitedError } from '../../../src/ports/chat-errors.js';
import { createLarkAdapter } from '../../../src/chat/lark/create-lark-adapter.js';
import { captureLogs, everythingIn, failureOf, startSilentServer, urlOfClosedPort } from '../../support/chat-test-kit.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';

const appId = 'cli_wardentest0001';
const appSecret = 'lark-app-secret-do-not-print-0123456789';
const chat = 'oc_security';
const sendPath = '/open-apis/im/v1/messages';
const tokenPath = '/open-apis/auth/v3/tenant_access_token/internal';

function incidentCard(phase: string): Card {
  return {
    title: 'HighErrorRate on api-1',
    accent: 'warning',
    summary: `Incident in phase ${phase}`,
    blocks: [
      { type: 'fields', fields: [{ label: 'Phase', value: phase }] },
      { type: 'actions', buttons: [{ actionId: 'incident.ack', label: 'Acknowledge', value: '{"key":"inc-1"}' }] },
    ],
  };
}




describe('createLarkAdapter against a fake Lark open platform', () => {
  let api: FakeLarkApi;

  beforeEach(async () => {
    api = await startFakeLarkApi({ appId, appSecret });
  });

  afterEach(async () => {
    await api.close();
  });

  it('posts an interactive card and patches that same message in place', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    const ref = await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    expect(ref).toMatchObject({ destination: `lark:${chat}` });
    expect(ref.id).toMatch(/^om_/);

    await adapter.updateCard(ref, incidentCard('analyze'));

    const messages = api.messages(chat);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ message_id: ref.id, msg_type: 'interactive', updates: 1 });
    expect(messages[0]?.content).toEqual(renderLarkCard(incidentCard('analyze')));
    const [send] = api.callsTo(`POST ${sendPath}`);
    expect(send?.query).toEqual({ receive_id_type: 'chat_id' });
    expect(send?.body).toMatchObject({ receive_id: chat, msg_type: 'interactive' });
    expect(send?.body).not.toHaveProperty('uuid');
  });

  it('fetches the tenant token once and reuses it, per adapter', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    const ref = await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    await adapter.updateCard(ref, incidentCard('isolate'));
    await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    expect((await adapter.checkHealth()).ok).toBe(true);
    expect(api.tokensIssued).toBe(1);
    expect(api.callsTo(tokenPath)).toHaveLength(1);
    expect(api.callsTo(tokenPath)[0]?.body).toEqual({ app_id: appId, app_secret: appSecret });

    // A second adapter for the same app against another platform must not trust the first one's token.
    const other = await startFakeLarkApi({ appId, appSecret });
    try {
      await createLarkAdapter({ appId, appSecret, domain: other.url }).postCard(`lark:${chat}`, incidentCard('triage'));
      expect(other.tokensIssued).toBe(1);
      expect(other.messages(chat)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('drops a refused token and fetches a new one on the next attempt', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    api.expireTokens();

    const refused = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(refused).toMatchObject({ code: 'chat_unavailable', retryable: true });
    expect(refused.message).toContain('99991663');

    await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    expect(api.tokensIssued).toBe(2);
    expect(api.messages(chat)).toHaveLength(2);
  });

  it('passes the dedupe key as uuid, so a repeated post returns the first message', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    const first = await adapter.postCard(`lark:${chat}`, incidentCard('triage'), { dedupeKey: 'incident:abc:card' });
    const again = await adapter.postCard(`lark:${chat}`, incidentCard('triage'), { dedupeKey: 'incident:abc:card' });
    expect(again.id).toBe(first.id);

    const longKey = `incident:${'x'.repeat(80)}:card`;
    const long1 = await adapter.postCard(`lark:${chat}`, incidentCard('triage'), { dedupeKey: longKey });
    const long2 = await adapter.postCard(`lark:${chat}`, incidentCard('triage'), { dedupeKey: longKey });
    expect(long2.id).toBe(long1.id);
    expect(long2.id).not.toBe(first.id);
    expect(api.messages(chat)).toHaveLength(2);

    const uuids = api.callsTo(`POST ${sendPath}`).map((call) => call.body.uuid as string);
    expect(uuids[0]).toBe('incident:abc:card');
    expect(uuids[2]?.length).toBeLessThanOrEqual(50);
    expect(uuids[2]).toBe(uuids[3]);
    expect(uuids[2]).not.toBe(longKey);
  });

  it('turns HTTP 429 and frequency-limit codes into ChatRateLimitedError with the platform delay', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    await adapter.postCard(`lark:${chat}`, incidentCard('triage'));

    api.rateLimitNext(1, 3);
    const limited = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(limited).toBeInstanceOf(ChatRateLimitedError);
    expect((limited as ChatRateLimitedError).retryAfterMs).toBe(3000);

    // Older APIs answer HTTP 400 with code 99991400 and no reset header: back off a second.
    api.failNext(sendPath, 99991400, 'request trigger frequency limit');
    const legacy = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(legacy).toBeInstanceOf(ChatRateLimitedError);
    expect((legacy as ChatRateLimitedError).retryAfterMs).toBe(1000);

    // The token endpoint can be rate limited too.
    const fresh = createLarkAdapter({ appId, appSecret, domain: api.url });
    api.rateLimitNext(1, 5);
    const tokenLimited = await failureOf(fresh.postCard(`lark:${chat}`, incidentCard('triage')));
    expect((tokenLimited as ChatRateLimitedError).retryAfterMs).toBe(5000);
    expect(api.messages(chat)).toHaveLength(1);
  });

  it('rejects permanently when the bot is not in the chat, the message is unknown or permission is missing', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    api.unknownChats.add('oc_elsewhere');
    const outside = await failureOf(adapter.postCard('lark:oc_elsewhere', incidentCard('triage')));
    expect(outside).toMatchObject({ code: 'chat_rejected', retryable: false });
    expect(outside.message).toContain('230002');

    const unknown = await failureOf(adapter.updateCard({ destination: `lark:${chat}`, id: 'om_missing' }, incidentCard('isolate')));
    expect(unknown.code).toBe('chat_rejected');

    api.failNext(sendPath, 230027, 'Lack of necessary permissions.');
    const scope = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(scope.code).toBe('chat_rejected');
    expect(scope.message).toContain('Lack of necessary permissions');
  });

  it('says a message is gone when the patch finds it recalled, deleted or past the 14-day edit window', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    const recalled = await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    api.recallMessage(recalled.id);
    const gone = await failureOf(adapter.updateCard(recalled, incidentCard('isolate')));
    expect(gone).toBeInstanceOf(ChatMessageGoneError);
    expect(gone).toMatchObject({ code: 'chat_message_gone', retryable: false, reason: 'deleted' });
    expect(gone.message).toContain('230011');

    const old = await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    api.ageMessage(old.id, 15);
    expect(await failureOf(adapter.updateCard(old, incidentCard('isolate')))).toMatchObject({ code: 'chat_message_gone', reason: 'not_editable' });

    const deleted = await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    api.failNext(`/open-apis/im/v1/messages/${deleted.id}`, 230110, 'Action unavailable as the message has been deleted.');
    expect(await failureOf(adapter.updateCard(deleted, incidentCard('isolate')))).toMatchObject({ code: 'chat_message_gone', reason: 'deleted' });

    // Only a patch can find its message gone: the same code answering a send is a refusal.
    api.failNext(sendPath, 230011, 'The message is recalled.');
    expect(await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
  });

  it('rejects bad app credentials without the secret appearing in errors, health or logs', async () => {
    const logs = captureLogs();
    const adapter = createLarkAdapter({ appId, appSecret: 'wrong-secret-also-private-987654321', domain: api.url, logger: logs.logger });
    const error = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(error).toMatchObject({ code: 'chat_rejected', retryable: false });
    expect(error.message).toContain('10014');
    const health = await adapter.checkHealth();
    expect(health.ok).toBe(false);

    // The SDK did log the failure (through Warden's logger), only without secrets.
    expect(logs.text()).toContain('10014');
    const seen = [everythingIn(error), health.detail, logs.text(), JSON.stringify(api.calls.map((call) => call.code))].join('\n');
    expect(seen).not.toContain('wrong-secret-also-private');
    expect(seen).not.toContain(appSecret);
  });

  it('keeps tenant tokens out of errors and logs', async () => {
    const logs = captureLogs();
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url, logger: logs.logger });
    await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    api.failNext(sendPath, 230001, 'invalid receive_id');
    const error = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(error.code).toBe('chat_rejected');
    const text = `${everythingIn(error)}\n${logs.text()}`;
    expect(text).not.toMatch(/t-fake[0-9a-f]{8}/);
    expect(text).not.toContain(appSecret);
  });

  it('treats 5xx, refused connections and timeouts as retryable', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    await adapter.postCard(`lark:${chat}`, incidentCard('triage'));
    api.failHttpNext(502);
    const gateway = await failureOf(adapter.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(gateway).toMatchObject({ code: 'chat_unavailable', retryable: true });
    expect(gateway.message).toContain('HTTP 502');

    const offline = createLarkAdapter({ appId, appSecret, domain: await urlOfClosedPort() });
    const refused = await failureOf(offline.postCard(`lark:${chat}`, incidentCard('triage')));
    expect(refused).toMatchObject({ code: 'chat_unavailable', retryable: true });
    expect(refused.message).toContain('ECONNREFUSED');
    expect(await offline.checkHealth()).toMatchObject({ ok: false });

    const silent = await startSilentServer();
    try {
      const slow = createLarkAdapter({ appId, appSecret, domain: silent.url, timeoutMs: 200 });
      const timedOut = await failureOf(slow.postCard(`lark:${chat}`, incidentCard('triage')));
      expect(timedOut).toMatchObject({ code: 'chat_unavailable', retryable: true });
      expect(timedOut.message).toContain('timed out');
    } finally {
      await silent.close();
    }
  });

  it('refuses non-Lark destinations and malformed message ids without calling Lark', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    expect(await failureOf(adapter.postCard('slack:C0SECURITY', incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
    expect(await failureOf(adapter.updateCard({ destination: `lark:${chat}`, id: 'om_1/../../auth' }, incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
    expect(await failureOf(adapter.updateCard({ destination: 'lark:not-a-chat', id: 'om_1' }, incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
    expect(api.calls).toHaveLength(0);
    expect(() => createLarkAdapter({ appId, appSecret: '', domain: api.url })).toThrow(/LARK_APP_SECRET/);
  });

  it('reports health by obtaining a tenant token', async () => {
    const healthy = await createLarkAdapter({ appId, appSecret, domain: `${api.url}/` }).checkHealth();
    expect(healthy).toEqual({ ok: true, detail: 'tenant access token available' });
    expect(api.tokensIssued).toBe(1);

    const wrongApp = await createLarkAdapter({ appId: 'cli_other', appSecret, domain: api.url }).checkHealth();
    expect(wrongApp.ok).toBe(false);
    expect(wrongApp.detail).toContain('10003');
  });
});
