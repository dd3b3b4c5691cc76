import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { WardenError } from '../../errors/warden-error.js';
import { dispatchSlackEvent } from './dispatch-slack-event.js';
import { DEFAULT_ACK_TIMEOUT_MS } from '../ack-timeout.js';

/** Options for {@link SlackHttpReceiver}. */
export interface SlackHttpReceiverOptions {
  logger: Logger;
  /** Answer 200 if no listener acked within this time; default 2500 (Slack waits 3 s). */
  ackTimeoutMs?: number;
  /** Clock for `receivedAt` (epoch ms); default `Date.now`. */
  now?: () => number;
}

/** One request the route has already verified and parsed. */
export interface SlackHttpDelivery {
  /** The body as received (its size goes into logs; the signature was checked over it). */
  rawBody: Buffer;
  /** The parsed body: the JSON envelope, the slash command form, or the interaction `payload`. */
  body: Record<string, unknown>;
  /** `X-Slack-Retry-Num`, for Events API redeliveries. */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`, e.g. `http_timeout`. */
  retryReason?: string;
}

/** What the route answers with status 200: nothing, text, or a JSON object (an ack's body). */
export interface SlackHttpAnswer {
  body: string | Record<string, unknown> | undefined;
}


/**
 * A Bolt {@link Receiver} driven by Warden's Fastify route instead of Bolt's own HTTP server, so the
 * route keeps control of raw bytes, signature checks, body limits and error answers. `start` and
 * `stop` do nothing: the Fastify server owns the socket.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly logger: Logger;
  private readonly ackTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: SlackHttpReceiverOptions) {
    this.logger = options.logger;
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** Called by Bolt's `App` constructor. */
  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /**
   * Hands one delivery to Bolt and resolves with the HTTP answer as soon as a listener acks (or the
   * safety timer does). Rejects with the processing error when processing failed before any ack —
   * a WardenError keeps its status (e.g. 503 `store_unavailable`, so Slack retries), anything else
   * becomes a 500 in the route's error handler. Like Bolt's Socket Mode ack, a second ack is ignored.
   */
  handle(delivery: SlackHttpDelivery): Promise<SlackHttpAnswer> {
    const app = this.app;
    if (app === undefined) return Promise.reject(new WardenError('slack_not_ready', 'the Slack app is not initialised yet'));
    return new Promise<SlackHttpAnswer>((resolve, reject) => {
      let answered = false;
      const event: ReceiverEvent = {
        body: delivery.body,
        retryNum: delivery.retryNum,
        retryReason: delivery.retryReason,
        customProperties: { receivedAt: this.now() },
        ack: async (response?: unknown) => {
          if (answered) return;
          answered = true;
          resolve({ body: toAnswerBody(response) });
        },
      };
      dispatchSlackEvent((next) => app.processEvent(next), event, { ackTimeoutMs: this.ackTimeoutMs, logger: this.logger }).catch((error: unknown) => {
        if (!answered) {
          answered = true;
          reject(error);
          return;
        }
        // Slack already has its 200 (the safety timer answered): nothing left to tell it.
        this.logger.error({ err: error, bytes: delivery.rawBody.length }, 'a Slack delivery failed after it was acknowledged');
      });
    });
  }
}

/** Bolt's rule (HTTPModuleFunctions.buildContentResponse): no body, text as is, objects as JSON. */
function toAnswerBody(response: unknown): SlackHttpAnswer['body'] {
  if (response === undefined || response === null || response === '') return undefined;
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && !Array.isArray(response)) return response as Record<string, unknown>;
  return String(response);
}
