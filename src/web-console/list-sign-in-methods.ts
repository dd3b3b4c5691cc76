import type { Config } from '../config/config-schema.js';
import { exchangeLarkCode, buildLarkAuthorizeUrl, resolveLarkSignIn } from './lark-sign-in.js';
import { buildSlackAuthorizeUrl, exchangeSlackCode } from './slack-sign-in.js';

/** What a chat sign-in established: the person's chat identity, or why it failed. */
export type SignInResult = { ok: true; identity: string } | { ok: false; reason: string };

/**
 * One way to sign in to the console through a chat platform: all the shared sign-in routes (see
 * `registerSignInRoutes`) need to know of it.
 */
export interface SignInMethod {
  /** `slack` or `lark`: the routes' path (`/console/auth/<id>`), the session cookie's and the audit entry's `method`, the identities' prefix. */
  id: 'slack' | 'lark';
  /** The platform's name on the sign-in link ("Sign in with Slack"). */
  label: string;
  /** Signs this method's state and session cookies. */
  sessionKey: string;
  sessionHours: number;
  /** The platform's authorization page; `secret` is the sign-in's own random value (Slack's nonce, Lark's PKCE verifier). */
  buildAuthorizeUrl(state: string, secret: string): string;
  /** Turns the authorization code into the person's identity. */
  exchangeCode(code: string, secret: string, now: number): Promise<SignInResult>;
}

/** The configured chat sign-ins (`console.slackSignIn`, `console.larkSignIn`), in that order; `fetchImpl` reaches the platforms. */
export function listSignInMethods(config: Config, fetchImpl: typeof fetch = fetch): SignInMethod[] {
  const methods: SignInMethod[] = [];
  const slack = config.console.slackSignIn;
  if (slack) {
    const teamId = slack.teamId ?? config.slack?.teamId;
    methods.push({
      id: 'slack',
      label: 'Slack',
      sessionKey: slack.sessionKey,
      sessionHours: slack.sessionHours,
      buildAuthorizeUrl: (state, nonce) => buildSlackAuthorizeUrl(slack, teamId, state, nonce),
      exchangeCode: (code, nonce, now) => exchangeSlackCode(slack, teamId, code, nonce, now, fetchImpl),
    });
  }
  const lark = resolveLarkSignIn(config);
  if (lark && config.console.larkSignIn) {
    methods.push({
      id: 'lark',
      label: 'Lark',
      sessionKey: config.console.larkSignIn.sessionKey,
      sessionHours: config.console.larkSignIn.sessionHours,
      buildAuthorizeUrl: (state, verifier) => buildLarkAuthorizeUrl(lark.settings, state, verifier),
      exchangeCode: (code, verifier) => exchangeLarkCode(lark.settings, lark.tenantKey, code, verifier, fetchImpl),
    });
  }
  return methods;
}
