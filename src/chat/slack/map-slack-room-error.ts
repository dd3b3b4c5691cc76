import { webApi } from '@slack/bolt';
import { RoomRefusedError } from '../../ports/chat-room.js';
import type { WardenError } from '../../errors/warden-error.js';
import { mapSlackError } from './map-slack-error.js';

/**
 * The scope each room method needs when Slack's `missing_scope` answer does not say (it normally
 * does, in `needed`): https://docs.slack.dev/reference/methods/conversations.create (`groups:write`
 * for private channels, `channels:manage` for public ones), conversations.invite, pins.add
 * (`pins:write`), conversations.archive.
 */
const defaultScopes: Record<string, (isPrivate: boolean) => string> = {
  'conversations.create': (isPrivate) => (isPrivate ? 'groups:write' : 'channels:manage'),
  'conversations.invite': (isPrivate) => (isPrivate ? 'groups:write' : 'channels:manage'),
  'conversations.archive': (isPrivate) => (isPrivate ? 'groups:write' : 'channels:manage'),
  'pins.add': () => 'pins:write',
  'users.conversations': (isPrivate) => (isPrivate ? 'groups:read' : 'channels:read'),
};

/** Answers a person fixes in the workspace's settings, not in Warden's app: https://docs.slack.dev/reference/methods/conversations.create#errors */
const notAllowedErrors = new Set(['restricted_action', 'restricted_action_read_only_channel', 'restricted_action_non_threadable_channel', 'restricted_action_thread_only_channel', 'team_access_not_granted']);

/**
 * Slack's answers to room methods: `missing_scope` (with the scope Slack names in `needed`),
 * `name_taken` and workspace restrictions become a {@link RoomRefusedError}; everything else maps
 * as every Slack error does.
 */
export function mapSlackRoomError(error: unknown, method: string, isPrivate: boolean, secrets: readonly string[]): WardenError {
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error);
    if (code === 'missing_scope') {
      const needed = (error.data as { needed?: unknown }).needed;
      const scope = typeof needed === 'string' && /^[a-z:._,-]{1,200}$/.test(needed) ? needed : defaultScopes[method]?.(isPrivate);
      return new RoomRefusedError('slack', 'missing_permission', `${method}: missing_scope${scope ? ` (needs ${scope})` : ''}`, scope);
    }
    if (code === 'name_taken') return new RoomRefusedError('slack', 'name_taken', `${method}: name_taken`);
    if (notAllowedErrors.has(code)) return new RoomRefusedError('slack', 'not_allowed', `${method}: ${code}`);
  }
  return mapSlackError(error, method, secrets);
}
