import type { RedisClient } from '../redis/redis-client.js';
import type { ProbeResult } from '../model/probe-result.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { appendTimeline } from './append-timeline.js';
import type { Alert, Incident, TimelineEntry } from '../model/incident.js';
import { readIncidentAlerts } from './read-incident-alerts.js';
import { patchIncident, type IncidentPatch, type PatchOutcome } from './patch-incident.js';

/** Everything a card needs about one incident. */
export interface IncidentView {
  incident: Incident;
  alerts: Alert[];
  diagnosis: ProbeResult[];
}

/** An incident version whose card updates (and, when it just opened, diagnosis) still need queueing. */
export interface UndispatchedIncident {
  key: string;
  version: number;
  destinations: string[];
  /** No job of this incident was ever queued: it just opened, so diagnosis runs too. */
  opened: boolean;
  title: string;
  severity: string;
  /** When the incident opened (epoch ms). */
  openedAt: number;
  /** Every alert of the group resolved at the source. */
  resolved?: boolean;
  /** The incident's active Alertmanager silence, if any. */
  silenceId?: string;
}

/** Reads and changes incidents in Redis. Writes from Alertmanager go through `recordNotification`. */
export interface IncidentStore {
  get(key: string): Promise<Incident | null>;
  /** The incident with its alerts (firing first, then by start time) and latest diagnosis. */
  view(key: string): Promise<IncidentView | null>;
  timeline(key: string, limit?: number): Promise<TimelineEntry[]>;
  /** Notes `entry` on the timeline without a new version (the cards do not change); false when the incident is gone. */
  appendTimeline(key: string, entry: TimelineEntry): Promise<boolean>;
  patch(key: string, patch: IncidentPatch, now: number): Promise<PatchOutcome>;
  /**
   * Stores a remediation's result as the action's latest result (cards show it by title) and notes
   * it on the timeline as `action`, with who ran it.
   */
  recordActionResult(key: string, result: ProbeResult, actor: string, now: number): Promise<PatchOutcome>;
  /** Stores the latest result per action and target, and notes each on the timeline. */
  recordDiagnosis(key: string, results: readonly ProbeResult[], now: number): Promise<PatchOutcome>;
  /**
   * The open incidents of `groupKeys` whose jobs for their current version are not queued yet
   * (the `jobs` mark is behind `version`); groups without an open incident are left out.
   */
  listUndispatched(groupKeys: readonly string[]): Promise<UndispatchedIncident[]>;
  /**
   * Marks that each incident's jobs for `version` are queued, so redeliveries need not queue them
   * again, and drops intake batch `batch`'s mark in the same transaction (its dispatch job is done
   * with it): the mark never goes while the incidents still wait for their jobs.
   */
  confirmJobs(items: readonly { key: string; version: number }[], batch?: string): Promise<void>;
  /** True once the record script has stored intake batch `id` (and until {@link confirmJobs} drops it). */
  isBatchRecorded(id: string): Promise<boolean>;
  countOpen(): Promise<number>;
  /** Open incidents, newest first, at most `limit`. */
  listOpen(limit: number): Promise<Incident[]>;
}

/** The incident store over one Redis connection. */
export function createIncidentStore(redis: RedisClient, keys: RedisKeys): IncidentStore {
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

    appendTimeline: (key, entry) => appendTimeline(redis, keys, key, entry),

    patch: (key, patch, now) => patchIncident(redis, keys, key, patch, now),

    async recordActionResult(key, result, actor, now) {
      await redis.hset(keys.diagnosis(key), `${result.actionId}|`, JSON.stringify(result));
      const text = `${result.ok ? 'OK' : 'FAILED'} ${result.title} (run by ${actor}): ${result.summary}`;
      return patchIncident(redis, keys, key, { timeline: [{ at: result.at, kind: 'action', text, actor, data: { actionId: result.actionId, ok: result.ok } }] }, now);
    },

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

    async listUndispatched(groupKeys) {
      if (groupKeys.length === 0) return [];
      const incidentKeys = [...new Set((await redis.hmget(keys.openIncidents, ...groupKeys)).filter((key): key is string => key !== null))];
      if (incidentKeys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of incidentKeys) pipeline.hmget(keys.incident(key), 'json', 'jobs');
      const replies = (await pipeline.exec()) ?? [];
      const undispatched: UndispatchedIncident[] = [];
      replies.forEach(([error, values], i) => {
        if (error) throw error;
        const [json, jobs] = values as [string | null, string | null];
        if (!json) return;
        const incident = JSON.parse(json) as Incident;
        const queued = Number(jobs ?? 0);
        if (queued < incident.version) {
          undispatched.push({
            key: incidentKeys[i]!,
            version: incident.version,
            destinations: incident.destinations,
            opened: queued === 0,
            title: incident.title,
            severity: incident.severity,
            openedAt: incident.openedAt,
            ...(incident.status === 'resolved' ? { resolved: true } : {}),
            ...(incident.silence === undefined ? {} : { silenceId: incident.silence.id }),
          });
        }
      });
      return undispatched;
    },

    async confirmJobs(items, batch) {
      if (items.length === 0 && batch === undefined) return;
      // MULTI: Redis refuses the whole transaction when a write is refused as it is queued (out of memory, say).
      const transaction = redis.multi();
      for (const { key, version } of items) transaction.hset(keys.incident(key), 'jobs', String(version));
      if (batch !== undefined) transaction.del(keys.intakeBatch(batch));
      const failed = (await transaction.exec())?.find(([error]) => error);
      if (failed) throw failed[0];
    },

    isBatchRecorded: async (id) => (await redis.exists(keys.intakeBatch(id))) === 1,

    countOpen: () => redis.hlen(keys.openIncidents),

    async listOpen(limit) {
      const incidentKeys = await redis.hvals(keys.openIncidents);
      if (incidentKeys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of incidentKeys) pipeline.hget(keys.incident(key), 'json');
      const values = ((await pipeline.exec()) ?? []).map(([error, json]) => {
        if (error) throw error;
        return json as string | null;
      });
      return values
        .filter((json): json is string => json !== null)
        .map((json) => JSON.parse(json) as Incident)
        .sort((a, b) => b.openedAt - a.openedAt)
        .slice(0, limit);
    },
  };
}
