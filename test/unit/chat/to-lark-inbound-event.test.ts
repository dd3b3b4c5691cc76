import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLarkInboundEvent } from '../../../src/chat/lark/to-lark-inbound-event.js';

const NOW = 1_760_000_000_000;
const header = (eventType: string, extra: Record<string, unknown> = {}) => ({
  event_id: '5e3702a84e847582be8db7fb73283c02',
  event_type: eventType,
  create_time: '1608725989000',
  token: 'verification-token',
  app_id: 'cli_wardentest0001',
  tenant_key: '2ca1d211f64f6438',
  ...extra,
});

function messageEnvelope(text: unknown, overrides: { messageType?: string; senderType?: string; chatId?: string; openId?: string; content?: string } = {}) {
  return {
    schema: '2.0',
    header: header('im.message.receive_v1'),
    event: {
      sender: {
        sender_id: { union_id: 'on_1', user_id: 'e33ggbyz', open_id: overrides.openId ?? 'ou_84aad35d084aa403a838cf73ee18467' },
        sender_type: overrides.senderType ?? 'user',
        tenant_key: '2ca1d211f64f6438',
      },
      message: {
        message_id: 'om_5ce6d572455d361153b7cb51da133945',
        create_time: '1609073151345',
        chat_id: overrides.chatId ?? 'oc_5ce6d572455d361153b7xx51da133945',
        chat_type: 'group',
        message_type: overrides.messageType ?? 'text',
        content: overrides.content ?? JSON.stringify({ text }),
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'Warden' }],
      },
    },
  };
}

function actionEnvelope(value: unknown, context: Record<string, unknown> = { open_message_id: 'om_x100b4f4c1e0e4d2', open_chat_id: 'oc_security' }) {
  return {
    schema: '2.0',
    header: header('card.action.trigger'),
    event: {
      operator: { tenant_key: '2ca1d211f64f6438', user_id: 'u1', open_id: 'ou_operator1', union_id: 'on_1' },
      token: 'c-card-update-token',
      action: { tag: 'button', value },
      host: 'im_message',
      context,
    },
  };
}

describe('toLarkInboundEvent: messages', () => {
  it('maps a command after a bot mention to the neutral event', () => {
    expect(toLarkInboundEvent(messageEnvelope('@_user_1 /Incident  list open '), NOW)).toEqual({
      id: 'lark:5e3702a84e847582be8db7fb73283c02',
      platform: 'lark',
      identity: 'lark:ou_84aad35d084aa403a838cf73ee18467',
      tenant: '2ca1d211f64f6438',
      appId: 'cli_wardentest0001',
      destination: 'lark:oc_5ce6d572455d361153b7xx51da133945',
      receivedAt: NOW,
      input: { type: 'command', name: 'incident', text: 'list open' },
    });
  });

  it('strips several leading mentions and @_all, keeps later mentions in the text', () => {
    const input = (text: string) => toLarkInboundEvent(messageEnvelope(text), NOW)?.input;
    expect(input('@_user_1 @_all\n /audit weekly @_user_2')).toEqual({ type: 'command', name: 'audit', text: 'weekly @_user_2' });
    expect(input('/help')).toEqual({ type: 'command', name: 'help', text: '' });
    expect(input('@_user_12/warden status')).toEqual({ type: 'command', name: 'warden', text: 'status' });
    // Not a placeholder: a literal "@_user_1x" is text, so this is no command.
    expect(input('@_user_1x /help')).toBeUndefined();
  });

  it('returns null for text that is not a command', () => {
    for (const text of ['@_user_1 hello', 'incident list', '', '   ', '@_user_1', '/', '/ help', `/${'x'.repeat(65)}`, 'a /help']) {
      expect(toLarkInboundEvent(messageEnvelope(text), NOW), JSON.stringify(text)).toBeNull();
    }
  });

  it('ignores non-text messages and unparsable content', () => {
    expect(toLarkInboundEvent(messageEnvelope('/help', { messageType: 'image' }), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope('/help', { messageType: 'post' }), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope(undefined, { content: '{"text":' }), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope(42), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope(undefined, { content: '"/help"' }), NOW)).toBeNull();
  });

  it('ignores bots and apps, and senders without a proper open_id', () => {
    expect(toLarkInboundEvent(messageEnvelope('/help', { senderType: 'app' }), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope('/help', { senderType: 'bot' }), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope('/help', { openId: 'on_union' }), NOW)).toBeNull();
    expect(toLarkInboundEvent(messageEnvelope('/help', { openId: 'ou_bad id' }), NOW)).toBeNull();
  });

  it('leaves out a destination that is not a Lark chat id', () => {
    const event = toLarkInboundEvent(messageEnvelope('/help', { chatId: 'oc_bad/../x' }), NOW);
    expect(event).not.toBeNull();
    expect(event).not.toHaveProperty('destination');
  });
});

