import type { ActionConfig } from '../config/action-schema.js';
import { describeFetchError } from '../shared/describe-fetch-error.js';
import { formatDuration } from '../shared/format-duration.js';
import type { ProbeResult } from '../model/probe-result.js';
import { startProbeResult } from './start-probe-result.js';
import type { ProbeRunOptions } from './probe-options.js';
import { readBodyText } from '../shared/read-body-text.js';
import { escapeUrlComponent, renderTemplate } from '../templates/render-template.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { describeRedirect } from '../shared/describe-redirect.js';
import { isHostAllowed } from '../shared/is-host-allowed.js';
import { extractResponseSummary, type ResponseSummaryRule } from '../shared/extract-response-summary.js';
import { hasTemplatedHost } from '../config/has-templated-host.js';

/** An `http-check` action from config. */
export type HttpCheckAction = Extract<ActionConfig, { kind: 'http-check' }>;

const EXCERPT_BYTES = 512;
/** A summary rule reads more: the field it names may come after the first 512 bytes. */
const SUMMARY_RULE_BYTES = 16 * 1024;
const EXCERPT_LENGTH = 80;
const TEXTUAL_CONTENT = /^(text\/|application\/([\w.+-]*\+)?(json|xml)\b)/i;

/**
 * Sends the action's GET or HEAD request to its URL (template inputs URL-encoded) and reports
 * whether the status is expected (`expectStatus`, default any 2xx): "HTTP 200 in 12 ms",
 * "HTTP 503 in 120 ms (expected 2xx): maintenance", "timed out after 5 s", "connection refused".
 * Redirects are reported, never followed. A host outside the action's `allowHosts` is not
 * contacted. Of the body, a card sees an excerpt only from a host the URL names literally; from a
 * host a template chose, only what the action's `summary` rule extracts (which, when set, is
 * shown for every status). Whatever the target does, the outcome is a result.
 *
 * @throws WardenError `template_input_rejected` when an input fails its pattern; nothing is sent then.
 */
export async function runHttpCheck(action: HttpCheckAction, inputs: Record<string, string>, options: ProbeRunOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const rendered = renderTemplate(action.url, inputs, action.params, escapeUrlComponent);
  const startedAt = now();
  const finish = startProbeResult(action, options);

  const url = parseHttpUrl(rendered);
  if (url === undefined) return finish(false, 'not checked: the URL is not a valid http:// or https:// URL after templating');
  if (action.allowHosts !== undefined && !isHostAllowed(url, action.allowHosts)) {
    return finish(false, `not checked: the host ${sanitizeText(url.host, 120)} is not one this check may reach (allowHosts: ${sanitizeText(action.allowHosts.join(', '), 200)})`);
  }
  const shown = { raw: !hasTemplatedHost(action.url), rule: action.summary };

  try {
    const response = await doFetch(url, {
      method: action.method,
      redirect: 'manual',
      signal: AbortSignal.timeout(action.timeoutSeconds * 1000),
      headers: { accept: '*/*', 'user-agent': 'warden-http-check' },
    });
    const elapsed = formatDuration(now() - startedAt);
    const ok = action.expectStatus === undefined ? response.status >= 200 && response.status <= 299 : action.expectStatus.includes(response.status);
    let summary = `HTTP ${response.status} in ${elapsed}`;
    if (response.status >= 300 && response.status <= 399) summary += describeRedirect(response, url, shown.raw);
    if (!ok) {
      summary += ` (expected ${action.expectStatus?.join(', ') ?? '2xx'})`;
      summary += await describeBody(response, action.method, shown, options.scrub);
    } else if (shown.rule !== undefined) {
      summary += await describeBody(response, action.method, shown, options.scrub);
    } else {
      await response.body?.cancel().catch(() => undefined);
    }
    return finish(ok, summary);
  } catch (error) {
    return finish(false, describeFetchError(error, action.timeoutSeconds));
  }
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}


/**
 * ": <what of the body may be shown>", or `''`. Raw text only from a host the action names
 * literally; from a host a template chose, only what the action's summary rule extracts.
 */
async function describeBody(
  response: Response,
  method: string,
  shown: { raw: boolean; rule: ResponseSummaryRule | undefined },
  scrub: (text: string) => string = (text) => text,
): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (method === 'HEAD' || !TEXTUAL_CONTENT.test(type) || (!shown.raw && shown.rule === undefined)) {
    await response.body?.cancel().catch(() => undefined);
    return '';
  }
  try {
    const { text } = await readBodyText(response, shown.rule === undefined ? EXCERPT_BYTES : SUMMARY_RULE_BYTES);
    // Scrubbed whole before the cut (or the extraction), so a cut cannot leave half a secret.
    const clean = scrub(text);
    const excerpt = sanitizeText(shown.rule === undefined ? clean : extractResponseSummary(shown.rule, clean), EXCERPT_LENGTH);
    return excerpt === '' ? '' : `: ${excerpt}`;
  } catch {
    return '';
  }
}
