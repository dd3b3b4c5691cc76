import type { Config } from '../config/config-schema.js';

/** `console.slackSignIn` of the config. */
export type SlackSignInSettings = NonNullable<Config['console']['slackSignIn']>;

/** What Slack's sign-in established: the person's Slack identity, or why it failed. */
export type SlackSignInResult = { ok: true; identity: string } | { ok: false; reason: string };

/** Slack's OpenID Connect authorization page for this sign-in ("Sign in with Slack", scope `openid`). */
export function buildSlackAuthorizeUrl(settings: SlackSignInSettings, teamId: string | undefined, state: string, nonce: string): string {
  const url = new URL(settings.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUrl);
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  if (teamId !== undefined) url.searchParams.set('team', teamId);
  return url.toString();
}

function decodeJwtPayload(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== 'string') return undefined;
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Exchanges the authorization code at Slack's token endpoint (`openid.connect.token`) and checks the
 * ID token it answers with: issuer Slack, audience this app, not expired, the sign-in's nonce, and
 * the workspace when `teamId` is set. The token comes straight from Slack over TLS, which stands in
 * for checking its signature (OpenID Connect Core 3.1.3.7).
 */
export async function exchangeSlackCode(
  settings: SlackSignInSettings,
  teamId: string | undefined,
  code: string,
  nonce: string,
  now: number,
  fetchImpl: typeof fetch = fetch,
): Promise<SlackSignInResult> {
  let answer: Record<string, unknown>;
  try {
    const response = await fetchImpl(new URL('openid.connect.token', settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, code, redirect_uri: settings.redirectUrl, grant_type: 'authorization_code' }).toString(),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    answer = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, reason: `Slack's token endpoint did not answer (${(error as Error).message})` };
  }
  if (answer.ok !== true) return { ok: false, reason: `Slack refused the sign-in (${typeof answer.error === 'string' ? answer.error.slice(0, 80) : 'no reason given'})` };
  const claims = decodeJwtPayload(answer.id_token);
  if (claims === undefined) return { ok: false, reason: 'Slack answered without an ID token' };
  const userId = claims['https://slack.com/user_id'];
  const team = claims['https://slack.com/team_id'];
  if (claims.iss !== 'https://slack.com') return { ok: false, reason: 'the ID token was not issued by Slack' };
  if (claims.aud !== settings.clientId) return { ok: false, reason: 'the ID token is for another Slack app' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return { ok: false, reason: 'the ID token has expired' };
  if (claims.nonce !== nonce) return { ok: false, reason: "the ID token does not carry this sign-in's nonce" };
  if (teamId !== undefined && team !== teamId) return { ok: false, reason: `the Slack user is not of workspace ${teamId}` };
  if (typeof userId !== 'string' || !/^[UW][A-Z0-9]{2,32}$/.test(userId)) return { ok: false, reason: 'the ID token names no Slack user' };
  return { ok: true, identity: `slack:${userId}` };
}
