import type { ActionConfig } from '../config/action-schema.js';
import { describeFetchError } from './describe-fetch-error.js';
import { formatDuration } from './format-duration.js';
import type { ProbeResult } from './probe-result.js';
import { startProbeResult } from './start-probe-result.js';
import type { ProbeRunOptions } from './probe-options.js';
import { readBodyText } from './read-body-text.js';
import { escapeUrlComponent, renderTemplate } from './render-template.js';
import { sanitizeText } from './sanitize-text.js';
import { describeRedirect } from './describe-redirect.js';

/** An `http-check` action from config. */
export type HttpCheckAction = Extract<ActionConfig, { kind: 'http-check' }>;

const EXCERPT_BYTES = 512;
const EXCERPT_LENGTH = 80;
const TEXTUAL_CONTENT = /^(text\/|application\/([\w.+-]*\+)?(json|xml)\b)/i;

/**
 * Sends the action's GET or HEAD request to its URL (template inputs URL-encoded) and reports
 * whether the status is expected (`expectStatus`, default any 2xx): "HTTP 200 in 12 ms",
 * "HTTP 503 in 120 ms (expected 2xx): maintenance", "timed out after 5 s", "connection refused".
 * Redirects are reported, never followed. Whatever the target does, the outcome is a result.
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
    if (response.status >= 300 && response.status <= 399) summary += describeRedirect(response, url);
    if (!ok) {
      summary += ` (expected ${action.expectStatus?.join(', ') ?? '2xx'})`;
      const excerpt = await readExcerpt(response, action.method, options.scrub);
      if (excerpt !== '') summary += `: ${excerpt}`;
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


async function readExcerpt(response: Response, method: string, scrub: (text: string) => string = (text) => text): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (method === 'HEAD' || !TEXTUAL_CONTENT.test(type)) {
    await response.body?.cancel().catch(() => undefined);
    return '';
  }
  try {
    const { text } = await readBodyText(response, EXCERPT_BYTES);
    // Scrubbed whole before the cut, so a cut cannot leave half a secret.
    return sanitizeText(scrub(text), EXCERPT_LENGTH);
  } catch {
    return '';
  }
}
