import type { Logger } from 'pino';
import { DEFAULT_LOCALE, type Locale } from '../../shared/messages/locale.js';
import { translate } from '../../shared/messages/translate.js';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { InboundEvent } from '../../model/inbound-event.js';
import { DEFAULT_ACK_TIMEOUT_MS } from '../ack-timeout.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { toSlackInboundEvent } from './to-slack-inbound-event.js';

/** What Slack is acknowledged with: nothing, or a JSON body (a slash command's ephemeral reply). */
export type SlackAck = Record<string, unknown> | undefined;

/** Options for {@link answerSlackPayload}. */
export interface AnswerSlackPayloadOptions {
  /** The language of the replies Warden composes itself (default `en`). */
  locale?: Locale;
  /** The core: deduplicates, authorizes, rate-limits and queues. */
  accept: AcceptInboundEvent;
  /** Sends refusals of clicks and mentions, which have no ack body to carry them. */
  adapter: ChatAdapter;
  logger: Logger;
  /** When Warden received the payload (epoch ms). */
  receivedAt: number;
  /** Acknowledge (empty) after this long if the answer is not known yet; default 2500 ms. */
  ackTimeoutMs?: number;
}

/** The ack, and the refusals that go to their person privately once the ack is decided. */
interface Outcome {
  ack: SlackAck;
  refusals: { event: InboundEvent; message: string }[];
}

/**
 * Answers one verified Slack payload, whichever transport brought it (`POST /slack/events` or a
 * Socket Mode envelope): a slash command, a `block_actions` click or an Events API delivery becomes
 * neutral {@link InboundEvent}s (see `toSlackInboundEvent`) handed to `accept`. Resolves with the ack:
 * a slash command's refusal rides on it as an ephemeral reply (no API call); a refusal of a click or
 * a mention goes through `adapter.postPrivate`, without delaying the ack. Anything Warden does not
 * handle (other payload and event types, view submissions, shortcuts) is acknowledged empty.
 *
 * Rejects with `accept`'s error when it fails before the ack is decided: the transport then does
 * not acknowledge (HTTP answers the error's status), so Slack delivers again. An Events API
 * delivery is acknowledged only after `accept`, for the same reason. If the answer is not known
 * within `ackTimeoutMs`, it resolves empty to stay inside Slack's 3 s and logs what happens later.
 * See https://docs.slack.dev/apis/events-api/ and
 * https://docs.slack.dev/interactivity/handling-user-interaction
 */
export async function answerSlackPayload(body: unknown, options: AnswerSlackPayloadOptions): Promise<SlackAck> {
  const { logger } = options;
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  const kind = kindOf(body);
  const pending = handle(body, kind, options);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ackTimeoutMs);
  });
  let outcome: Outcome | 'late';
  try {
    outcome = await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }

  if (outcome === 'late') {
    logger.warn({ kind, ackTimeoutMs }, `a Slack handler did not acknowledge within ${ackTimeoutMs} ms; acknowledged it empty to stay inside Slack's 3 s deadline`);
    pending.then(
      (settled) => {
        if (settled.ack !== undefined) logger.warn({ kind }, 'a late Slack acknowledgement carried a reply that could not be delivered');
        replyPrivately(settled, options);
      },
      // Slack already has its acknowledgement: nothing left to tell it.
      (error: unknown) => logger.error({ err: error, kind }, 'a Slack delivery failed after it was acknowledged'),
    );
    return undefined;
  }
  replyPrivately(outcome, options);
  return outcome.ack;
}

async function handle(body: unknown, kind: string, options: AnswerSlackPayloadOptions): Promise<Outcome> {
  const events = toSlackInboundEvent(body, options.receivedAt) ?? [];
  const refusals: Outcome['refusals'] = [];
  if (kind === 'slash_command') {
    // https://docs.slack.dev/interactivity/implementing-slash-commands — the ack's body is shown to
    // the person who typed the command, and only to them.
    const [event] = events;
    if (event === undefined) {
      options.logger.info({ command: String((body as { command: unknown }).command).slice(0, 40) }, 'Slack slash command not understood');
      return { ack: ephemeral(translate(options.locale ?? DEFAULT_LOCALE, 'chat.slack.unreadableCommand')), refusals };
    }
    const acceptance = await options.accept(event);
    return { ack: acceptance.outcome === 'refused' ? ephemeral(acceptance.message) : undefined, refusals };
  }
  for (const event of events) {
    const acceptance = await options.accept(event);
    if (acceptance.outcome === 'refused') refusals.push({ event, message: acceptance.message });
  }
  return { ack: undefined, refusals };
}

/** Sends each refusal as a private message; not awaited, so the ack never waits for a Slack API call. */
function replyPrivately(outcome: Outcome, options: AnswerSlackPayloadOptions): void {
  for (const { event, message } of outcome.refusals) {
    options.adapter.postPrivate(event.identity, event.destination, buildNoticeCard(message)).catch((error: unknown) => {
      options.logger.warn({ err: error, event: event.id }, 'sending a private Slack reply failed');
    });
  }
}

/**
 * An ephemeral reply carried by a slash command's ack, rendered like every other notice card: the
 * renderer escapes the text, so a refusal that echoes user input cannot mention or link.
 */
function ephemeral(message: string): { response_type: 'ephemeral'; text: string; blocks: Record<string, unknown>[] } {
  const rendered = renderSlackBlocks(buildNoticeCard(message));
  return { response_type: 'ephemeral', text: rendered.text, blocks: rendered.blocks };
}

/** A short, secret-free label for logs: `slash_command`, `event_callback:<event type>` or the payload type. */
function kindOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'unknown';
  const record = body as Record<string, unknown>;
  if (typeof record.command === 'string') return 'slash_command';
  const event = record.event as { type?: unknown } | undefined;
  if (record.type === 'event_callback' && typeof event?.type === 'string') return `event_callback:${event.type.slice(0, 40)}`;
  return typeof record.type === 'string' ? record.type.slice(0, 40) : 'unknown';
}
