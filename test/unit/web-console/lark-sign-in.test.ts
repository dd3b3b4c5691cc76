import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { buildLarkAuthorizeUrl, exchangeLarkCode, resolveLarkSignIn, type LarkSignInSettings } from '../../../src/web-console/lark-sign-in.js';

const secret = 's3cr3t-app-secret-0123456789abcdef';
const settings: LarkSignInSettings = {
  appId: 'cli_a1',
  appSecret: secret,
  redirectUrl: 'https://warden.example.com/console/auth/lark/callback',
  apiUrl: 'https://open.larksuite.com/open-apis/',
  authorizeUrl: 'https://accounts.larksuite.com/open-apis/authen/v1/authorize',
};

function configWith({ larkSignIn, ...tree }: Record<string, unknown>) {
  return configSchema.parse({
    alertmanager: { token: 'x'.repeat(32) },
    ...tree,
    console: { enabled: true, larkSignIn: { appId: 'cli_a1', appSecret: secret, redirectUrl: settings.redirectUrl, sessionKey: 'k'.repeat(32), ...(larkSignIn as object | undefined) } },
  });
}

/** A fetch that answers each call with the next JSON body, recording what it was asked. */
function answering(...bodies: unknown[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify(bodies[calls.length - 1]), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('resolveLarkSignIn', () => {
  it('follows lark.domain (Feishu by default) for the API, and the accounts host for the authorization page', () => {
    expect(resolveLarkSignIn(configWith({}))?.settings).toMatchObject({ apiUrl: 'https://open.feishu.cn/open-apis/', authorizeUrl: 'https://accounts.feishu.cn/open-apis/authen/v1/authorize' });
    const lark = { appId: 'cli_a1b2c3d4e5f60718', appSecret: 'bot-secret', transport: 'websocket', domain: 'https://open.larksuite.com', tenantKey: 'tenant_a' };
    expect(resolveLarkSignIn(configWith({ lark }))).toMatchObject({
      settings: { apiUrl: 'https://open.larksuite.com/open-apis/', authorizeUrl: 'https://accounts.larksuite.com/open-apis/authen/v1/authorize' },
      tenantKey: 'tenant_a',
    });
    const own = resolveLarkSignIn(configWith({ lark, larkSignIn: { apiUrl: 'https://lark.internal.example/open-apis', tenantKey: 'tenant_b' } }));
    expect(own).toMatchObject({ settings: { apiUrl: 'https://lark.internal.example/open-apis/', authorizeUrl: 'https://lark.internal.example/open-apis/authen/v1/authorize' }, tenantKey: 'tenant_b' });
    expect(resolveLarkSignIn(configSchema.parse({ alertmanager: { token: 'x'.repeat(32) } }))).toBeUndefined();
  });
});

describe('buildLarkAuthorizeUrl', () => {
  it('names the app, the redirect URL, the state and the PKCE challenge, never the secret or the verifier', () => {
    const url = new URL(buildLarkAuthorizeUrl(settings, 'state-1', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'));
    expect(url.searchParams.get('code_challenge')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(url.searchParams.get('client_id')).toBe('cli_a1');
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.toString()).not.toContain(secret);
    expect(url.toString()).not.toContain('dBjftJeZ4CVP');
  });
});

describe('exchangeLarkCode', () => {
  it('asks the token endpoint, then user_info with the user token, neither following redirects', async () => {
    const { calls, fetchImpl } = answering({ code: 0, access_token: 'u-token' }, { code: 0, data: { open_id: 'ou_a1', tenant_key: 'tenant_a' } });
    expect(await exchangeLarkCode(settings, 'tenant_a', 'code-1', 'verifier', fetchImpl)).toEqual({ ok: true, identity: 'lark:ou_a1' });
    expect(calls.map((call) => call.url)).toEqual(['https://open.larksuite.com/open-apis/authen/v2/oauth/token', 'https://open.larksuite.com/open-apis/authen/v1/user_info']);
    expect(calls.map((call) => call.init.redirect)).toEqual(['error', 'error']);
    expect(calls.every((call) => call.init.signal instanceof AbortSignal)).toBe(true);
    expect(JSON.stringify(calls[1])).not.toContain(secret);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    const hanging = ((_url: URL | string, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    expect(await exchangeLarkCode(settings, undefined, 'code-1', 'verifier', hanging, 20)).toEqual({ ok: false, reason: "Lark's token endpoint did not answer within 0.02 s" });
  });

  it('keeps the secret, the token and Lark\'s free text out of every reason', async () => {
    const answers: unknown[][] = [
      [{ code: 20003, error: 'invalid_grant', error_description: `wrong ${secret}` }],
      [{ code: 20024, error: `x ${secret}` }],
      [{ code: 0, access_token: 'u-token' }, { code: 99991668, msg: 'invalid u-token' }],
      [{ code: 0, access_token: 'u-token' }, { code: 0, data: { open_id: 'ou_a1 u-token' } }],
    ];
    for (const bodies of answers) {
      const result = await exchangeLarkCode(settings, undefined, 'code-1', 'verifier', answering(...bodies).fetchImpl);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toMatch(new RegExp(`${secret}|u-token`));
    }
  });
});
