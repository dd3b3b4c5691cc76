import { WardenError } from '../errors/warden-error.js';
import { checkTargetHost } from './check-target-host.js';
import { escapeUrlComponent, renderTemplate } from '../templates/render-template.js';
import type { HttpAction } from './run-http-action.js';
import { sanitizeText } from '../shared/sanitize-text.js';

const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** An `http` action's request, rendered and ready to send. */
export interface RenderedHttpRequest {
  url: URL;
  headers: Headers;
  body: string | undefined;
  /** User-info from the URL, now in the Authorization header: to scrub. */
  credentials: string[];
}

/**
 * Renders an `http` action's request from `inputs`: the URL (inputs URL-encoded), the headers, and
 * the JSON body (each string rendered on its own, so label values stay JSON strings), plus
 * `Idempotency-Key`. Credentials written in the URL move to a Basic `Authorization` header. The
 * same inputs and action always give the same request: the approval card's preview and the run
 * come from here.
 *
 * @throws WardenError `template_input_rejected` (an input fails its pattern), `host_not_allowed`
 *   (the host is not in the action's `allowHosts`) or `invalid_request`.
 */
export function renderHttpRequest(action: HttpAction, inputs: Record<string, string>, idempotencyKey: string): RenderedHttpRequest {
  const { params } = action;
  const rendered = renderTemplate(action.request.url, inputs, params, escapeUrlComponent);
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw invalid('the URL is not a valid URL after templating');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('the URL is not an http:// or https:// URL');
  checkTargetHost(url, action.allowHosts);

  const headers = new Headers();
  for (const [name, template] of Object.entries(action.request.headers)) {
    const value = renderTemplate(template, inputs, params, escapeHeaderValue);
    try {
      headers.set(name, value);
    } catch {
      // The platform's message would quote the value, which may be a secret.
      throw invalid(`the header "${sanitizeText(name, 40)}" has an invalid name or value`);
    }
  }

  const body = action.request.body === undefined ? undefined : JSON.stringify(renderJson(action.request.body, inputs, params));
  if (body !== undefined && action.request.method === 'GET') throw invalid('a GET request cannot have a body; use POST, PUT, PATCH or DELETE');

  if (!HEADER_VALUE.test(idempotencyKey) || idempotencyKey.trim() === '') throw invalid('the idempotency key is empty or not a valid header value');
  headers.set('idempotency-key', idempotencyKey);
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (!headers.has('accept')) headers.set('accept', 'application/json, text/plain;q=0.9, */*;q=0.5');
  if (!headers.has('user-agent')) headers.set('user-agent', 'warden-remediation');

  // fetch refuses URLs with credentials: send them as Basic auth instead.
  const credentials: string[] = [];
  if (url.username !== '' || url.password !== '') {
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw invalid('the credentials in the URL are not valid percent-encoding');
    }
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    credentials.push(url.password, password, basic);
    if (!headers.has('authorization')) headers.set('authorization', `Basic ${basic}`);
    url.username = '';
    url.password = '';
  }
  url.hash = '';
  return { url, headers, body, credentials };
}

/** Each string of a JSON template rendered on its own; keys, numbers, booleans and null are copied. */
function renderJson(node: unknown, inputs: Record<string, string>, params: Record<string, string>): unknown {
  if (typeof node === 'string') return renderTemplate(node, inputs, params, (value) => value);
  if (Array.isArray(node)) return node.map((item) => renderJson(item, inputs, params));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, renderJson(value, inputs, params)]));
  }
  return node;
}

/** A header value may not carry control characters (no header splitting) nor characters beyond Latin-1. */
function escapeHeaderValue(value: string): string {
  if (!HEADER_VALUE.test(value)) {
    throw new WardenError('template_input_rejected', 'a header value may not contain control characters or characters beyond Latin-1');
  }
  return value;
}

function invalid(message: string): WardenError {
  return new WardenError('invalid_request', message);
}
