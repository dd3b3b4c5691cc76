import { SocketModeClient } from '@slack/socket-mode';
import type { Locale } from '../../shared/messages/locale.js';
import type { Logger } from 'pino';
import type { SlackConfig } from '../../config/config-schema.js';
import { WardenError } from '../../errors/warden-error.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { answerSlackPayload, type SlackAck } from './answer-slack-payload.js';
import { DEFAULT_SLACK_API_URL } from './create-slack-adapter.js';
import { createSlackLogger } from './create-slack-logger.js';

/** Options for {@link startSlackSocketMode}. */
export interface SlackSocketModeOptions {
  /** The language of the replies Warden composes itself (default `en`). */
  locale?: Locale;
  /** Needs `appToken` (`SLACK_APP_TOKEN`, `xapp-…`); `apiUrl` also serves `apps.connections.open`. */
  slack: SlackConfig;
  accept: AcceptInboundEvent;
  adapter: ChatAdapter;
  logger: Logger;
  /** Clock for `receivedAt` (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Ack (empty) if the answer is not known within this time; default 2500 ms. */
  ackTimeoutMs?: number;
}

/** A Socket Mode connection: `start` resolves once Slack said hello; `stop` closes the socket. */
export interface SlackSocketMode {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What `SocketModeClient` emits as `slack_event` for every envelope but `hello` and `disconnect`
 * (its listener arguments are untyped); `body` is the envelope's `payload`.
 */
interface SocketModeDelivery {
  /** Sends `{ envelope_id, payload }` back over the socket; no argument sends an empty payload. */
  ack: (response?: SlackAck) => Promise<void>;
  /** `events_api`, `interactive` or `slash_commands`. */
  type: string;
  body: unknown;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Slack over Socket Mode, for deployments Slack cannot reach over HTTP: a `SocketModeClient` opens
 * the WebSocket (`apps.connections.open` with the app-level token, at `slack.apiUrl` when set) and
 * every envelope's payload is answered by {@link answerSlackPayload}, exactly as `POST /slack/events`
 * answers a request, the ack's body becoming the envelope's response payload. Socket Mode
 * deliveries are already authenticated by the connection, so there is no signature to check. A
 * delivery whose processing fails is not acked, and Slack sends it again. Nothing connects until
 * `start()`.
 * See https://docs.slack.dev/apis/events-api/using-socket-mode
 */
export function startSlackSocketMode(options: SlackSocketModeOptions): SlackSocketMode {
  const { slack, accept, adapter, logger, ackTimeoutMs, locale } = options;
  const appToken = slack.appToken;
  if (appToken === undefined || appToken.length === 0) {
    throw new WardenError('config_invalid', 'Slack Socket Mode needs an app-level token; set SLACK_APP_TOKEN (xapp-…)');
  }
  const now = options.now ?? Date.now;
  const client = new SocketModeClient({
    appToken,
    logger: createSlackLogger(logger, [appToken, slack.botToken, slack.signingSecret]),
    // The client builds its own WebClient from these options for apps.connections.open.
    clientOptions: { slackApiUrl: slack.apiUrl ?? DEFAULT_SLACK_API_URL, allowAbsoluteUrls: false },
  });

  client.on('slack_event', (delivery: SocketModeDelivery) => {
    const receivedAt = now();
    answerSlackPayload(delivery.body, { accept, adapter, logger, ackTimeoutMs, receivedAt, ...(locale === undefined ? {} : { locale }) })
      .then(
        (answer) => delivery.ack(answer),
        (error: unknown) => {
          // https://docs.slack.dev/apis/events-api/using-socket-mode — an envelope that is not
          // acknowledged is sent again, like an HTTP delivery that did not get its 200.
          logger.error({ err: error, type: delivery.type, retryNum: delivery.retry_num }, 'a Slack Socket Mode delivery failed; it is not acknowledged, so Slack will send it again');
        },
      )
      .catch((error: unknown) => logger.error({ err: error, type: delivery.type }, 'acknowledging a Slack Socket Mode delivery failed; Slack will send it again'));
  });

  return {
    async start() {
      await client.start();
    },
    async stop() {
      await client.disconnect();
    },
  };
}
