import type { Redis } from 'ioredis';
import type { ProbeResult } from '../actions/probe-result.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { Alert, Incident, TimelineEntry } from './incident.js';
import { readIncidentAlerts } from './read-incident-alerts.js';
import { patchIncident, type IncidentPatch, type PatchOutcome } from './patch-incident.js';

/** Everything a card needs about one incident. */
export interface IncidentView {
  incident: Incident;
  alerts: Alert[];
  diagnosis: ProbeResult[];
}

/** Reads and changes incidents in Redis. Writes from Alertmanager go through `recordNotification`. */
export interface IncidentStore {
  get(key: string): Promise<Incident | null>;
  /** The incident with its alerts (firing first, then by start time) and latest diagnosis. */
  view(key: string): Promise<IncidentView | null>;
  timeline(key: string, limit?: number): Promise<TimelineEntry[]>;
  patch(key: string, patch: IncidentPatch, now: number): Promise<PatchOutcome>;
  /** Stores the latest result per action and target, and notes each on the timeline. */
  recordDiagnosis(key: string, results: readonly ProbeResult[], now: number): Promise<PatchOutcome>;
  /** Marks that each incident's jobs for `version` are queued, so redeliveries need not queue them again. */
  confirmJobs(items: readonly { key: string; version: number }[]): Promise<void>;
  countOpen(): Promise<number>;
}

/** The incident store over one Redis connection. */
export function createIncidentStore(redis: Redis, keys: RedisKeys): IncidentStore {
  const get = async (key: string): Promise<Incident | null> => {
    const json = await redis.hget(keys.incident(key), 'json');
    return json ? (JSON.parse(json) as Incident) : null;
  };

  return {
    get,

    async view(key) {
      const [incident, body, states, diagnosisValues] = await Promise.all([
        get(key),
        redis.hget(keys.incident(key), 'body'),
        redis.hgetall(keys.alerts(key)),
        redis.hvals(keys.diagnosis(key)),
      ]);
      if (!incident) return null;
      const alerts = readIncidentAlerts(body, states);
      const diagnosis = diagnosisValues.map((value) => JSON.parse(value) as ProbeResult).sort((a, b) => a.title.localeCompare(b.title));
      return { incident, alerts, diagnosis };
    },

    async timeline(key, limit = 200) {
      const entries = await redis.lrange(keys.timeline(key), -limit, -1);
      return entries.map((entry) => JSON.parse(entry) as TimelineEntry);
    },

    patch: (key, patch, now) => patchIncident(redis, keys, key, patch, now),

    async recordDiagnosis(key, results, now) {
      if (results.length > 0) {
        await redis.hset(
          keys.diagnosis(key),
          Object.fromEntries(results.map((r) => [`${r.actionId}|${r.target ?? ''}`, JSON.stringify(r)])),
        );
      }
      const timeline: TimelineEntry[] = results.map((r) => ({
        at: r.at,
        kind: 'diagnosis',
        text: `${r.ok ? 'OK' : 'FAILED'} ${r.title}${r.target ? ` (${r.target})` : ''}: ${r.summary}`,
        data: { actionId: r.actionId, ok: r.ok },
      }));
      return patchIncident(redis, keys, key, { timeline }, now);
    },

    async confirmJobs(items) {
      const pipeline = redis.pipeline();
      for (const { key, version } of items) pipeline.hset(keys.incident(key), 'jobs', String(version));
      const failed = (await pipeline.exec())?.find(([error]) => error);
      if (failed) throw failed[0];
    },

    countOpen: () => redis.hlen(keys.openIncidents),
  };
}
