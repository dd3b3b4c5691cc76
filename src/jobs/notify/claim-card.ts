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
// the minute's digest instead (the caller records it there, see `markDigestChanges`). The decision is
// stored, so retries and later updates keep it. One call decides for a batch of incidents, in order
// (KEYS[1 + 2i], KEYS[2 + 2i]: incident i's message records and the incident itself; ARGV[3 + i]: its key).
const runClaim = defineScript<string[]>(
  'wardenClaimCards',
  `
local claims = {}
for i = 1, #ARGV - 3 do
  local messages, incident = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local claim = redis.call('HGET', messages, ARGV[1])
  -- An incident pruned meanwhile gets no new bookkeeping (nothing would prune it).
  if not claim and redis.call('EXISTS', incident) == 0 then claim = cjson.encode({ mode = 'card', rendered = 0 }) end
  if not claim then
    local count = redis.call('INCR', KEYS[1])
    redis.call('PEXPIRE', KEYS[1], 120000)
    -- A storm that went past the limit in the minute before is still on: its incidents keep joining
    -- the digest until a minute stays under the limit.
    local before = tonumber(redis.call('GET', KEYS[2]) or '0')
    if count > tonumber(ARGV[2]) or before > tonumber(ARGV[2]) then
      claim = cjson.encode({ mode = 'digest', minute = tonumber(ARGV[3]) })
    else
      claim = cjson.encode({ mode = 'card', rendered = 0 })
    end
    redis.call('HSET', messages, ARGV[1], claim)
  end
  claims[i] = claim
end
return claims
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

/** Finds, or decides once, where incident `key`'s card lives in `destination` (see {@link CardClaim}). */
export async function claimCard(redis: RedisClient, keys: RedisKeys, key: string, destination: string, stormLimit: number, now: number): Promise<CardClaim> {
  const [claim] = await claimCards(redis, keys, [key], destination, stormLimit, now);
  return claim!;
}

/**
 * {@link claimCard} for several incidents in one script call, deciding in the order given (the
 * first of a minute get cards of their own, the rest the digest): a dispatch job routes its whole
 * batch at once.
 */
export async function claimCards(redis: RedisClient, keys: RedisKeys, incidentKeys: readonly string[], destination: string, stormLimit: number, now: number): Promise<CardClaim[]> {
  if (incidentKeys.length === 0) return [];
  const minute = Math.floor(now / 60_000);
  const replies = await runClaim(
    redis,
    [keys.stormCount(destination, minute), keys.stormCount(destination, minute - 1), ...incidentKeys.flatMap((key) => [keys.messages(key), keys.incident(key)])],
    [destination, stormLimit, minute, ...incidentKeys],
  );
  return replies.map((json) => JSON.parse(json) as CardClaim);
}

/** Records that the card in `destination` is message `id` and shows incident version `rendered`. */
export async function saveCard(redis: RedisClient, keys: RedisKeys, key: string, destination: string, id: string, rendered: number): Promise<void> {
  await runSave(redis, [keys.messages(key), keys.incident(key)], [destination, JSON.stringify({ mode: 'card', id, rendered })]);
}

/** Records that the card in `destination`, showing version `rendered`, lost its message `gone`: the next send posts it anew. */
export async function forgetCard(redis: RedisClient, keys: RedisKeys, key: string, destination: string, rendered: number, gone: GoneMessage): Promise<void> {
  await runSave(redis, [keys.messages(key), keys.incident(key)], [destination, JSON.stringify({ mode: 'card', rendered, replaces: gone })]);
}
