import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatAdapters } from '../ports/chat-adapter.js';
import { registerLarkRoute } from '../chat/lark/register-lark-route.js';
import { registerSlackRoute } from '../chat/slack/register-slack-route.js';
import type { AcceptInboundEvent } from '../inbound/acceptance.js';
import type { Config } from '../config/config-schema.js';
import type { Intake } from '../incidents/create-intake.js';
import type { HealthReport } from '../observability/check-health.js';
import type { WardenMetrics } from '../observability/create-metrics.js';
import { checkWebhookAuthorization } from './check-webhook-authorization.js';
import { registerAlertmanagerWebhookRoute } from './routes/alertmanager-webhook-route.js';
import { sendError } from './send-error.js';
import type { ListIncidents } from '../incidents/list-incidents.js';
import { registerIncidentsExportRoute } from './routes/incidents-export-route.js';
import { WardenError } from '../errors/warden-error.js';
import type { ConsoleDeps } from '../web-console/console-deps.js';
import { registerConsoleRoutes } from '../web-console/register-console-routes.js';

/** Options for {@link createServer}. */
export interface CreateServerOptions {
  config: Config;
  intake: Intake;
  metrics: WardenMetrics;
  logger: Logger;
  checkHealth: () => Promise<HealthReport>;
  /** Slack and Lark requests: accepted here, worked on by `inbound` jobs. */
  inbound: { accept: AcceptInboundEvent; adapters: Pick<ChatAdapters, 'slack' | 'lark'>; now: () => number };
  /** Incidents for `GET /api/incidents`. */
  listIncidents: ListIncidents;
  /** Called for every request refused with 401 (the audit log's rate-limited `inbound.rejected`). */
  onUnauthorized?: (route: string, source: string, reason: string) => void;
  /** What the read-only web console reads; its routes exist only with `console.enabled`. */
  console?: Omit<ConsoleDeps, 'onUnauthorized'>;
}

/** Builds the HTTP server (not listening yet): every route of DESIGN.md §5 served by this role. */
export function createServer(options: CreateServerOptions): FastifyInstance {
  const { config, metrics, logger } = options;
  const app = Fastify({
    // Per-request logs would cost more than the intake itself; errors are logged in `sendError`.
    logger: false,
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustedProxies.length > 0 ? [...config.server.trustedProxies] : false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof WardenError && error.status === 401) options.onUnauthorized?.(request.routeOptions.url ?? request.url, request.ip, error.message);
    return sendError(error, request, reply, logger);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }));

  registerAlertmanagerWebhookRoute(app, {
    token: config.alertmanager.token,
    bodyLimitBytes: config.alertmanager.bodyLimitBytes,
    intake: options.intake,
    metrics,
  });

  registerIncidentsExportRoute(app, { token: config.api.readToken, listIncidents: options.listIncidents });

  if (config.console.enabled && options.console) {
    registerConsoleRoutes(app, { ...options.console, ...(options.onUnauthorized ? { onUnauthorized: options.onUnauthorized } : {}) });
  }

  const { accept, adapters, now } = options.inbound;
  if (config.slack && adapters.slack) {
    registerSlackRoute(app, { slack: config.slack, accept, adapter: adapters.slack, logger, now, bodyLimitBytes: config.server.bodyLimitBytes, locale: config.locale });
  }
  // Over the long connection (transport: websocket) Lark has no URL to call: the route does not exist.
  if (config.lark && adapters.lark && config.lark.transport !== 'websocket') {
    registerLarkRoute(app, { lark: config.lark, accept, adapter: adapters.lark, logger, now, bodyLimitBytes: config.server.bodyLimitBytes });
  }

  app.get('/healthz', async (request, reply) => {
    const report = await options.checkHealth();
    // Anyone may ask whether Warden is healthy; which workspace, tenant or error lies behind a
    // degraded check is for callers holding the read token.
    const detailed = config.api.readToken !== undefined && checkWebhookAuthorization(request.headers.authorization, config.api.readToken);
    reply.header('cache-control', 'no-store');
    return reply.code(report.status === 'ok' ? 200 : 503).send(detailed ? report : { status: report.status });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  return app;
}
