import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { startFakeHttpServer, readBody, type FakeHttpServer } from '../../support/fake-http-server.js';
import { readAuditHistory } from '../../support/read-audit-history.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** The `Set-Cookie` values of a response, as `name=value` pairs. */
function cookiesOf(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    return [name!, value.join('=')];
  }));
}

/**
 * "Sign in with Slack" for the web console against a fake Slack token endpoint on loopback: the
 * redirect with state and nonce, the code exchange, the ID token's checks, the signed session cookie.
 */
describe('web console: Sign in with Slack', () => {
  const clientId = '1234.5678';
  const redis = connectTestRedis();
  let slack: FakeHttpServer;
  let t: TestWarden;
  /** What the fake token endpoint puts in the next ID token (set per test). */
  let claims: (nonce: string) => Record<string, unknown>;
  const exchanged: URLSearchParams[] = [];
  let lastNonce = '';

  beforeAll(async () => {
    slack = await startFakeHttpServer(async (request, response) => {
      const body = new URLSearchParams(await readBody(request));
      exchanged.push(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body.get('code') === 'bad' ? { ok: false, error: 'invalid_code' } : { ok: true, access_token: 'xoxp-x', id_token: jwt(claims(lastNonce)) }));
    });
    t = await startTestWarden({
      name: 'console-slack',
      tree: {
        console: {
          enabled: true,
          slackSignIn: {
            clientId,
            clientSecret: randomSecret(32),
            redirectUrl: 'http://127.0.0.1/console/auth/slack/callback',
            sessionKey: randomSecret(40),
            teamId: 'T0TEAM',
            apiUrl: `http://127.0.0.1:${slack.port}/api/`,
            authorizeUrl: 'https://slack.example/openid/connect/authorize',
          },
        },
        access: {
          people: { alice: ['slack:U0ALICE'] },
          groups: { viewers: ['alice'] },
          permissions: { 'console.view': ['viewers'] },
        },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    redis.disconnect();
  });

  const valid = (user: string) => (nonce: string) => ({ iss: 'https://slack.com', aud: clientId, exp: Math.floor(Date.now() / 1000) + 300, nonce, 'https://slack.com/user_id': user, 'https://slack.com/team_id': 'T0TEAM' });

  /** Starts a sign-in: Slack's authorization URL and the state cookie. */
  async function start(): Promise<{ state: string; cookie: string }> {
    const response = await fetch(`${t.url}/console/auth/slack`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://slack.example/openid/connect/authorize');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ response_type: 'code', scope: 'openid', client_id: clientId, team: 'T0TEAM' });
    expect(response.headers.getSetCookie()[0]).toMatch(/^warden_console_state=[^;]+; Path=\/console\/auth; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/);
    lastNonce = location.searchParams.get('nonce')!;
    return { state: location.searchParams.get('state')!, cookie: `warden_console_state=${cookiesOf(response).get('warden_console_state')}` };
  }

  const callback = (query: Record<string, string>, cookie: string) =>
    fetch(`${t.url}/console/auth/slack/callback?${new URLSearchParams(query)}`, { redirect: 'manual', headers: { cookie } });

  it('offers the sign-in on the 401 page', async () => {
    const response = await fetch(`${t.url}/console/incidents`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('href="/console/auth/slack"');
    // Only the sign-in routes themselves are open, not whatever lies under their path.
    expect((await fetch(`${t.url}/console/auth/anything`)).status).toBe(401);
    const signOut = await fetch(`${t.url}/console/auth/signout`);
    expect(signOut.status).toBe(200);
    expect(signOut.headers.getSetCookie()[0]).toMatch(/^warden_console=; Path=\/console; Max-Age=0;/);
  });

  it('signs alice in: a session cookie that opens the console, and one audit entry', async () => {
    claims = valid('U0ALICE');
    const { state, cookie } = await start();
    const response = await callback({ code: 'good', state }, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/console/incidents');
    expect(exchanged.at(-1)?.get('client_id')).toBe(clientId);
    const session = cookiesOf(response).get('warden_console');
    expect(response.headers.getSetCookie().find((line) => line.startsWith('warden_console='))).toMatch(/Path=\/console; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/);
    const page = await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as <strong>alice</strong>');
    // A tampered cookie is nobody's.
    const forged = await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session!.slice(0, -2)}xx` } });
    expect(forged.status).toBe(401);
    const history = await readAuditHistory(redis, createRedisKeys(t.prefix), t.config.audit.file);
    expect(history.filter((entry) => entry.type === 'console.signin')).toEqual([expect.objectContaining({ actor: 'alice', detail: expect.objectContaining({ method: 'slack', identities: ['slack:U0ALICE'] }) })]);
  });

  it('refuses a sign-in without its state cookie, with another state, a refused code, a wrong nonce or another workspace', async () => {
    claims = valid('U0ALICE');
    const { state, cookie } = await start();
    expect((await callback({ code: 'good', state }, '')).status).toBe(401);
    expect((await callback({ code: 'good', state: `${state}x` }, cookie)).status).toBe(401);
    expect((await callback({ code: 'bad', state }, cookie)).status).toBe(401);
    claims = (nonce) => ({ ...valid('U0ALICE')(nonce), nonce: 'other' });
    expect((await callback({ code: 'good', state }, cookie)).status).toBe(401);
    claims = (nonce) => ({ ...valid('U0ALICE')(nonce), 'https://slack.com/team_id': 'T0OTHER' });
    const other = await callback({ code: 'good', state }, cookie);
    expect(other.status).toBe(401);
    expect(await other.text()).toContain('not of workspace T0TEAM');
    expect(cookiesOf(other).has('warden_console')).toBe(false);
  });

  it('refuses a Slack user without console.view (403), with no session', async () => {
    claims = valid('U0STRANGER');
    const { state, cookie } = await start();
    const response = await callback({ code: 'good', state }, cookie);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('console.view');
    expect(cookiesOf(response).get('warden_console')).toBeUndefined();
  });
});
