import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../cards/card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { createLarkAdapter } from '../../../src/chat/lark/create-lark-adapter.js';
import { registerLarkRoute } from '../../../src/chat/lark/register-lark-route.js';
import { createSlackAdapter } from '../../../src/chat/slack/create-slack-adapter.js';
import { registerSlackRoute } from '../../../src/chat/slack/register-slack-route.js';
import type { Config, LarkConfig, SlackConfig } from '../../../src/config/config-schema.js';
import { sendError } from '../../../src/http/send-error.js';
import type { AcceptInboundEvent } from '../../../src/inbound/acceptance.js';
import { authorizeInboundEvent } from '../../../src/inbound/authorize-inbound-event.js';
import type { ButtonHandler } from '../../../src/inbound/button-handler.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { captureLogs } from '../../support/chat-test-kit.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { postSignedLarkEvent } from '../../support/signed-lark-request.js';
import { postSignedSlackRequest } from '../../support/signed-slack-request.js';

type Json = Record<string, any>;

const slack: SlackConfig = { signingSecret: 'select-route-test-signing-secret-0123', botToken: 'xoxb-1111-2222-selectroutetest' };
const lark = {
  appId: 'cli_wardenselect0001',
  appSecret: 'lark-app-secret-select-route-test-0001',
  encryptKey: 'lark-encrypt-key-select-route-test',
  verificationToken: 'lark-verification-token-select-route',
  transport: 'http',
} satisfies LarkConfig;
const larkPerson = 'ou_84aad35d084aa403a838cf73ee18467';
const config: Pick<Config, 'slack' | 'lark' | 'access' | 'actions'> = {
  slack,
  lark,
  access: { people: {}, groups: { operators: ['slack:U0OPS1', `lark:${larkPerson}`] }, permissions: { 'checklist.tick': ['operators'] } },
  actions: {},
};

interface NotApplicable {
  run: string;
  item: string;
  why: string;
}

/** A stand-in for the checklist engineer's "N/A …" handler: the registry entry a select choice must reach. */
const notApplicable: ButtonHandler<NotApplicable> = {
  actionId: 'checklist.na',
  permission: 'checklist.tick',
  parse(value) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      const { r, i, why } = parsed as Record<string, unknown>;
      return typeof r === 'string' && typeof i === 'string' && typeof why === 'string' ? { run: r, item: i, why } : undefined;
    } catch {
      return undefined;
    }
  },
  run() {
    throw new Error('the worker side is not part of this test');
  },
};

const card: Card = {
  title: 'Weekly checklist',
  accent: 'info',
  summary: 'Weekly checklist: 1 open',
  blocks: [
    { type: 'text', text: 'Backups restored in the last 7 days' },
    {
      type: 'actions',
      buttons: [{ actionId: 'checklist.done', label: 'Done', value: '{"r":"run-1","i":"backups"}', style: 'primary' }],
      select: {
        actionId: 'checklist.na',
        placeholder: 'N/A …',
        options: [
          { label: 'Not applicable here', value: '{"r":"run-1","i":"backups","why":"not-applicable"}' },
          { label: 'Accepted risk', value: '{"r":"run-1","i":"backups","why":"accepted-risk"}' },
        ],
      },
    },
  ],
};

