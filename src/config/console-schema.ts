import { z } from 'zod';
import { isHttpsOrLoopback } from './is-https-or-loopback.js';
import { secret } from './secret.js';

/** Signs the console's session and state cookies (HMAC-SHA256): the same rule for every sign-in. */
const sessionKeySchema = z.string().min(32, { message: 'must be at least 32 characters; generate one with `openssl rand -hex 32`' });

/** How long a console session lasts. */
const sessionHoursSchema = z.number().int().min(1).max(24).default(8);

/** A URL of a sign-in (where it sends the browser back, the platform's pages and API): https, or http only on a loopback address. */
function httpsUrlSchema(example: string, why = '') {
  return z.url({ protocol: /^https?$/ }).refine(isHttpsOrLoopback, { message: `must be an https:// URL (http:// only on a loopback address)${why}, e.g. ${example}` });
}

/**
 * "Sign in with Slack" (OpenID Connect): the person's Slack user becomes their identity
 * (`slack:U…`), and a signed session cookie keeps them signed in for `sessionHours`.
 */
export const slackSignInSchema = z.strictObject({
  clientId: secret('console.slackSignIn.clientId'),
  clientSecret: secret('console.slackSignIn.clientSecret'),
  /** Where Slack sends the browser back: Warden's `/console/auth/slack/callback`, as registered in the Slack app. */
  redirectUrl: httpsUrlSchema('https://warden.example.com/console/auth/slack/callback'),
  /** Signs the session cookie (HMAC-SHA256): `openssl rand -hex 32`. */
  sessionKey: sessionKeySchema,
  sessionHours: sessionHoursSchema,
  /** Only people of this workspace (`team_id`) may sign in; default `slack.teamId`. */
  teamId: z.string().regex(/^[TE][A-Z0-9]{2,32}$/, { message: 'must be a Slack workspace id such as T0123ABCD' }).optional(),
  /** Slack's Web API (the token endpoint) and authorization page; other values only for a Slack elsewhere (or a test). */
  apiUrl: z.url().default('https://slack.com/api/'),
  authorizeUrl: z.url().default('https://slack.com/openid/connect/authorize'),
});

/**
 * "Sign in with Lark" (Lark / Feishu OAuth 2.0): the person's Lark user becomes their identity
 * (`lark:ou_…`, the app's `open_id` of them), and a signed session cookie keeps them signed in for
 * `sessionHours`.
 */
export const larkSignInSchema = z.strictObject({
  /** The App ID of the Lark app people sign in to (`cli_…`; Credentials & Basic Info). */
  appId: secret('console.larkSignIn.appId'),
  /** Its App Secret: sent only to Lark's token endpoint. */
  appSecret: secret('console.larkSignIn.appSecret'),
  /** Where Lark sends the browser back: Warden's `/console/auth/lark/callback`, as registered in the app's Security Settings. */
  redirectUrl: httpsUrlSchema('https://warden.example.com/console/auth/lark/callback'),
  /** Signs the session cookie (HMAC-SHA256): `openssl rand -hex 32`; may be the same as Slack's. */
  sessionKey: sessionKeySchema,
  sessionHours: sessionHoursSchema,
  /** Only people of this tenant (`tenant_key`) may sign in; default `lark.tenantKey`. */
  tenantKey: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be the Lark tenant_key (letters, digits, "_" and "-")' }).optional(),
  /** Lark's OpenAPI base (token and user info endpoints); default `<lark.domain>/open-apis/` (`https://open.feishu.cn/open-apis/`, or Lark's `https://open.larksuite.com/open-apis/`). */
  apiUrl: httpsUrlSchema('https://open.larksuite.com/open-apis/', ': the app secret is sent there').optional(),
  /** Lark's authorization page; default the `accounts.` host of that domain, `…/open-apis/authen/v1/authorize`. */
  authorizeUrl: httpsUrlSchema('https://accounts.larksuite.com/open-apis/authen/v1/authorize').optional(),
});

/** `console`: the read-only web console at `/console`, behind an authenticating reverse proxy or a chat sign-in. */
export const consoleSchema = z.strictObject({
  /** Off by default; on, it needs `server.trustedProxies` (the proxy's addresses), `slackSignIn` or `larkSignIn`, and holders of `console.view`. */
  enabled: z.boolean().default(false),
  slackSignIn: slackSignInSchema.optional(),
  larkSignIn: larkSignInSchema.optional(),
});
