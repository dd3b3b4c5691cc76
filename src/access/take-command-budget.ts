import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';

// GCRA (generic cell rate algorithm): the key holds the theoretical arrival time of the next
// command; a command is allowed while that time is at most one window ahead of now. Smooth (no
// burst of 2× at a minute boundary as fixed windows allow), one key per identity, self-expiring.
const runTake = defineScript<number>(
  'wardenTakeCommandBudget',
  `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + interval
if nextTat - now > window then return nextTat - now - window end
redis.call('SET', KEYS[1], nextTat, 'PX', math.ceil(nextTat - now))
return 0
`,
);

/**
 * Takes one command from `identity`'s budget of `perMinute` commands per minute, shared by every
 * Warden process through Redis. Resolves with 0 when allowed, else the milliseconds to wait.
 */
export async function takeCommandBudget(redis: RedisClient, key: string, perMinute: number, now: number): Promise<number> {
  const windowMs = 60_000;
  return Number(await runTake(redis, [key], [Math.floor(now), windowMs / perMinute, windowMs]));
}