describe('toLarkInboundEvent: card actions', () => {
  it('maps a Warden button with an object value back to the string the card set', () => {
    expect(toLarkInboundEvent(actionEnvelope({ actionId: 'incident.ack', value: { k: 'inc-1' } }), NOW)).toEqual({
      id: 'lark:5e3702a84e847582be8db7fb73283c02',
      platform: 'lark',
      identity: 'lark:ou_operator1',
      tenant: '2ca1d211f64f6438',
      appId: 'cli_wardentest0001',
      destination: 'lark:oc_security',
      receivedAt: NOW,
      input: { type: 'action', actionId: 'incident.ack', value: '{"k":"inc-1"}', message: { destination: 'lark:oc_security', id: 'om_x100b4f4c1e0e4d2' } },
    });
  });

  it('keeps a string value as is and leaves out the message when the context is missing or invalid', () => {
    const plain = toLarkInboundEvent(actionEnvelope({ actionId: 'checklist.tick', value: 'run-1:item-2' }, {}), NOW);
    expect(plain?.input).toEqual({ type: 'action', actionId: 'checklist.tick', value: 'run-1:item-2' });
    expect(plain).not.toHaveProperty('destination');
    const badMessage = toLarkInboundEvent(actionEnvelope({ actionId: 'a', value: 'v' }, { open_message_id: 'om_../x', open_chat_id: 'oc_ok' }), NOW);
    expect(badMessage?.input).toEqual({ type: 'action', actionId: 'a', value: 'v' });
    expect(badMessage?.destination).toBe('lark:oc_ok');
  });

  it('takes the tenant from the operator when the header has none', () => {
    const envelope = actionEnvelope({ actionId: 'a', value: 'v' });
    delete (envelope.header as Record<string, unknown>).tenant_key;
    expect(toLarkInboundEvent(envelope, NOW)?.tenant).toBe('2ca1d211f64f6438');
    delete (envelope.event.operator as Record<string, unknown>).tenant_key;
    expect(toLarkInboundEvent(envelope, NOW)).toBeNull();
  });

  it('returns null for values Warden did not render', () => {
    const foreign = ['incident.ack', 42, null, [], { action: 'x' }, { actionId: '', value: 'v' }, { actionId: 'a b', value: 'v' }, { actionId: 'a', value: 3 }, { actionId: 'a', value: ['x'] }, { actionId: 'a' }];
    for (const value of foreign) expect(toLarkInboundEvent(actionEnvelope(value), NOW), JSON.stringify(value)).toBeNull();
  });
});

describe('toLarkInboundEvent: envelopes', () => {
  it('returns null for malformed envelopes and unhandled event types', () => {
    const good = messageEnvelope('/help');
    const broken: unknown[] = [
      null,
      'text',
      [],
      {},
      { ...good, schema: '1.0' },
      { ...good, schema: undefined },
      { ...good, header: undefined },
      { ...good, header: { ...good.header, event_id: undefined } },
      { ...good, header: { ...good.header, event_id: 'id with spaces' } },
      { ...good, header: { ...good.header, app_id: 7 } },
      { ...good, header: { ...good.header, event_type: 'im.chat.member.bot.added_v1' } },
      { ...good, event: null },
      { ...good, event: { ...good.event, sender: undefined } },
      { ...good, event: { ...good.event, message: { ...good.event.message, content: { text: '/help' } } } },
      { uuid: 'x', token: 't', ts: '1', type: 'event_callback', event: { type: 'message', text: '/help' } },
    ];
    for (const envelope of broken) expect(toLarkInboundEvent(envelope, NOW), JSON.stringify(envelope)).toBeNull();
    expect(toLarkInboundEvent(good, NOW)).not.toBeNull();
  });

  it('never throws, whatever the JSON', () => {
    // Valid envelopes with a few fields replaced by arbitrary JSON (or removed) reach every branch.
    const paths = [
      ['schema'], ['header'], ['header', 'event_id'], ['header', 'event_type'], ['header', 'app_id'], ['header', 'tenant_key'], ['event'],
      ['event', 'sender'], ['event', 'sender', 'sender_id', 'open_id'], ['event', 'sender', 'sender_type'], ['event', 'message', 'chat_id'],
      ['event', 'message', 'message_type'], ['event', 'message', 'content'], ['event', 'operator', 'open_id'], ['event', 'action'],
      ['event', 'action', 'value'], ['event', 'action', 'value', 'actionId'], ['event', 'action', 'value', 'value'], ['event', 'context'],
      ['event', 'context', 'open_chat_id'], ['event', 'context', 'open_message_id'],
    ];
    const content = fc.oneof(fc.string(), fc.string().map((t) => JSON.stringify({ text: `@_user_1 /${t}` })), fc.json());
    const mutation = fc.tuple(fc.constantFrom(...paths), fc.option(fc.oneof(fc.jsonValue(), content), { nil: undefined }));
    const mutated = fc
      .tuple(fc.constantFrom(messageEnvelope('@_user_1 /incident list'), actionEnvelope({ actionId: 'a.b', value: { k: 1 } })), fc.array(mutation, { maxLength: 3 }))
      .map(([base, changes]) => {
        const envelope = structuredClone(base) as Record<string, unknown>;
        for (const [path, value] of changes) {
          let target: unknown = envelope;
          for (const key of path.slice(0, -1)) target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
          if (typeof target !== 'object' || target === null) continue;
          const last = path[path.length - 1]!;
          if (value === undefined) delete (target as Record<string, unknown>)[last];
          else (target as Record<string, unknown>)[last] = value;
        }
        return envelope;
      });
    let mapped = 0;
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutated, mutated, fc.anything()), (envelope) => {
        const event = toLarkInboundEvent(envelope, NOW);
        if (event !== null) {
          mapped += 1;
          expect(event.id).toMatch(/^lark:[A-Za-z0-9_.:-]{1,128}$/);
          expect(event.identity).toMatch(/^lark:ou_/);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the mapping itself, not only the early rejections.
    expect(mapped).toBeGreaterThan(0);
  });
});
