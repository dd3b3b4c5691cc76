import type { Job } from 'bullmq';
import { defineScript } from '../../redis/define-script.js';
import { toJobIdPart, type NotifyJobData } from '../create-queues.js';
import { DIGEST_TTL_MS } from './claim-card.js';
import { DIGEST_CARRIER_TTL_MS } from './take-digest-carrier.js';
import type { NotifyDeps } from './notify-deps.js';

// Counts the change, then finds the digest's carrier: the one `digest` job that is to send the
// digest's current state. When there is none, this change names one (its job id ends in the
// generation, so it is new) and the caller queues it. A retry of the job that named the carrier
// gets its id again: that job may have stopped between naming and queueing it, and queueing an id
// that is already queued adds nothing.
const runMark = defineScript<string | null>(
  'wardenMarkDigestChanged',
  `
local generation = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local carrier = redis.call('GET', KEYS[2])
if carrier then
  local held = cjson.decode(carrier)
  if held.by == ARGV[2] then return held.job end
  return false
end
local job = ARGV[1] .. '.g' .. generation
redis.call('SET', KEYS[2], cjson.encode({ job = job, by = ARGV[2] }), 'PX', tonumber(ARGV[3]))
return job
`,
);

/**
 * Records that a storm digest changed (an incident joined it, or one of its incidents changed) and
 * makes sure one `digest` job will send its current state. The incident's own job waits for no
 * budget: however many incidents a storm brings, one job per digest spends the destination's
 * budget (see `processDigestJob`).
 */
export async function markDigestChanged(
  job: Pick<Job<NotifyJobData>, 'id' | 'name'>,
  destination: string,
  minute: number,
  deps: Pick<NotifyDeps, 'redis' | 'keys' | 'notifyQueue'>,
): Promise<string> {
  const carrier = await runMark(
    deps.redis,
    [deps.keys.digestGeneration(destination, minute), deps.keys.digestCarrier(destination, minute)],
    [`digest.${toJobIdPart(destination)}.${minute}`, job.id ?? job.name, DIGEST_CARRIER_TTL_MS, DIGEST_TTL_MS],
  );
  if (carrier === null) return 'in digest';
  await deps.notifyQueue.add('digest', { key: `digest.${minute}`, destination, minute }, { jobId: carrier });
  return 'in digest; digest job queued';
}
