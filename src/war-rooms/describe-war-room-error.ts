import { warRoomTexts } from './war-room-texts.js';
import { isWardenError } from '../errors/warden-error.js';
import { RoomRefusedError } from '../ports/chat-room.js';

/** What failed, for the card, the timeline and the audit log: the platform's answer, what fixes it, and a code. */
export interface WarRoomProblem {
  text: string;
  fix?: string;
  code: string;
}

/**
 * Turns a chat error of a war room operation into a {@link WarRoomProblem}: a missing Slack scope
 * or Lark permission says which to add, a taken name what to rename, a workspace restriction whom
 * to ask. Messages are the adapters' (no secrets: they scrub them).
 */
export function describeWarRoomError(what: 'open' | 'invite' | 'pin' | 'archive', error: unknown): WarRoomProblem {
  const message = error instanceof Error ? error.message : String(error);
  const text = warRoomTexts.failed(what, message);
  if (!(error instanceof RoomRefusedError)) return { text, code: isWardenError(error) ? error.code : 'failed' };
  if (error.reason === 'missing_permission') {
    const permission = error.permission ?? (error.platform === 'slack' ? 'groups:write' : 'im:chat');
    return { text, code: 'missing_permission', fix: error.platform === 'slack' ? warRoomTexts.fixSlackScope(permission) : warRoomTexts.fixLarkScope(permission) };
  }
  if (error.reason === 'name_taken') return { text, code: 'name_taken', fix: warRoomTexts.fixNameTaken };
  return { text, code: 'not_allowed', fix: warRoomTexts.fixNotAllowed(error.platform) };
}

/** True for a failure another attempt may fix (the platform was unavailable or rate limited). */
export function isTransientRoomError(error: unknown): boolean {
  return isWardenError(error, 'chat_unavailable') || isWardenError(error, 'chat_rate_limited');
}
