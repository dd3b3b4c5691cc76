import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { signValue } from '../../../src/web-console/console-session.js';
import { parseJsonObject, readBody, startFakeHttpServer, type FakeHttpServer } from '../../support/fake-http-server.js';
import { readAuditHistory } from '../../support/read-audit-history.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';

/** The `Set-Cookie` values of a response, as `name=value` pairs. */
function cookiesOf(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    return [name!, value.join('=')];
  }));
}

/** One request the fake Lark API received. */
interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake answers: HTTP status and JSON (or `destroy` to drop the connection unanswered). */
type Answer = { status: number; json: unknown } | 'destroy';

/**
 * "Sign in with Lark" for the web console against a fake Lark OpenAPI on loopback: the redirect
 * with state and PKCE, the code exchange at the token endpoint, the user info call, the session
 * cookie — and every refusal, none of which signs anyone in.
 */
describe('web console: Sign in with Lark', () => {
  const appId = 'cli_a1b2c3d4e5';
  const appSecret = randomSecret(32);
  const tenantKey = 'tenant_ok';
  const sessionKey = randomSecret(40);
  const redis = connectTestRedis();
  let lark: FakeHttpServer;
  let t: TestWarden;
  let received: Received[] = [];
  /** Added to the real clock: lets a test age the state cookie. */
  let skewMs = 0;
  let accessToken = '';
  let answerToken: () => Answer;
  let answerUser: () => Answer;

  const user = (openId: string, tenant = tenantKey): Answer => ({ status: 200, json: { code: 0, msg: 'success', data: { open_id: openId, union_id: 'on_union1', user_id: 'u1', tenant_key: tenant, name: 'Alice', email: '' } } });

  beforeAll(async () => {
    lark = await startFakeHttpServer(async (request, response) => {
      const body = await readBody(request);
      const path = (request.url ?? '').split('?')[0]!;
      received.push({ method: request.method ?? '', path, headers: request.headers, body });
      const answer = path === '/open-apis/authen/v2/oauth/token' ? answerToken() : path === '/open-apis/authen/v1/user_info' ? answerUser() : { status: 404, json: { code: 404 } };
      if (answer === 'destroy') {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.json));
    });
    t = await startTestWarden({
      name: 'console-lark',
      now: () => Date.now() + skewMs,
      tree: {
        console: {
          enabled: true,
          slackSignIn: {
            clientId: '1234.5678',
            clientSecret: randomSecret(32),
            redirectUrl: 'http://127.0.0.1/console/auth/slack/callback',
            sessionKey: randomSecret(40),
            authorizeUrl: 'https://slack.example/openid/connect/authorize',
          },
          larkSignIn: {
            appId,
            appSecret,
            redirectUrl: 'http://127.0.0.1/console/auth/lark/callback',
            sessionKey,
            tenantKey,
            apiUrl: `http://127.0.0.1:${lark.port}/open-apis/`,
            authorizeUrl: 'https://accounts.lark.example/open-apis/authen/v1/authorize',
          },
        },
        access: {
          people: { alice: ['lark:ou_alice1'] },
          groups: { viewers: ['alice'] },
          permissions: { 'console.view': ['viewers'] },
        },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await lark?.close();
    redis.disconnect();
  });

  beforeEach(() => {
    received = [];
    skewMs = 0;
    accessToken = `u-${randomSecret(24)}`;
    answerToken = () => ({ status: 200, json: { code: 0, access_token: accessToken, expires_in: 7200, token_type: 'Bearer', scope: '' } });
    answerUser = () => user('ou_alice1');
  });

  const history = () => readAuditHistory(redis, createRedisKeys(t.prefix), t.config.audit.file);
  const signIns = async () => (await history()).filter((entry) => entry.type === 'console.signin');

  /** Starts a sign-in: Lark's authorization URL and the state cookie. */
  async function start(): Promise<{ state: string; challenge: string; cookie: string }> {
    const response = await fetch(`${t.url}/console/auth/lark`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://accounts.lark.example/open-apis/authen/v1/authorize');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: appId,
      app_id: appId,
      redirect_uri: 'http://127.0.0.1/console/auth/lark/callback',
      response_type: 'code',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    expect(response.headers.getSetCookie()[0]).toMatch(/^warden_console_state=[^;]+; Path=\/console\/auth; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/);
    // Starting a sign-in asks nothing of Lark yet.
    expect(received).toEqual([]);
    return { state: location.searchParams.get('state')!, challenge: location.searchParams.get('code_challenge')!, cookie: `warden_console_state=${cookiesOf(response).get('warden_console_state')}` };
  }

  const callback = (query: Record<string, string>, cookie: string) =>
    fetch(`${t.url}/console/auth/lark/callback?${new URLSearchParams(query)}`, { redirect: 'manual', headers: { cookie } });

  /** A refusal with `status` that signed nobody in: no session cookie, the state cookie spent, no sign-in audited; its page text. */
  async function expectRefused(response: Response, status: number, signInsBefore: number): Promise<string> {
    expect(response.status).toBe(status);
    const cookies = cookiesOf(response);
    expect(cookies.has('warden_console')).toBe(false);
    expect(cookies.get('warden_console_state')).toBe('');
    expect(await signIns()).toHaveLength(signInsBefore);
    const text = (await response.text()).replaceAll('&#39;', "'");
    expect(text).not.toContain(appSecret);
    expect(text).not.toContain(accessToken);
    return text;
  }

  it('offers both configured sign-ins on the 401 page', async () => {
    const response = await fetch(`${t.url}/console/incidents`);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).toContain('href="/console/auth/slack"');
    expect(text).toContain('href="/console/auth/lark"');
    expect(text).toContain('Sign in with Lark');
    expect(text).toContain('sign in with Slack or Lark, or through the authenticating proxy');
  });

  it('signs alice in: the code and PKCE verifier to the token endpoint, the user token to user_info, then a session cookie that opens the console', async () => {
    const { state, challenge, cookie } = await start();
    const response = await callback({ code: 'code-1', state }, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/console/incidents');

    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /open-apis/authen/v2/oauth/token', 'GET /open-apis/authen/v1/user_info']);
    const [token, info] = received as [Received, Received];
    expect(token.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = parseJsonObject(token.body);
    expect(body).toEqual({ grant_type: 'authorization_code', client_id: appId, client_secret: appSecret, code: 'code-1', redirect_uri: 'http://127.0.0.1/console/auth/lark/callback', code_verifier: expect.any(String) });
    expect(createHash('sha256').update(String(body.code_verifier)).digest('base64url')).toBe(challenge);
    expect(info.headers.authorization).toBe(`Bearer ${accessToken}`);
    // The app secret went to the token endpoint only; neither it nor the user token was logged.
    expect(JSON.stringify({ ...info, body: info.body })).not.toContain(appSecret);
    expect(t.rawLogs()).not.toContain(appSecret);
    expect(t.rawLogs()).not.toContain(accessToken);

    const line = response.headers.getSetCookie().find((l) => l.startsWith('warden_console='));
    expect(line).toMatch(/^warden_console=lark\.[^;]+; Path=\/console; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/);
    const session = cookiesOf(response).get('warden_console')!;
    const page = await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as <strong>alice</strong>');
    expect(await signIns()).toEqual([expect.objectContaining({ actor: 'alice', outcome: 'ok', detail: expect.objectContaining({ method: 'lark', identities: ['lark:ou_alice1'], hours: 8 }) })]);

    // A tampered cookie is nobody's, and so is Lark's cookie presented as Slack's (another key signs those).
    expect((await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session.slice(0, -2)}xx` } })).status).toBe(401);
    expect((await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=slack.${session.slice(5)}` } })).status).toBe(401);
    expect((await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session.slice(5)}` } })).status).toBe(401);
    // Past its hours, the session is over.
    skewMs = 8 * 3600_000 + 1000;
    expect((await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session}` } })).status).toBe(401);
  });

  it('refuses a callback without its state cookie, with another state, with Slack\'s state cookie or after ten minutes, asking Lark nothing', async () => {
    const before = (await signIns()).length;
    const { state, cookie } = await start();
    await expectRefused(await callback({ code: 'code-1', state }, ''), 401, before);
    expect(await expectRefused(await callback({ code: 'code-1', state: `${state}x` }, cookie), 401, before)).toContain('was not started here');
    const slack = await fetch(`${t.url}/console/auth/slack`, { redirect: 'manual' });
    const slackState = new URL(slack.headers.get('location')!).searchParams.get('state')!;
    await expectRefused(await callback({ code: 'code-1', state: slackState }, `warden_console_state=${cookiesOf(slack).get('warden_console_state')}`), 401, before);
    skewMs = 600_000 + 1000;
    await expectRefused(await callback({ code: 'code-1', state }, cookie), 401, before);
    skewMs = 0;
    await expectRefused(await callback({ error: 'access_denied', state }, cookie), 401, before);
    await expectRefused(await callback({ state }, cookie), 401, before);
    expect(received).toEqual([]);
  });

  it('refuses what Lark refuses or answers wrongly, saying why without Lark\'s free text, the secret or the token', async () => {
    const before = (await signIns()).length;
    const cases: [string, () => void, string][] = [
      ['an OAuth error', () => (answerToken = () => ({ status: 400, json: { code: 20003, error: 'invalid_grant', error_description: `bad code for ${appSecret}` } })), 'Lark refused the sign-in (code 20003 invalid_grant)'],
      ['a non-zero code', () => (answerToken = () => ({ status: 200, json: { code: 20050, access_token: accessToken } })), 'Lark refused the sign-in (code 20050)'],
      ['no token', () => (answerToken = () => ({ status: 200, json: { code: 0 } })), 'Lark answered without a user access token'],
      ['user info refused', () => (answerUser = () => ({ status: 401, json: { code: 99991668, msg: `invalid ${accessToken}` } })), 'Lark did not say who signed in (code 99991668)'],
      ['another tenant', () => (answerUser = () => user('ou_alice1', 'tenant_other')), 'the Lark user is not of tenant tenant_ok'],
      ['a union id for an open_id', () => (answerUser = () => user('on_alice1')), 'Lark named no user'],
      ['a malformed open_id', () => (answerUser = () => user('ou_<b>x</b>')), 'Lark named no user'],
      ['a dropped connection', () => (answerToken = () => 'destroy'), "Lark's token endpoint could not be reached"],
      ['HTML for JSON', () => (answerUser = () => ({ status: 502, json: '<html>' })), "Lark's user info endpoint answered HTTP 502 without a JSON object"],
    ];
    for (const [what, arrange, reason] of cases) {
      answerToken = () => ({ status: 200, json: { code: 0, access_token: accessToken } });
      answerUser = () => user('ou_alice1');
      arrange();
      const { state, cookie } = await start();
      const text = await expectRefused(await callback({ code: 'code-1', state }, cookie), 401, before);
      expect(text, what).toContain(reason);
      expect(text, what).not.toContain('bad code for');
      received = [];
    }
  });

  it('refuses a Lark user without console.view (403, audited as denied), with no session', async () => {
    const before = (await signIns()).length;
    answerUser = () => user('ou_stranger1');
    const { state, cookie } = await start();
    const text = await expectRefused(await callback({ code: 'code-1', state }, cookie), 403, before);
    expect(text).toContain('lark:ou_stranger1 may not view the console');
    expect((await history()).filter((entry) => entry.type === 'console.denied')).toEqual([expect.objectContaining({ actor: 'lark:ou_stranger1', outcome: 'denied' })]);
  });

  it('checks console.view on every request: a well-signed session of someone without it is refused (403)', async () => {
    const session = `lark.${signValue(sessionKey, { id: 'lark:ou_former1', m: 'lark', exp: Date.now() + 3600_000 })}`;
    const page = await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${session}` } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('lark:ou_former1 may not view the console any more');
    // Signed with the right key but for another platform's identity, or without the method inside: nobody's.
    for (const payload of [{ id: 'slack:U0ALICE', m: 'lark' }, { id: 'lark:ou_alice1' }, { id: 'lark:ou_alice1', m: 'slack' }]) {
      const forged = `lark.${signValue(sessionKey, { ...payload, exp: Date.now() + 3600_000 })}`;
      expect((await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${forged}` } })).status).toBe(401);
    }
    const alice = `lark.${signValue(sessionKey, { id: 'lark:ou_alice1', m: 'lark', exp: Date.now() + 3600_000 })}`;
    expect((await fetch(`${t.url}/console/incidents`, { headers: { cookie: `warden_console=${alice}` } })).status).toBe(200);
  });
});
