import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../src/chat/slack/create-slack-adapter.js';
import { registerSlackRoute, type SlackRouteOptions } from '../../../src/chat/slack/register-slack-route.js';
import { WardenError } from '../../../src/errors/warden-error.js';
import { sendError } from '../../../src/http/send-error.js';
import type { Acceptance, AcceptInboundEvent } from '../../../src/inbound/acceptance.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { captureLogs } from '../../support/chat-test-kit.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';

const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';
const botToken = 'xoxb-1111-2222-slackroutetestsecret';
const NOW_S = 1_700_000_000;
const now = () => NOW_S * 1000;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  ms: number;
}

/** `X-Slack-Signature` exactly as Slack computes it. */
function sign(body: string | Buffer, timestamp = String(NOW_S), secret = signingSecret): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

function signedHeaders(body: string, contentType: string, timestamp = String(NOW_S)): OutgoingHttpHeaders {
  return { 'content-type': contentType, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': sign(body, timestamp) };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const slashCommand = (fields: Record<string, string> = {}) =>
  form({
    token: 'legacy-verification-token',
    team_id: 'T0TEST',
    team_domain: 'example',
    channel_id: 'C0SECURITY',
    channel_name: 'security',
    user_id: 'U0OPS1',
    user_name: 'ops',
    command: '/incident',
    text: 'list open',
    api_app_id: 'A0WARDEN',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0TEST/1/2',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...fields,
  });

const blockActions = () =>
  form({
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0OPS1', username: 'ops', team_id: 'T0TEST' },
      api_app_id: 'A0WARDEN',
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY', is_ephemeral: false },
      trigger_id: '1234.5678.abcdef',
      team: { id: 'T0TEST', domain: 'example' },
      is_enterprise_install: false,
      channel: { id: 'C0SECURITY', name: 'security' },
      response_url: 'https://hooks.slack.com/actions/T0TEST/1/2',
      actions: [{ action_id: 'incident.acknowledge', block_id: 'b1', type: 'button', value: '{"k":"inc-1"}', action_ts: '1700000001.000200' }],
    }),
  });

const appMention = (eventId = 'Ev0MENTION1', eventType = 'app_mention') =>
  JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0WARDEN',
    event: { type: eventType, user: 'U0OPS1', text: '<@U0WARDEN> /incident list', ts: '1700000002.000300', channel: 'C0SECURITY', event_ts: '1700000002.000300' },
    type: 'event_callback',
    event_id: eventId,
    event_time: NOW_S,
    authorizations: [{ enterprise_id: null, team_id: 'T0TEST', user_id: 'U0WARDEN', is_bot: true, is_enterprise_install: false }],
  });

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

