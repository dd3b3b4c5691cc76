import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findPackageRoot } from '../config/find-package-root.js';
import { INCIDENT_KEY_PATTERN } from '../incidents/build-incident-key.js';
import { checkPermission } from '../access/check-permission.js';
import { findPerson } from '../access/find-person.js';
import { auditConsoleVisit } from './audit-console-visit.js';
import { formatCookie, readCookie, readSignedValue, SESSION_COOKIE, signValue, STATE_COOKIE } from './console-session.js';
import { buildSlackAuthorizeUrl, exchangeSlackCode } from './slack-sign-in.js';
import { authenticateConsoleRequest } from './authenticate-console-request.js';
import type { ConsoleDeps } from './console-deps.js';
import { createIncidentFilter, listRouteLabels, parseIncidentFilters, toTimeWindow } from './filter-incidents.js';
import { parseListCursor } from './parse-list-cursor.js';
import { readIncidentPage } from './read-incident-page.js';
import { readResponseMetrics } from './read-response-metrics.js';
import { renderAuditStatus } from './render-audit-status.js';
import { renderCompliance } from './render-compliance.js';
import { renderErrorPage } from './render-error-page.js';
import { renderIncidentList } from './render-incident-list.js';
import { renderIncidentPage } from './render-incident-page.js';
import { ASSETS, renderLayout, type ConsolePage } from './render-layout.js';
import { renderMetrics } from './render-metrics.js';
import { scanIncidentList } from './scan-incident-list.js';
import { summarizeCompliance } from './summarize-compliance.js';
import { createTrustedProxies } from './trusted-proxies.js';

/**
 * The console's Content-Security-Policy: scripts, styles and fetches from Warden itself only, no
 * inline script or style, no framing, forms only back to Warden.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Where "Sign in with Slack" starts; Slack sends the browser back to `<this>/callback`. */
export const SLACK_SIGN_IN_PATH = '/console/auth/slack';
const SIGN_OUT_PATH = '/console/auth/signout';
/** The routes served without a signed-in visitor. */
const SIGN_IN_ROUTES = new Set([SLACK_SIGN_IN_PATH, `${SLACK_SIGN_IN_PATH}/callback`, SIGN_OUT_PATH]);

/** Checklist runs read per checklist for the calendar. */
const RUNS_READ_LIMIT = 500;
const WEEK_CHOICES = new Set([4, 8, 12, 26, 52]);

/** The folder of the console's own files (CSS, the chart script), in the package: read from `src/` in both the source and the build. */
export function findConsoleAssets(): string {
  return join(findPackageRoot(), 'src', 'web-console', 'assets');
}

function weeksOf(query: unknown, fallback: number): number {
  const value = Number((query as Record<string, unknown> | undefined)?.weeks);
  return WEEK_CHOICES.has(value) ? value : fallback;
}

/** Who the request was allowed for (set by the sign-in hook). */
const viewers = new WeakMap<FastifyRequest, string>();

function sendPage(request: FastifyRequest, reply: FastifyReply, page: Omit<ConsolePage, 'viewer'>) {
  return reply.type('text/html; charset=utf-8').send(renderLayout({ ...page, viewer: viewers.get(request) ?? '' }));
}

function wantsJson(request: FastifyRequest): boolean {
  return (request.routeOptions.url ?? request.url).endsWith('.json');
}

/** A refusal as a page (or JSON for `.json` paths); a 401 page offers `signIn` when "Sign in with Slack" is configured. */
function refuse(request: FastifyRequest, reply: FastifyReply, status: 401 | 403 | 404, message: string, signIn?: string) {
  if (wantsJson(request)) return reply.code(status).type('application/json; charset=utf-8').send({ error: status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'not_found', message });
  return reply.code(status).type('text/html; charset=utf-8').send(renderErrorPage(status, message, viewers.get(request), status === 401 ? signIn : undefined));
}

/**
 * `GET /console/…`: the read-only web console (DESIGN.md §5), when `console.enabled`. Every page
 * and JSON answer is for a signed-in visitor — the authenticating proxy's headers
 * (`authenticateConsoleRequest`) or a Slack session — only: 401 without an identity, 403 without
 * `console.view`. The static files (the package's stylesheet, script and uPlot) are served to
 * anyone. Every answer carries the strict CSP and the other security headers. Nothing here
 * changes an incident.
 */
