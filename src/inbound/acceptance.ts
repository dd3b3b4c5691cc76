import type { InboundEvent } from '../model/inbound-event.js';
import type { LocalizedText } from '../shared/messages/locale.js';

/**
 * What happened to an inbound event at the edge, which the Slack and Lark routes turn into their
 * platform's answer (an ack body, a toast, or a private message).
 *
 * - `queued`: accepted; the work runs in an `inbound` job.
 * - `duplicate`: a redelivery or replay of an event already accepted; answer 200, do nothing.
 * - `refused`: nothing was queued; `message` is a private reply for the person (why, and what to do)
 *   in the configured `locale`, and `text` the same in every language (for a Lark toast's i18n texts).
 *   `reason` is `denied` (no permission), `limited` (rate limit; `retryAfterSeconds` says when),
 *   `usage` (unknown command or bad arguments) or `foreign` (another workspace, tenant or app).
 */
export type Acceptance =
  | { outcome: 'queued' }
  | { outcome: 'duplicate' }
  | { outcome: 'refused'; reason: 'denied' | 'limited' | 'usage' | 'foreign'; message: string; retryAfterSeconds?: number; text?: LocalizedText };

/** Options for {@link AcceptInboundEvent}. */
export interface AcceptOptions {
  /**
   * An extra replay key (Lark: `timestamp:nonce`) remembered for the signature window: a captured
   * request sent again is a `duplicate` even if its event id were new.
   */
  replayKey?: string;
}

/**
 * Deduplicates, authorizes, rate-limits and queues one verified inbound event. Throws a WardenError
 * `store_unavailable` (HTTP 503) when Redis is unavailable, after which the platform delivers again
 * and nothing was remembered.
 */
export type AcceptInboundEvent = (event: InboundEvent, options?: AcceptOptions) => Promise<Acceptance>;
