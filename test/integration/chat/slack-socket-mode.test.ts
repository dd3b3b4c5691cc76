import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../src/chat/slack/create-slack-adapter.js';
import { startSlackSocketMode, type SlackSocketMode } from '../../../src/chat/slack/start-slack-socket-mode.js';
import { WardenError } from '../../../src/errors/warden-error.js';
import type { Acceptance, AcceptInboundEvent } from '../../../src/inbound/acceptance.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { captureLogs } from '../../support/chat-test-kit.js';
import { readBody, startFakeHttpServer, type FakeHttpServer } from '../../support/fake-http-server.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startFakeSlackSocketServer } from '../../support/fake-slack-socket-server.js';

const appToken = 'xapp-1-A0WARDEN-1111-sockettestsecret';
const botToken = 'xoxb-1111-2222-sockettestbotsecret';
const signingSecret = 'socket-mode-test-signing-secret';
const NOW_MS = 1_700_000_000_000;

/** A loopback Socket Mode server: `apps.connections.open` over HTTP, then a WebSocket that says hello. */
async function startFakeSocketMode() {
  const socket = await startFakeSlackSocketServer();
  const authorizations: (string | undefined)[] = [];
  const api: FakeHttpServer = await startFakeHttpServer(async (request, response) => {
    await readBody(request);
    authorizations.push(request.headers.authorization);
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const ok = path === '/api/apps.connections.open' && request.headers.authorization === `Bearer ${appToken}`;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(ok ? { ok: true, url: socket.url } : { ok: false, error: 'invalid_auth' }));
  });
  return {
    apiUrl: `http://127.0.0.1:${api.port}/api/`,
    received: socket.received,
    authorizations,
    closed: socket.closed,
    deliver: socket.deliver,
    async close() {
      await socket.close();
      await api.close();
    },
  };
}

const slashCommand = {
  token: 'legacy-verification-token',
  team_id: 'T0TEST',
  team_domain: 'example',
  channel_id: 'C0SECURITY',
  channel_name: 'security',
  user_id: 'U0OPS1',
  user_name: 'ops',
  command: '/audit',
  text: 'weekly',
  api_app_id: 'A0WARDEN',
  is_enterprise_install: 'false',
  response_url: 'https://hooks.slack.com/commands/T0TEST/1/2',
  trigger_id: '13345224609.738474920.socketmode',
};

const appMention = {
  team_id: 'T0TEST',
  api_app_id: 'A0WARDEN',
  event: { type: 'app_mention', user: 'U0OPS1', text: '<@U0WARDEN> /incident list', ts: '1700000002.000300', channel: 'C0SECURITY', event_ts: '1700000002.000300' },
  type: 'event_callback',
  event_id: 'Ev0SOCKET1',
  event_time: 1_700_000_002,
};

describe('Slack Socket Mode', () => {
  let fake: Awaited<ReturnType<typeof startFakeSocketMode>>;
  let slackApi: FakeSlackApi;
  let mode: SlackSocketMode | undefined;
  let logs: ReturnType<typeof captureLogs>;
  let events: InboundEvent[];
  let script: (event: InboundEvent) => Promise<Acceptance>;
  const accept: AcceptInboundEvent = async (event) => {
    events.push(event);
    return script(event);
  };

  beforeEach(async () => {
    fake = await startFakeSocketMode();
    slackApi = await startFakeSlackApi({ botToken });
    logs = captureLogs();
    events = [];
    script = async () => ({ outcome: 'queued' });
    mode = startSlackSocketMode({
      slack: { signingSecret, botToken, appToken, apiUrl: fake.apiUrl },
      accept,
      adapter: createSlackAdapter({ botToken, apiUrl: slackApi.url }),
      logger: logs.logger,
      now: () => NOW_MS,
    });
    await mode.start();
  });

  afterEach(async () => {
    await mode?.stop();
    mode = undefined;
    await fake.close();
    await slackApi.close();
    expect(logs.text()).not.toContain(appToken);
    expect(logs.text()).not.toContain(botToken);
  });

  it('connects through apps.connections.open at the configured API URL with the app-level token', () => {
    expect(fake.authorizations).toEqual([`Bearer ${appToken}`]);
  });

  it('acks a slash command envelope with its envelope_id and hands the neutral event to accept', async () => {
    fake.deliver({ envelope_id: 'env-command-1', type: 'slash_commands', payload: slashCommand, accepts_response_payload: true });
    await fake.received.waitFor((messages) => messages.some((message) => message.envelope_id === 'env-command-1'));
    expect(fake.received.calls).toEqual([{ envelope_id: 'env-command-1', payload: {} }]);
    expect(events).toEqual([
      {
        id: 'slack:13345224609.738474920.socketmode',
        platform: 'slack',
        identity: 'slack:U0OPS1',
        tenant: 'T0TEST',
        appId: 'A0WARDEN',
        destination: 'slack:C0SECURITY',
        receivedAt: NOW_MS,
        input: { type: 'command', name: 'audit', text: 'weekly' },
      },
    ]);
  });

  it('carries a refusal on the ack payload as an ephemeral reply', async () => {
    script = async () => ({ outcome: 'refused', reason: 'denied', message: 'Only operators may run audits.' });
    fake.deliver({ envelope_id: 'env-command-2', type: 'slash_commands', payload: slashCommand, accepts_response_payload: true });
    await fake.received.waitFor((messages) => messages.some((message) => message.envelope_id === 'env-command-2'));
    const ack = fake.received.calls[0];
    expect(ack?.payload?.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack?.payload)).toContain('Only operators may run audits.');
  });

  it('acks an Events API envelope after accept took the mention', async () => {
    fake.deliver({ envelope_id: 'env-event-1', type: 'events_api', payload: appMention, accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    await fake.received.waitFor((messages) => messages.some((message) => message.envelope_id === 'env-event-1'));
    expect(events).toEqual([expect.objectContaining({ id: 'slack:Ev0SOCKET1', input: { type: 'command', name: 'incident', text: 'list' } })]);
  });

  it('leaves an envelope un-acked when accept fails, so Slack delivers it again', async () => {
    script = async () => {
      throw new WardenError('store_unavailable', 'Redis is unavailable', { status: 503, retryable: true });
    };
    fake.deliver({ envelope_id: 'env-event-2', type: 'events_api', payload: appMention, accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    fake.deliver({ envelope_id: 'env-command-3', type: 'slash_commands', payload: slashCommand, accepts_response_payload: true });
    await expect.poll(() => events.length).toBe(2);
    await expect.poll(() => logs.text().split('it is not acknowledged').length - 1).toBe(2);
    // A later envelope that is accepted: once its ack is back, an ack of the two failed ones would
    // have come before it on the same socket.
    script = async () => ({ outcome: 'queued' });
    fake.deliver({ envelope_id: 'env-command-4', type: 'slash_commands', payload: slashCommand, accepts_response_payload: true });
    await fake.received.waitFor((messages) => messages.some((message) => message.envelope_id === 'env-command-4'));
    expect(fake.received.calls.map((message) => message.envelope_id)).toEqual(['env-command-4']);
  });

  it('closes the socket on stop', async () => {
    await mode?.stop();
    mode = undefined;
    await expect.poll(() => fake.closed()).toBe(1);
  });
});
