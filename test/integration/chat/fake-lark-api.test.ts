import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';

const appId = 'cli_fakeapitest';
const appSecret = 'fake-api-test-secret';

describe('startFakeLarkApi', () => {
  let api: FakeLarkApi;

  beforeEach(async () => {
    api = await startFakeLarkApi({ appId, appSecret, tokenTtlSeconds: 600 });
  });

  afterEach(async () => {
    await api.close();
  });

  const request = async (method: string, path: string, body: unknown, token?: string) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  };
  const tenantToken = async () =>
    (await request('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: appId, app_secret: appSecret })).body.tenant_access_token as string;
  const card = (title: string) => JSON.stringify({ schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [] } });

  it('issues tenant tokens only for the right app id and secret', async () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const granted = await request('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: appId, app_secret: appSecret });
    expect(granted.body).toMatchObject({ code: 0, expire: 600 });
    expect(granted.body.tenant_access_token).toMatch(/^t-/);
    expect((await request('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: appId, app_secret: 'nope' })).body.code).toBe(10014);
    expect((await request('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: 'cli_x', app_secret: appSecret })).body.code).toBe(10003);
    expect(api.tokensIssued).toBe(1);
  });

  it('requires a valid bearer token for messages', async () => {
    const send = { receive_id: 'oc_ops', msg_type: 'interactive', content: card('a') };
    expect((await request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', send)).body.code).toBe(99991661);
    expect((await request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', send, 't-forged')).body.code).toBe(99991663);
    const token = await tenantToken();
    expect((await request('POST', '/open-apis/im/v1/messages?receive_id_type=open_id', send, token)).body.code).toBe(99992402);
    const sent = await request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', send, token);
    expect(sent.body).toMatchObject({ code: 0, data: { chat_id: 'oc_ops', msg_type: 'interactive' } });
    api.expireTokens();
    expect((await request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', send, token)).body.code).toBe(99991663);
  });

  it('dedupes sends by uuid and refuses uuids over 50 characters', async () => {
    const token = await tenantToken();
    const send = (uuid: string) => request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: 'oc_ops', msg_type: 'interactive', content: card('a'), uuid }, token);
    const first = await send('same-key');
    const second = await send('same-key');
    expect(second.body.data.message_id).toBe(first.body.data.message_id);
    expect((await send('other-key')).body.data.message_id).not.toBe(first.body.data.message_id);
    expect((await send('x'.repeat(51))).body.code).toBe(99992402);
    expect(api.messages('oc_ops')).toHaveLength(2);
  });

  it('patches shared cards in place and refuses unshared 1.0 cards and unknown ids', async () => {
    const token = await tenantToken();
    const sent = await request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: 'oc_ops', msg_type: 'interactive', content: card('a') }, token);
    const id = sent.body.data.message_id as string;
    expect((await request('PATCH', `/open-apis/im/v1/messages/${id}`, { content: card('b') }, token)).body.code).toBe(0);
    expect(api.messages('oc_ops')[0]).toMatchObject({ updates: 1, content: { header: { title: { content: 'b' } } } });
    const legacy = JSON.stringify({ header: { title: { tag: 'plain_text', content: 'c' } }, elements: [] });
    expect((await request('PATCH', `/open-apis/im/v1/messages/${id}`, { content: legacy }, token)).body.code).toBe(230001);
    expect((await request('PATCH', '/open-apis/im/v1/messages/om_nope', { content: card('b') }, token)).body.code).toBe(230001);
    expect(api.callsTo('/open-apis/im/v1/messages/:message_id')).toHaveLength(3);
  });

  it('plays scripted rate limits, code failures and HTTP failures once each', async () => {
    const token = await tenantToken();
    const send = () => request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: 'oc_ops', msg_type: 'interactive', content: card('a') }, token);
    api.rateLimitNext(1, 9);
    api.failNext('/open-apis/im/v1/messages', 230002, 'The bot can not be outside the group.');
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ogw-ratelimit-reset')).toBe('9');
    expect(limited.body.code).toBe(99991400);
    expect((await send()).body.code).toBe(230002);
    api.failHttpNext(503);
    expect((await fetch(`${api.url}/open-apis/im/v1/messages`, { method: 'POST' })).status).toBe(503);
    expect((await send()).body.code).toBe(0);
    await expect(api.waitFor((calls) => calls.filter((call) => call.code === 0).length >= 2, 1000)).resolves.toBeUndefined();
  });
});
