import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { Incident } from '../model/incident.js';

/**
 * A place in the newest-first order of the incident index: an incident's `openedAt` (its score)
 * and key. Incidents opened in the same millisecond follow one another by key, descending.
 */
export interface IncidentCursor {
  openedAt: number;
  key: string;
}

/** Which incidents {@link listIncidents} returns. */
export interface ListIncidentsOptions {
  /** Only incidents opened at or after this time (epoch ms). */
  since?: number;
  /** Only incidents opened before this time (epoch ms, exclusive). */
  until?: number;
  /**
   * Only incidents after this place in the newest-first order (older ones, and those of the same
   * millisecond with a smaller key): give the last incident of one call to read the next batch.
   */
  after?: IncidentCursor;
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
 * The index entries after `after` (from the top of [`min`, `max`] without it), up to `count` of
 * them, and whether the range ended within them.
 */
async function readIndexEntries(redis: RedisClient, index: string, max: string, min: string, after: IncidentCursor | undefined, count: number): Promise<{ entries: IncidentCursor[]; ended: boolean }> {
  // Entries sharing the cursor's score come first, keys descending: those down to its key were read already.
  const isNew = (entry: IncidentCursor) => after === undefined || entry.openedAt < after.openedAt || entry.key < after.key;
  for (let offset = 0; ; offset += count) {
    const flat = await redis.zrevrangebyscore(index, max, min, 'WITHSCORES', 'LIMIT', offset, count);
    const entries: IncidentCursor[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ key: flat[i]!, openedAt: Number(flat[i + 1]) });
    const fresh = entries.filter(isNew);
    const ended = entries.length < count;
    // A whole batch of already-read entries (many incidents in one millisecond): look further.
    if (fresh.length > 0 || ended) return { entries: fresh, ended };
  }
}

/**
 * Every incident, open or closed, newest first (by `openedAt`, the score of the `incidentIndex`
 * sorted set), optionally only those opened in [`since`, `until`) and after `after`. Reads in
 * pipelined batches, each continuing from the last entry read (so incidents opened meanwhile do not
 * shift it); an index entry whose incident is gone (pruned meanwhile) is skipped. Fewer than
 * `limit` incidents means none is left in the range.
 */
export async function listIncidents(redis: RedisClient, keys: RedisKeys, options: ListIncidentsOptions = {}): Promise<Incident[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? LIST_INCIDENTS_DEFAULT_LIMIT), 0), LIST_INCIDENTS_MAX_LIMIT);
  const top = options.until === undefined ? '+inf' : `(${options.until}`;
  const min = options.since === undefined ? '-inf' : String(options.since);
  const incidents: Incident[] = [];
  let after = options.after;
  while (incidents.length < limit) {
    const count = Math.min(BATCH, limit - incidents.length);
    // From the cursor's own score (inclusive, for the incidents of the same millisecond), unless the cursor lies past `until`.
    const max = after === undefined || (options.until !== undefined && after.openedAt >= options.until) ? top : String(after.openedAt);
    const { entries, ended } = await readIndexEntries(redis, keys.incidentIndex, max, min, after, count);
    if (entries.length === 0) break;
    after = entries.at(-1);
    const pipeline = redis.pipeline();
    for (const { key } of entries) pipeline.hget(keys.incident(key), 'json');
    for (const [error, json] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      if (typeof json === 'string') incidents.push(JSON.parse(json) as Incident);
    }
    if (ended) break;
  }
  return incidents;
}
