import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkPermission } from '../access/check-permission.js';
import { findPerson } from '../access/find-person.js';
import { auditConsoleVisit } from './audit-console-visit.js';
import type { ConsoleDeps } from './console-deps.js';
import { formatCookie, readCookie, readSignedValue, SESSION_COOKIE, signValue, STATE_COOKIE } from './console-session.js';
import type { SignInMethod } from './list-sign-in-methods.js';
import { formatSessionValue } from './read-console-session.js';
import { renderErrorPage, type SignInOffer } from './render-error-page.js';

/** Where the chat sign-ins start (`<this>/slack`, `<this>/lark`); the platform sends the browser back to `<start>/callback`. */
const AUTH_PATH = '/console/auth';
const SIGN_OUT_PATH = `${AUTH_PATH}/signout`;
/** How long a started sign-in may take, in seconds. */
const STATE_SECONDS = 600;

/** A refusal answered as the console answers every refusal (a page, or JSON for `.json` paths). */
export type DenyRequest = (request: FastifyRequest, reply: FastifyReply, status: 401 | 403 | 404, message: string) => unknown;

/** The routes {@link registerSignInRoutes} serves to anonymous browsers: each method's start and callback, and sign-out. */
export function listSignInRoutes(methods: readonly SignInMethod[]): ReadonlySet<string> {
  return new Set([...methods.flatMap((method) => [`${AUTH_PATH}/${method.id}`, `${AUTH_PATH}/${method.id}/callback`]), SIGN_OUT_PATH]);
}

/** The sign-in links a 401 page offers, one per configured method. */
export function listSignInOffers(methods: readonly SignInMethod[]): SignInOffer[] {
  return methods.map((method) => ({ href: `${AUTH_PATH}/${method.id}`, label: `Sign in with ${method.label}` }));
}

/**
 * The console's chat sign-in routes, one flow for every method (Slack, Lark): `GET
 * /console/auth/<method>` keeps a fresh state and secret (nonce or PKCE verifier) in a signed
 * cookie of ten minutes, bound to this browser and method, and sends the browser to the platform;
 * `GET …/callback` checks the state, lets the method turn the code into an identity, and — when
 * that identity holds `console.view` — audits the sign-in (`console.signin` with the method) and
 * sets the session cookie, signed with the method's key and naming it. A person without
 * `console.view` gets 403 (audited as `console.denied`); every other failure 401. No refusal sets a
 * session or writes a sign-in. `GET /console/auth/signout` deletes the session cookie.
 */
export function registerSignInRoutes(scope: FastifyInstance, deps: ConsoleDeps, methods: readonly SignInMethod[], deny: DenyRequest): void {
  const offers = listSignInOffers(methods);
  const clearState = formatCookie(STATE_COOKIE, '', AUTH_PATH, 0);

  for (const method of methods) {
    const path = `${AUTH_PATH}/${method.id}`;

    scope.get(path, async (_request, reply) => {
      const state = randomBytes(24).toString('base64url');
      const secret = randomBytes(32).toString('base64url');
      reply.header('set-cookie', formatCookie(STATE_COOKIE, signValue(method.sessionKey, { m: method.id, state, secret, exp: deps.now() + STATE_SECONDS * 1000 }), AUTH_PATH, STATE_SECONDS));
      return reply.redirect(method.buildAuthorizeUrl(state, secret));
    });

    scope.get<{ Querystring: { code?: string; state?: string; error?: string } }>(`${path}/callback`, async (request, reply) => {
      // Every refusal of this route is answered here: the state is spent, nothing else is set.
      const refuse = async (status: 401 | 403, reason: string, identity?: string) => {
        if (identity === undefined) deps.onUnauthorized?.(`${path}/callback`, request.ip, reason);
        else await auditConsoleVisit(deps, { outcome: 'denied', who: identity, identities: [identity], ip: request.ip, path: request.url.split('?')[0]! });
        reply.header('set-cookie', clearState);
        return deny(request, reply, status, status === 401 ? `Sign-in failed: ${reason}.` : `Not allowed: ${reason}.`);
      };
      const pending = readSignedValue<{ m?: unknown; state?: unknown; secret?: unknown; exp: number }>(method.sessionKey, readCookie(request.headers.cookie, STATE_COOKIE), deps.now());
      const { code, state, error } = request.query ?? {};
      if (typeof error === 'string') return refuse(401, `${method.label} answered ${error.slice(0, 80)}`);
      if (!pending || pending.m !== method.id || typeof pending.secret !== 'string' || typeof state !== 'string' || state !== pending.state) {
        return refuse(401, 'this sign-in was not started here, or took longer than ten minutes; start again');
      }
      if (typeof code !== 'string' || code === '' || code.length > 512) return refuse(401, `${method.label} sent no authorization code`);
      const result = await method.exchangeCode(code, pending.secret, deps.now());
      if (!result.ok) return refuse(401, result.reason);
      if (!checkPermission(deps.config.access, result.identity, 'console.view')) {
        return refuse(403, `${result.identity} may not view the console: console.view is granted in access.permissions`, result.identity);
      }
      const person = findPerson(deps.config.access, result.identity);
      await deps.audit.append({ type: 'console.signin', actor: person, subject: '/console', outcome: 'ok', detail: { identities: [result.identity], ip: request.ip, method: method.id, hours: method.sessionHours } });
      const maxAge = method.sessionHours * 3600;
      reply.header('set-cookie', [clearState, formatCookie(SESSION_COOKIE, formatSessionValue(method, result.identity, deps.now() + maxAge * 1000), '/console', maxAge)]);
      return reply.redirect('/console/incidents');
    });
  }

  scope.get(SIGN_OUT_PATH, async (_request, reply) => {
    reply.header('set-cookie', formatCookie(SESSION_COOKIE, '', '/console', 0));
    return reply.type('text/html; charset=utf-8').send(renderErrorPage(200, 'Signed out of the console. Behind an authenticating proxy, sign out there too.', undefined, offers));
  });
}
