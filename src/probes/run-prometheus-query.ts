import type { ActionConfig } from '../config/action-schema.js';
import { describeFetchError } from '../shared/describe-fetch-error.js';
import type { ProbeResult } from '../model/probe-result.js';
import { startProbeResult } from './start-probe-result.js';
import type { ProbeRunOptions } from './probe-options.js';
import { readBodyText } from '../shared/read-body-text.js';
import { escapePromQLString, escapeUrlComponent, renderTemplate } from '../templates/render-template.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import { summarizePrometheusAnswer } from './summarize-prometheus-answer.js';

/** A `prometheus` action from config. */
export type PrometheusAction = Extract<ActionConfig, { kind: 'prometheus' }>;

/** Answers above this size are refused rather than parsed: a probe should select a few series. */
export const MAX_PROMETHEUS_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * Runs the action's PromQL as an instant query (`GET <url>/api/v1/query`), template inputs escaped
 * for PromQL strings, and summarises the answer (see {@link summarizePrometheusAnswer}).
 * Timeouts, unreachable servers, API errors and non-JSON answers are results with `ok: false`.
 *
 * @throws WardenError `template_input_rejected` when an input fails its pattern; nothing is sent then.
 */
export async function runPrometheusQuery(action: PrometheusAction, inputs: Record<string, string>, options: ProbeRunOptions = {}): Promise<ProbeResult> {
  const doFetch = options.fetch ?? fetch;
  const query = renderTemplate(action.query, inputs, action.params, escapePromQLString);
  const base = renderTemplate(action.url, inputs, action.params, escapeUrlComponent);
  const finish = startProbeResult(action, options);

  const request = buildQueryRequest(base, query, action.timeoutSeconds);
  if (request === undefined) return finish(false, 'not queried: the Prometheus URL is not a valid http:// or https:// URL');

  try {
    const response = await doFetch(request.url, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(action.timeoutSeconds * 1000),
      headers: request.headers,
    });
    const body = await readBodyText(response, MAX_PROMETHEUS_ANSWER_BYTES);
    if (body.truncated) return finish(false, `HTTP ${response.status}: answer larger than ${MAX_PROMETHEUS_ANSWER_BYTES / 1024 / 1024} MiB; narrow the query`);
    let answer: unknown;
    try {
      answer = JSON.parse(body.text);
    } catch {
      // Scrubbed whole before the cut, so a cut cannot leave half a secret.
      const excerpt = sanitizeText(options.scrub ? options.scrub(body.text) : body.text, 80);
      return finish(false, `HTTP ${response.status}, not a Prometheus API answer${excerpt === '' ? '' : `: ${excerpt}`}`);
    }
    const verdict = summarizePrometheusAnswer(answer, action.threshold);
    return finish(verdict.ok, verdict.summary);
  } catch (error) {
    return finish(false, describeFetchError(error, action.timeoutSeconds));
  }
}

function buildQueryRequest(base: string, query: string, timeoutSeconds: number): { url: URL; headers: Record<string, string> } | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'warden-prometheus-query' };
  // fetch refuses URLs with credentials: send them as Basic auth instead.
  if (url.username !== '' || url.password !== '') {
    let credentials: string;
    try {
      credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    } catch {
      return undefined;
    }
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
  url.searchParams.set('query', query);
  // Prometheus stops evaluating too, instead of working on after Warden has given up.
  url.searchParams.set('timeout', String(timeoutSeconds));
  url.hash = '';
  return { url, headers };
}
