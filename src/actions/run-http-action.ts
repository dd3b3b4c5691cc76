import type { ActionConfig } from '../config/action-schema.js';
import { SECRET_HEADER } from '../config/secret-header.js';
import { isWardenError, WardenError } from '../errors/warden-error.js';
import { createResultScrubber } from '../observability/create-result-scrubber.js';
import { describeFetchError } from '../shared/describe-fetch-error.js';
import { formatDuration } from '../shared/format-duration.js';
import { readBodyText } from '../shared/read-body-text.js';
import { formatDetail, startRemediationResult, type RemediationResult } from './remediation-result.js';
import { renderHttpRequest, type RenderedHttpRequest } from './render-http-request.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { describeRedirect } from '../shared/describe-redirect.js';
import { extractResponseSummary, type ResponseSummaryRule } from '../shared/extract-response-summary.js';
import { hasTemplatedHost } from '../config/has-templated-host.js';

/** An `http` action from config. */
export type HttpAction = Extract<ActionConfig, { kind: 'http' }>;

/** Options of {@link runHttpAction}. */
export interface HttpActionOptions {
  /** Sent as `Idempotency-Key`; the caller keeps it the same for every retry of one request. */
  idempotencyKey: string;
  /** The fetch to use; defaults to Node's global `fetch`. Tests inject fakes here. */
  fetch?: typeof fetch;
  /** Clock in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Further secret values to scrub (e.g. `listSecrets(config)`); the action's own headers are always scrubbed. */
  secrets?: readonly string[];
  /** The result scrubber of this process (see `createResultScrubber`); applied on top of `secrets` and the action's own. */
  scrub?: (text: string) => string;
  /** Copied to the result; defaults to `http`. */
  actionId?: string;
}

/** Read at most this much of a response body; `detail` shows the first 4 KiB of it. */
const READ_BYTES = 16 * 1024;
const EXCERPT_LENGTH = 120;
/** Header values that are never secrets; every other configured value is scrubbed from results. */
const PLAIN_HEADERS = new Set(['accept', 'content-type', 'user-agent']);
const TEXTUAL_CONTENT = /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded)\b)/i;
/** Statuses a retry can fix: Request Timeout, Too Early, Too Many Requests, and every 5xx. */
const TRANSIENT_STATUS = new Set([408, 425, 429]);

/**
 * Sends the action's request once: URL (inputs URL-encoded), headers and JSON body (each string of
 * the body rendered on its own, so label values stay JSON strings) with
 * `Idempotency-Key: <idempotencyKey>`. Every template input is checked against its `params`
 * pattern before anything is sent; a mismatch is a permanent failure naming the input and the
 * pattern, and no request is made.
 *
 * Redirects are never followed (a 3xx is a permanent failure), the request and the body read
 * stop after `timeoutSeconds`, and only the first {@link READ_BYTES} of the body are read.
 * 2xx is success; 408, 425, 429, 5xx, timeouts and network errors are transient; other 4xx
 * are permanent. Header values (they may hold `${ENV}` secrets) are never returned: summary and
 * detail are scrubbed of them, of any credentials in the URL, of `options.scrub`'s secrets (every
 * `${ENV}` value) and of every field, header and parameter named like a secret in what the target
 * echoes. A host outside the action's `allowHosts` is never contacted. Of the response body,
 * results keep raw text only from a host the URL names literally; from a host a template chose,
 * only what the action's `summary` rule extracts. Never throws for what the target does.
 */
