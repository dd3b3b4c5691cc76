import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { destinationSchema, identitySchema } from '../../../src/config/config-schema.js';
import { parseSlackMessageCommand } from '../../../src/chat/slack/parse-slack-message-command.js';
import { toSlackInboundEvent } from '../../../src/chat/slack/to-slack-inbound-event.js';

const AT = 1_700_000_000_000;

function slashCommand(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEST',
    team_domain: 'example',
    channel_id: 'C0SECURITY',
    channel_name: 'security',
    user_id: 'U0OPS1',
    user_name: 'ops',
    command: '/Incident',
    text: '  list open  ',
    api_app_id: 'A0WARDEN',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0TEST/1/secret',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...overrides,
  };
}

function blockActions(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: 'U0OPS1', username: 'ops', team_id: 'T0HOME' },
    api_app_id: 'A0WARDEN',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SECURITY', is_ephemeral: false },
    trigger_id: '1234.5678.abcdef',
    team: { id: 'T0TEST', domain: 'example' },
    channel: { id: 'C0SECURITY', name: 'security' },
    response_url: 'https://hooks.slack.com/actions/T0TEST/1/secret',
    actions: [{ action_id: 'incident.acknowledge', block_id: 'b1', type: 'button', value: '{"k":"inc-1"}', action_ts: '1700000001.000200' }],
    ...overrides,
  };
}

function eventCallback(event: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0WARDEN',
    event: { user: 'U0OPS1', ts: '1700000002.000300', channel: 'C0SECURITY', event_ts: '1700000002.000300', ...event },
    type: 'event_callback',
    event_id: 'Ev0MENTION1',
    event_time: 1700000002,
    ...overrides,
  };
}

