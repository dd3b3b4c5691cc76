import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Locale } from '../../shared/messages/locale.js';
import type { Logger } from 'pino';
import type { SlackConfig } from '../../config/config-schema.js';
import { WardenError } from '../../errors/warden-error.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { answerSlackPayload, type SlackAck } from './answer-slack-payload.js';
import { verifySlackRequest } from './verify-slack-request.js';

/** Options for {@link registerSlackRoute}. */
export interface SlackRouteOptions {
  /** The language of the replies Warden composes itself (default `en`). */
  locale?: Locale;
  slack: SlackConfig;
  accept: AcceptInboundEvent;
  /** Sends the private reply to a refused click or mention. */
  adapter: ChatAdapter;
  logger: Logger;
  /** Clock in epoch ms for the signature window and `receivedAt`; default `Date.now`. */
  now?: () => number;
  /** Largest body accepted; default 1 MiB (Slack's payloads are a few KiB). */
  bodyLimitBytes?: number;
  /** Slack gets an empty 200 after this long even if `accept` has not finished; default 2500 ms. */
  ackTimeoutMs?: number;
}

type JsonParser = ReturnType<FastifyInstance['getDefaultJsonParser']>;
type Parsed = { answer: SlackAck } | { body: Record<string, unknown> };

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * `POST /slack/events`: the one URL for the Events API, interactivity (`payload=`) and slash
 * commands, as Slack apps have it. The body is kept as raw bytes and the `v0` signature is checked
 * over them before anything is parsed; only then is it read as JSON or a form, and handshakes are
 * answered here while every other payload goes to {@link answerSlackPayload} (the same path Socket
 * Mode envelopes take). Answers: 200 (with the ack's body) · 401 bad, stale or missing signature ·
 * 400 unparsable · 413 over the body limit · 415 other content types · 503 when the core cannot
 * store the event (Slack retries).
 * See https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function registerSlackRoute(app: FastifyInstance, options: SlackRouteOptions): void {
  const now = options.now ?? Date.now;
  const { accept, adapter, logger, ackTimeoutMs, locale } = options;

  app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeAllContentTypeParsers();
    // Keep the bytes: the signature covers them exactly, and nothing may be parsed before it is
    // checked. Other content types are read too, so that an unsigned request is a 401 rather than
    // a 415 and a signed one gets a message that names the types Slack sends.
    const keepBytes = (_request: FastifyRequest, body: Buffer | string, done: (error: Error | null, body?: unknown) => void) => done(null, body);
    scope.addContentTypeParser([FORM, JSON_TYPE], { parseAs: 'buffer' }, keepBytes);
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, keepBytes);

    scope.post('/slack/events', { bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 }, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = verifySlackRequest({
        signingSecret: options.slack.signingSecret,
        rawBody,
        timestampHeader: request.headers['x-slack-request-timestamp'],
        signatureHeader: request.headers['x-slack-signature'],
        nowMs: now(),
      });
      if (!verdict.ok) throw new WardenError('unauthorized', verdict.message);

      const parsed = await parseBody(request, rawBody, parseJson);
      const answer = 'answer' in parsed ? parsed.answer : await answerSlackPayload(parsed.body, { accept, adapter, logger, ackTimeoutMs, receivedAt: now(), ...(locale === undefined ? {} : { locale }) });
      if (answer === undefined) return reply.code(200).send();
      return reply.code(200).type('application/json; charset=utf-8').send(answer);
    });
  });
}

/** The verified payload, or the answer to a handshake, which goes no further. */
async function parseBody(request: FastifyRequest, rawBody: Buffer, parseJson: JsonParser): Promise<Parsed> {
  if (rawBody.length === 0) throw new WardenError('empty_body', 'the request body is empty');
  const mediaType = String(request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === JSON_TYPE) {
    const body = await parseObject(request, rawBody, parseJson, 'the body');
    // https://docs.slack.dev/reference/events/url_verification — answered only once signed.
    if (body.type === 'url_verification') {
      if (typeof body.challenge !== 'string' || body.challenge.length === 0 || body.challenge.length > 512) {
        throw new WardenError('invalid_payload', 'url_verification without a challenge string');
      }
      return { answer: { challenge: body.challenge } };
    }
    return { body };
  }
  if (mediaType === FORM) {
    const form = new URLSearchParams(rawBody.toString('utf8'));
    // https://docs.slack.dev/interactivity/implementing-slash-commands
    if (form.get('ssl_check') === '1') return { answer: undefined };
    const payload = form.get('payload');
    if (payload !== null) return { body: await parseObject(request, Buffer.from(payload, 'utf8'), parseJson, 'the payload field') };
    // Slash commands: flat string fields. fromEntries defines own properties, so a `__proto__`
    // field stays a field.
    return { body: Object.fromEntries(form) };
  }
  throw new WardenError(
    'unsupported_content_type',
    `Slack sends ${JSON_TYPE} (Events API) or ${FORM} (slash commands, interactivity); got ${mediaType ? `"${mediaType.slice(0, 80)}"` : 'no Content-Type'}`,
    { status: 415 },
  );
}

/** JSON through Fastify's own parser, which rejects `__proto__` and `constructor.prototype` keys. */
function parseObject(request: FastifyRequest, bytes: Buffer, parseJson: JsonParser, what: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const invalid = () => reject(new WardenError('invalid_payload', `${what} is not a JSON object`));
    try {
      // The default parser takes a Buffer too (secure-json-parse decodes it); its type says string.
      parseJson(request, bytes as unknown as string, (error, value) => {
        if (error !== null || typeof value !== 'object' || value === null || Array.isArray(value)) invalid();
        else resolve(value as Record<string, unknown>);
      });
    } catch {
      invalid();
    }
  });
}