export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const isTrustedProxy = createTrustedProxies(deps.config.server.trustedProxies);
  const slackSignIn = deps.config.console.slackSignIn;
  const teamId = slackSignIn?.teamId ?? deps.config.slack?.teamId;
  const signInOffer = slackSignIn ? SLACK_SIGN_IN_PATH : undefined;
  const deny = (request: FastifyRequest, reply: FastifyReply, status: 401 | 403 | 404, message: string) => refuse(request, reply, status, message, signInOffer);
  const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

  app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      // The sign-in routes (by the route matched, never by a prefix of the URL) are how an anonymous browser becomes a signed-in one.
      if (SIGN_IN_ROUTES.has(request.routeOptions.url ?? '')) return;
      // The stylesheet and scripts are the package's own, the same for everyone: refusal pages are styled too.
      if ((request.routeOptions.url ?? '').startsWith(`${ASSETS}/`)) return;
      let visitor = authenticateConsoleRequest(deps.config.access, isTrustedProxy, request.socket.remoteAddress, request.headers);
      let session = false;
      if (visitor.outcome === 'anonymous' && slackSignIn) {
        const cookie = readSignedValue<{ id: string; exp: number }>(slackSignIn.sessionKey, readCookie(request.headers.cookie, SESSION_COOKIE), deps.now());
        if (cookie) {
          session = true;
          // The permission is checked on every request against the config in force: removing someone from a group ends their session.
          visitor = checkPermission(deps.config.access, cookie.id, 'console.view')
            ? { outcome: 'allowed', identity: cookie.id, person: findPerson(deps.config.access, cookie.id) }
            : { outcome: 'forbidden', identities: [cookie.id], reason: `${cookie.id} may not view the console any more: console.view is granted in access.permissions` };
        }
      }
      if (visitor.outcome === 'anonymous') {
        deps.onUnauthorized?.('/console', request.ip, visitor.reason);
        const reason = slackSignIn ? 'sign in with Slack, or through the authenticating proxy' : visitor.reason;
        return deny(request, reply, 401, `Sign-in required: ${reason}.`);
      }
      if (visitor.outcome === 'forbidden') {
        await auditConsoleVisit(deps, { outcome: 'denied', who: visitor.identities.join(','), identities: visitor.identities, ip: request.ip, path: request.url.split('?')[0]! });
        return deny(request, reply, 403, `Not allowed: ${visitor.reason}.`);
      }
      viewers.set(request, visitor.person);
      // A Slack session's sign-in was audited when it began; a proxy's, once per person per hour.
      if (!session) await auditConsoleVisit(deps, { outcome: 'signin', who: visitor.person, identities: [visitor.identity], ip: request.ip, path: request.url.split('?')[0]! });
    });

    scope.addHook('onSend', async (request, reply, payload) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-opener-policy', 'same-origin');
      reply.header('cross-origin-resource-policy', 'same-origin');
      // Pages and JSON show live data to one person: never cached; the static files may be, privately.
      reply.header('cache-control', request.url.startsWith(`${ASSETS}/`) && reply.statusCode === 200 ? 'private, max-age=300' : 'no-store');
      return payload;
    });

    // The console's own files, and the chart library from its package: no CDN at run time.
    await scope.register(fastifyStatic, { root: findConsoleAssets(), prefix: `${ASSETS}/`, wildcard: false, index: false, cacheControl: false, decorateReply: false });
    await scope.register(fastifyStatic, { root: uplotDist, prefix: `${ASSETS}/vendor/`, wildcard: false, index: false, cacheControl: false, decorateReply: false });

    scope.get('/console', async (_request, reply) => reply.redirect('/console/incidents'));

    if (slackSignIn) {
      // Sign in with Slack: state and nonce travel in a signed cookie of ten minutes, bound to this browser.
      scope.get(SLACK_SIGN_IN_PATH, async (_request, reply) => {
        const state = randomBytes(24).toString('base64url');
        const nonce = randomBytes(24).toString('base64url');
        reply.header('set-cookie', formatCookie(STATE_COOKIE, signValue(slackSignIn.sessionKey, { state, nonce, exp: deps.now() + 600_000 }), '/console/auth', 600));
        return reply.redirect(buildSlackAuthorizeUrl(slackSignIn, teamId, state, nonce));
      });

      scope.get<{ Querystring: { code?: string; state?: string; error?: string } }>(`${SLACK_SIGN_IN_PATH}/callback`, async (request, reply) => {
        const fail = (reason: string) => {
          deps.onUnauthorized?.('/console/auth/slack/callback', request.ip, reason);
          reply.header('set-cookie', formatCookie(STATE_COOKIE, '', '/console/auth', 0));
          return deny(request, reply, 401, `Sign-in failed: ${reason}.`);
        };
        const pending = readSignedValue<{ state: string; nonce: string; exp: number }>(slackSignIn.sessionKey, readCookie(request.headers.cookie, STATE_COOKIE), deps.now());
        const { code, state, error } = request.query ?? {};
        if (typeof error === 'string') return fail(`Slack answered ${error.slice(0, 80)}`);
        if (!pending || typeof state !== 'string' || state !== pending.state) return fail('this sign-in was not started here, or took longer than ten minutes; start again');
        if (typeof code !== 'string' || code === '' || code.length > 512) return fail('Slack sent no authorization code');
        const result = await exchangeSlackCode(slackSignIn, teamId, code, pending.nonce, deps.now());
        if (!result.ok) return fail(result.reason);
        if (!checkPermission(deps.config.access, result.identity, 'console.view')) {
          await auditConsoleVisit(deps, { outcome: 'denied', who: result.identity, identities: [result.identity], ip: request.ip, path: request.url.split('?')[0]! });
          reply.header('set-cookie', formatCookie(STATE_COOKIE, '', '/console/auth', 0));
          return deny(request, reply, 403, `Not allowed: ${result.identity} may not view the console: console.view is granted in access.permissions.`);
        }
        const person = findPerson(deps.config.access, result.identity);
        await deps.audit.append({ type: 'console.signin', actor: person, subject: '/console', outcome: 'ok', detail: { identities: [result.identity], ip: request.ip, method: 'slack', hours: slackSignIn.sessionHours } });
        const maxAge = slackSignIn.sessionHours * 3600;
        reply.header('set-cookie', [
          formatCookie(STATE_COOKIE, '', '/console/auth', 0),
          formatCookie(SESSION_COOKIE, signValue(slackSignIn.sessionKey, { id: result.identity, exp: deps.now() + maxAge * 1000 }), '/console', maxAge),
        ]);
        return reply.redirect('/console/incidents');
      });
    }

    scope.get(SIGN_OUT_PATH, async (_request, reply) => {
      reply.header('set-cookie', formatCookie(SESSION_COOKIE, '', '/console', 0));
      return reply.type('text/html; charset=utf-8').send(renderErrorPage(200, 'Signed out of the console. Behind an authenticating proxy, sign out there too.', undefined, signInOffer));
    });

    scope.get('/console/incidents', async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const filters = parseIncidentFilters(query);
      const cursor = parseListCursor(query.after);
      if (!cursor.ok) return reply.code(400).type('text/html; charset=utf-8').send(renderErrorPage(400, `Bad link: ${cursor.reason}.`, viewers.get(request)));
      const scan = await scanIncidentList(deps.listIncidents, toTimeWindow(filters), createIncidentFilter(filters, deps.config.routes), cursor.cursor, deps.readLimits);
      const severities = scan.severities;
      if (filters.severity && !severities.includes(filters.severity)) severities.push(filters.severity);
      const body = renderIncidentList({
        filters,
        scan,
        continued: cursor.cursor !== undefined,
        pageSize: scan.pageSize,
        severities,
        routes: listRouteLabels(deps.config.routes),
        routeOf: deps.routeOf,
      });
      return sendPage(request, reply, { title: 'Incidents', section: 'incidents', body });
    });

    scope.get<{ Params: { key: string } }>('/console/incidents/:key', async (request, reply) => {
      const { key } = request.params;
      const page = INCIDENT_KEY_PATTERN.test(key) ? await readIncidentPage(deps, key) : null;
      if (!page) return deny(request, reply, 404, `No incident ${key.slice(0, 80)}: it never existed, or retention removed it.`);
      return sendPage(request, reply, { title: `${page.incident.title} (${page.incident.key})`, section: 'incidents', body: renderIncidentPage(page) });
    });

    scope.get('/console/checklists', async (request, reply) => {
      const weeks = weeksOf(request.query, 8);
      const now = deps.now();
      const timeZone = deps.config.checklists.timezone;
      const compliance = await Promise.all(
        [...deps.checklists.values()].map(async (checklist) => {
          const [runs, missed] = await Promise.all([deps.runs.listRuns(checklist.id, RUNS_READ_LIMIT), deps.redis.zrange(deps.keys.checklistMissed(checklist.id), '0', '-1')]);
          return summarizeCompliance(checklist, runs, missed.map(Number).filter(Number.isFinite), now, weeks, timeZone);
        }),
      );
      return sendPage(request, reply, { title: 'Checklist compliance', section: 'checklists', body: renderCompliance(compliance, weeks, timeZone) });
    });

    const readMetrics = (weeks: number) => readResponseMetrics(deps.listIncidents, deps.now(), weeks, deps.readLimits);

    scope.get('/console/metrics', async (request, reply) => {
      const weeks = weeksOf(request.query, 12);
      return sendPage(request, reply, { title: 'Response metrics', section: 'metrics', body: renderMetrics(await readMetrics(weeks), weeks), charts: true });
    });

    scope.get('/console/metrics.json', async (request, reply) => {
      const metrics = await readMetrics(weeksOf(request.query, 12));
      return reply.type('application/json; charset=utf-8').send(metrics);
    });

    scope.get('/console/audit', async (request, reply) => {
      return sendPage(request, reply, { title: 'Audit log', section: 'audit', body: renderAuditStatus(await deps.auditStatus()) });
    });

    // Anything else under /console: a 404 page, after the same sign-in.
    scope.get('/console/*', async (request, reply) => refuse(request, reply, 404, `No console page ${request.url.split('?')[0]!.slice(0, 100)}.`));
  });
}
