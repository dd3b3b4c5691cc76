/**
 * What Warden's Lark HTTP client throws: either the platform answered with a non-2xx status or a
 * non-zero `code` (`status` set), or no answer arrived at all (`status` undefined, `cause` is the
 * socket error). It holds only the path, status, Lark code and message — never request headers or
 * bodies, which carry the app secret and tenant tokens.
 */
export class LarkApiError extends Error {
  /** HTTP status, or undefined when the request never got a response. */
  readonly status: number | undefined;
  /** Lark's business `code` from the response body, when there was one. */
  readonly code: number | undefined;
  /** The request path (no query, no host). */
  readonly path: string;
  /** From `x-ogw-ratelimit-reset` (seconds) or `Retry-After`, when the platform sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(details: { path: string; status?: number; code?: number; reason: string; retryAfterMs?: number; cause?: unknown }) {
    super(
      `${details.path}: ${details.status === undefined ? '' : `HTTP ${details.status}, `}${details.code === undefined ? '' : `code ${details.code}, `}${details.reason}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'LarkApiError';
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }
}
