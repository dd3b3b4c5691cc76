import { z } from 'zod';
import type { Destination } from '../../config/config-schema.js';
import type { InboundEvent, InboundInput } from '../../model/inbound-event.js';
import { parseSlackMessageCommand } from './parse-slack-message-command.js';

// The payload is signed by Slack but still untrusted input: every field Warden keeps is checked
// against the shape Slack documents, and ids must be safe to use in Redis keys and job ids.
const userId = z.string().regex(/^[UW][A-Z0-9]{2,32}$/);
const workspaceId = z.string().regex(/^[TE][A-Z0-9]{2,32}$/);
const appId = z.string().regex(/^A[A-Z0-9]{2,32}$/);
const deliveryId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
// Slack advises keeping message text under 4000 characters; a command is far shorter.
const commandText = z.string().max(4000);
const CHANNEL = /^[CGD][A-Z0-9]{1,31}$/;
const MESSAGE_TS = /^\d{1,12}\.\d{1,9}$/;
const COMMAND_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/** https://docs.slack.dev/interactivity/implementing-slash-commands */
const slashCommandSchema = z.looseObject({
  command: z.string().max(64),
  text: commandText.optional(),
  user_id: userId,
  team_id: workspaceId,
  api_app_id: appId,
  channel_id: z.unknown().optional(),
  trigger_id: deliveryId,
});

/** https://docs.slack.dev/reference/interaction-payloads/block_actions-payload */
const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: userId, team_id: z.unknown().optional() }),
  team: z.looseObject({ id: z.unknown().optional() }).nullish(),
  api_app_id: appId,
  trigger_id: deliveryId,
  channel: z.looseObject({ id: z.unknown().optional() }).nullish(),
  container: z.looseObject({ channel_id: z.unknown().optional(), message_ts: z.unknown().optional() }).nullish(),
  actions: z.array(z.unknown()).min(1).max(25),
});

/** One element of `actions`; Block Kit caps `action_id` at 255 characters and `value` at 2000. */
const actionSchema = z.looseObject({
  action_id: z.string().min(1).max(255),
  type: z.unknown().optional(),
  value: z.string().max(2000).optional(),
  selected_option: z.unknown().optional(),
  action_ts: deliveryId,
});

/** A `static_select` action's choice, bounded like a button value (Slack itself sends at most 150 characters). */
const selectedOptionSchema = z.looseObject({ value: z.string().min(1).max(2000) });

/** https://docs.slack.dev/apis/events-api/ */
const eventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  team_id: workspaceId,
  api_app_id: appId,
  event_id: deliveryId,
  event: z.looseObject({
    type: z.string(),
    user: z.unknown().optional(),
    text: z.unknown().optional(),
    channel: z.unknown().optional(),
    channel_type: z.unknown().optional(),
    subtype: z.unknown().optional(),
    bot_id: z.unknown().optional(),
  }),
});

type Envelope = Omit<InboundEvent, 'input' | 'id'>;

/**
 * Maps one parsed Slack payload to Warden's neutral {@link InboundEvent}s: a slash command, a
 * `block_actions` interaction (one event per action; a `static_select` choice is an action whose
 * value is the chosen option's value, like a button click) or an Events API `app_mention` / direct
 * message that holds a command (`<@U0BOT> /incident list`). Anything else — other payload types,
 * bot messages, edits, chatter without a command, malformed fields — is null. Pure and total: it
 * never throws, whatever `body` is.
 */
export function toSlackInboundEvent(body: unknown, receivedAt: number): InboundEvent[] | null {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const record = body as Record<string, unknown>;
    if (typeof record.command === 'string') return fromSlashCommand(record, receivedAt);
    if (record.type === 'block_actions') return fromBlockActions(record, receivedAt);
    if (record.type === 'event_callback') return fromEventCallback(record, receivedAt);
    return null;
  } catch {
    // Validation is schema-based and should not throw; an exotic object (a throwing getter) must
    // still end as "not handled" rather than a 500 for a request Slack signed.
    return null;
  }
}

function fromSlashCommand(body: Record<string, unknown>, receivedAt: number): InboundEvent[] | null {
  const parsed = slashCommandSchema.safeParse(body);
  if (!parsed.success) return null;
  const command = parsed.data;
  const input = toCommandInput(command.command, command.text ?? '');
  if (input === null) return null;
  const envelope = toEnvelope(command.user_id, command.team_id, command.api_app_id, command.channel_id, receivedAt);
  return [{ id: `slack:${command.trigger_id}`, ...envelope, input }];
}

