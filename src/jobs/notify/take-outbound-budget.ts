import type { RedisClient } from '../../redis/redis-client.js';
import { defineScript } from '../../redis/define-script.js';

// One send per `interval` ms per destination, shared by every process through Redis. The slot is
// only taken when it is free, so a job told to wait holds no reservation while it is delayed.
const runTakeBudget = defineScript<number>(
  'wardenTakeBudget',
  `
local now, interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree > now then return nextFree - now end
redis.call('SET', KEYS[1], now + interval, 'PX', math.max(interval * 2, 1000))
return 0
`,
);

/**
 * Takes one send from a destination's budget of `perSecond` sends. Returns 0 when the send may go
 * now, or how many milliseconds to wait before asking again.
 */
export async function takeOutboundBudget(redis: RedisClient, budgetKey: string, perSecond: number, now: number): Promise<number> {
  return Number(await runTakeBudget(redis, [budgetKey], [now, intervalOf(perSecond)]));
}

/** The ms between two sends of a budget of `perSecond` sends. */
function intervalOf(perSecond: number): number {
  return Math.max(1, Math.round(1000 / perSecond));
}

// The next send may go one interval after this one ended, whatever slot it was given: a send held
// up after it took its slot (a busy event loop, a slow request) must not land closer to the next.
const runSettleBudget = defineScript<number>(
  'wardenSettleBudget',
  `
local after = tonumber(ARGV[1]) + tonumber(ARGV[2])
if after > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], after, 'PX', math.max(tonumber(ARGV[2]) * 2, 1000))
end
return 0
`,
);

/**
 * Notes that a send to the destination of `budgetKey` ended at `now`: its next send goes no sooner
 * than one interval after it, even when this one left later than its slot.
 */
export async function settleOutboundBudget(redis: RedisClient, budgetKey: string, perSecond: number, now: number): Promise<void> {
  await runSettleBudget(redis, [budgetKey], [now, intervalOf(perSecond)]);
}
