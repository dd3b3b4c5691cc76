import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/redis-client.js';
import type { Config } from '../config/config-schema.js';
import { WardenError } from '../errors/warden-error.js';
import type { Work } from '../ports/work.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { WebhookNotification } from './alertmanager-schema.js';
import { matchRoute } from './match-route.js';
import { isRedisUnavailable } from '../redis/is-redis-unavailable.js';
import { recordNotifications, type RecordOutcome } from './record-notifications.js';

/** What intake needs. */
export interface IntakeDeps {
  /** The fail-fast producer connection. */
  redis: RedisClient;
  keys: RedisKeys;
  work: Work;
  config: Pick<Config, 'routes'>;
  now: () => number;
}

/** Stores one validated notification and queues its jobs; resolves once both are durable in Redis. */
export type Intake = (notification: WebhookNotification, body?: string | Buffer) => Promise<RecordOutcome>;

interface Pending {
  notification: WebhookNotification;
  body: string | Buffer | undefined;
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

/** A batch closes at this many notifications or alerts, whichever comes first. */
const MAX_BATCH_NOTIFICATIONS = 64;
const MAX_BATCH_ALERTS = 5_000;

function storeUnavailable(cause: unknown): WardenError {
  return new WardenError('store_unavailable', 'the incident store (Redis) is unavailable; Alertmanager will deliver again', { cause });
}

/** A 400 for a notification the store refused; Alertmanager does not deliver a 4xx again. */
function unstorable(problem: string, cause?: unknown): WardenError {
  return new WardenError('invalid_payload', `the notification could not be stored: ${problem}; it will not be delivered again, so fix it where the alert is made`, { cause });
}

/** A Redis reply without the script's location, which only says where in Warden's Lua it failed. */
function describeReplyError(error: Error): string {
  return error.message.replace(/^ERR user_script:\d+: /, '').replace(/\s*script: [0-9a-f]{40}, on @user_script:\d+\.?$/, '');
}

/**
 * What one notification's failed store becomes: 503 while Redis cannot be reached (Alertmanager
 * delivers again), 400 when Redis refused this notification's data, and the error itself (an
 * internal error, 500, also delivered again) for anything else.
 */
function toIntakeError(error: unknown): unknown {
  if (isRedisUnavailable(error)) return storeUnavailable(error);
  if (error instanceof Error && error.name === 'ReplyError') return unstorable(describeReplyError(error), error);
  return error;
}

/**
 * Turns Alertmanager notifications into stored incidents and queued jobs. Notifications are recorded
 * in batches, one batch at a time (a group commit): a notification that arrives while a batch is
 * being stored waits for it and goes into the next one with everything else that arrived
 * meanwhile, so the busier intake is, the fewer round trips and script calls each notification
 * costs, while a lone notification is stored at once. One atomic script records a batch and, sent
 * at the same time, one `dispatch` job naming its groups queues the card updates and diagnosis
 * their incidents need once the batch is recorded. A promise resolves only when both are in Redis;
 * an unreachable Redis rejects with `store_unavailable` (503) and Alertmanager delivers again; a
 * notification Redis refuses is rejected alone with a 400 that says why, while its batch-mates are
 * stored (one by one, if its failure took the whole script down). An
 * incident's `jobs` mark stays behind its version until a dispatch job has queued its jobs, so the
 * redelivery's dispatch job does it.
 */
export function createIntake(deps: IntakeDeps): Intake {
  let pending: Pending[] = [];
  let scheduled = false;
  let storing = false;

  async function flush(batch: Pending[]): Promise<void> {
    const batchId = randomUUID();
    const recorded = recordNotifications(
      deps.redis,
      deps.keys.prefix,
      batch.map(({ notification, body }) => ({
        notification,
        body,
        routing: matchRoute(deps.config.routes, { ...notification.commonLabels, ...notification.groupLabels }),
      })),
      deps.now(),
      batchId,
    );
    // Sent alongside the script, not after its reply: one round trip per batch instead of two. The
    // queues use their own connection, so a worker may take the job before the script has run; the
    // job then waits for the batch's mark, which the script sets (see `processDispatchJob`). The job
    // carries no id of its own: what it does is read from the store and idempotent.
    const groupKeys = [...new Set(batch.map(({ notification }) => notification.groupKey))];
    const [outcomes] = await Promise.all([recorded, deps.work.dispatchGroups(groupKeys, batchId)]);
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.outcome === 'invalid') item.reject(unstorable(`Redis could not decode its labels (${outcome.problem})`));
      else item.resolve(outcome);
    });
  }

  /**
   * After a batch failed for a reason other than Redis being unreachable: each notification is
   * stored on its own, so only the one that breaks the script fails. The failed script may have
   * written the notifications before the bad one; stored again they are `unchanged`, and their own
   * dispatch jobs queue what they still need.
   */
  async function flushOneByOne(batch: Pending[]): Promise<void> {
    for (const item of batch) {
      await flush([item]).catch((error: unknown) => item.reject(toIntakeError(error)));
    }
  }

  function takeBatch(): Pending[] {
    let alerts = 0;
    let size = 0;
    while (size < pending.length && size < MAX_BATCH_NOTIFICATIONS && (size === 0 || alerts + pending[size]!.notification.alerts.length <= MAX_BATCH_ALERTS)) {
      alerts += pending[size]!.notification.alerts.length;
      size++;
    }
    const batch = pending.slice(0, size);
    pending = pending.slice(size);
    return batch;
  }

  function drain(): void {
    scheduled = false;
    if (storing || pending.length === 0) return;
    const batch = takeBatch();
    storing = true;
    flush(batch)
      .catch((error: unknown) => {
        if (batch.length > 1 && !isRedisUnavailable(error)) return flushOneByOne(batch);
        for (const item of batch) item.reject(toIntakeError(error));
      })
      .finally(() => {
        storing = false;
        schedule();
      });
  }

  function schedule(): void {
    if (scheduled || storing || pending.length === 0) return;
    scheduled = true;
    // After the current I/O phase: every request whose body arrived in it joins this batch.
    setImmediate(drain);
  }

  return (notification, body) =>
    new Promise<RecordOutcome>((resolve, reject) => {
      pending.push({ notification, body, resolve, reject });
      schedule();
    });
}