function fromBlockActions(body: Record<string, unknown>, receivedAt: number): InboundEvent[] | null {
  const parsed = blockActionsSchema.safeParse(body);
  if (!parsed.success) return null;
  const payload = parsed.data;
  // `team` is null for org-wide installs; `user.team_id` is the person's home workspace, which in a
  // Slack Connect channel is not the one the card lives in, so `team.id` comes first.
  const tenant = workspaceId.safeParse(payload.team?.id ?? payload.user.team_id);
  if (!tenant.success) return null;
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  const envelope = toEnvelope(payload.user.id, tenant.data, payload.api_app_id, channel, receivedAt);
  const messageTs = payload.container?.message_ts;
  const message =
    envelope.destination !== undefined && typeof messageTs === 'string' && MESSAGE_TS.test(messageTs)
      ? { destination: envelope.destination, id: messageTs }
      : undefined;

  const events: InboundEvent[] = [];
  for (const candidate of payload.actions) {
    const action = actionSchema.safeParse(candidate);
    if (!action.success) continue;
    const value = toActionValue(action.data);
    if (value === undefined) continue;
    const input: InboundInput = { type: 'action', actionId: action.data.action_id, value };
    if (message !== undefined) input.message = message;
    events.push({ id: `slack:${payload.trigger_id}:${action.data.action_ts}`, ...envelope, input });
  }
  return events.length > 0 ? events : null;
}

/**
 * What the core gets as the action's value: a button's `value`, or the chosen option's value for a
 * `static_select` (undefined when there is none, e.g. a deselection).
 */
function toActionValue(action: z.output<typeof actionSchema>): string | undefined {
  if (action.type !== 'static_select') return action.value ?? '';
  // block_actions payload: a static_select carries no `value` of its own; the choice is
  // `selected_option: { text, value }`, and null when the option was deselected.
  // https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
  const option = selectedOptionSchema.safeParse(action.selected_option);
  return option.success ? option.data.value : undefined;
}

function fromEventCallback(body: Record<string, unknown>, receivedAt: number): InboundEvent[] | null {
  const parsed = eventCallbackSchema.safeParse(body);
  if (!parsed.success) return null;
  const { event } = parsed.data;
  const addressed = event.type === 'app_mention' || (event.type === 'message' && event.channel_type === 'im');
  // Bot messages (Warden's own included) and subtypes (edits, joins, deletions) are not commands;
  // answering them could loop or act twice on one command.
  if (!addressed || event.bot_id !== undefined || event.subtype !== undefined) return null;
  const user = userId.safeParse(event.user);
  if (!user.success || typeof event.text !== 'string' || event.text.length > 4000) return null;
  const found = parseSlackMessageCommand(event.text);
  if (found === null) return null;
  const input = toCommandInput(found.command, found.text);
  if (input === null) return null;
  const envelope = toEnvelope(user.data, parsed.data.team_id, parsed.data.api_app_id, event.channel, receivedAt);
  return [{ id: `slack:${parsed.data.event_id}`, ...envelope, input }];
}

/** `/Incident` → `incident`; null when what follows the slash is not a plain command name. */
function toCommandInput(command: string, text: string): InboundInput | null {
  if (!command.startsWith('/')) return null;
  const name = command.slice(1).toLowerCase();
  if (!COMMAND_NAME.test(name)) return null;
  return { type: 'command', name, text: unescapeSlackText(text).trim() };
}

function toEnvelope(user: string, tenant: string, app: string, channel: unknown, receivedAt: number): Envelope {
  const envelope: Envelope = { platform: 'slack', identity: `slack:${user}`, tenant, appId: app, receivedAt };
  const destination = toDestination(channel);
  if (destination !== undefined) envelope.destination = destination;
  return envelope;
}

function toDestination(channel: unknown): Destination | undefined {
  return typeof channel === 'string' && CHANNEL.test(channel) ? `slack:${channel}` : undefined;
}

// Slack escapes &, < and > in command and message text as HTML entities; what was typed is the
// text with only these three decoded (&amp; last, so "&amp;lt;" stays "&lt;").
// https://docs.slack.dev/messaging/formatting-message-text#escaping
function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
