import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findPackageRoot } from '../config/find-package-root.js';
import { INCIDENT_KEY_PATTERN } from '../incidents/build-incident-key.js';
import { checkPermission } from '../access/check-permission.js';
import { findPerson } from '../access/find-person.js';
import { auditConsoleVisit } from './audit-console-visit.js';
import { listSignInMethods } from './list-sign-in-methods.js';
import { readConsoleSession } from './read-console-session.js';
import { listSignInOffers, listSignInRoutes, registerSignInRoutes } from './register-sign-in-routes.js';
import { authenticateConsoleRequest } from './authenticate-console-request.js';
import type { ConsoleDeps } from './console-deps.js';
import { createIncidentFilter, listRouteLabels, parseIncidentFilters, routeOf, toTimeWindow } from './filter-incidents.js';
import { parseListCursor } from './parse-list-cursor.js';
import { readIncidentPage } from './read-incident-page.js';
import { readResponseMetrics } from './read-response-metrics.js';
import { renderAuditStatus } from './render-audit-status.js';
import { renderCompliance } from './render-compliance.js';
import { renderErrorPage, type SignInOffer } from './render-error-page.js';
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

const ERROR_CODES = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' } as const;

/** A refusal as a page (or JSON for `.json` paths); a 401 page offers the configured chat sign-ins (`offers`). */
function refuse(request: FastifyRequest, reply: FastifyReply, status: keyof typeof ERROR_CODES, message: string, offers: readonly SignInOffer[] = []) {
  if (wantsJson(request)) return reply.code(status).type('application/json; charset=utf-8').send({ error: ERROR_CODES[status], message });
  return reply.code(status).type('text/html; charset=utf-8').send(renderErrorPage(status, message, viewers.get(request), status === 401 ? offers : []));
}

/**
 * `GET /console/…`: the read-only web console (DESIGN.md §5), when `console.enabled`. Every page
 * and JSON answer is for a signed-in visitor — the authenticating proxy's headers
 * (`authenticateConsoleRequest`) or a chat sign-in's session (`registerSignInRoutes`) — only: 401
 * without an identity, 403 without `console.view`. The static files (the package's stylesheet, script and uPlot) are served to
 * anyone. Every answer carries the strict CSP and the other security headers. Nothing here
 * changes an incident.
 */
export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const isTrustedProxy = createTrustedProxies(deps.config.server.trustedProxies);
  const signInMethods = listSignInMethods(deps.config);
  const signInRoutes = listSignInRoutes(signInMethods);
  const signInOffers = listSignInOffers(signInMethods);
  const deny = (request: FastifyRequest, reply: FastifyReply, status: 401 | 403 | 404, message: string) => refuse(request, reply, status, message, signInOffers);
  const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

  app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      // The sign-in routes (by the route matched, never by a prefix of the URL) are how an anonymous browser becomes a signed-in one.
      if (signInRoutes.has(request.routeOptions.url ?? '')) return;
      // The stylesheet and scripts are the package's own, the same for everyone: refusal pages are styled too.
      if ((request.routeOptions.url ?? '').startsWith(`${ASSETS}/`)) return;
      let visitor = authenticateConsoleRequest(deps.config.access, isTrustedProxy, request.socket.remoteAddress, request.headers);
      let session = false;
      const cookie = visitor.outcome === 'anonymous' ? readConsoleSession(signInMethods, request.headers.cookie, deps.now()) : undefined;
      if (cookie) {
        session = true;
        // The permission is checked on every request against the config in force: removing someone from a group ends their session.
        visitor = checkPermission(deps.config.access, cookie.identity, 'console.view')
          ? { outcome: 'allowed', identity: cookie.identity, person: findPerson(deps.config.access, cookie.identity) }
          : { outcome: 'forbidden', identities: [cookie.identity], reason: `${cookie.identity} may not view the console any more: console.view is granted in access.permissions` };
      }
      if (visitor.outcome === 'anonymous') {
        deps.onUnauthorized?.('/console', request.ip, visitor.reason);
        const reason = signInMethods.length > 0 ? `sign in with ${signInMethods.map((method) => method.label).join(' or ')}, or through the authenticating proxy` : visitor.reason;
        return deny(request, reply, 401, `Sign-in required: ${reason}.`);
      }
      if (visitor.outcome === 'forbidden') {
        await auditConsoleVisit(deps, { outcome: 'denied', who: visitor.identities.join(','), identities: visitor.identities, ip: request.ip, path: request.url.split('?')[0]! });
        return deny(request, reply, 403, `Not allowed: ${visitor.reason}.`);
      }
      viewers.set(request, visitor.person);
      // A chat session's sign-in was audited when it began; a proxy's, once per person per hour.
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

    registerSignInRoutes(scope, deps, signInMethods, deny);

    scope.get('/console/incidents', async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const filters = parseIncidentFilters(query);
      const cursor = parseListCursor(query.after);
      if (!cursor.ok) return refuse(request, reply, 400, `Bad link: ${cursor.reason}.`);
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
        routeOf: (incident) => routeOf(deps.config.routes, incident),
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
