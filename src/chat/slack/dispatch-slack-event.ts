import type { ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';

/** Options for {@link dispatchSlackEvent}. */
export interface DispatchSlackEventOptions {
  /** Answer 200 after this long if no listener has acked yet (Slack gives up after 3 s). */
  ackTimeoutMs: number;
  logger: Logger;
}

/**
 * Runs one Slack delivery through Bolt's `App#processEvent` with the acknowledgement rules Warden
 * needs, for both receivers (HTTP and Socket Mode):
 *
 * - Events API deliveries: Bolt acks them before any listener runs, so a failed `accept` (Redis
 *   down) would already have been answered 200 and Slack would never deliver the event again. The
 *   ack is held until processing settles — Bolt's own `processBeforeResponse` idea — so a failure
 *   reaches the receiver un-acked and Slack retries.
 * - Payloads no listener handles (Bolt returns without acking: unknown types, view submissions,
 *   shortcuts) are acked once processing is done, so Slack does not retry them.
 * - A safety timer acks (empty) after `ackTimeoutMs` if nothing did, inside Slack's 3 s deadline.
 *
 * `event.ack` is called at most once. Rejects with the processing error; the receiver decides what
 * that means (an error status when nothing was acked yet).
 * See https://docs.slack.dev/apis/events-api/ and
 * https://docs.slack.dev/interactivity/handling-user-interaction
 */
export async function dispatchSlackEvent(
  processEvent: (event: ReceiverEvent) => Promise<void>,
  event: ReceiverEvent,
  options: DispatchSlackEventOptions,
): Promise<void> {
  let acked = false;
  const ackOnce = async (response?: unknown): Promise<void> => {
    if (acked) {
      // Slack already has its answer (the safety timer's, or an earlier ack): this reply is lost.
      if (response !== undefined) options.logger.warn({ kind: kindOf(event.body) }, 'a late Slack acknowledgement carried a reply that could not be delivered');
      return;
    }
    acked = true;
    clearTimeout(timer);
    await event.ack(response);
  };
  const timer = setTimeout(() => {
    if (acked) return;
    options.logger.warn(
      { kind: kindOf(event.body), ackTimeoutMs: options.ackTimeoutMs },
      `a Slack handler did not acknowledge within ${options.ackTimeoutMs} ms; answered 200 to stay inside Slack's 3 s deadline`,
    );
    ackOnce().catch((error: unknown) => options.logger.error({ err: error, kind: kindOf(event.body) }, 'acknowledging a slow Slack delivery failed'));
  }, options.ackTimeoutMs);

  let held: { response: unknown } | undefined;
  const ack = event.body.type === 'event_callback' ? async (response?: unknown) => void (held ??= { response }) : ackOnce;
  try {
    await processEvent({ ...event, ack });
  } catch (error) {
    clearTimeout(timer);
    throw error;
  }
  await ackOnce(held?.response);
}

/** A short, secret-free label for logs: the payload type or `slash_command`. */
function kindOf(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'slash_command';
  const event = body.event as { type?: unknown } | undefined;
  if (body.type === 'event_callback' && typeof event?.type === 'string') return `event_callback:${event.type.slice(0, 40)}`;
  return typeof body.type === 'string' ? body.type.slice(0, 40) : 'unknown';
}