describe('toSlackInboundEvent', () => {
  it('maps a slash command: name without slash and lowercased, text trimmed, no secrets kept', () => {
    const events = toSlackInboundEvent(slashCommand(), AT);
    expect(events).toEqual([
      {
        id: 'slack:13345224609.738474920.8088930838d88f008e0',
        platform: 'slack',
        identity: 'slack:U0OPS1',
        tenant: 'T0TEST',
        appId: 'A0WARDEN',
        destination: 'slack:C0SECURITY',
        receivedAt: AT,
        input: { type: 'command', name: 'incident', text: 'list open' },
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/secret|legacy-verification-token|hooks\.slack\.com/);
  });

  it('maps a slash command without text and leaves a destination that is not a channel undefined', () => {
    const [event] = toSlackInboundEvent(slashCommand({ text: undefined, channel_id: 'c0-lower' }), AT) ?? [];
    expect(event?.input).toEqual({ type: 'command', name: 'incident', text: '' });
    expect(event).not.toHaveProperty('destination');
    expect(toSlackInboundEvent(slashCommand({ channel_id: 'D0DIRECT' }), AT)?.[0]?.destination).toBe('slack:D0DIRECT');
    expect(toSlackInboundEvent(slashCommand({ channel_id: 'X0OTHER' }), AT)?.[0]?.destination).toBeUndefined();
  });

  it('maps block_actions to one event per action with the card it came from', () => {
    const second = { action_id: 'checklist.tick', type: 'button', action_ts: '1700000001.000300' };
    const events = toSlackInboundEvent(blockActions({ actions: [blockActions().actions, second].flat() }), AT);
    expect(events).toEqual([
      {
        id: 'slack:1234.5678.abcdef:1700000001.000200',
        platform: 'slack',
        identity: 'slack:U0OPS1',
        tenant: 'T0TEST',
        appId: 'A0WARDEN',
        destination: 'slack:C0SECURITY',
        receivedAt: AT,
        input: { type: 'action', actionId: 'incident.acknowledge', value: '{"k":"inc-1"}', message: { destination: 'slack:C0SECURITY', id: '1700000000.000100' } },
      },
      expect.objectContaining({ id: 'slack:1234.5678.abcdef:1700000001.000300', input: expect.objectContaining({ actionId: 'checklist.tick', value: '' }) }),
    ]);
  });

  it('takes the channel from the container and the workspace from the user when Slack leaves them out', () => {
    const [event] = toSlackInboundEvent(blockActions({ channel: undefined, team: null }), AT) ?? [];
    expect(event).toMatchObject({ tenant: 'T0HOME', destination: 'slack:C0SECURITY' });
    const [inModal] = toSlackInboundEvent(blockActions({ channel: undefined, container: { type: 'view', view_id: 'V1' } }), AT) ?? [];
    expect(inModal).not.toHaveProperty('destination');
    expect(inModal?.input).not.toHaveProperty('message');
  });

  it('maps an app_mention holding a command, with or without the mention', () => {
    const [mention] = toSlackInboundEvent(eventCallback({ type: 'app_mention', text: '<@U0WARDEN> /incident   list  ' }), AT) ?? [];
    expect(mention).toEqual({
      id: 'slack:Ev0MENTION1',
      platform: 'slack',
      identity: 'slack:U0OPS1',
      tenant: 'T0TEST',
      appId: 'A0WARDEN',
      destination: 'slack:C0SECURITY',
      receivedAt: AT,
      input: { type: 'command', name: 'incident', text: 'list' },
    });
    const [named] = toSlackInboundEvent(eventCallback({ type: 'app_mention', text: '<@U0WARDEN|warden> /AUDIT weekly\nnow' }), AT) ?? [];
    expect(named?.input).toEqual({ type: 'command', name: 'audit', text: 'weekly\nnow' });
  });

  it('maps a direct message holding a command, and only direct messages', () => {
    const [direct] = toSlackInboundEvent(eventCallback({ type: 'message', channel_type: 'im', channel: 'D0DIRECT', text: '/help' }), AT) ?? [];
    expect(direct).toMatchObject({ destination: 'slack:D0DIRECT', input: { type: 'command', name: 'help', text: '' } });
    expect(toSlackInboundEvent(eventCallback({ type: 'message', channel_type: 'channel', text: '/help' }), AT)).toBeNull();
  });

  it('ignores bot messages, subtypes, chatter and payload types Warden does not handle', () => {
    const ignored: unknown[] = [
      eventCallback({ type: 'app_mention', text: '<@U0WARDEN> hello there' }),
      eventCallback({ type: 'app_mention', text: 'hey <@U0WARDEN> /incident list' }),
      eventCallback({ type: 'app_mention', text: '<@U0WARDEN> /' }),
      eventCallback({ type: 'message', channel_type: 'im', text: '/incident', bot_id: 'B0WARDEN' }),
      eventCallback({ type: 'message', channel_type: 'im', text: '/incident', subtype: 'message_changed' }),
      eventCallback({ type: 'reaction_added', text: '/incident' }),
      eventCallback({ type: 'app_mention', text: '<@U0WARDEN> /inci<dent' }),
      { type: 'url_verification', challenge: 'x' },
      { type: 'view_submission', user: { id: 'U0OPS1' } },
      { type: 'shortcut', callback_id: 'x' },
      blockActions({ actions: [] }),
    ];
    for (const body of ignored) expect(toSlackInboundEvent(body, AT)).toBeNull();
  });

  it('refuses malformed fields instead of passing them on', () => {
    const malformed: unknown[] = [
      null,
      'command=/incident',
      [slashCommand()],
      slashCommand({ user_id: 'slack:U0OPS1' }),
      slashCommand({ user_id: 'u0ops1' }),
      slashCommand({ team_id: undefined }),
      slashCommand({ api_app_id: 'not-an-app' }),
      slashCommand({ trigger_id: 'has spaces' }),
      slashCommand({ trigger_id: undefined }),
      slashCommand({ command: 'incident' }),
      slashCommand({ command: '/in cident' }),
      slashCommand({ command: '/' }),
      slashCommand({ text: 42 }),
      slashCommand({ text: 'x'.repeat(4001) }),
      blockActions({ user: { id: 'U0OPS1' }, team: null }),
      blockActions({ trigger_id: '../../etc' }),
      blockActions({ actions: [{ action_id: 'a', action_ts: 'x y' }] }),
      blockActions({ actions: [{ action_id: 'a', value: 'v'.repeat(2001), action_ts: '1.2' }] }),
      blockActions({ actions: 'incident.ack' }),
      eventCallback({ type: 'app_mention', text: '<@U0WARDEN> /incident', user: undefined }),
      eventCallback({ type: 'app_mention', text: 7 }),
      eventCallback({ type: 'app_mention', text: '/incident' }, { event_id: undefined }),
    ];
    for (const body of malformed) expect(toSlackInboundEvent(body, AT)).toBeNull();
  });

  it('never throws and only ever produces well-formed events, whatever the JSON', () => {
    const idPattern = /^slack:[A-Za-z0-9._:-]+$/;
    const shaped = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom('command', 'text', 'user_id', 'team_id', 'api_app_id', 'channel_id', 'trigger_id', 'type'), fc.oneof(fc.string(), fc.jsonValue())),
      fc.record({ command: fc.string(), text: fc.string(), user_id: fc.string(), team_id: fc.constant('T0TEST'), api_app_id: fc.constant('A0WARDEN'), channel_id: fc.string(), trigger_id: fc.string() }),
      fc.record({ type: fc.constant('event_callback'), team_id: fc.constant('T0TEST'), api_app_id: fc.constant('A0WARDEN'), event_id: fc.string(), event: fc.record({ type: fc.constantFrom('app_mention', 'message'), channel_type: fc.constant('im'), user: fc.constant('U0OPS1'), text: fc.string(), channel: fc.string() }) }),
      fc.record({ type: fc.constant('block_actions'), user: fc.record({ id: fc.string(), team_id: fc.string() }), api_app_id: fc.constant('A0WARDEN'), trigger_id: fc.string(), actions: fc.array(fc.jsonValue()) }),
    );
    fc.assert(
      fc.property(shaped, (body) => {
        const events = toSlackInboundEvent(body, AT);
        if (events === null) return;
        expect(events.length).toBeGreaterThan(0);
        for (const event of events) {
          expect(event.id).toMatch(idPattern);
          expect(identitySchema.safeParse(event.identity).success).toBe(true);
          if (event.destination !== undefined) expect(destinationSchema.safeParse(event.destination).success).toBe(true);
          if (event.input.type === 'command') expect(event.input.name).toMatch(/^[a-z0-9][a-z0-9._-]{0,31}$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseSlackMessageCommand', () => {
  it('removes one leading mention and splits the command from its text', () => {
    expect(parseSlackMessageCommand('<@U0BOT> /incident list')).toEqual({ command: '/incident', text: 'list' });
    expect(parseSlackMessageCommand('  /audit   weekly  ')).toEqual({ command: '/audit', text: 'weekly' });
    expect(parseSlackMessageCommand('<@U0BOT> <@U0BOT> /incident')).toBeNull();
    expect(parseSlackMessageCommand('<@U0BOT>')).toBeNull();
    expect(parseSlackMessageCommand('incident list')).toBeNull();
  });
});

describe('toSlackInboundEvent: escaped text', () => {
  it('decodes the three entities Slack escapes in command text, once', () => {
    const events = toSlackInboundEvent(
      { command: '/incident', text: 'note inc-0123456789ab a &lt;b&gt; &amp; c &amp;lt;', user_id: 'U0OPS1', team_id: 'T0TEST', api_app_id: 'A0WARDEN', channel_id: 'C0SECURITY', trigger_id: '13345224609.738474920.8088930838d88f008e0' },
      0,
    );
    expect(events?.[0]?.input).toEqual({ type: 'command', name: 'incident', text: 'note inc-0123456789ab a <b> & c &lt;' });
  });
});
