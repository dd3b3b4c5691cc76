import type { RedisClient } from '../redis/redis-client.js';
import type { WebhookNotification } from './alertmanager-schema.js';
import { defineScript } from '../redis/define-script.js';
import { buildIncidentKey } from './build-incident-key.js';
import type { Routing } from './match-route.js';
import { RECORD_NOTIFICATIONS_LUA } from './record-notifications-script.js';
import { summarizeGroup } from './summarize-group.js';

/** What storing one Alertmanager notification did. */
export interface RecordOutcome {
  /** `ignored`: a resolved-only notification for a group with no open incident. */
  outcome: 'created' | 'updated' | 'unchanged' | 'ignored';
  key: string;
  version: number;
}

/** A notification the store refused to decode (nothing of it was written); see {@link recordNotifications}. */
export interface RecordRefusal {
  outcome: 'invalid';
  /** What Redis' JSON decoder said. */
  problem: string;
}

const runRecordNotifications = defineScript<string[]>('wardenRecordNotifications', RECORD_NOTIFICATIONS_LUA);

function parseTime(value: string): number {
  const ms = Date.parse(value);
  // Alertmanager writes "0001-01-01T00:00:00Z" for "no end yet": any unparsable time sorts first.
  return Number.isFinite(ms) ? Math.trunc(ms) : -8.64e15;
}

/** One notification to record, with the routing chosen for it. */
export interface NotificationToRecord {
  notification: WebhookNotification;
  routing: Routing;
  /** The body as received (validated JSON), stored as is; defaults to `notification` serialised. */
  body?: string | Buffer;
}

function pushArguments(args: (string | number | Buffer)[], { notification, routing, body }: NotificationToRecord): void {
  const { title, severity } = summarizeGroup(notification);
  const group = JSON.stringify({
    receiver: notification.receiver,
    groupLabels: notification.groupLabels,
    commonLabels: notification.commonLabels,
    externalURL: notification.externalURL,
    title,
    severity,
    destinations: routing.destinations,
    playbook: routing.playbook,
    truncatedAlerts: notification.truncatedAlerts,
  });
  let alerts = '';
  for (const a of notification.alerts) alerts += `${a.fingerprint}\t${a.status}|${parseTime(a.startsAt)}|${parseTime(a.endsAt)}\n`;
  args.push(notification.groupKey, buildIncidentKey(notification.groupKey), group, body ?? JSON.stringify(notification), alerts);
}

/**
 * Stores a batch of notifications atomically in one EVALSHA: each opens or updates the incident of
 * its group, merges the alerts by fingerprint and appends the timeline. Redeliveries are
 * `unchanged`. Outcomes come back in the order of `batch`; a notification whose group the store
 * cannot decode is `invalid` and changes nothing, while the rest of its batch is stored. With
 * `batchId`, the same script also sets `intakeBatch(batchId)`: the batch's dispatch job waits for it.
 */
export async function recordNotifications(
  redis: RedisClient,
  prefix: string,
  batch: readonly NotificationToRecord[],
  now: number,
  batchId = '',
): Promise<(RecordOutcome | RecordRefusal)[]> {
  const args: (string | number | Buffer)[] = [prefix, now, batch.length, batchId];
  for (const entry of batch) pushArguments(args, entry);
  // The script builds its keys from the prefix; the one key named here routes it, on a Redis
  // Cluster, to the node serving the prefix's hash slot.
  const values = await runRecordNotifications(redis, [`${prefix}:incidents:open`], args);
  const outcomes: (RecordOutcome | RecordRefusal)[] = [];
  for (let i = 0; i < values.length; i += 3) {
    if (values[i] === 'invalid') outcomes.push({ outcome: 'invalid', problem: values[i + 1]! });
    else outcomes.push({ outcome: values[i] as RecordOutcome['outcome'], key: values[i + 1]!, version: Number(values[i + 2]) });
  }
  return outcomes;
}

/** {@link recordNotifications} for a single notification; a refusal throws. */
export async function recordNotification(
  redis: RedisClient,
  prefix: string,
  notification: WebhookNotification,
  routing: Routing,
  now: number,
): Promise<RecordOutcome> {
  const [outcome] = await recordNotifications(redis, prefix, [{ notification, routing }], now);
  if (outcome!.outcome === 'invalid') throw new Error(`the store refused the notification: ${outcome!.problem}`);
  return outcome!;
}
