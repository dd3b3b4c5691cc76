import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { LarkConfig } from '../../config/config-schema.js';
import { WardenError } from '../../errors/warden-error.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { ChatAdapter, HealthCheck } from '../../ports/chat-adapter.js';
import { answerLarkEvent, type LarkAnswer } from './answer-lark-event.js';
import { createLarkEndpointHttp } from './create-lark-endpoint-http.js';
import { createLarkLogger } from './create-lark-logger.js';
import { openLarkDelivery } from './open-lark-delivery.js';

/** Options for {@link startLarkLongConnection}. */
export interface LarkLongConnectionOptions {
  /** `appId` and `appSecret` open the connection; `encryptKey`, when set, opens encrypted deliveries. */
  lark: LarkConfig;
  accept: AcceptInboundEvent;
  /** Sends the private reply to a refused command. */
  adapter: ChatAdapter;
  logger: Logger;
  /** Clock for `receivedAt` (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Answer `{}` if the answer is not known within this time; default 2500 ms. */
  ackTimeoutMs?: number;
  /** How long `start()` waits for the first connection before going on without it; default 15 s. */
  readyTimeoutMs?: number;
  /** First wait before starting afresh once the SDK gave up; doubles up to 5 minutes; default 5 s. */
  restartDelayMs?: number;
}

/** Where the long connection is: the SDK's own states, plus the last reason it gave up. */
export interface LarkConnectionStatus {
  state: 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed';
  /** Consecutive reconnect attempts since the connection was lost. */
  reconnectAttempts: number;
  /** Why the SDK last gave up, while it is `failed`. */
  reason?: string;
}

/** A Lark long connection: `start` resolves once connected (or after `readyTimeoutMs`); `stop` closes it. */
export interface LarkLongConnection {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): LarkConnectionStatus;
  /** The `/healthz` check: healthy only while connected. */
  checkHealth(): HealthCheck;
}

const DEFAULT_DOMAIN = 'https://open.feishu.cn';
const MAX_RESTART_DELAY_MS = 5 * 60_000;
const LONG_CONNECTION_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

/**
 * Lark events and card callbacks over the long connection (`lark.transport: websocket`), for
 * deployments Lark cannot reach over HTTP: the SDK's `WSClient` fetches its endpoint
 * (`/callback/ws/endpoint` with the app id and secret) and keeps a WebSocket open, reconnecting on
 * its own schedule, which Lark's server sets. Every delivery is answered by {@link answerLarkEvent},
 * exactly as `POST /lark/events` answers a verified request, and the answer travels back in the
 * delivery's acknowledgement, where Lark takes a card callback's toast from. Deliveries are already
 * authenticated by the connection, so there is no signature or token to check. A delivery whose
 * processing fails is acknowledged as failed (500), and Lark delivers it again. Should the SDK give
 * up (credentials refused, too many connections), the client is started afresh with a growing delay.
 * Several replicas may each hold a connection: Lark delivers every event to one of them.
 * See https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case
 */