export async function runHttpAction(action: HttpAction, inputs: Record<string, string>, options: HttpActionOptions): Promise<RemediationResult> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const known = [...(options.secrets ?? []), ...listActionSecrets(action)];
  const shared = options.scrub ?? ((text: string) => text);
  const withKnown = (secrets: string[]) => {
    const own = createResultScrubber(secrets);
    return (text: string) => own(shared(text));
  };
  let scrub = withKnown(known);
  const finish = startRemediationResult({ actionId: options.actionId ?? 'http', title: action.title }, { now, scrub: (text) => scrub(text) });
  const startedAt = now();

  let request: RenderedHttpRequest;
  try {
    request = renderHttpRequest(action, inputs, options.idempotencyKey);
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return finish({ ok: false, permanent: true, summary: `not sent: ${error.message}` });
  }
  // Credentials written into the URL template (sent as Basic auth) are secrets too.
  if (request.credentials.length > 0) scrub = withKnown([...known, ...request.credentials]);

  try {
    const response = await doFetch(request.url, {
      method: action.request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(action.timeoutSeconds * 1000),
    });
    const elapsed = formatDuration(now() - startedAt);
    const status = response.status;
    if (status >= 300 && status <= 399) {
      await response.body?.cancel().catch(() => undefined);
      return finish({ ok: false, status, permanent: true, summary: `HTTP ${status} in ${elapsed}${describeRedirect(response, request.url, !hasTemplatedHost(action.request.url))} (remediations never follow redirects; point the action at the final URL)` });
    }
    const ok = status >= 200 && status <= 299;
    const body = await readDetail(response, scrub, action.timeoutSeconds, { raw: !hasTemplatedHost(action.request.url), rule: action.summary });
    let summary = `HTTP ${status} in ${elapsed}`;
    if ((!ok || action.summary !== undefined) && body.excerpt !== '') summary += `: ${body.excerpt}`;
    return finish({
      ok,
      status,
      summary,
      ...(body.detail === '' ? {} : { detail: body.detail }),
      ...(ok ? {} : { permanent: !(TRANSIENT_STATUS.has(status) || status >= 500) }),
    });
  } catch (error) {
    const reason = describeFetchError(error, action.timeoutSeconds);
    const unknown = reason.startsWith('timed out') ? ' (the target may have applied it; a retry sends the same Idempotency-Key)' : '';
    return finish({ ok: false, permanent: false, summary: `not completed: ${reason}${unknown}` });
  }
}

/** Values of the action that may be secrets: every configured header value but the plain ones, each word of it, and URL credentials. */
function listActionSecrets(action: HttpAction): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(action.request.headers)) {
    if (PLAIN_HEADERS.has(name.toLowerCase()) && !SECRET_HEADER.test(name)) continue;
    const fixed = value.replace(/\{\{[^{}]*\}\}/g, ' ');
    found.push(fixed.trim(), ...fixed.split(/\s+/));
  }
  try {
    const url = new URL(action.request.url.replace(/\{\{[^{}]*\}\}/g, 'x'));
    if (url.password !== '') found.push(url.password);
    for (const [name, value] of url.searchParams) if (/token|secret|key|password|signature/i.test(name)) found.push(value);
  } catch {
    // Not parsable without its inputs: nothing to list.
  }
  return found.filter((value) => value.length > 0);
}

/**
 * The body as `detail` and a one-line excerpt. Raw text only from a host the action's URL names
 * literally; from a host a template chose, no detail and only what the summary rule extracts. A
 * summary rule, when set, gives the excerpt for every host.
 */
async function readDetail(
  response: Response,
  scrub: (text: string) => string,
  timeoutSeconds: number,
  shown: { raw: boolean; rule: ResponseSummaryRule | undefined },
): Promise<{ detail: string; excerpt: string }> {
  const type = response.headers.get('content-type');
  if ((type !== null && !TEXTUAL_CONTENT.test(type)) || (!shown.raw && shown.rule === undefined)) {
    await response.body?.cancel().catch(() => undefined);
    return { detail: '', excerpt: '' };
  }
  try {
    const { text, truncated } = await readBodyText(response, READ_BYTES);
    // Scrubbed whole before any cut or extraction, so neither can leave half a secret.
    const clean = scrub(text);
    const excerpt = sanitizeText(shown.rule === undefined ? clean : extractResponseSummary(shown.rule, clean), EXCERPT_LENGTH);
    return { detail: shown.raw ? formatDetail(clean, (same) => same, { notAllRead: truncated }) : '', excerpt };
  } catch (error) {
    return { detail: shown.raw ? `(body not read: ${describeFetchError(error, timeoutSeconds)})` : '', excerpt: '' };
  }
}
