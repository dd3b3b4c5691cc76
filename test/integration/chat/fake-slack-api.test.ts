import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';

const botToken = 'xoxb-fake-api-test-token';

describe('startFakeSlackApi', () => {
  let api: FakeSlackApi;

  beforeEach(async () => {
    api = await startFakeSlackApi({ botToken });
  });

  afterEach(async () => {
    await api.close();
  });

  const callJson = async (method: string, body: unknown, token: string | null = botToken) => {
    const response = await fetch(`${api.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };

  it('listens on loopback and serves under /api/', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('accepts form-encoded bodies with the token as a field, decoding JSON fields', async () => {
    const form = new URLSearchParams({ token: botToken, channel: 'C0OPS', text: 'hello', blocks: JSON.stringify([{ type: 'divider' }]) });
    const response = await fetch(`${api.url}chat.postMessage`, { method: 'POST', body: form });
    const body = (await response.json()) as { ok: boolean; ts: string };
    expect(body.ok).toBe(true);
    expect(api.messages('C0OPS')).toEqual([{ channel: 'C0OPS', ts: body.ts, text: 'hello', blocks: [{ type: 'divider' }], updates: 0 }]);
  });

  it('answers not_authed without a token and invalid_auth with a wrong one, and records both', async () => {
    expect((await callJson('auth.test', {}, null)).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await callJson('auth.test', {}, 'xoxb-wrong')).body).toEqual({ ok: false, error: 'invalid_auth' });
    expect(api.callsTo('auth.test').map((call) => call.error)).toEqual(['not_authed', 'invalid_auth']);
  });

  it('answers channel_not_found for malformed or configured-unknown channels, message_not_found for unknown ts', async () => {
    api.unknownChannels.add('C0GONE');
    expect((await callJson('chat.postMessage', { channel: 'C0GONE', text: 'x' })).body.error).toBe('channel_not_found');
    expect((await callJson('chat.postMessage', { channel: 'not a channel', text: 'x' })).body.error).toBe('channel_not_found');
    expect((await callJson('chat.postMessage', { channel: 'C0OPS' })).body.error).toBe('no_text');
    expect((await callJson('chat.update', { channel: 'C0OPS', ts: '1.000001', text: 'x' })).body.error).toBe('message_not_found');
    expect((await callJson('chat.nonsense', {})).body.error).toBe('unknown_method');
  });

  it('serves chat.postEphemeral and views.open', async () => {
    expect((await callJson('chat.postEphemeral', { channel: 'C0OPS', user: 'U0OPS1', text: 'only you' })).body.ok).toBe(true);
    expect(api.ephemerals).toEqual([{ channel: 'C0OPS', user: 'U0OPS1', text: 'only you', blocks: undefined }]);
    expect((await callJson('views.open', { view: { type: 'modal' } })).body.error).toBe('invalid_trigger_id');
    const opened = await callJson('views.open', { trigger_id: '123.456', view: { type: 'modal', title: { type: 'plain_text', text: 'Approve' } } });
    expect(opened.body).toMatchObject({ ok: true, view: { type: 'modal' } });
  });

  it('plays scripted failures once, in order', async () => {
    api.rateLimitNext(1, 12);
    api.failNext('chat.postMessage', 'is_archived');
    api.failHttpNext(500);
    const limited = await callJson('chat.postMessage', { channel: 'C0OPS', text: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('12');
    const http = await fetch(`${api.url}chat.postMessage`, { method: 'POST' });
    expect(http.status).toBe(500);
    expect((await callJson('chat.postMessage', { channel: 'C0OPS', text: 'x' })).body).toEqual({ ok: false, error: 'is_archived' });
    expect((await callJson('chat.postMessage', { channel: 'C0OPS', text: 'x' })).body.ok).toBe(true);
    expect(api.calls.map((call) => call.status)).toEqual([429, 500, 200, 200]);
  });

  it('waitFor resolves once the calls match and rejects with what it saw on timeout', async () => {
    const waiting = api.waitFor((calls) => calls.some((call) => call.method === 'chat.update'), 2000);
    const posted = await callJson('chat.postMessage', { channel: 'C0OPS', text: 'x' });
    await callJson('chat.update', { channel: 'C0OPS', ts: posted.body.ts, text: 'y' });
    await expect(waiting).resolves.toBeUndefined();
    expect(api.messages('C0OPS')[0]).toMatchObject({ text: 'y', updates: 1 });
    await expect(api.waitFor((calls) => calls.length > 10, 50)).rejects.toThrow(/timed out after 50 ms; 2 calls recorded/);
  });
});
