import { defineScript } from '../../redis/define-script.js';
import type { RedisClient } from '../../redis/redis-client.js';

/**
 * How long a digest's carrier holds the digest without a sign of life. The carrier renews it on
 * each pass (and the budget, 429s and retry backoff delay a pass far less); a carrier that died
 * for good (it failed every attempt, or stalled past BullMQ's limit) lets the digest go after this
 * long, and the next change names a new carrier.
 */
export const DIGEST_CARRIER_TTL_MS = 5 * 60_000;

/** The keys of one digest's carrier bookkeeping. */
export interface DigestCarrierKeys {
  carrier: string;
  generation: string;
}

// The job carries the digest when it is named carrier, or when none is (its naming expired): it
// renews or takes the name. Another job named meanwhile carries it instead.
const runTake = defineScript<number | null>(
  'wardenTakeDigestCarrier',
  `
local carrier = redis.call('GET', KEYS[1])
if carrier and cjson.decode(carrier).job ~= ARGV[1] then return false end
redis.call('SET', KEYS[1], carrier or cjson.encode({ job = ARGV[1] }), 'PX', tonumber(ARGV[2]))
return tonumber(redis.call('GET', KEYS[2]) or '0')
`,
);

/**
 * Starts a pass of digest job `jobId`: returns the digest's generation (read before its content, so
 * any later change makes the pass go again), or null when another job carries the digest.
 */
export async function takeDigestCarrier(redis: RedisClient, keys: DigestCarrierKeys, jobId: string): Promise<number | null> {
  const generation = await runTake(redis, [keys.carrier, keys.generation], [jobId, DIGEST_CARRIER_TTL_MS]);
  return generation === null ? null : Number(generation);
}
