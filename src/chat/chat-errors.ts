import { WardenError } from '../errors/warden-error.js';

/** The platform said 429 (or its equivalent): wait `retryAfterMs`, then try again; not a failed attempt. */
export class ChatRateLimitedError extends WardenError {
  readonly retryAfterMs: number;
  constructor(platform: string, retryAfterMs: number) {
    super('chat_rate_limited', `${platform} rate limited the request; retry after ${retryAfterMs} ms`, { retryable: true });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The platform refused the request for a reason retrying cannot fix (unknown channel, revoked token …). */
export function chatRejected(platform: string, reason: string): WardenError {
  return new WardenError('chat_rejected', `${platform} rejected the request: ${reason}`, { retryable: false });
}

/** The platform could not be reached or failed on its side; another attempt may succeed. */
export function chatUnavailable(platform: string, reason: string, cause?: unknown): WardenError {
  return new WardenError('chat_unavailable', `${platform} is unavailable: ${reason}`, { retryable: true, cause });
}
