import { createHash } from 'node:crypto';
import type { Config } from '../config/config-schema.js';
import { CHAT_IDENTITY } from '../config/identity-schema.js';

/** Warden's Lark base when `lark.domain` is not set: Feishu's, as for the chat adapter (`LARK_DOMAIN`). */
const DEFAULT_DOMAIN = 'https://open.feishu.cn';

/** How long each call to Lark may take. */
const CALL_TIMEOUT_MS = 10_000;

/** `console.larkSignIn` of the config, with its API and authorization page resolved (see {@link resolveLarkSignIn}). */
export interface LarkSignInSettings {
  appId: string;
  appSecret: string;
  redirectUrl: string;
  /** Lark's OpenAPI base, ending in `/`, e.g. `https://open.larksuite.com/open-apis/`. */
  apiUrl: string;
  /** Lark's authorization page, e.g. `https://accounts.larksuite.com/open-apis/authen/v1/authorize`. */
  authorizeUrl: string;
}

/** What Lark's sign-in established: the person's Lark identity (`lark:ou_…`), or why it failed (never with a secret or token in it). */
export type LarkSignInResult = { ok: true; identity: string } | { ok: false; reason: string };

/**
 * The sign-in's settings from the config: `apiUrl` defaults to `<lark.domain>/open-apis/` (Feishu's
 * `https://open.feishu.cn` without `lark.domain`), `authorizeUrl` to the authorization page on the
 * `accounts.` host of Feishu or Lark (another domain: its own `/open-apis/authen/v1/authorize`),
 * and the tenant to `lark.tenantKey`.
 */
export function resolveLarkSignIn(config: Config): { settings: LarkSignInSettings; tenantKey: string | undefined } | undefined {
  const signIn = config.console.larkSignIn;
  if (signIn === undefined) return undefined;
  const base = signIn.apiUrl ?? `${(config.lark?.domain ?? DEFAULT_DOMAIN).replace(/\/+$/, '')}/open-apis/`;
  const apiUrl = base.endsWith('/') ? base : `${base}/`;
  const api = new URL(apiUrl);
  // Feishu and Lark serve the authorization page from their accounts host; the open host only redirects there.
  const accounts = /^open\.(feishu\.cn|larksuite\.com)$/.test(api.hostname) ? `https://accounts.${api.hostname.slice(5)}/open-apis/` : apiUrl;
  return {
    settings: {
      appId: signIn.appId,
      appSecret: signIn.appSecret,
      redirectUrl: signIn.redirectUrl,
      apiUrl,
      authorizeUrl: signIn.authorizeUrl ?? new URL('authen/v1/authorize', accounts).toString(),
    },
    tenantKey: signIn.tenantKey ?? config.lark?.tenantKey,
  };
}

/** The PKCE challenge (S256) of a code verifier. */
function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Lark's authorization page for this sign-in (`authen/v1/authorize`): the app, where to come back,
 * the sign-in's `state`, and the PKCE challenge of `codeVerifier`. No `scope`: the user's
 * `open_id` and `tenant_key` need no permission.
 */
export function buildLarkAuthorizeUrl(settings: LarkSignInSettings, state: string, codeVerifier: string): string {
  const url = new URL(settings.authorizeUrl);
  url.searchParams.set('client_id', settings.appId);
  // The page's earlier name for the same parameter, still read by older deployments.
  url.searchParams.set('app_id', settings.appId);
  url.searchParams.set('redirect_uri', settings.redirectUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challengeOf(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** Why a call to Lark got no answer, without the request (its URL and body hold nothing to show). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `did not answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `could not be reached (${cause.code})` : 'could not be reached';
}

/** One JSON call to Lark: the answer as an object, whatever the HTTP status (Lark's errors are JSON too), or why there is none. */
async function callLark(fetchImpl: typeof fetch, url: URL, init: RequestInit, timeoutMs: number): Promise<{ answer: Record<string, unknown> } | { failure: string }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    return { failure: describeFailure(error, timeoutMs) };
  }
  try {
    const answer = (await response.json()) as unknown;
    if (answer !== null && typeof answer === 'object' && !Array.isArray(answer)) return { answer: answer as Record<string, unknown> };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { failure: describeFailure(error, timeoutMs) };
  }
  return { failure: `answered HTTP ${response.status} without a JSON object` };
}

/** Lark's answer code (`code`; the token endpoint's OAuth errors add `error`), for a reason; Lark's free text is left out. */
function describeRefusal(answer: Record<string, unknown>): string {
  const error = typeof answer.error === 'string' && /^[a-z_]{1,64}$/.test(answer.error) ? ` ${answer.error}` : '';
  const code = typeof answer.code === 'number' || typeof answer.code === 'string' ? String(answer.code).slice(0, 12) : 'none';
  return `code ${code}${error}`;
}

function isSuccess(answer: Record<string, unknown>): boolean {
  return answer.code === 0 || answer.code === '0';
}

/**
 * Exchanges the authorization code at Lark's token endpoint (`POST authen/v2/oauth/token`, with the
 * app secret and the PKCE verifier), then reads who signed in (`GET authen/v1/user_info` with the
 * user access token): their `open_id` becomes the identity, and with `tenantKey` their tenant must
 * be it. The token is used for that one call and kept nowhere.
 */
export async function exchangeLarkCode(
  settings: LarkSignInSettings,
  tenantKey: string | undefined,
  code: string,
  codeVerifier: string,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<LarkSignInResult> {
  const token = await callLark(
    fetchImpl,
    new URL('authen/v2/oauth/token', settings.apiUrl),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ grant_type: 'authorization_code', client_id: settings.appId, client_secret: settings.appSecret, code, redirect_uri: settings.redirectUrl, code_verifier: codeVerifier }),
    },
    timeoutMs,
  );
  if ('failure' in token) return { ok: false, reason: `Lark's token endpoint ${token.failure}` };
  if (!isSuccess(token.answer)) return { ok: false, reason: `Lark refused the sign-in (${describeRefusal(token.answer)})` };
  const accessToken = token.answer.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') return { ok: false, reason: 'Lark answered without a user access token' };

  const user = await callLark(fetchImpl, new URL('authen/v1/user_info', settings.apiUrl), { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } }, timeoutMs);
  if ('failure' in user) return { ok: false, reason: `Lark's user info endpoint ${user.failure}` };
  if (!isSuccess(user.answer)) return { ok: false, reason: `Lark did not say who signed in (${describeRefusal(user.answer)})` };
  const data = (user.answer.data ?? {}) as Record<string, unknown>;
  if (tenantKey !== undefined && data.tenant_key !== tenantKey) return { ok: false, reason: `the Lark user is not of tenant ${tenantKey}` };
  const identity = `lark:${typeof data.open_id === 'string' ? data.open_id : ''}`;
  if (!CHAT_IDENTITY.test(identity)) return { ok: false, reason: 'Lark named no user (no open_id of the form ou_…)' };
  return { ok: true, identity };
}
