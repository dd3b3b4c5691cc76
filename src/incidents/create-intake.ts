import type { Redis } from 'ioredis';
import type { Config } from '../config/config-schema.js';
import { WardenError } from '../errors/warden-error.js';
import type { Queues } from '../jobs/create-queues.js';
import { listDiagnosisProbes } from '../jobs/diagnose/process-diagnose-job.js';
import { buildCardUpdateJobs } from '../jobs/enqueue-card-updates.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { WebhookNotification } from './alertmanager-schema.js';
import { matchRoute } from './match-route.js';
import { recordNotification, type RecordOutcome } from './record-notification.js';

/** What intake needs. */
export interface IntakeDeps {
  /** The fail-fast producer connection (auto-pipelined). */
  redis: Redis;
  keys: RedisKeys;
  queues: Queues;
  config: Pick<Config, 'routes' | 'actions'>;
  now: () => number;
}

/** Stores one validated notification and queues its jobs; resolves once both are durable in Redis. */
export type Intake = (notification: WebhookNotification) => Promise<RecordOutcome>;

interface Pending {
  notification: WebhookNotification;
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

/** Notifications handled in one batch at most. */
const MAX_BATCH = 256;

function storeUnavailable(cause: unknown): WardenError {
  return new WardenError('store_unavailable', 'the incident store (Redis) is unavailable; Alertmanager will deliver again', {
    status: 503,
    retryable: true,
    cause,
  });
}

/**
 * Turns Alertmanager notifications into stored incidents and queued jobs. Notifications that arrive
 * together (one turn of the event loop) are handled as a batch: each is recorded by its own atomic
 * script (pipelined), then the batch's jobs go to Redis in one `addBulk` per queue, so a busy
 * webhook costs a few Redis round trips per batch rather than per request. A promise resolves only
 * when its incident and jobs are in Redis; any Redis failure rejects with `store_unavailable` (503)
 * and Alertmanager delivers again — the incident then reports its jobs as still needed.
 */
export function createIntake(deps: IntakeDeps): Intake {
  let pending: Pending[] = [];
  let scheduled = false;
  const hasProbes = listDiagnosisProbes(deps.config.actions).length > 0;

  async function flush(batch: Pending[]): Promise<void> {
    const now = deps.now();
    const recorded = await Promise.allSettled(
      batch.map(({ notification }) =>
        recordNotification(deps.redis, deps.keys.prefix, notification, matchRoute(deps.config.routes, { ...notification.commonLabels, ...notification.groupLabels }), now),
      ),
    );
    const needing: { item: Pending; outcome: RecordOutcome }[] = [];
    recorded.forEach((result, i) => {
      const item = batch[i]!;
      if (result.status === 'rejected') item.reject(storeUnavailable(result.reason));
      else if (result.value.needJobs) needing.push({ item, outcome: result.value });
      else item.resolve(result.value);
    });
    if (needing.length === 0) return;

    try {
      const notifyJobs = needing.flatMap(({ outcome }) => buildCardUpdateJobs(outcome.key, outcome.version, outcome.destinations));
      // Diagnosis runs when an incident opens; `unchanged` with pending jobs is a retry of that moment.
      const diagnoseJobs = hasProbes
        ? needing
            .filter(({ outcome }) => outcome.outcome !== 'updated')
            .map(({ outcome }) => ({ name: 'diagnose', data: { key: outcome.key, reason: 'opened' as const }, opts: { jobId: `diagnose.${outcome.key}.opened` } }))
        : [];
      await Promise.all([
        notifyJobs.length > 0 ? deps.queues.notify.addBulk(notifyJobs) : undefined,
        diagnoseJobs.length > 0 ? deps.queues.diagnose.addBulk(diagnoseJobs) : undefined,
      ]);
      const confirm = deps.redis.pipeline();
      for (const { outcome } of needing) confirm.hset(deps.keys.incident(outcome.key), 'jobs', String(outcome.version));
      const results = await confirm.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      for (const { item } of needing) item.reject(storeUnavailable(error));
      return;
    }
    for (const { item, outcome } of needing) item.resolve(outcome);
  }

  function drain(): void {
    scheduled = false;
    const batch = pending.slice(0, MAX_BATCH);
    pending = pending.slice(MAX_BATCH);
    if (pending.length > 0) schedule();
    flush(batch).catch((error: unknown) => {
      for (const item of batch) item.reject(storeUnavailable(error));
    });
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // After the current I/O phase: every request whose body arrived in it joins this batch.
    setImmediate(drain);
  }

  return (notification) =>
    new Promise<RecordOutcome>((resolve, reject) => {
      pending.push({ notification, resolve, reject });
      schedule();
    });
}
