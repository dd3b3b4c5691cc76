import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';

// Both keys in one step: a delivery is new only if neither its id nor (for Lark) its signed
// timestamp and nonce were seen, and then both are remembered.
const runClaim = defineScript<number>(
  'wardenClaimInboundEvent',
  `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 1, #KEYS do redis.call('SET', KEYS[i], '1', 'EX', ARGV[i]) end
return 1
`,
);

/** A key to remember and for how long. */
export interface ClaimKey {
  key: string;
  ttlSeconds: number;
}

/**
 * Remembers an inbound delivery; false when any of its keys was already remembered (a platform's
 * redelivery, or a captured request sent again). `release` forgets it again when accepting it
 * failed half-way, so the platform's next delivery is not mistaken for a duplicate.
 */
export async function claimInboundEvent(redis: RedisClient, claims: readonly ClaimKey[]): Promise<boolean> {
  return (await runClaim(redis, claims.map((c) => c.key), claims.map((c) => c.ttlSeconds))) === 1;
}

/** Forgets a claim made by {@link claimInboundEvent}. */
export async function releaseInboundEvent(redis: RedisClient, claims: readonly ClaimKey[]): Promise<void> {
  await redis.del(...claims.map((c) => c.key));
}
