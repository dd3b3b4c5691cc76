import { z } from 'zod';
import type { Destination } from '../../config/config-schema.js';
import type { InboundEvent, InboundInput } from '../../model/inbound-event.js';
import type { MessageRef } from '../../model/message-ref.js';

const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,64}$/;
const CHAT_ID = /^oc_[A-Za-z0-9_-]{1,64}$/;
const MESSAGE_ID = /^om_[A-Za-z0-9_-]{1,128}$/;
const ID_TEXT = /^[A-Za-z0-9_.:-]{1,128}$/;
const ACTION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
// Slack bounds an action value at 2000 characters; a Lark option is held to the same bound.
const OPTION_MAX = 2000;
const COMMAND_NAME_MAX = 64;
const LEADING_MENTIONS = /^(?:\s*@_(?:user_\d+|all)(?![A-Za-z0-9_]))*\s*/;

const idText = z.string().regex(ID_TEXT);

const headerSchema = z.looseObject({
  event_id: idText,
  event_type: z.string(),
  tenant_key: z.string().optional(),
  app_id: idText,
});

const envelopeSchema = z.looseObject({ schema: z.literal('2.0'), header: headerSchema, event: z.looseObject({}) });

const messageEventSchema = z.looseObject({
  sender: z.looseObject({
    sender_id: z.looseObject({ open_id: z.string() }),
    sender_type: z.string(),
    tenant_key: z.string().optional(),
  }),
  message: z.looseObject({
    chat_id: z.string().optional(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(z.looseObject({ key: z.string(), id: z.looseObject({ open_id: z.string().optional() }) })).optional(),
  }),
});

const textContentSchema = z.looseObject({ text: z.string() });

const actionEventSchema = z.looseObject({
  operator: z.looseObject({ open_id: z.string(), tenant_key: z.string().optional() }),
  action: z.looseObject({ value: z.unknown(), option: z.unknown().optional() }),
  context: z.looseObject({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});

// What cards/render-lark-card.ts puts in a button's callback behaviour (LarkButtonValue).
const buttonValueSchema = z.looseObject({
  actionId: z.string().regex(ACTION_ID),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

// What cards/render-lark-card.ts puts in a select menu's callback behaviour (LarkSelectValue): no
// `value`, because the chosen option's value arrives beside it as `action.option`.
const selectValueSchema = z.looseObject({ actionId: z.string().regex(ACTION_ID), value: z.undefined().optional() });
const optionSchema = z.string().min(1).max(OPTION_MAX);

/**
 * Maps one decrypted, verified Lark event body (schema 2.0) to Warden's neutral {@link InboundEvent},
 * or null when Warden does not handle it: another event type, a non-text or non-command message, a
 * message from a bot, a button or select Warden did not render, or any shape it does not recognise.
 * A select menu choice becomes an action whose value is the chosen option's value, like a click.
 * Pure and total: it never throws, whatever `envelope` is.
 */
export function toLarkInboundEvent(envelope: unknown, receivedAt: number): InboundEvent | null {
  try {
    const parsed = envelopeSchema.safeParse(envelope);
    if (!parsed.success) return null;
    const { header, event } = parsed.data;
    switch (header.event_type) {
      case 'im.message.receive_v1':
        return fromMessage(header, event, receivedAt);
      case 'card.action.trigger':
        return fromCardAction(header, event, receivedAt);
      default:
        return null;
    }
  } catch {
    // safeParse never throws and parseCommand catches JSON.parse; this keeps the no-throw promise
    // even if exotic input (getters, proxies) or a later change breaks that.
    return null;
  }
}

type Header = z.output<typeof headerSchema>;

function fromMessage(header: Header, raw: unknown, receivedAt: number): InboundEvent | null {
  const parsed = messageEventSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { sender, message } = parsed.data;
  // "Receive message im.message.receive_v1": sender_type is `user` for people; bots and apps
  // (including Warden itself) must never be able to issue commands.
  if (sender.sender_type !== 'user' || message.message_type !== 'text') return null;
  const input = parseCommand(message.content, message.mentions ?? []);
  if (input === null) return null;
  return build(header, sender.sender_id.open_id, sender.tenant_key, toDestination(message.chat_id), input, receivedAt);
}

function fromCardAction(header: Header, raw: unknown, receivedAt: number): InboundEvent | null {
  const parsed = actionEventSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { operator, action, context } = parsed.data;
  const clicked = toClickedAction(action);
  if (clicked === null) return null;
  const destination = toDestination(context?.open_chat_id);
  const messageId = context?.open_message_id;
  const message: MessageRef | undefined =
    destination !== undefined && messageId !== undefined && MESSAGE_ID.test(messageId) ? { destination, id: messageId } : undefined;
  const input: InboundInput = { type: 'action', ...clicked, ...(message === undefined ? {} : { message }) };
  return build(header, operator.open_id, operator.tenant_key, destination, input, receivedAt);
}

/**
 * The action id and value of a Warden button or select menu, or null for anything Warden did not
 * render. "Card callback (card.action.trigger)": `action.value` is the callback behaviour's value
 * exactly as the card set it, and a select_static choice adds the chosen option's value as
 * `action.option` (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication).
 */
function toClickedAction(action: z.output<typeof actionEventSchema>['action']): { actionId: string; value: string } | null {
  const button = buttonValueSchema.safeParse(action.value);
  if (button.success) {
    // The renderer turned a JSON-object button value into an object; give the core the string back.
    const value = typeof button.data.value === 'string' ? button.data.value : JSON.stringify(button.data.value);
    return { actionId: button.data.actionId, value };
  }
  const select = selectValueSchema.safeParse(action.value);
  const option = optionSchema.safeParse(action.option);
  return select.success && option.success ? { actionId: select.data.actionId, value: option.data } : null;
}

function build(
  header: Header,
  openId: string,
  fallbackTenant: string | undefined,
  destination: Destination | undefined,
  input: InboundInput,
  receivedAt: number,
): InboundEvent | null {
  if (!OPEN_ID.test(openId)) return null;
  const tenant = [header.tenant_key, fallbackTenant].find((key) => key !== undefined && ID_TEXT.test(key));
  if (tenant === undefined) return null;
  return {
    // header.event_id stays the same on every push of one event, so it is the dedupe id.
    id: `lark:${header.event_id}`,
    platform: 'lark',
    identity: `lark:${openId}`,
    tenant,
    appId: header.app_id,
    ...(destination === undefined ? {} : { destination }),
    receivedAt,
    input,
  };
}

/** `/name rest` after any leading mention placeholders, or null when the text is not a command. */
function parseCommand(content: string, mentions: readonly { key: string; id: { open_id?: string | undefined } }[]): InboundInput | null {
  let text: string;
  try {
    const parsed = textContentSchema.safeParse(JSON.parse(content));
    if (!parsed.success) return null;
    text = parsed.data.text;
  } catch {
    return null;
  }
  // "Receive message im.message.receive_v1": mentions appear in text as @_user_1, @_user_2 … (and
  // @_all); "@Warden /incident list" arrives as "@_user_1 /incident list".
  const rest = text.replace(LEADING_MENTIONS, '');
  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(rest);
  const name = match?.[1];
  if (name === undefined || name.length > COMMAND_NAME_MAX) return null;
  return { type: 'command', name: name.toLowerCase(), text: resolveMentions((match?.[2] ?? '').trim(), mentions) };
}

// A person mentioned in the arguments (`/incident lead inc-… @_user_2`) becomes their identity.
function resolveMentions(text: string, mentions: readonly { key: string; id: { open_id?: string | undefined } }[]): string {
  return text.replace(/@_user_\d+(?![A-Za-z0-9_])/g, (placeholder) => {
    const openId = mentions.find((mention) => mention.key === placeholder)?.id.open_id;
    return openId !== undefined && OPEN_ID.test(openId) ? `lark:${openId}` : placeholder;
  });
}

function toDestination(chatId: string | undefined): Destination | undefined {
  return chatId !== undefined && CHAT_ID.test(chatId) ? `lark:${chatId}` : undefined;
}
