import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { Incident } from '../model/incident.js';

/** Which incidents {@link listIncidents} returns. */
export interface ListIncidentsOptions {
  /** Only incidents opened at or after this time (epoch ms). */
  since?: number;
  /** Only incidents opened before this time (epoch ms, exclusive). */
  until?: number;
  /** At most this many; default {@link LIST_INCIDENTS_DEFAULT_LIMIT}, at most {@link LIST_INCIDENTS_MAX_LIMIT}. */
  limit?: number;
}

/** Reads incidents for the export: the function the route is given. */
export type ListIncidents = (options?: ListIncidentsOptions) => Promise<Incident[]>;

export const LIST_INCIDENTS_DEFAULT_LIMIT = 1000;
export const LIST_INCIDENTS_MAX_LIMIT = 10_000;
/** Incidents read per round trip (one ZRANGE, then one pipeline of HGETs). */
const BATCH = 500;

/**
 * Every incident, open or closed, newest first (by `openedAt`, the score of the `incidentIndex`
 * sorted set), optionally only those opened in [`since`, `until`). Reads in pipelined batches; an
 * index entry whose incident is gone (pruned meanwhile) is skipped.
 */
export async function listIncidents(redis: RedisClient, keys: RedisKeys, options: ListIncidentsOptions = {}): Promise<Incident[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? LIST_INCIDENTS_DEFAULT_LIMIT), 0), LIST_INCIDENTS_MAX_LIMIT);
  const max = options.until === undefined ? '+inf' : `(${options.until}`;
  const min = options.since === undefined ? '-inf' : String(options.since);
  const incidents: Incident[] = [];
  let offset = 0;
  while (incidents.length < limit) {
    const count = Math.min(BATCH, limit - incidents.length);
    const members = await redis.zrevrangebyscore(keys.incidentIndex, max, min, 'LIMIT', offset, count);
    if (members.length === 0) break;
    offset += members.length;
    const pipeline = redis.pipeline();
    for (const key of members) pipeline.hget(keys.incident(key), 'json');
    for (const [error, json] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      if (typeof json === 'string') incidents.push(JSON.parse(json) as Incident);
    }
    if (members.length < count) break;
  }
  return incidents;
}
