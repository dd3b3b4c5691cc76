import type { HttpInstance, HttpRequestOptions } from '@larksuiteoapi/node-sdk';
import { LarkApiError } from './lark-api-error.js';

/** Options for {@link createLarkHttp}. */
export interface LarkHttpOptions {
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Strings cut out of any platform text that ends up in an error message. */
  secrets: readonly string[];
}

/**
 * The HTTP client handed to the Lark SDK in place of its shared axios instance. It resolves with the
 * response body like the SDK expects, and turns every failure — non-2xx status, non-zero `code`,
 * network error, timeout — into a {@link LarkApiError} that carries no request headers or body
 * (axios errors keep both, so the app secret or a tenant token could reach a log). JSON APIs only.
 */
export function createLarkHttp(options: LarkHttpOptions): HttpInstance {
  const scrub = (text: string) => redact(text, options.secrets);

  async function request<R>(opts: HttpRequestOptions<unknown>): Promise<R> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const url = new URL(opts.url ?? '');
    const query = serializeParams(opts);
    if (query.length > 0) url.search = query;
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(opts.headers ?? {})) if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    const hasBody = opts.data !== undefined && method !== 'GET' && method !== 'HEAD';
    if (hasBody) headers['content-type'] ??= 'application/json; charset=utf-8';

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: hasBody ? JSON.stringify(opts.data) : undefined,
        // A redirect could carry the Authorization header to another host.
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeout ?? options.timeoutMs),
      });
    } catch (error) {
      throw new LarkApiError({ path: url.pathname, reason: scrub(describeNetworkError(error)), cause: socketCause(error) });
    }

    const text = await response.text().catch(() => '');
    const body = parseJson(text);
    const code = isRecord(body) && typeof body.code === 'number' ? body.code : undefined;
    if (!response.ok || (code !== undefined && code !== 0)) {
      const msg = isRecord(body) && typeof body.msg === 'string' ? body.msg : response.statusText || 'request failed';
      throw new LarkApiError({
        path: url.pathname,
        status: response.status,
        code,
        reason: scrub(msg).slice(0, 200),
        retryAfterMs: readRetryAfterMs(response.headers),
      });
    }
    return (opts.$return_headers ? { data: body, headers: Object.fromEntries(response.headers.entries()) } : body) as R;
  }

  const withMethod =
    (method: string) =>
    <R>(url: string, opts?: HttpRequestOptions<unknown>) =>
      request<R>({ ...opts, url, method });
  const withBody =
    (method: string) =>
    <R>(url: string, data?: unknown, opts?: HttpRequestOptions<unknown>) =>
      request<R>({ ...opts, url, method, data });

  return {
    request: (opts) => request(opts),
    get: withMethod('GET'),
    delete: withMethod('DELETE'),
    head: withMethod('HEAD'),
    options: withMethod('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  } as HttpInstance;
}

function serializeParams(opts: HttpRequestOptions<unknown>): string {
  const params = opts.params ?? {};
  const serializer = opts.paramsSerializer;
  if (typeof serializer === 'function') return serializer(params);
  if (serializer !== undefined && typeof serializer.serialize === 'function') return serializer.serialize(params, serializer);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  return search.toString();
}

/** Lark's gateway says how long to back off in `x-ogw-ratelimit-reset` (seconds); some paths use `Retry-After`. */
function readRetryAfterMs(headers: Headers): number | undefined {
  for (const name of ['x-ogw-ratelimit-reset', 'retry-after']) {
    const seconds = Number.parseFloat(headers.get(name) ?? '');
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'request timed out';
  const cause = socketCause(error) as NodeJS.ErrnoException | undefined;
  return `network error: ${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : 'request failed')}`;
}

/** The socket error (ECONNREFUSED …) behind fetch's "fetch failed"; it holds no request data. */
function socketCause(error: unknown): Error | undefined {
  const cause = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  return cause instanceof Error ? cause : undefined;
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cuts known secrets and anything shaped like a Lark access token (`t-…`, `a-…`, `u-…`) out of text. */
function redact(text: string, secrets: readonly string[]): string {
  const withoutSecrets = secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join('[redacted]') : out), text);
  return withoutSecrets.replace(/\b[tau]-[A-Za-z0-9_.-]{16,}/g, '[redacted]');
}
