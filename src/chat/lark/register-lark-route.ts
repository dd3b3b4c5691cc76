import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { LarkConfig } from '../../config/config-schema.js';
import type { ErrorCode } from '../../errors/error-codes.js';
import { WardenError } from '../../errors/warden-error.js';
import type { AcceptInboundEvent } from '../../inbound/acceptance.js';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { checkLarkVerificationToken } from './check-lark-verification-token.js';
import { decryptLarkPayload } from './decrypt-lark-payload.js';
import { answerLarkEvent, type LarkAnswer } from './answer-lark-event.js';
import { verifyLarkRequest } from './verify-lark-request.js';

/** Options for {@link registerLarkRoute}. */
export interface LarkRouteOptions {
  lark: LarkConfig;
  accept: AcceptInboundEvent;
  /** Sends the private reply to a refused command. */
  adapter: ChatAdapter;
  logger: Logger;
  /** Clock in epoch ms; default `Date.now`. */
  now?: () => number;
  /** Larger bodies are refused with 413; default 1 MiB. */
  bodyLimitBytes?: number;
  /** Lark gets `200 {}` after this long even if `accept` has not finished; default 2500 (Lark waits 3 s). */
  ackTimeoutMs?: number;
}

const SIGNATURE_HEADERS = ['x-lark-request-timestamp', 'x-lark-request-nonce', 'x-lark-signature'] as const;
const DECRYPT_MALFORMED = new Set(['encrypt_malformed', 'ciphertext_malformed']);

type Body = Record<string, unknown>;

/**
 * `POST /lark/events`: events, card callbacks and `url_verification`, plain or encrypted. The body is
 * kept as raw bytes and the signature checked over them before anything is parsed; every request but
 * the URL challenge must be signed and carry the verification token. Verified events are mapped to
 * the neutral InboundEvent and handed to `accept`, and Lark is answered within its 3 s: a toast for
 * card callbacks, `{}` otherwise (a refused command gets a private message instead); that part is
 * {@link answerLarkEvent}, which the long connection shares.
 *
 * A malformed `encrypt` field (not base64, not whole AES blocks) is a 400: no key could open it.
 * A well-formed one that does not decrypt with the encrypt key is a 401: the sender does not hold
 * the key, which is an authentication failure like a bad signature.
 */
export function registerLarkRoute(app: FastifyInstance, options: LarkRouteOptions): void {
  app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    // Only JSON reaches this route, as bytes: anything else is refused before the handler runs.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const parse = (request: FastifyRequest, text: Buffer | string, what: string): unknown => {
      let result: unknown;
      let failure: unknown;
      // The default parser is synchronous and rejects __proto__ / constructor.prototype keys.
      parseJson(request, text as unknown as string, (error, value) => {
        failure = error;
        result = value;
      });
      if (failure === undefined || failure === null) return result;
      if (text.length === 0) throw new WardenError('empty_body', `the ${what} is empty`);
      throw new WardenError('invalid_json', `the ${what} is not valid JSON`);
    };
    scope.post('/lark/events', { bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 }, async (request, reply) => {
      const answer = await handle(request, options, parse);
      return reply.code(200).send(answer);
    });
  });
}

type Parse = (request: FastifyRequest, text: Buffer | string, what: string) => unknown;

async function handle(request: FastifyRequest, options: LarkRouteOptions, parse: Parse): Promise<LarkAnswer> {
  const { lark, logger } = options;
  // Absent only with transport: websocket, where the route is not registered; empty fails closed.
  const encryptKey = lark.encryptKey ?? '';
  const verificationToken = lark.verificationToken ?? '';
  const now = options.now ?? Date.now;
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const headers = request.headers;
  const signed = SIGNATURE_HEADERS.some((name) => headers[name] !== undefined);
  // "Event subscription: encrypt/signature": sha256(timestamp + nonce + encrypt key + raw body),
  // checked over the bytes as received, before the body is parsed or decrypted.
  if (signed) {
    const verdict = verifyLarkRequest({
      encryptKey,
      rawBody: raw,
      timestampHeader: headers['x-lark-request-timestamp'],
      nonceHeader: headers['x-lark-request-nonce'],
      signatureHeader: headers['x-lark-signature'],
      nowMs: now(),
    });
    if (!verdict.ok) throw unauthorized(verdict.message);
  }

  const body = open(request, asObject(parse(request, raw, 'request body')), encryptKey, parse);

  // Lark does not sign the URL challenge, so its token is what proves it comes from our app; it
  // must be answered within 1 s, before anything else.
  if (body.type === 'url_verification') {
    if (!checkLarkVerificationToken(verificationToken, body.token)) {
      throw unauthorized('the url_verification token does not match the configured verification token (LARK_VERIFICATION_TOKEN)');
    }
    if (typeof body.challenge !== 'string') throw badRequest('invalid_payload', 'url_verification without a string challenge');
    return { challenge: body.challenge };
  }
  // Fail closed: apart from the challenge above, an unsigned request is never trusted.
  if (!signed) throw unauthorized('the request is not signed (X-Lark-Request-Timestamp, X-Lark-Request-Nonce, X-Lark-Signature); set an encrypt key for the app');
  if (body.schema !== '2.0') {
    throw badRequest('unsupported_schema', 'only event schema 2.0 is supported; subscribe to events and callbacks in schema 2.0 in the Lark developer console');
  }
  const header = asObject(body.header);
  if (!checkLarkVerificationToken(verificationToken, header.token)) {
    throw unauthorized('header.token does not match the configured verification token (LARK_VERIFICATION_TOKEN)');
  }

  const replayKey = `${String(headers['x-lark-request-timestamp'])}:${String(headers['x-lark-request-nonce'])}`;
  return answerLarkEvent(body, { accept: options.accept, adapter: options.adapter, logger, receivedAt: now(), replayKey, ackTimeoutMs: options.ackTimeoutMs });
}

/** The JSON object inside `{ encrypt }`, or the body itself when it is not encrypted. */
function open(request: FastifyRequest, body: Body, encryptKey: string, parse: Parse): Body {
  if (!('encrypt' in body)) return body;
  const opened = decryptLarkPayload(encryptKey, body.encrypt as string);
  if (!opened.ok) {
    throw DECRYPT_MALFORMED.has(opened.code) ? badRequest('invalid_encrypt', opened.message) : unauthorized(opened.message);
  }
  return asObject(parse(request, opened.plaintext, 'decrypted body'));
}

function asObject(value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('invalid_payload', 'the body must be a JSON object');
  return value as Body;
}

function unauthorized(message: string): WardenError {
  return new WardenError('unauthorized', message);
}

function badRequest(code: ErrorCode, message: string): WardenError {
  return new WardenError(code, message);
}
