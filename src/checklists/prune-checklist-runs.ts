import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';
import type { RedisKeys } from '../redis/redis-keys.js';

// Checked again inside Redis, atomically with the deletion: only a run that completed before the
// cutoff is removed (with its items and card references); an open run is never touched.
// KEYS: runs index, then per run: run, items, messages. ARGV: cutoff, run ids.
const runPrune = defineScript<number>(
  'wardenPruneChecklistRuns',
  `
local removed = 0
for i = 2, #ARGV do
  local base = 1 + (i - 2) * 3
  local completedAt = tonumber(redis.call('HGET', KEYS[base + 1], 'completedAt') or '')
  local exists = redis.call('EXISTS', KEYS[base + 1]) == 1
  if (completedAt and completedAt < tonumber(ARGV[1])) or not exists then
    redis.call('DEL', KEYS[base + 1], KEYS[base + 2], KEYS[base + 3])
    redis.call('ZREM', KEYS[1], ARGV[i])
    if exists then removed = removed + 1 end
  end
end
return removed
`,
);

/**
 * Removes the runs of each checklist that completed more than `olderThanMs` ago
 * (`retention.checklistRunDays`); open runs stay however old they are. Runs are looked at oldest
 * first, by start time, in batches; the records of which schedule slots ran or were missed go
 * with them. Returns how many runs were removed. The audit log keeps their history.
 */
export async function pruneChecklistRuns(
  redis: RedisClient,
  keys: RedisKeys,
  checklistIds: Iterable<string>,
  options: { olderThanMs: number; now: number; batch?: number },
): Promise<number> {
  const cutoff = options.now - options.olderThanMs;
  const batch = options.batch ?? 100;
  let removed = 0;
  for (const checklistId of checklistIds) {
    const index = keys.checklistRuns(checklistId);
    // A run completes after it starts: only runs started before the cutoff can have completed before it.
    const candidates = await redis.zrangebyscore(index, '-inf', `(${cutoff}`);
    for (let i = 0; i < candidates.length; i += batch) {
      const ids = candidates.slice(i, i + batch);
      const runKeys = ids.flatMap((id) => [keys.checklistRun(id), keys.checklistRunItems(id), keys.checklistRunMessages(id)]);
      removed += Number(await runPrune(redis, [index, ...runKeys], [cutoff, ...ids]));
    }
    await redis.zremrangebyscore(keys.checklistSlots(checklistId), '-inf', `(${cutoff}`);
    await redis.zremrangebyscore(keys.checklistMissed(checklistId), '-inf', `(${cutoff}`);
  }
  return removed;
}
