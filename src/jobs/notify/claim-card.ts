import type { RedisClient } from '../../redis/redis-client.js';
import { defineScript } from '../../redis/define-script.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { GoneMessage } from './send-card.js';

/** Where an incident's card lives in one destination. */
export type CardClaim =
  /**
   * Its own card: `id` once posted, `rendered` = the incident version it shows. `replaces`: the
   * platform said message `replaces.id` is gone, so the card is to be posted anew.
   */
  | { mode: 'card'; id?: string; rendered: number; replaces?: GoneMessage }
  /** Listed on the destination's digest card for a storm minute. */
  | { mode: 'digest'; minute: number };

// The first time an incident reaches a destination it counts against that destination's new cards
// in the current minute; past the storm limit — or while the minute before went past it — it joins
// the minute's digest instead. The decision is stored, so retries and later updates keep it.
const runClaim = defineScript<string>(
  'wardenClaimCard',
  `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
-- An incident pruned meanwhile gets no new bookkeeping (nothing would prune it).
if redis.call('EXISTS', KEYS[4]) == 0 then return cjson.encode({ mode = 'card', rendered = 0 }) end
local count = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], 120000)
-- A storm that went past the limit in the minute before is still on: its incidents keep joining
-- the digest until a minute stays under the limit.
local before = tonumber(redis.call('GET', KEYS[5]) or '0')
local claim
if count > tonumber(ARGV[3]) or before > tonumber(ARGV[3]) then
  claim = cjson.encode({ mode = 'digest', minute = tonumber(ARGV[4]) })
  redis.call('RPUSH', KEYS[3], ARGV[2])
  redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[5]))
else
  claim = cjson.encode({ mode = 'card', rendered = 0 })
end
redis.call('HSET', KEYS[1], ARGV[1], claim)
return claim
`,
);

// A card job that finishes after its incident was pruned must not leave a message record behind
// with nothing to prune it.
const runSave = defineScript<number>(
  'wardenSaveCard',
  `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
`,
);

/** How long digest bookkeeping is kept: well past any update to a storm's incidents. */
export const DIGEST_TTL_MS = 7 * 24 * 3600 * 1000;

/** Finds, or decides once, where incident `key`'s card lives in `destination` (see {@link CardClaim}). */
export async function claimCard(
  redis: RedisClient,
  keys: RedisKeys,
  key: string,
  destination: string,
  stormLimit: number,
  now: number,
): Promise<CardClaim> {
  const minute = Math.floor(now / 60_000);
  const json = await runClaim(
    redis,
    [keys.messages(key), keys.stormCount(destination, minute), keys.digestIncidents(destination, minute), keys.incident(key), keys.stormCount(destination, minute - 1)],
    [destination, key, stormLimit, minute, DIGEST_TTL_MS],
  );
  return JSON.parse(json) as CardClaim;
}

/** Records that the card in `destination` is message `id` and shows incident version `rendered`. */
export async function saveCard(redis: RedisClient, keys: RedisKeys, key: string, destination: string, id: string, rendered: number): Promise<void> {
  await runSave(redis, [keys.messages(key), keys.incident(key)], [destination, JSON.stringify({ mode: 'card', id, rendered })]);
}

/** Records that the card in `destination`, showing version `rendered`, lost its message `gone`: the next send posts it anew. */
export async function forgetCard(redis: RedisClient, keys: RedisKeys, key: string, destination: string, rendered: number, gone: GoneMessage): Promise<void> {
  await runSave(redis, [keys.messages(key), keys.incident(key)], [destination, JSON.stringify({ mode: 'card', rendered, replaces: gone })]);
}
