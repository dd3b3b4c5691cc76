import type { Logger } from 'pino';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import { truncateText } from '../../../cards/fit-text.js';
import { localize } from '../../shared/messages/localize.js';
import type { Acceptance, AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { InboundEvent } from '../../model/inbound-event.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { DEFAULT_ACK_TIMEOUT_MS } from '../ack-timeout.js';
import { toLarkInboundEvent } from './to-lark-inbound-event.js';

/** What Lark is answered with: `{}`, or a card callback's `{ toast }`. */
export type LarkAnswer = Record<string, unknown>;

/** Options for {@link answerLarkEvent}. */
export interface AnswerLarkEventOptions {
  /** The core: deduplicates, authorizes, rate-limits and queues. */
  accept: AcceptInboundEvent;
  /** Sends the private reply to a refused command. */
  adapter: ChatAdapter;
  logger: Logger;
  /** When Warden received the event (epoch ms). */
  receivedAt: number;
  /** The HTTP route's `timestamp:nonce`, remembered against replays of a captured request. */
  replayKey?: string;
  /** Lark gets `{}` after this long even if `accept` has not finished; default 2500 (Lark waits 3 s). */
  ackTimeoutMs?: number;
}

const TOAST_MAX = 200;

/**
 * Answers one authenticated, decrypted Lark event body (schema 2.0), whichever transport brought it
 * (`POST /lark/events` or the long connection): the body becomes the neutral {@link InboundEvent}
 * (see `toLarkInboundEvent`) handed to `accept`, and the answer is decided within Lark's 3 s. A card
 * callback is answered with a toast (an error toast carries a refusal); a refused command gets a
 * private message instead, sent without delaying the answer. Anything Warden does not handle is
 * answered `{}`.
 *
 * Rejects with `accept`'s error when it fails before the answer is decided, so the transport tells
 * Lark the delivery failed and Lark delivers it again. If the answer is not known within
 * `ackTimeoutMs`, it resolves `{}` and follows what happens later in the log.
 */
export async function answerLarkEvent(body: unknown, options: AnswerLarkEventOptions): Promise<LarkAnswer> {
  const event = toLarkInboundEvent(body, options.receivedAt);
  if (event === null) return {};
  const pending = options.accept(event, options.replayKey === undefined ? undefined : { replayKey: options.replayKey });
  return answerFor(event, pending, options);
}

async function answerFor(event: InboundEvent, pending: Promise<Acceptance>, options: AnswerLarkEventOptions): Promise<LarkAnswer> {
  const { logger } = options;
  const isAction = event.input.type === 'action';
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ackTimeoutMs);
  });
  let acceptance: Acceptance | 'late';
  try {
    acceptance = await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }

  if (acceptance === 'late') {
    // Lark retries a delivery it did not get 200 for within 3 s; answering here avoids a storm of
    // redeliveries while the store is slow. The outcome still matters to the person, so follow it.
    logger.warn({ event: event.id, ackTimeoutMs }, 'lark event: accept is slow; answered 200 before Lark gives up');
    pending.then(
      (outcome) => {
        if (outcome.outcome === 'refused') replyPrivately(event, outcome.message, options);
      },
      (error: unknown) => logger.error({ event: event.id, err: error }, 'lark event: accept failed after the answer was sent; the event is lost'),
    );
    return {};
  }

  if (acceptance.outcome === 'refused') {
    // "Card callback (card.action.trigger)": the callback answer's toast is the private reply.
    if (isAction) {
      const text = acceptance.text;
      const i18n = text === undefined ? {} : { i18n: { en_us: truncateText(text.en, TOAST_MAX), zh_cn: truncateText(text.zh, TOAST_MAX) } };
      return { toast: { type: 'error', content: truncateText(acceptance.message, TOAST_MAX), ...i18n } };
    }
    replyPrivately(event, acceptance.message, options);
    return {};
  }
  if (acceptance.outcome === 'queued' && isAction) {
    // The toast's i18n texts let each reader's Lark client pick its language ("Card callback" response, toast.i18n).
    const working = localize('chat.toast.working');
    return { toast: { type: 'info', content: working.en, i18n: { en_us: working.en, zh_cn: working.zh } } };
  }
  return {};
}

/** Sends the refusal as a direct message without delaying Lark's answer. */
function replyPrivately(event: InboundEvent, message: string, options: AnswerLarkEventOptions): void {
  options.adapter.postPrivate(event.identity, event.destination, buildNoticeCard(message)).catch((error: unknown) => {
    options.logger.warn({ event: event.id, err: error }, 'lark event: the private reply could not be sent');
  });
}
