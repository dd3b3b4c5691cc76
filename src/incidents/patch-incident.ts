import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { Incident, TimelineEntry } from '../model/incident.js';

/** A change to an incident: fields to set or remove and timeline entries to append, applied atomically. */
export interface IncidentPatch {
  set?: Partial<Omit<Incident, 'key' | 'groupKey' | 'version'>>;
  /** Fields set only when not set yet (e.g. `containedAt`); the outcome names those this patch set. */
  setOnce?: Partial<Omit<Incident, 'key' | 'groupKey' | 'version'>>;
  unset?: (keyof Incident)[];
  timeline?: TimelineEntry[];
  /** Refuse the patch (outcome `refused`) when the incident is in this phase, e.g. `closed`. */
  unlessPhase?: Incident['phase'];
  /**
   * The incident stops being its group's open incident (it is closed): the group's next firing
   * alert opens a new incident instead of reopening this one.
   */
  releaseGroup?: boolean;
  /** Refuse the patch when this field is already set (e.g. a second `acknowledgedBy`). */
  requireUnset?: keyof Incident;
}

/** The incident after the patch, or why it was not applied. */
export type PatchOutcome = { outcome: 'applied'; incident: Incident; setOnce?: (keyof Incident)[] } | { outcome: 'missing' } | { outcome: 'refused'; incident: Incident };

// Field-wise merge inside Redis, so a patch (say, an acknowledgement) never overwrites what a
// concurrent notification changed (alert counts) and every change bumps the version exactly once.
const runPatch = defineScript<[string, string, string?]>(
  'wardenPatchIncident',
  `
local raw = redis.call('HGET', KEYS[1], 'json')
if not raw then return {'missing', ''} end
local inc = cjson.decode(raw)
local patch = cjson.decode(ARGV[1])
if patch.unlessPhase and inc.phase == patch.unlessPhase then return {'refused', raw} end
if patch.requireUnset and inc[patch.requireUnset] ~= nil then return {'refused', raw} end
if patch.set then for k, v in pairs(patch.set) do inc[k] = v end end
if patch.unset then for _, k in ipairs(patch.unset) do inc[k] = nil end end
local fresh = {}
if patch.setOnce then for k, v in pairs(patch.setOnce) do if inc[k] == nil then inc[k] = v; table.insert(fresh, k) end end end
if patch.releaseGroup and redis.call('HGET', KEYS[3], inc.groupKey) == inc.key then redis.call('HDEL', KEYS[3], inc.groupKey) end
inc.version = inc.version + 1
inc.updatedAt = tonumber(ARGV[2])
if patch.timeline then
  for _, entry in ipairs(patch.timeline) do redis.call('RPUSH', KEYS[2], cjson.encode(entry)) end
end
local out = cjson.encode(inc)
redis.call('HSET', KEYS[1], 'json', out)
return {'applied', out, table.concat(fresh, ',')}
`,
);

/** Applies `patch` to incident `key` in one atomic step and bumps its version. */
export async function patchIncident(redis: RedisClient, keys: RedisKeys, key: string, patch: IncidentPatch, now: number): Promise<PatchOutcome> {
  const [outcome, json, fresh] = await runPatch(redis, [keys.incident(key), keys.timeline(key), keys.openIncidents], [JSON.stringify(patch), now]);
  if (outcome === 'missing') return { outcome };
  const incident = JSON.parse(json) as Incident;
  if (outcome === 'refused') return { outcome, incident };
  return fresh ? { outcome: 'applied', incident, setOnce: fresh.split(',') as (keyof Incident)[] } : { outcome: 'applied', incident };
}