export function startLarkLongConnection(options: LarkLongConnectionOptions): LarkLongConnection {
  const { lark: config, accept, adapter, logger, ackTimeoutMs } = options;
  if (!LONG_CONNECTION_APP_ID.test(config.appId)) {
    throw new WardenError('config_invalid', 'the Lark long connection needs the App ID from the developer console (cli_ and 16 hex digits); set LARK_APP_ID');
  }
  const now = options.now ?? Date.now;
  const secrets = [config.appSecret, config.encryptKey ?? '', config.verificationToken ?? ''];
  const scrub = (text: string) => secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join('[redacted]') : out), text);
  const firstRestartDelayMs = options.restartDelayMs ?? 5_000;
  let restartDelayMs = firstRestartDelayMs;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let reason: string | undefined;
  let settleReady: ((error?: Error) => void) | undefined;

  const answer = async (data: unknown): Promise<LarkAnswer> => {
    const receivedAt = now();
    try {
      const body = openLarkDelivery(data, config.encryptKey);
      if (body === null) {
        logger.warn('lark long connection: a delivery is not an event of schema 2.0; subscribe to events and callbacks in schema 2.0 in the Lark developer console');
        return {};
      }
      return await answerLarkEvent(body, { accept, adapter, logger, receivedAt, ackTimeoutMs });
    } catch (error) {
      // The SDK acknowledges a handler's failure with code 500, which Lark delivers again, like an
      // HTTP delivery that did not get its 200.
      logger.error({ err: error }, 'lark long connection: a delivery failed; it is acknowledged as failed, so Lark will send it again');
      throw error;
    }
  };
  const dispatcher = new (class extends lark.EventDispatcher {
    // The SDK hands the whole delivery to `invoke` and sends its result back as the answer; the
    // body is kept as Lark sent it (the SDK's own handlers would get it flattened).
    override async invoke(data: unknown): Promise<LarkAnswer> {
      return answer(data);
    }
  })({ logger: createLarkLogger(logger, secrets), loggerLevel: lark.LoggerLevel.error });

  const client = new lark.WSClient({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: (config.domain ?? DEFAULT_DOMAIN).replace(/\/+$/, ''),
    logger: createLarkLogger(logger, secrets),
    loggerLevel: lark.LoggerLevel.warn,
    httpInstance: createLarkEndpointHttp({ timeoutMs: 15_000, secrets }),
    autoReconnect: true,
    // A stuck handshake or a silent peer would otherwise hold the client without ever reconnecting.
    handshakeTimeoutMs: 10_000,
    wsConfig: { pingTimeout: 30 },
    onReady: () => {
      restartDelayMs = firstRestartDelayMs;
      reason = undefined;
      logger.info('lark long connection: connected');
      settleReady?.();
    },
    onReconnecting: () => logger.warn('lark long connection: the connection was lost; reconnecting'),
    onReconnected: () => {
      restartDelayMs = firstRestartDelayMs;
      logger.info('lark long connection: reconnected');
    },
    onError: (error: Error) => {
      reason = scrub(error.message).slice(0, 300);
      if (settleReady !== undefined) return settleReady(new WardenError('chat_rejected', `the Lark long connection could not be opened: ${reason}`));
      if (stopped) return;
      logger.error({ retryInMs: restartDelayMs, reason }, 'lark long connection: the SDK gave up; starting afresh later');
      restartTimer = setTimeout(() => {
        client.start({ eventDispatcher: dispatcher }).catch((failure: unknown) => logger.error({ err: failure }, 'lark long connection: starting afresh failed'));
      }, restartDelayMs);
      restartTimer.unref();
      restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    },
  });

  const status = (): LarkConnectionStatus => {
    if (stopped) return { state: 'idle', reconnectAttempts: 0 };
    const current = client.getConnectionStatus();
    return { state: current.state, reconnectAttempts: current.reconnectAttempts, ...(current.state === 'failed' && reason !== undefined ? { reason } : {}) };
  };

  return {
    async start() {
      stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        settleReady = (error) => (error === undefined ? resolve() : reject(error));
        timer = setTimeout(() => {
          logger.warn({ readyTimeoutMs: options.readyTimeoutMs ?? 15_000 }, 'lark long connection: not connected yet; going on while the SDK keeps trying');
          resolve();
        }, options.readyTimeoutMs ?? 15_000);
      });
      await client.start({ eventDispatcher: dispatcher });
      try {
        await ready;
      } finally {
        clearTimeout(timer);
        settleReady = undefined;
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      client.close({ force: true });
    },
    status,
    checkHealth() {
      const current = status();
      const attempts = current.reconnectAttempts > 0 ? ` (attempt ${current.reconnectAttempts})` : '';
      return { ok: current.state === 'connected', detail: `long connection ${current.state}${attempts}${current.reason === undefined ? '' : `: ${current.reason}`}` };
    },
  };
}