describe('POST /slack/events', () => {
  let fake: FakeSlackApi;
  let server: FastifyInstance | undefined;
  let logs: ReturnType<typeof captureLogs>;
  let events: InboundEvent[];
  let script: (event: InboundEvent) => Promise<Acceptance>;
  const accept: AcceptInboundEvent = async (event) => {
    events.push(event);
    return script(event);
  };

  async function start(overrides: Partial<SlackRouteOptions> = {}): Promise<string> {
    server = Fastify({ logger: false });
    server.setErrorHandler((error, request, reply) => sendError(error, request, reply, logs.logger));
    registerSlackRoute(server, {
      slack: { signingSecret, botToken, apiUrl: fake.url },
      accept,
      adapter: createSlackAdapter({ botToken, apiUrl: fake.url, logger: logs.logger }),
      logger: logs.logger,
      now,
      ackTimeoutMs: 1500,
      bodyLimitBytes: 16 * 1024,
      ...overrides,
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/slack/events`;
  }

  function post(url: string, body: string | Buffer, headers: OutgoingHttpHeaders): Promise<Answer> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** A refusal: the status, a `{ error, message }` JSON body with nothing secret in it, and no call to `accept`. */
  function expectRefused(answer: Answer, status: number, headers: OutgoingHttpHeaders = {}): { error: string; message: string } {
    expect(answer.status, answer.text).toBe(status);
    expect(answer.headers['content-type']).toContain('application/json');
    const body = JSON.parse(answer.text) as { error: string; message: string };
    expect(Object.keys(body).sort()).toEqual(['error', 'message']);
    expect(body.message.length).toBeGreaterThan(5);
    for (const secret of [signingSecret, botToken, ...[headers['x-slack-signature']].flat().filter((v): v is string => typeof v === 'string')]) {
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toContain(secret.replace(/^v0=/, '').slice(0, 16));
    }
    expect(events).toHaveLength(0);
    return body;
  }

  beforeEach(async () => {
    fake = await startFakeSlackApi({ botToken });
    logs = captureLogs();
    events = [];
    script = async () => ({ outcome: 'queued' });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fake.close();
    expect(logs.text()).not.toContain(signingSecret);
    expect(logs.text()).not.toContain(botToken);
  });

  it('accepts a signed slash command: 200 with an empty body and one neutral event', async () => {
    const url = await start();
    const body = slashCommand();
    const answer = await post(url, body, signedHeaders(body, FORM));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(events).toEqual([
      {
        id: 'slack:13345224609.738474920.8088930838d88f008e0',
        platform: 'slack',
        identity: 'slack:U0OPS1',
        tenant: 'T0TEST',
        appId: 'A0WARDEN',
        destination: 'slack:C0SECURITY',
        receivedAt: NOW_S * 1000,
        input: { type: 'command', name: 'incident', text: 'list open' },
      },
    ]);
    expect(fake.calls).toHaveLength(0);
  });

  it('puts a refusal of a slash command on the ack as an ephemeral reply, without calling Slack', async () => {
    const url = await start();
    script = async () => ({ outcome: 'refused', reason: 'denied', message: 'You are not an operator. Ask in #security-oncall.' });
    const body = slashCommand();
    const answer = await post(url, body, signedHeaders(body, FORM));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('application/json');
    const reply = JSON.parse(answer.text) as { response_type: string; text: string; blocks: unknown[] };
    expect(reply.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply)).toContain('You are not an operator.');
    expect(JSON.stringify(reply.blocks)).toContain('Ask in #security-oncall.');
    expect(events).toHaveLength(1);
    expect(fake.calls).toHaveLength(0);
  });

  it('acks a block action with an empty 200 and sends a refusal privately without holding the ack', async () => {
    const url = await start();
    const body = blockActions();
    const queued = await post(url, body, signedHeaders(body, FORM));
    expect(queued.status).toBe(200);
    expect(queued.text).toBe('');
    expect(events[0]).toMatchObject({
      id: 'slack:1234.5678.abcdef:1700000001.000200',
      identity: 'slack:U0OPS1',
      destination: 'slack:C0SECURITY',
      input: { type: 'action', actionId: 'incident.acknowledge', value: '{"k":"inc-1"}', message: { destination: 'slack:C0SECURITY', id: '1700000000.000100' } },
    });

    script = async () => ({ outcome: 'refused', reason: 'limited', message: 'Slow down: try again in 30 s.', retryAfterSeconds: 30 });
    // The private reply's Slack call is held until the answer is in: the answer cannot have waited for it.
    const slackCall = fake.holdNext();
    const refused = await post(url, body, signedHeaders(body, FORM));
    expect(refused.status).toBe(200);
    expect(refused.text).toBe('');
    expect(fake.ephemerals).toHaveLength(0);
    slackCall.release();
    await fake.waitFor((calls) => calls.some((call) => call.method === 'chat.postEphemeral'));
    expect(fake.ephemerals[0]).toMatchObject({ channel: 'C0SECURITY', user: 'U0OPS1' });
    expect(JSON.stringify(fake.ephemerals[0]?.blocks)).toContain('try again in 30 s');
  });

  it('turns an app_mention into a command and replies to a refusal privately', async () => {
    const url = await start();
    script = async () => ({ outcome: 'refused', reason: 'usage', message: 'Unknown subcommand. Try /incident help.' });
    const body = appMention();
    const answer = await post(url, body, signedHeaders(body, JSON_TYPE));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(events).toEqual([expect.objectContaining({ id: 'slack:Ev0MENTION1', identity: 'slack:U0OPS1', input: { type: 'command', name: 'incident', text: 'list' } })]);
    await fake.waitFor((calls) => calls.some((call) => call.method === 'chat.postEphemeral'));
    expect(JSON.stringify(fake.ephemerals[0]?.blocks)).toContain('Unknown subcommand.');
  });

  it('answers url_verification with the challenge only when signed, and ssl_check with an empty 200', async () => {
    const url = await start();
    const body = JSON.stringify({ token: 'legacy', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    const signed = await post(url, body, signedHeaders(body, JSON_TYPE));
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.text)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    const unsigned = await post(url, body, { 'content-type': JSON_TYPE });
    expect(unsigned.text).not.toContain('3eZbrw1aBm2');
    expectRefused(unsigned, 401);

    const ssl = form({ ssl_check: '1', token: 'legacy' });
    const sslAnswer = await post(url, ssl, signedHeaders(ssl, FORM));
    expect(sslAnswer.status).toBe(200);
    expect(sslAnswer.text).toBe('');
  });

  it('acks payloads no listener handles with an empty 200', async () => {
    const url = await start();
    const view = form({ payload: JSON.stringify({ type: 'view_submission', user: { id: 'U0OPS1', team_id: 'T0TEST' }, team: { id: 'T0TEST' }, api_app_id: 'A0WARDEN', view: { id: 'V1', callback_id: 'x' } }) });
    const reaction = appMention('Ev0REACTION', 'reaction_added');
    for (const [body, type] of [[view, FORM], [reaction, JSON_TYPE], [JSON.stringify({ type: 'something_new' }), JSON_TYPE]] as const) {
      const answer = await post(url, body, signedHeaders(body, type));
      expect(answer.status, body).toBe(200);
      expect(answer.text).toBe('');
    }
    expect(events).toHaveLength(0);
  });

  it('refuses requests whose signature does not verify with 401, before parsing anything', async () => {
    const url = await start();
    const body = slashCommand();
    const good = signedHeaders(body, FORM);
    const variants: [string, OutgoingHttpHeaders, string | Buffer][] = [
      ['wrong secret', { ...good, 'x-slack-signature': sign(body, String(NOW_S), 'another-secret-entirely') }, body],
      ['stale by 301 s', signedHeaders(body, FORM, String(NOW_S - 301)), body],
      ['future by 301 s', signedHeaders(body, FORM, String(NOW_S + 301)), body],
      ['missing timestamp', { 'content-type': FORM, 'x-slack-signature': good['x-slack-signature'] }, body],
      ['missing signature', { 'content-type': FORM, 'x-slack-request-timestamp': String(NOW_S) }, body],
      ['non-hex signature', { ...good, 'x-slack-signature': `v0=${'z'.repeat(64)}` }, body],
      ['wrong-length signature', { ...good, 'x-slack-signature': `v0=${'ab'.repeat(31)}` }, body],
      ['duplicated signature header', { ...good, 'x-slack-signature': [good['x-slack-signature'] as string, good['x-slack-signature'] as string] }, body],
      ['duplicated timestamp header', { ...good, 'x-slack-request-timestamp': [String(NOW_S), String(NOW_S)] }, body],
      ['unsigned empty body', { 'content-type': FORM }, ''],
      ['unsigned, unsupported content type', { 'content-type': 'text/plain' }, 'hello'],
    ];
    for (const [name, headers, payload] of variants) {
      const answer = await post(url, payload, headers);
      const refusal = expectRefused(answer, 401, headers);
      expect(refusal.error, name).toBe('unauthorized');
    }

    const json = JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention' } });
    const reserialised = JSON.stringify(JSON.parse(json), null, 2);
    const answer = await post(url, reserialised, signedHeaders(json, JSON_TYPE));
    expect(expectRefused(answer, 401).message).toContain('does not match');
  });

  it('refuses signed requests it cannot read: empty, unparsable, wrong type, too large', async () => {
    const url = await start({ bodyLimitBytes: 4096 });
    expect(expectRefused(await post(url, '', signedHeaders('', FORM)), 400).error).toBe('empty_body');
    expect(expectRefused(await post(url, '{"type":', signedHeaders('{"type":', JSON_TYPE)), 400).error).toBe('invalid_payload');
    expect(expectRefused(await post(url, '[1,2]', signedHeaders('[1,2]', JSON_TYPE)), 400).error).toBe('invalid_payload');
    const badPayload = form({ payload: '{not json' });
    expect(expectRefused(await post(url, badPayload, signedHeaders(badPayload, FORM)), 400).error).toBe('invalid_payload');
    const polluted = '{"__proto__":{"admin":true},"type":"event_callback"}';
    expect(expectRefused(await post(url, polluted, signedHeaders(polluted, JSON_TYPE)), 400).error).toBe('invalid_payload');
    const text = expectRefused(await post(url, 'hello', signedHeaders('hello', 'text/plain')), 415);
    expect(text.message).toContain('application/x-www-form-urlencoded');
    const big = slashCommand({ text: 'x'.repeat(5000) });
    expect(expectRefused(await post(url, big, signedHeaders(big, FORM)), 413).error).toBe('body_too_large');
  });

  it('does not ack when accept fails: 503 so that Slack delivers again', async () => {
    const url = await start();
    script = async () => {
      throw new WardenError('store_unavailable', 'Redis is unavailable; try again', { status: 503, retryable: true });
    };
    for (const [body, type] of [[slashCommand(), FORM], [blockActions(), FORM], [appMention(), JSON_TYPE]] as const) {
      const answer = await post(url, body, signedHeaders(body, type));
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text)).toEqual({ error: 'store_unavailable', message: 'Redis is unavailable; try again' });
    }
    expect(events).toHaveLength(3);
    expect(fake.calls).toHaveLength(0);
  });

  it('answers 200 in time when a handler is slower than the ack timeout, and logs a warning', async () => {
    const url = await start({ ackTimeoutMs: 200 });
    // The handler is held until the test has its answer: however slow the machine, the answer can
    // only have come from the ack timer.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    script = async () => {
      await released;
      finished = true;
      finish();
      return { outcome: 'refused', reason: 'denied', message: 'too late to ride on the ack' };
    };
    const body = slashCommand();
    const answer = await post(url, body, signedHeaders(body, FORM));
    expect(finished).toBe(false);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.ms).toBeGreaterThanOrEqual(150);
    expect(logs.text()).toContain('did not acknowledge within 200 ms');
    release();
    await done;
    await expect.poll(() => logs.text()).toContain('late Slack acknowledgement carried a reply');
  });

  it('hands every redelivery of an event to accept with the same id (deduplication is the core’s job)', async () => {
    const url = await start();
    const body = appMention('Ev0RETRIED');
    const answers: Answer[] = [await post(url, body, signedHeaders(body, JSON_TYPE))];
    for (const retry of [1, 2, 3]) {
      answers.push(await post(url, body, { ...signedHeaders(body, JSON_TYPE), 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(events.map((event) => event.id)).toEqual(Array(4).fill('slack:Ev0RETRIED'));
  });
});
