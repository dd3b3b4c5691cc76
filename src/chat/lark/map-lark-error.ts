import { ChatMessageGoneError, ChatRateLimitedError, chatRejected, chatUnavailable, type MessageGoneReason } from '../../ports/chat-errors.js';
import { WardenError } from '../../errors/warden-error.js';
import { LarkApiError } from './lark-api-error.js';

/**
 * Frequency-limit codes: 99991400 is the gateway limit (HTTP 429, or 400 on older APIs), 230020 the
 * per-chat send limit. https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
 */
const rateLimitCodes = new Set([99991400, 230020, 11232]);

/**
 * The platform refused the tenant access token itself (missing, invalid, expired). The adapter drops
 * its cached token on these, so the next attempt fetches a fresh one: retryable, not a rejection.
 */
export const tokenRefusedCodes: ReadonlySet<number> = new Set([99991661, 99991663, 99991668, 99991677]);

/** The operation name the adapter gives a card patch (`PATCH /open-apis/im/v1/messages/:message_id`). */
export const UPDATE_MESSAGE = 'update message';

/**
 * Patch answers that mean the card's message can no longer be patched, so the card must be sent
 * anew. From the patch API's error table (open.feishu.cn/document/server-docs/im-v1/message-card/patch):
 * 230011 "The message is recalled.", 230031 "Message can only be modified within 14 days after
 * sending."; 230110 is what Lark's other message APIs answer for a deleted message ("Action
 * unavailable as the message has been deleted.").
 */
const messageGoneCodes: ReadonlyMap<number, MessageGoneReason> = new Map([
  [230011, 'deleted'],
  [230110, 'deleted'],
  [230031, 'not_editable'],
]);

/** Lark's own "internal error, try again" codes. */
const transientCodes = new Set([1500, 1503]);

const defaultRetryAfterMs = 1000;

/**
 * Turns what the Lark SDK call threw into Warden's chat error vocabulary: 429 / frequency-limit codes
 * become `ChatRateLimitedError`, 5xx and network failures `chat_unavailable`, a patch of a recalled,
 * deleted or too old message `ChatMessageGoneError`, every other refusal (bad credentials, bot not
 * in the chat, unknown chat or message, missing permission, bad card) `chat_rejected`. Messages
 * hold only what {@link LarkApiError} holds: no secrets, no tokens.
 */
export function mapLarkError(error: unknown, operation: string): WardenError {
  if (error instanceof WardenError) return error;
  if (!(error instanceof LarkApiError)) {
    // Only the SDK's own validation can get here; its messages name fields, not values.
    const message = error instanceof Error ? error.message : String(error);
    return chatUnavailable('lark', `${operation}: ${message.replace(/\b[tau]-[A-Za-z0-9_.-]{16,}/g, '[redacted]').slice(0, 200)}`);
  }
  const reason = `${operation}: ${error.message}`;
  if (error.status === undefined) return chatUnavailable('lark', reason, error.cause);
  if (error.status === 429 || (error.code !== undefined && rateLimitCodes.has(error.code))) {
    return new ChatRateLimitedError('lark', error.retryAfterMs ?? defaultRetryAfterMs);
  }
  if (error.code !== undefined && tokenRefusedCodes.has(error.code)) return chatUnavailable('lark', `${reason} (tenant token dropped; the next attempt fetches a new one)`);
  if (error.status >= 500 || error.status === 408 || (error.code !== undefined && transientCodes.has(error.code))) return chatUnavailable('lark', reason);
  const gone = operation === UPDATE_MESSAGE && error.code !== undefined ? messageGoneCodes.get(error.code) : undefined;
  if (gone !== undefined) return new ChatMessageGoneError('lark', gone, reason);
  return chatRejected('lark', reason);
}
