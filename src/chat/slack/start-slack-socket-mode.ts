import { SocketModeReceiver, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackConfig } from '../../config/config-schema.js';
import { WardenError } from '../../errors/warden-error.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { createSlackApp } from './create-slack-app.js';
import { createSlackLogger } from './create-slack-logger.js';
import { dispatchSlackEvent } from './dispatch-slack-event.js';
import { DEFAULT_ACK_TIMEOUT_MS } from '../ack-timeout.js';
import { DEFAULT_SLACK_API_URL } from './create-slack-adapter.js';

/** Options for {@link startSlackSocketMode}. */
export interface SlackSocketModeOptions {
  /** Needs `appToken` (`SLACK_APP_TOKEN`, `xapp-…`); `apiUrl` also serves `apps.connections.open`. */
  slack: SlackConfig;
  accept: AcceptInboundEvent;
  adapter: ChatAdapter;
  logger: Logger;
  /** Clock for `receivedAt` (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Ack (empty) if no listener did within this time; default 2500 ms. */
  ackTimeoutMs?: number;
}

/** A Socket Mode connection: `start` resolves once Slack said hello; `stop` closes the socket. */
export interface SlackSocketMode {
  start(): Promise<void>;
  stop(): Promise<void>;
}


/**
 * Slack over Socket Mode, for deployments Slack cannot reach over HTTP: Bolt's
 * `SocketModeReceiver` opens the WebSocket (`apps.connections.open` with the app-level token, at
 * `slack.apiUrl` when set) and feeds the same listeners as `POST /slack/events` (see
 * `createSlackApp`), with the same ack rules (`dispatchSlackEvent`). Socket Mode deliveries are
 * already authenticated by the connection, so there is no signature to check. A delivery whose
 * processing fails is not acked, and Slack sends it again. Nothing connects until `start()`.
 * See https://docs.slack.dev/apis/events-api/using-socket-mode
 */
export function startSlackSocketMode(options: SlackSocketModeOptions): SlackSocketMode {
  const { slack, logger } = options;
  const appToken = slack.appToken;
  if (appToken === undefined || appToken.length === 0) {
    throw new WardenError('config_invalid', 'Slack Socket Mode needs an app-level token; set SLACK_APP_TOKEN (xapp-…)');
  }
  const now = options.now ?? Date.now;
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  const socket = new SocketModeReceiver({
    appToken,
    logger: createSlackLogger(logger, [appToken, slack.botToken, slack.signingSecret]),
    // The Socket Mode client builds its own WebClient from these options for apps.connections.open.
    installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl ?? DEFAULT_SLACK_API_URL, allowAbsoluteUrls: false } },
    customPropertiesExtractor: () => ({ receivedAt: now() }),
    processEventErrorHandler: async ({ error, event }) => {
      logger.error({ err: error, retryNum: event.retryNum }, 'a Slack Socket Mode delivery failed; it is not acknowledged, so Slack will send it again');
      return false;
    },
  });

  const receiver: Receiver = {
    init(app: App) {
      // SocketModeReceiver only ever calls `app.processEvent`; routing that call through
      // dispatchSlackEvent gives Socket Mode the held Events API ack and the safety timer too.
      const processEvent = (event: ReceiverEvent) => dispatchSlackEvent((next) => app.processEvent(next), event, { ackTimeoutMs, logger });
      socket.init({ processEvent } as unknown as App);
    },
    start: () => socket.start(),
    stop: () => socket.stop(),
  };
  createSlackApp({ receiver, slack, accept: options.accept, adapter: options.adapter, logger, now });

  return {
    async start() {
      await socket.start();
    },
    async stop() {
      // SocketModeReceiver#stop does not wait for the socket to close; the client's disconnect does.
      await socket.client.disconnect();
    },
  };
}