describe('select menu callbacks over HTTP', () => {
  let app: FastifyInstance;
  let url: string;
  let slackApi: FakeSlackApi;
  let larkApi: FakeLarkApi;
  let reached: { event: InboundEvent; value: unknown }[];
  const logs = captureLogs();

  // What the core's accept does first: look the event up in the button registry and authorize it.
  const accept: AcceptInboundEvent = async (event) => {
    const authorization = authorizeInboundEvent(config, [], [notApplicable], event);
    if (!authorization.ok) return { outcome: 'refused', reason: authorization.reason, message: authorization.message };
    if (authorization.target.type === 'button') reached.push({ event, value: authorization.target.value });
    return { outcome: 'queued' };
  };

  beforeAll(async () => {
    slackApi = await startFakeSlackApi({ botToken: slack.botToken });
    larkApi = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    app = Fastify({ logger: false });
    app.setErrorHandler((error, request, reply) => sendError(error, request, reply, logs.logger));
    registerSlackRoute(app, { slack: { ...slack, apiUrl: slackApi.url }, accept, adapter: createSlackAdapter({ botToken: slack.botToken, apiUrl: slackApi.url, logger: logs.logger }), logger: logs.logger });
    registerLarkRoute(app, { lark, accept, adapter: createLarkAdapter({ appId: lark.appId, appSecret: lark.appSecret, domain: larkApi.url, logger: logs.logger }), logger: logs.logger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await slackApi.close();
    await larkApi.close();
    for (const secret of [slack.signingSecret, slack.botToken, lark.appSecret, lark.encryptKey, lark.verificationToken]) expect(logs.text()).not.toContain(secret);
  });
  beforeEach(() => {
    reached = [];
  });

  it('Slack: a signed static_select choice from the rendered card reaches the handler with the option’s value', async () => {
    const element = (renderSlackBlocks(card).blocks as Json[]).find((block) => block['type'] === 'actions')!['elements'][1];
    const chosen = element.options[1];
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: 'U0OPS1', username: 'ops', team_id: 'T0TEST' },
        api_app_id: 'A0WARDEN',
        token: 'legacy',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY', is_ephemeral: false },
        trigger_id: '1234.5678.select',
        team: { id: 'T0TEST', domain: 'example' },
        channel: { id: 'C0SECURITY', name: 'security' },
        response_url: 'https://hooks.slack.com/actions/T0TEST/1/2',
        actions: [{ type: 'static_select', action_id: element.action_id, block_id: 'b1', selected_option: chosen, placeholder: element.placeholder, action_ts: '1700000001.000300' }],
      }),
    }).toString();
    const answer = await postSignedSlackRequest({ url, signingSecret: slack.signingSecret, body });
    expect(answer).toEqual({ status: 200, text: '' });
    expect(reached).toHaveLength(1);
    expect(reached[0]!.event.input).toEqual({
      type: 'action',
      actionId: 'checklist.na',
      value: '{"r":"run-1","i":"backups","why":"accepted-risk"}',
      message: { destination: 'slack:C0SECURITY', id: '1700000000.000100' },
    });
    expect(reached[0]!.value).toEqual({ run: 'run-1', item: 'backups', why: 'accepted-risk' });
  });

  it('Lark: a signed, encrypted select_static callback from the rendered card reaches the handler with the option’s value', async () => {
    const row = ((renderLarkCard(card) as Json)['body'].elements as Json[]).find((el) => el['tag'] === 'column_set')!;
    const element = row['columns'][1].elements[0];
    const event = {
      schema: '2.0',
      header: { event_id: 'e7a1c0ffee0000000000000000000001', token: lark.verificationToken, create_time: String(Date.now()), event_type: 'card.action.trigger', tenant_key: 'tenant0', app_id: lark.appId },
      event: {
        operator: { tenant_key: 'tenant0', open_id: larkPerson, user_id: 'u1' },
        token: 'c-callback-token',
        action: { tag: 'select_static', value: element.behaviors[0].value, option: element.options[0].value },
        host: 'im_message',
        context: { open_message_id: 'om_card1', open_chat_id: 'oc_security' },
      },
    };
    const answer = await postSignedLarkEvent({ url, encryptKey: lark.encryptKey, event });
    expect(answer.status).toBe(200);
    expect(reached).toHaveLength(1);
    expect(reached[0]!.event.input).toEqual({
      type: 'action',
      actionId: 'checklist.na',
      value: '{"r":"run-1","i":"backups","why":"not-applicable"}',
      message: { destination: 'lark:oc_security', id: 'om_card1' },
    });
    expect(reached[0]!.value).toEqual({ run: 'run-1', item: 'backups', why: 'not-applicable' });
  });

  it('ignores a signed choice it cannot read: nothing reaches the registry, the platform still gets 200', async () => {
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: 'U0OPS1', team_id: 'T0TEST' },
        api_app_id: 'A0WARDEN',
        trigger_id: '1234.5678.deselect',
        team: { id: 'T0TEST' },
        channel: { id: 'C0SECURITY' },
        actions: [{ type: 'static_select', action_id: 'checklist.na', selected_option: null, action_ts: '1700000001.000400' }],
      }),
    }).toString();
    expect((await postSignedSlackRequest({ url, signingSecret: slack.signingSecret, body })).status).toBe(200);
    const event = {
      schema: '2.0',
      header: { event_id: 'e7a1c0ffee0000000000000000000002', token: lark.verificationToken, create_time: String(Date.now()), event_type: 'card.action.trigger', tenant_key: 'tenant0', app_id: lark.appId },
      event: { operator: { tenant_key: 'tenant0', open_id: larkPerson }, action: { tag: 'select_static', value: { actionId: 'checklist.na' } }, context: { open_chat_id: 'oc_security' } },
    };
    expect((await postSignedLarkEvent({ url, encryptKey: lark.encryptKey, event })).status).toBe(200);
    expect(reached).toHaveLength(0);
  });
});
