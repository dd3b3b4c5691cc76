import type { Job } from 'bullmq';
import { digestOrder } from '../../../cards/digest-order.js';
import type { Incident } from '../../model/incident.js';
import { defineScript } from '../../redis/define-script.js';
import { toJobIdPart, type NotifyJobData } from '../create-queues.js';
import { DIGEST_CARRIER_TTL_MS } from './take-digest-carrier.js';
import type { NotifyDeps } from './notify-deps.js';

/** How long digest bookkeeping is kept: well past any update to a storm's incidents. */
export const DIGEST_TTL_MS = 7 * 24 * 3600 * 1000;

// Records each incident on the digest — its place in digest order and the version it is shown at —
// and, when that changed anything, counts a change. Then finds the digest's carrier: the one
// `digest` job that is to send the digest's current state. When there is none and something
// changed, this change names one (its job id ends in the generation, so it is new) and the caller
// queues it. A retry of the job that named the carrier gets its id again: that job may have
// stopped between naming and queueing it, and queueing an id that is already queued adds nothing.
// ARGV[5 + 3(i - 1)] .. ARGV[7 + 3(i - 1)]: incident i's key, digest order and version.
const runMark = defineScript<string | null>(
  'wardenMarkDigestChanges',
  `
local changed = false
for i = 5, #ARGV, 3 do
  local key, order, version = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local shown = tonumber(redis.call('HGET', KEYS[4], key) or '-1')
  if version > shown then
    redis.call('HSET', KEYS[4], key, version)
    redis.call('HINCRBY', KEYS[5], 'versions', version - math.max(shown, 0))
    changed = true
  end
  local ranked = redis.call('ZSCORE', KEYS[3], key)
  if not ranked or tonumber(ranked) ~= order then
    redis.call('ZADD', KEYS[3], order, key)
    changed = true
  end
end
for i = 3, 5 do redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[4])) end
local generation
if changed then
  generation = redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
end
local carrier = redis.call('GET', KEYS[2])
if carrier then
  local held = cjson.decode(carrier)
  if held.by == ARGV[2] then return held.job end
  return false
end
if not changed then return false end
local job = ARGV[1] .. '.g' .. generation
redis.call('SET', KEYS[2], cjson.encode({ job = job, by = ARGV[2] }), 'PX', tonumber(ARGV[3]))
return job
`,
);

/** An incident as a digest lists it. */
export type DigestMember = Pick<Incident, 'key' | 'version' | 'severity' | 'openedAt'>;

/**
 * Records `incident` as it is now on a storm digest (it joined, or changed) and, when the digest
 * changed, makes sure one `digest` job will send its current state. The incident's own job waits for no
 * budget: however many incidents a storm brings, one job per digest spends the destination's
 * budget (see `processDigestJob`).
 */
export async function markDigestChanged(
  job: Pick<Job<NotifyJobData>, 'id' | 'name'>,
  incident: DigestMember,
  destination: string,
  minute: number,
  deps: Pick<NotifyDeps, 'redis' | 'keys' | 'notifyQueue'>,
): Promise<string> {
  return markDigestChanges(job, [incident], destination, minute, deps);
}

/** {@link markDigestChanged} for several incidents of one digest in one script call (a dispatch job's batch). */
export async function markDigestChanges(
  job: Pick<Job<NotifyJobData>, 'id' | 'name'>,
  incidents: readonly DigestMember[],
  destination: string,
  minute: number,
  deps: Pick<NotifyDeps, 'redis' | 'keys' | 'notifyQueue'>,
): Promise<string> {
  const { keys } = deps;
  const carrier = await runMark(
    deps.redis,
    [
      keys.digestGeneration(destination, minute),
      keys.digestCarrier(destination, minute),
      keys.digestRanking(destination, minute),
      keys.digestVersions(destination, minute),
      keys.digest(destination, minute),
    ],
    [`digest.${toJobIdPart(destination)}.${minute}`, job.id ?? job.name, DIGEST_CARRIER_TTL_MS, DIGEST_TTL_MS, ...incidents.flatMap((incident) => [incident.key, digestOrder(incident), incident.version])],
  );
  if (carrier === null) return 'in digest';
  await deps.notifyQueue.add('digest', { key: `digest.${minute}`, destination, minute }, { jobId: carrier });
  return 'in digest; digest job queued';
}
