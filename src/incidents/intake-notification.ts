import type { Redis } from 'ioredis';
import type { Config } from '../config/config-schema.js';
import { WardenError } from '../errors/warden-error.js';
import type { Queues } from '../jobs/create-queues.js';
import { listDiagnosisProbes } from '../jobs/diagnose/process-diagnose-job.js';
import { enqueueCardUpdates } from '../jobs/enqueue-card-updates.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { WebhookNotification } from './alertmanager-schema.js';
import type { IncidentStore } from './create-incident-store.js';
import { matchRoute } from './match-route.js';
import { recordNotification, type RecordOutcome } from './record-notification.js';

/** What intake needs. */
export interface IntakeDeps {
  redis: Redis;
  keys: RedisKeys;
  store: IncidentStore;
  queues: Queues;
  config: Pick<Config, 'routes' | 'actions'>;
  now: () => number;
}

/**
 * Turns one validated Alertmanager notification into a stored incident and its queued jobs. It
 * resolves only once both are in Redis, so a 2xx always means nothing can be lost; any Redis
 * failure becomes a 503 (`store_unavailable`) and Alertmanager delivers again.
 */
export async function intakeNotification(deps: IntakeDeps, notification: WebhookNotification): Promise<RecordOutcome> {
  try {
    const routing = matchRoute(deps.config.routes, { ...notification.commonLabels, ...notification.groupLabels });
    const outcome = await recordNotification(deps.redis, deps.keys.prefix, notification, routing, deps.now());
    if (!outcome.needJobs) return outcome;

    const incident = outcome.outcome === 'created' ? null : await deps.store.get(outcome.key);
    const destinations = incident?.destinations ?? routing.destinations;
    const pending: Promise<unknown>[] = [enqueueCardUpdates(deps.queues, outcome.key, outcome.version, destinations)];
    // Diagnosis runs when an incident opens; `unchanged` with pending jobs is a retry of that moment.
    if (outcome.outcome !== 'updated' && listDiagnosisProbes(deps.config.actions).length > 0) {
      pending.push(deps.queues.diagnose.add('diagnose', { key: outcome.key, reason: 'opened' }, { jobId: `diagnose.${outcome.key}.opened` }));
    }
    await Promise.all(pending);
    await deps.store.confirmJobs(outcome.key, outcome.version);
    return outcome;
  } catch (error) {
    throw new WardenError('store_unavailable', 'the incident store (Redis) is unavailable; Alertmanager will deliver again', {
      status: 503,
      retryable: true,
      cause: error,
    });
  }
}
