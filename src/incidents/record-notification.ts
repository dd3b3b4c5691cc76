import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { WebhookNotification } from './alertmanager-schema.js';
import { defineScript } from '../redis/define-script.js';
import { buildIncidentKey } from './build-incident-key.js';
import type { Routing } from './match-route.js';
import { RECORD_NOTIFICATION_LUA } from './record-notification-script.js';
import { summarizeGroup } from './summarize-group.js';

/** What storing one Alertmanager notification did. */
export interface RecordOutcome {
  /** `ignored`: a resolved-only notification for a group with no open incident. */
  outcome: 'created' | 'updated' | 'unchanged' | 'ignored';
  key: string;
  version: number;
  /** True when the incident's jobs for `version` may not be queued yet (changed, or an earlier attempt failed). */
  needJobs: boolean;
}

const runRecordNotification = defineScript<[string, string, string, string]>('wardenRecordNotification', RECORD_NOTIFICATION_LUA);

function parseTime(value: string): number {
  const ms = Date.parse(value);
  // Alertmanager writes "0001-01-01T00:00:00Z" for "no end yet": any unparsable time sorts first.
  return Number.isFinite(ms) ? ms : -8.64e15;
}

/**
 * Stores one notification atomically (one EVALSHA): opens or updates the incident of its group,
 * merges the alerts by fingerprint and appends the timeline. Redeliveries are `unchanged`.
 */
export async function recordNotification(
  redis: Redis,
  prefix: string,
  notification: WebhookNotification,
  routing: Routing,
  now: number,
): Promise<RecordOutcome> {
  const { title, severity } = summarizeGroup(notification);
  const payload = JSON.stringify({
    receiver: notification.receiver,
    groupLabels: notification.groupLabels,
    commonLabels: notification.commonLabels,
    externalURL: notification.externalURL,
    title,
    severity,
    destinations: routing.destinations,
    playbook: routing.playbook,
    alerts: notification.alerts.map((a) => {
      const startsMs = parseTime(a.startsAt);
      const endsMs = parseTime(a.endsAt);
      // What makes two copies of one alert differ beyond their times; peers' clocks don't count.
      const content = createHash('sha256').update(JSON.stringify([a.labels, a.annotations, a.generatorURL])).digest('base64url').slice(0, 16);
      const alert = {
        fingerprint: a.fingerprint,
        status: a.status,
        startsMs,
        endsMs,
        content,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        generatorURL: a.generatorURL,
      };
      return { fingerprint: a.fingerprint, status: a.status, startsMs, endsMs, content, raw: JSON.stringify(alert) };
    }),
  });
  const [outcome, key, version, needJobs] = await runRecordNotification(redis, [], [
    prefix,
    notification.groupKey,
    buildIncidentKey(notification.groupKey),
    now,
    payload,
  ]);
  return { outcome: outcome as RecordOutcome['outcome'], key, version: Number(version), needJobs: needJobs === '1' };
}
