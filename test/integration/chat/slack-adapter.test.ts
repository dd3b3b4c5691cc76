import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../cards/card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { ChatMessageGoneError, ChatRateLimitedError } from '../../../src/ports/chat-errors.js';
import { createSlackAdapter } from '../../../src/chat/slack/create-slack-adapter.js';
import { captureLogs, everythingIn, failureOf, startSilentServer, urlOfClosedPort } from '../../support/chat-test-kit.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';

const botToken = 'xoxb-1111-2222-slackadaptertestsecret';
const wrongToken = 'xoxb-9999-8888-wrongtokenalsosecret';

function incidentCard(phase: string): Card {
  return {
    title: 'HighErrorRate on api-1',
    accent: 'critical',
    summary: `Incident in phase ${phase}`,
    blocks: [
      { type: 'fields', fields: [{ label: 'Phase', value: phase }, { label: 'Severity', value: 'critical' }] },
      { type: 'actions', buttons: [{ actionId: 'incident.ack', label: 'Acknowledge', value: '{"key":"inc-1"}', style: 'primary' }] },
    ],
  };
}





describe('createSlackAdapter against a fake Slack Web API', () => {
  let api: FakeSlackApi;
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    api = await startFakeSlackApi({ botToken, unknownChannels: ['C0GONE'] });
  });

  afterEach(async () => {
    await api.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('posts a card and then updates that same message in place', async () => {
    const adapter = createSlackAdapter({ botToken, apiUrl: api.url });
    const ref = await adapter.postCard('slack:C0SECURITY', incidentCard('triage'));
    expect(ref.destination).toBe('slack:C0SECURITY');
    expect(ref.id).toMatch(/^\d+\.\d+$/);

    await adapter.updateCard(ref, incidentCard('isolate'));

    const messages = api.messages('C0SECURITY');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ts: ref.id, updates: 1, text: renderSlackBlocks(incidentCard('isolate')).text });
    expect(messages[0]?.blocks).toEqual(renderSlackBlocks(incidentCard('isolate')).blocks);

    const [post] = api.callsTo('chat.postMessage');
    expect(post?.body).toMatchObject({ channel: 'C0SECURITY', unfurl_links: 'false', unfurl_media: 'false' });
    expect(post?.body.blocks).toEqual(renderSlackBlocks(incidentCard('triage')).blocks);
    expect(api.callsTo('chat.update')[0]?.body).toMatchObject({ channel: 'C0SECURITY', ts: ref.id });
  });

  it('turns a 429 into ChatRateLimitedError with Retry-After and does not retry on its own', async () => {
    const adapter = createSlackAdapter({ botToken, apiUrl: api.url });
    api.rateLimitNext(1, 7);

    const error = await failureOf(adapter.postCard('slack:C0SECURITY', incidentCard('triage')));

    expect(error).toBeInstanceOf(ChatRateLimitedError);
    expect(error.code).toBe('chat_rate_limited');
    expect((error as ChatRateLimitedError).retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
    expect(api.calls).toHaveLength(1);
    expect(api.messages('C0SECURITY')).toHaveLength(0);

    await adapter.postCard('slack:C0SECURITY', incidentCard('triage'));
    expect(api.messages('C0SECURITY')).toHaveLength(1);
  });

  it('rejects permanently for an unknown or archived channel and blocks Slack refuses', async () => {
    const adapter = createSlackAdapter({ botToken, apiUrl: api.url });

    const unknownChannel = await failureOf(adapter.postCard('slack:C0GONE', incidentCard('triage')));
    expect(unknownChannel.code).toBe('chat_rejected');
    expect(unknownChannel.retryable).toBe(false);
    expect(unknownChannel.message).toContain('channel_not_found');

    const ref = await adapter.postCard('slack:C0ARCHIVE', incidentCard('triage'));
    api.archivedChannels.add('C0ARCHIVE');
    const archived = await failureOf(adapter.updateCard(ref, incidentCard('isolate')));
    expect(archived).toMatchObject({ code: 'chat_rejected', retryable: false });
    expect(archived.message).toContain('is_archived');

    api.failNext('chat.postMessage', 'invalid_blocks');
    const badBlocks = await failureOf(adapter.postCard('slack:C0SECURITY', incidentCard('triage')));
    expect(badBlocks.code).toBe('chat_rejected');
    expect(badBlocks.message).toContain('invalid_blocks');
  });

  it('says a message is gone when chat.update finds it deleted, no longer editable or its channel lost', async () => {
    const adapter = createSlackAdapter({ botToken, apiUrl: api.url });
    const lost = await failureOf(adapter.updateCard({ destination: 'slack:C0SECURITY', id: '1700000000.000001' }, incidentCard('isolate')));
    expect(lost).toBeInstanceOf(ChatMessageGoneError);
    expect(lost).toMatchObject({ code: 'chat_message_gone', retryable: false, reason: 'deleted' });
    expect(lost.message).toContain('message_not_found');

    for (const [error, reason] of [
      ['cant_update_message', 'not_editable'],
      ['edit_window_closed', 'not_editable'],
      ['channel_not_found', 'channel_unreachable'],
    ] as const) {
      const ref = await adapter.postCard('slack:C0SECURITY', incidentCard('triage'));
      api.failNext('chat.update', error);
      const gone = await failureOf(adapter.updateCard(ref, incidentCard('isolate')));
      expect(gone).toMatchObject({ code: 'chat_message_gone', reason });
      expect(gone.message).toContain(error);
    }
    // Only an update can find its message gone: the same answer to a post is a refusal.
    api.failNext('chat.postMessage', 'message_not_found');
    expect(await failureOf(adapter.postCard('slack:C0SECURITY', incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
  });

  it('treats Slack-side trouble as retryable: internal_error, HTTP 5xx, refused connections and timeouts', async () => {
    const adapter = createSlackAdapter({ botToken, apiUrl: api.url });

    api.failNext('chat.postMessage', 'internal_error');
    expect(await failureOf(adapter.postCard('slack:C0SECURITY', incidentCard('triage')))).toMatchObject({ code: 'chat_unavailable', retryable: true });

    api.failHttpNext(503);
    const http = await failureOf(adapter.postCard('slack:C0SECURITY', incidentCard('triage')));
    expect(http).toMatchObject({ code: 'chat_unavailable', retryable: true });
    expect(http.message).toContain('HTTP 503');

    const refused = await failureOf(createSlackAdapter({ botToken, apiUrl: `${await urlOfClosedPort()}/api/` }).postCard('slack:C0SECURITY', incidentCard('triage')));
    expect(refused).toMatchObject({ code: 'chat_unavailable', retryable: true });
    expect(refused.message).toContain('ECONNREFUSED');

    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const silentUrl = `${silent.url}/api/`;
    const timedOut = await failureOf(createSlackAdapter({ botToken, apiUrl: silentUrl, timeoutMs: 200 }).postCard('slack:C0SECURITY', incidentCard('triage')));
    expect(timedOut).toMatchObject({ code: 'chat_unavailable', retryable: true });
    expect(timedOut.message).toContain('timed out');
  });

  it('never lets the bot token into errors or logs', async () => {
    const logs = captureLogs();
    const wrong = createSlackAdapter({ botToken: wrongToken, apiUrl: api.url, logger: logs.logger });
    const unauthorized = await failureOf(wrong.postCard('slack:C0SECURITY', incidentCard('triage')));
    expect(unauthorized.code).toBe('chat_rejected');
    expect(unauthorized.message).toContain('invalid_auth');

    const offline = createSlackAdapter({ botToken, apiUrl: `${await urlOfClosedPort()}/api/`, logger: logs.logger });
    const refused = await failureOf(offline.postCard('slack:C0SECURITY', incidentCard('triage')));
    const health = await offline.checkHealth();

    const seen = [everythingIn(unauthorized), everythingIn(refused), health.detail, logs.text()].join('\n');
    expect(seen).not.toContain(wrongToken);
    expect(seen).not.toContain(botToken);
    expect(seen).not.toContain('1111-2222');
  });

  it('refuses destinations and message ids that are not Slack ones, without calling Slack', async () => {
    const adapter = createSlackAdapter({ botToken, apiUrl: api.url });
    expect(await failureOf(adapter.postCard('lark:oc_security', incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
    expect(await failureOf(adapter.postCard('slack:c0-lowercase', incidentCard('triage')))).toMatchObject({ code: 'chat_rejected' });
    expect(await failureOf(adapter.updateCard({ destination: 'slack:C0SECURITY', id: '../chat.delete' }, incidentCard('isolate')))).toMatchObject({ code: 'chat_rejected' });
    expect(api.calls).toHaveLength(0);
    expect(() => createSlackAdapter({ botToken: '', apiUrl: api.url })).toThrow(/SLACK_BOT_TOKEN/);
  });

  it('reports health from auth.test', async () => {
    const healthy = await createSlackAdapter({ botToken, apiUrl: api.url }).checkHealth();
    expect(healthy.ok).toBe(true);
    expect(healthy.detail).toContain('Warden Test');
    expect(api.callsTo('auth.test')).toHaveLength(1);

    const revoked = await createSlackAdapter({ botToken: wrongToken, apiUrl: api.url }).checkHealth();
    expect(revoked.ok).toBe(false);
    expect(revoked.detail).toContain('invalid_auth');

    const unreachable = await createSlackAdapter({ botToken, apiUrl: `${await urlOfClosedPort()}/api/` }).checkHealth();
    expect(unreachable.ok).toBe(false);
    expect(unreachable.detail).toContain('unavailable');
  });
});
