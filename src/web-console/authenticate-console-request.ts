import type { IncomingHttpHeaders } from 'node:http';
import { checkPermission } from '../access/check-permission.js';
import { findPerson } from '../access/find-person.js';
import { CONSOLE_IDENTITY, type Config } from '../config/config-schema.js';
import type { IsTrustedProxy } from './trusted-proxies.js';

/** Who is asking for a console page, as {@link authenticateConsoleRequest} decided. */
export type ConsoleVisitor =
  /** No identity: the request did not come through a trusted proxy, or the proxy forwarded none (401). */
  | { outcome: 'anonymous'; reason: string }
  /** Signed in at the proxy, but neither identity holds `console.view` (403). */
  | { outcome: 'forbidden'; identities: string[]; reason: string }
  /** `identity` holds `console.view`; `person` is their name in `access.people`, or the identity. */
  | { outcome: 'allowed'; identity: string; person: string };

/** The headers an authenticating proxy (oauth2-proxy, nginx `auth_request`) sets for the signed-in user. */
export const USER_HEADER = 'x-forwarded-user';
export const EMAIL_HEADER = 'x-forwarded-email';

function single(value: string | string[] | undefined): string | undefined {
  // A header sent twice is ambiguous: nobody.
  if (Array.isArray(value)) return undefined;
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The console identities a proxy forwarded: `email:<lowercase address>` and `sso:<user>`, those well formed. */
export function readForwardedIdentities(headers: IncomingHttpHeaders): string[] {
  const email = single(headers[EMAIL_HEADER])?.toLowerCase();
  const user = single(headers[USER_HEADER]);
  return [email === undefined ? undefined : `email:${email}`, user === undefined ? undefined : `sso:${user}`].filter(
    (identity): identity is string => identity !== undefined && CONSOLE_IDENTITY.test(identity),
  );
}

/**
 * Decides a console request: the forwarded identity headers count only when the direct peer (the
 * socket's address, never `X-Forwarded-For`) is a trusted proxy; the identities are mapped to a
 * person through `access.people`, and the person (or the identity, through a group) must hold
 * `console.view` — the same rule as every chat permission.
 */
export function authenticateConsoleRequest(access: Config['access'], isTrustedProxy: IsTrustedProxy, peer: string | undefined, headers: IncomingHttpHeaders): ConsoleVisitor {
  if (!isTrustedProxy(peer)) {
    return { outcome: 'anonymous', reason: 'the console is served only through the authenticating proxy (server.trustedProxies); sign in there' };
  }
  const identities = readForwardedIdentities(headers);
  if (identities.length === 0) {
    return { outcome: 'anonymous', reason: `the authenticating proxy forwarded no user: it must set ${USER_HEADER} or ${EMAIL_HEADER} (oauth2-proxy: --set-xauthrequest / --pass-user-headers)` };
  }
  const allowed = identities.find((identity) => checkPermission(access, identity, 'console.view'));
  if (allowed !== undefined) return { outcome: 'allowed', identity: allowed, person: findPerson(access, allowed) };
  return {
    outcome: 'forbidden',
    identities,
    reason: `${identities.join(' / ')} may not view the console: console.view is granted in access.permissions to groups or people; add this identity to access.people (or a group) that holds it`,
  };
}
