import { WardenError } from '../errors/warden-error.js';

/** The platform said 429 (or its equivalent): wait `retryAfterMs`, then try again; not a failed attempt. */
export class ChatRateLimitedError extends WardenError {
  readonly retryAfterMs: number;
  constructor(platform: string, retryAfterMs: number) {
    super('chat_rate_limited', `${platform} rate limited the request; retry after ${retryAfterMs} ms`);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Why a posted card's message cannot be updated in place: it was deleted (or recalled), the platform
 * no longer lets it be edited, or the platform no longer finds the channel it was posted in.
 */
export type MessageGoneReason = 'deleted' | 'not_editable' | 'channel_unreachable';

/**
 * The platform says the message an update was meant for is gone or can no longer be edited. No
 * retry of the update can succeed; the card has to be posted anew.
 */
export class ChatMessageGoneError extends WardenError {
  readonly reason: MessageGoneReason;
  constructor(platform: string, reason: MessageGoneReason, detail: string) {
    super('chat_message_gone', `${platform} can no longer update the message: ${detail}`);
    this.reason = reason;
  }
}

/** The platform refused the request for a reason retrying cannot fix (unknown channel, revoked token …). */
export function chatRejected(platform: string, reason: string): WardenError {
  return new WardenError('chat_rejected', `${platform} rejected the request: ${reason}`);
}

/** The platform could not be reached or failed on its side; another attempt may succeed. */
export function chatUnavailable(platform: string, reason: string, cause?: unknown): WardenError {
  return new WardenError('chat_unavailable', `${platform} is unavailable: ${reason}`, { cause });
}
