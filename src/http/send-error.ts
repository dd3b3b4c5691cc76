import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorCode } from '../errors/error-codes.js';
import { WardenError } from '../errors/warden-error.js';
import { isRedisUnavailable } from '../redis/is-redis-unavailable.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

/** Fastify's own errors mapped to Warden's codes and statuses (the contract in DESIGN.md §5). */
function fromFastifyError(error: FastifyError): WardenError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new WardenError('body_too_large', 'request body exceeds the configured limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new WardenError('unsupported_content_type', 'the body must be JSON (Content-Type: application/json)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new WardenError('empty_body', 'the request body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new WardenError('invalid_content_length', 'Content-Length does not match the body');
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new WardenError('invalid_json', 'the body is not valid JSON');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new WardenError('bad_request', error.message, { status: error.statusCode });
  }
  return null;
}

/** Redis out of reach, wherever a route met it: the client should try again, not report a bug. */
function fromRedisError(error: unknown): WardenError | null {
  return isRedisUnavailable(error) ? new WardenError('store_unavailable', 'Redis is unavailable; try again shortly') : null;
}

/**
 * The one place errors become HTTP responses: WardenErrors answer with their status and code,
 * Fastify's parser errors with theirs, an unreachable Redis with 503, anything else with a 500
 * that reveals nothing.
 */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): FastifyReply {
  const known = error instanceof WardenError ? error : (fromRedisError(error) ?? fromFastifyError(error as FastifyError));
  const status = known?.status ?? 500;
  const body: ErrorBody = known
    ? { error: known.code, message: known.message }
    : { error: 'internal_error', message: 'internal error; see the Warden logs' };
  const log = { method: request.method, route: request.routeOptions.url, status, code: body.error };
  if (status >= 500) logger.error({ ...log, err: error }, 'request failed');
  else logger.info(log, 'request rejected');
  return reply.code(status).type('application/json').send(body);
}
