import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { Incident } from '../model/incident.js';

/** Options for {@link pruneClosedIncidents}. */
export interface PruneClosedIncidentsOptions {
  /** Remove incidents closed more than this long ago (`retention.closedIncidentDays` in ms). */
  olderThanMs: number;
  /** The current time (epoch ms). */
  now: number;
  /** Incidents looked at per round trip; default 100. */
  batch?: number;
}

/** The keys of one incident that pruning deletes, the incident hash first. */
const KEYS_PER_INCIDENT = 7;

// Checked again inside Redis, atomically with the deletion: only an incident that is still closed,
// closed before the cutoff and not its group's open incident is removed. An index entry whose
// incident hash is gone is dropped from the index (it lists nothing). The group's generation count
// goes with the group's latest incident, so the hash does not keep a field per group ever seen.
// KEYS: index, open incidents, generations, then the keys of each incident. ARGV: cutoff, incident keys.
const runPrune = defineScript<[number, number]>(
  'wardenPruneClosedIncidents',
  `
local cutoff = tonumber(ARGV[1])
local removed, unindexed = 0, 0
for i = 2, #ARGV do
  local member = ARGV[i]
  local base = 3 + (i - 2) * ${KEYS_PER_INCIDENT}
  local raw = redis.call('HGET', KEYS[base + 1], 'json')
  if not raw then
    local score = redis.call('ZSCORE', KEYS[1], member)
    if score and tonumber(score) < cutoff then
      unindexed = unindexed + redis.call('ZREM', KEYS[1], member)
    end
  else
    local inc = cjson.decode(raw)
    local closedAt = tonumber(inc.closedAt)
    local open = type(inc.groupKey) == 'string' and redis.call('HGET', KEYS[2], inc.groupKey) == member
    if inc.phase == 'closed' and closedAt and closedAt < cutoff and not open then
      local doomed = {}
      for k = 1, ${KEYS_PER_INCIDENT} do doomed[k] = KEYS[base + k] end
      redis.call('DEL', unpack(doomed))
      unindexed = unindexed + redis.call('ZREM', KEYS[1], member)
      -- A later incident of the group raised the count: then the count is still needed.
      if inc.generation and type(inc.groupKey) == 'string' and not redis.call('HGET', KEYS[2], inc.groupKey)
        and tonumber(redis.call('HGET', KEYS[3], inc.groupKey) or '0') == tonumber(inc.generation) then
        redis.call('HDEL', KEYS[3], inc.groupKey)
      end
      removed = removed + 1
    end
  end
end
return {removed, unindexed}
`,
);

/** Everything an incident keeps under its own name. Card locks expire by themselves within seconds. */
function incidentKeys(keys: RedisKeys, key: string): string[] {
  return [keys.incident(key), keys.alerts(key), keys.timeline(key), keys.diagnosis(key), keys.messages(key), keys.steps(key), keys.incidentApprovals(key)];
}

function isPrunable(json: unknown, cutoff: number): boolean {
  // A missing hash is a stale index entry: the script drops it from the index.
  if (typeof json !== 'string') return true;
  const incident = JSON.parse(json) as Partial<Incident>;
  return incident.phase === 'closed' && typeof incident.closedAt === 'number' && incident.closedAt < cutoff;
}

/**
 * Retention: removes the incidents closed before `now − olderThanMs` — the incident hash and its
 * alerts, timeline, diagnosis, card messages, playbook steps and list of approval requests (the
 * requests themselves expire), its `incidentIndex` entry and, for its group's latest incident, the
 * group's generation count (a later incident of the group starts again at its first key) — and
 * returns how many. An open
 * incident is never removed, nor one a concurrent change left open or closed later: the script
 * checks again before it deletes. The audit log (stream and JSONL file) is never touched. Candidates come from the index (an incident
 * closes after it opens, so only entries opened before the cutoff can qualify), oldest first.
 */
export async function pruneClosedIncidents(redis: RedisClient, keys: RedisKeys, options: PruneClosedIncidentsOptions): Promise<number> {
  const { olderThanMs, now } = options;
  const batch = Math.max(1, Math.trunc(options.batch ?? 100));
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0 || !Number.isFinite(now)) {
    throw new RangeError('pruneClosedIncidents needs a finite olderThanMs ≥ 0 and a finite now');
  }
  const cutoff = now - olderThanMs;
  let removed = 0;
  let offset = 0;
  for (;;) {
    const members = await redis.zrangebyscore(keys.incidentIndex, '-inf', `(${cutoff}`, 'LIMIT', offset, batch);
    if (members.length === 0) break;
    const pipeline = redis.pipeline();
    for (const key of members) pipeline.hget(keys.incident(key), 'json');
    const candidates: string[] = [];
    ((await pipeline.exec()) ?? []).forEach(([error, json], i) => {
      if (error) throw error;
      if (isPrunable(json, cutoff)) candidates.push(members[i]!);
    });
    let unindexed = 0;
    if (candidates.length > 0) {
      const [count, dropped] = await runPrune(
        redis,
        [keys.incidentIndex, keys.openIncidents, keys.incidentGenerations, ...candidates.flatMap((key) => incidentKeys(keys, key))],
        [cutoff, ...candidates],
      );
      removed += Number(count);
      unindexed = Number(dropped);
    }
    if (members.length < batch) break;
    // What stayed in the index keeps its place; the next page starts after it.
    offset += members.length - unindexed;
  }
  return removed;
}
