import { isWardenError } from '../errors/warden-error.js';
import { RoomRefusedError } from '../ports/chat-room.js';
import { englishOf, textRef, type TextRef } from '../shared/messages/text-ref.js';

/**
 * What failed, for the card, the timeline and the audit log: the platform's answer, what fixes it,
 * and a code. `text` and `fix` are the English of `textRef` and `fixRef` (the card shows those in
 * its language).
 */
export interface WarRoomProblem {
  text: string;
  fix?: string;
  textRef: TextRef;
  fixRef?: TextRef;
  code: string;
}

/** A {@link WarRoomProblem} from its catalogue messages. */
export function toWarRoomProblem(code: string, text: TextRef, fix?: TextRef): WarRoomProblem {
  return { text: englishOf(text), textRef: text, code, ...(fix === undefined ? {} : { fix: englishOf(fix), fixRef: fix }) };
}

/**
 * Turns a chat error of a war room operation into a {@link WarRoomProblem}: a missing Slack scope
 * or Lark permission says which to add, a taken name what to rename, a workspace restriction whom
 * to ask. Messages are the adapters' (no secrets: they scrub them) and stay as they are.
 */
export function describeWarRoomError(what: 'open' | 'invite' | 'pin' | 'archive', error: unknown): WarRoomProblem {
  const failed = (reason: string | TextRef) => textRef(`card.warRoom.failed.${what}`, { reason });
  if (!(error instanceof RoomRefusedError)) return toWarRoomProblem(isWardenError(error) ? error.code : 'failed', failed(error instanceof Error ? error.message : String(error)));
  const text = failed(textRef('card.warRoom.reason.rejected', { platform: error.platform, detail: error.detail }));
  if (error.reason === 'missing_permission') {
    const permission = error.permission ?? (error.platform === 'slack' ? 'groups:write' : 'im:chat');
    return toWarRoomProblem('missing_permission', text, error.platform === 'slack' ? textRef('card.warRoom.fix.slackScope', { scope: permission }) : textRef('card.warRoom.fix.larkScope', { scope: permission }));
  }
  if (error.reason === 'name_taken') return toWarRoomProblem('name_taken', text, textRef('card.warRoom.fix.nameTaken'));
  return toWarRoomProblem('not_allowed', text, textRef('card.warRoom.fix.notAllowed', { platform: error.platform }));
}

/** True for a failure another attempt may fix (the platform was unavailable or rate limited). */
export function isTransientRoomError(error: unknown): boolean {
  return isWardenError(error, 'chat_unavailable') || isWardenError(error, 'chat_rate_limited');
}
