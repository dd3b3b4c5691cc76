import { defineScript } from '../../redis/define-script.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { DIGEST_CARRIER_TTL_MS, type DigestCarrierKeys } from './take-digest-carrier.js';

/** What a digest job does after a pass: finish, or go again because the digest changed meanwhile. */
export type DigestSettlement = 'done' | 'again' | 'superseded';

// Atomic against the change script: a change counted before this runs makes the pass go again; a
// change counted after it finds no carrier and names a new one. No change is left unsent.
const runSettle = defineScript<DigestSettlement>(
  'wardenSettleDigestCarrier',
  `
local carrier = redis.call('GET', KEYS[1])
if carrier and cjson.decode(carrier).job ~= ARGV[1] then return 'superseded' end
if tonumber(redis.call('GET', KEYS[2]) or '0') == tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 'done'
end
redis.call('SET', KEYS[1], carrier or cjson.encode({ job = ARGV[1] }), 'PX', tonumber(ARGV[3]))
return 'again'
`,
);

/**
 * Ends a pass of digest job `jobId` that sent (or found already shown) the digest as of
 * `generation`: `done` when nothing changed since (the job gives up being the carrier), `again`
 * when something did (it stays the carrier), `superseded` when another job carries the digest.
 */
export async function settleDigestCarrier(redis: RedisClient, keys: DigestCarrierKeys, jobId: string, generation: number): Promise<DigestSettlement> {
  return runSettle(redis, [keys.carrier, keys.generation], [jobId, generation, DIGEST_CARRIER_TTL_MS]);
}

const runDrop = defineScript<number>(
  'wardenDropDigestCarrier',
  `
local carrier = redis.call('GET', KEYS[1])
if carrier and cjson.decode(carrier).job == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/** Lets the digest go when its carrier `jobId` fails for good: the next change names a new carrier. */
export async function dropDigestCarrier(redis: RedisClient, keys: DigestCarrierKeys, jobId: string): Promise<void> {
  await runDrop(redis, [keys.carrier], [jobId]);
}
