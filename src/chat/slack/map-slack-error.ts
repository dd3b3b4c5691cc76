import { webApi } from '@slack/bolt';
import { ChatMessageGoneError, ChatRateLimitedError, chatRejected, chatUnavailable, type MessageGoneReason } from '../../ports/chat-errors.js';
import { WardenError } from '../../errors/warden-error.js';

/**
 * Platform errors that say "Slack had a bad moment", not "your request is wrong". Everything else
 * Slack answers with `ok: false` is a caller problem (unknown channel, revoked token, bad blocks …)
 * that no retry can fix. https://docs.slack.dev/reference/methods/chat.postMessage#errors
 */
const transientPlatformErrors = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_is_restricted_by_ip']);
const rateLimitPlatformErrors = new Set(['ratelimited', 'rate_limited', 'message_limit_exceeded']);

/**
 * `chat.update` answers that mean the message itself cannot be updated any more, so the card must
 * be posted anew (https://docs.slack.dev/reference/methods/chat.update#errors). A renamed channel
 * keeps its id, so `channel_not_found` means the bot lost the channel (removed from it, or the
 * channel was deleted); one new post finds out whether it can still post there. `is_archived` is
 * not listed: an archived channel takes no new messages either, so it stays a rejection.
 */
const messageGoneErrors: ReadonlyMap<string, MessageGoneReason> = new Map([
  ['message_not_found', 'deleted'],
  ['cant_update_message', 'not_editable'],
  ['edit_window_closed', 'not_editable'],
  ['channel_not_found', 'channel_unreachable'],
]);

const defaultRetryAfterMs = 1000;

/**
 * Turns whatever `@slack/web-api` threw into Warden's chat error vocabulary. `secrets` are cut out
 * of any text that reaches the message, in case a proxy echoes a request back in an error page.
 */
export function mapSlackError(error: unknown, method: string, secrets: readonly string[]): WardenError {
  if (error instanceof WardenError) return error;
  const scrub = (text: string) => redact(text, secrets);

  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new ChatRateLimitedError('slack', Math.max(0, error.retryAfter) * 1000);
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = scrub(String(error.data.error)).slice(0, 120);
    if (rateLimitPlatformErrors.has(code)) {
      const seconds = error.data.response_metadata?.retryAfter;
      return new ChatRateLimitedError('slack', typeof seconds === 'number' ? seconds * 1000 : defaultRetryAfterMs);
    }
    if (transientPlatformErrors.has(code)) return chatUnavailable('slack', `${method}: ${code}`);
    const gone = method === 'chat.update' ? messageGoneErrors.get(code) : undefined;
    if (gone !== undefined) return new ChatMessageGoneError('slack', gone, `${method}: ${code}`);
    return chatRejected('slack', `${method}: ${code}`);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const reason = `${method}: HTTP ${error.statusCode}`;
    return error.statusCode >= 500 || error.statusCode === 408 ? chatUnavailable('slack', reason) : chatRejected('slack', reason);
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return chatUnavailable('slack', `${method}: ${scrub(describeRequestFailure(error.original))}`, networkCause(error.original));
  }
  if (error instanceof Error && error.message.startsWith('Retry header did not contain a valid timeout')) {
    // web-api throws a plain Error for an HTTP 429 whose Retry-After it cannot parse: still a 429.
    return new ChatRateLimitedError('slack', defaultRetryAfterMs);
  }
  const message = error instanceof Error ? error.message : String(error);
  return chatUnavailable('slack', `${method}: ${scrub(message).slice(0, 200)}`);
}

function describeRequestFailure(original: Error): string {
  if (original.name === 'TimeoutError' || original.name === 'AbortError') return 'request timed out';
  const cause = networkCause(original) as NodeJS.ErrnoException | undefined;
  return `network error: ${cause?.code ?? cause?.message ?? original.message}`;
}

/** The low-level socket error (ECONNREFUSED …) behind fetch's "fetch failed": it carries no request data. */
function networkCause(original: Error): Error | undefined {
  const cause = (original as { cause?: unknown }).cause;
  return cause instanceof Error ? cause : undefined;
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join('[redacted]') : out), text);
}
