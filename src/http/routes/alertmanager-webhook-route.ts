import type { FastifyInstance } from 'fastify';
import { WardenError } from '../../errors/warden-error.js';
import { webhookNotificationSchema } from '../../incidents/alertmanager-schema.js';
import type { Intake } from '../../incidents/create-intake.js';
import type { WardenMetrics } from '../../observability/create-metrics.js';
import { formatConfigPath } from '../../config/format-config-path.js';
import { checkWebhookAuthorization } from '../check-webhook-authorization.js';

/** Options for {@link registerAlertmanagerWebhookRoute}. */
export interface AlertmanagerWebhookOptions {
  token: string;
  bodyLimitBytes: number;
  intake: Intake;
  metrics: WardenMetrics;
}

/**
 * `POST /webhooks/alertmanager`: authenticates before the body is read (an `onRequest` hook runs
 * before Fastify parses content), validates webhook v4, stores the incident and its jobs, then 202.
 */
export function registerAlertmanagerWebhookRoute(app: FastifyInstance, options: AlertmanagerWebhookOptions): void {
  // The body is kept as received: the incident stores these bytes as is instead of re-encoding
  // alerts, and a Buffer goes to Redis without being encoded again.
  const bodies = new WeakMap<object, Buffer>();
  app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      bodies.set(request, body as Buffer);
      // The default parser takes a Buffer too (secure-json-parse decodes it); its type says string.
      parseJson(request, body as unknown as string, done);
    });
    registerRoute(scope, options, bodies);
  });
}

function registerRoute(app: FastifyInstance, options: AlertmanagerWebhookOptions, bodies: WeakMap<object, Buffer>): void {
  app.post(
    '/webhooks/alertmanager',
    {
      bodyLimit: options.bodyLimitBytes,
      onRequest: async (request) => {
        if (!checkWebhookAuthorization(request.headers.authorization, options.token)) {
          options.metrics.intakeNotifications.inc({ outcome: 'rejected' });
          throw new WardenError('unauthorized', 'missing or invalid Authorization (Bearer token or Basic password)');
        }
      },
    },
    async (request, reply) => {
      const parsed = webhookNotificationSchema.safeParse(request.body);
      if (!parsed.success) {
        options.metrics.intakeNotifications.inc({ outcome: 'rejected' });
        const problems = parsed.error.issues.slice(0, 5).map((issue) => `${formatConfigPath(issue.path)}: ${issue.message}`);
        throw new WardenError('invalid_payload', `invalid Alertmanager webhook payload: ${problems.join('; ')}`);
      }
      const notification = parsed.data;
      const firing = notification.alerts.filter((alert) => alert.status === 'firing').length;
      if (firing > 0) options.metrics.alertsReceived.inc({ status: 'firing' }, firing);
      if (firing < notification.alerts.length) options.metrics.alertsReceived.inc({ status: 'resolved' }, notification.alerts.length - firing);
      const outcome = await options.intake(notification, bodies.get(request)).catch((error: unknown) => {
        if (error instanceof WardenError && error.status === 400) options.metrics.intakeNotifications.inc({ outcome: 'rejected' });
        throw error;
      });
      options.metrics.intakeNotifications.inc({ outcome: outcome.outcome });
      return reply.code(202).send({ status: 'accepted', outcome: outcome.outcome, incident: outcome.key || null });
    },
  );
}
