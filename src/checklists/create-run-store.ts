import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { ChecklistRun, ItemState, RunItem, RunView } from '../model/checklist-run.js';

/** What starting a run did: `started`, or `open` (the checklist's open run, for commands) / `slot-taken` (a schedule slot already has its run). */
export type StartRunOutcome = { outcome: 'started'; runId: string } | { outcome: 'open' | 'slot-taken'; runId: string };

/** What changing an item did. */
export type UpdateItemOutcome =
  | { outcome: 'applied'; version: number; open: number; completed: boolean }
  /** The item is not in a state this change applies to (already done, already N/A). */
  | { outcome: 'unchanged'; state: ItemState }
  | { outcome: 'missing' | 'no-item' | 'completed' };

/** Reads and changes checklist runs in Redis. Every change is one script, so concurrent clicks cannot lose one another. */
export interface RunStore {
  /**
   * Stores a new run unless it may not start: with `exclusive`, while the checklist has an open run
   * (a command points to it instead); with a `slot`, when that slot already has its run.
   */
  start(run: ChecklistRun, items: RunItem[], options: { exclusive: boolean }): Promise<StartRunOutcome>;
  get(runId: string): Promise<RunView | null>;
  /**
   * Merges `patch` into an item when its state is one of `from`; completes the run when no item is
   * open any more (then it is no longer the checklist's open run).
   */
  updateItem(runId: string, itemId: string, from: readonly ItemState[], patch: Partial<RunItem>, now: number): Promise<UpdateItemOutcome>;
  /** Marks the run escalated and returns its new version (its card shows it); null when it already was, or is complete. */
  markEscalated(runId: string, now: number): Promise<number | null>;
  /** Records that reminder `n` of the run is sent; true only for the first caller of each `n`. */
  markReminded(runId: string, n: number): Promise<boolean>;
  /** Every open run (oldest first). */
  listOpen(): Promise<RunView[]>;
  /** A checklist's most recent runs, newest first. */
  listRuns(checklistId: string, limit: number): Promise<RunView[]>;
}

// KEYS: open pointer, run, items, history, open runs, slots. ARGV: run id, run JSON, started at,
// slot ('' when none), exclusive ('1'/'0'), prefix of run keys, then item id / item JSON pairs.
const runStart = defineScript<[string, string]>(
  'wardenStartChecklistRun',
  `
if ARGV[4] ~= '' and redis.call('ZSCORE', KEYS[6], ARGV[4]) then
  return { 'slot-taken', redis.call('GET', KEYS[1]) or '' }
end
local open = redis.call('GET', KEYS[1])
if ARGV[5] == '1' and open and redis.call('HEXISTS', ARGV[6] .. open, 'json') == 1 and redis.call('HEXISTS', ARGV[6] .. open, 'completedAt') == 0 then
  return { 'open', open }
end
if redis.call('EXISTS', KEYS[2]) == 1 then return { 'open', ARGV[1] } end
redis.call('HSET', KEYS[2], 'json', ARGV[2], 'version', 1)
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[6], ARGV[4], ARGV[4]) end
return { 'started', ARGV[1] }
`,
);

// A failed check keeps the run open, like an open item (see countUnresolved).
// KEYS: run, items, open runs. ARGV: run id, item id, allowed states (comma-separated), patch JSON,
// now, prefix of open-pointer keys (the checklist id is read from the run). cjson keeps the item a flat object: no arrays to lose on re-encoding.
const runUpdateItem = defineScript<[string, number?, number?, number?]>(
  'wardenUpdateChecklistItem',
  `
if redis.call('HEXISTS', KEYS[1], 'json') == 0 then return { 'missing' } end
if redis.call('HEXISTS', KEYS[1], 'completedAt') == 1 then return { 'completed' } end
local current = redis.call('HGET', KEYS[2], ARGV[2])
if not current then return { 'no-item' } end
local item = cjson.decode(current)
local allowed = false
for state in string.gmatch(ARGV[3], '[^,]+') do
  if state == item.state then allowed = true end
end
if not allowed then return { 'unchanged:' .. item.state } end
for field, value in pairs(cjson.decode(ARGV[4])) do item[field] = value end
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(item))
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
local open = 0
for _, json in ipairs(redis.call('HVALS', KEYS[2])) do
  local state = cjson.decode(json).state
  if state == 'open' or state == 'failed' then open = open + 1 end
end
local completed = 0
if open == 0 then
  completed = 1
  redis.call('HSET', KEYS[1], 'completedAt', ARGV[5])
  redis.call('ZREM', KEYS[3], ARGV[1])
  local pointer = ARGV[6] .. cjson.decode(redis.call('HGET', KEYS[1], 'json')).checklistId
  if redis.call('GET', pointer) == ARGV[1] then redis.call('DEL', pointer) end
end
return { 'applied', version, open, completed }
`,
);

// KEYS: run. ARGV: now. Escalation changes the card (it says so), hence the version.
const runEscalate = defineScript<number | null>(
  'wardenEscalateChecklistRun',
  `
if redis.call('HEXISTS', KEYS[1], 'json') == 0 or redis.call('HEXISTS', KEYS[1], 'completedAt') == 1 then return false end
if redis.call('HSETNX', KEYS[1], 'escalatedAt', ARGV[1]) == 0 then return false end
return redis.call('HINCRBY', KEYS[1], 'version', 1)
`,
);

// KEYS: run. ARGV: n. Reminders are numbered from the run's start, so the sweep may run anywhere, any number of times.
const runRemind = defineScript<number>(
  'wardenRemindChecklistRun',
  `
if tonumber(redis.call('HGET', KEYS[1], 'reminded') or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'reminded', ARGV[1])
return 1
`,
);

/** The run store over one Redis connection. */
export function createRunStore(redis: RedisClient, keys: RedisKeys): RunStore {
  const runPrefix = keys.checklistRun('');

  const get = async (runId: string): Promise<RunView | null> => {
    const [[, fields], [, itemFields]] = (await redis.multi().hgetall(keys.checklistRun(runId)).hgetall(keys.checklistRunItems(runId)).exec()) as [
      [Error | null, Record<string, string>],
      [Error | null, Record<string, string>],
    ];
    if (!fields?.json) return null;
    const run = JSON.parse(fields.json) as ChecklistRun;
    const items = run.itemIds.flatMap((id) => (itemFields[id] ? [JSON.parse(itemFields[id]) as RunItem] : []));
    return {
      run,
      items,
      version: Number(fields.version ?? 1),
      ...(fields.completedAt ? { completedAt: Number(fields.completedAt) } : {}),
      ...(fields.escalatedAt ? { escalatedAt: Number(fields.escalatedAt) } : {}),
    };
  };

  return {
    async start(run, items, options) {
      const pairs = items.flatMap((item) => [item.id, JSON.stringify(item)]);
      const [outcome, runId] = await runStart(
        redis,
        [keys.checklistOpen(run.checklistId), keys.checklistRun(run.id), keys.checklistRunItems(run.id), keys.checklistRuns(run.checklistId), keys.checklistOpenRuns, keys.checklistSlots(run.checklistId)],
        [run.id, JSON.stringify(run), run.startedAt, run.slot ?? '', options.exclusive ? '1' : '0', runPrefix, ...pairs],
      );
      return { outcome: outcome as StartRunOutcome['outcome'], runId } as StartRunOutcome;
    },

    get,

    async updateItem(runId, itemId, from, patch, now) {
      const reply = await runUpdateItem(
        redis,
        [keys.checklistRun(runId), keys.checklistRunItems(runId), keys.checklistOpenRuns],
        [runId, itemId, from.join(','), JSON.stringify(patch), now, keys.checklistOpen('')],
      );
      const [outcome] = reply;
      if (outcome === 'applied') return { outcome, version: Number(reply[1]), open: Number(reply[2]), completed: Number(reply[3]) === 1 };
      if (outcome.startsWith('unchanged:')) return { outcome: 'unchanged', state: outcome.slice('unchanged:'.length) as ItemState };
      return { outcome: outcome as 'missing' | 'no-item' | 'completed' };
    },

    async markEscalated(runId, now) {
      const version = await runEscalate(redis, [keys.checklistRun(runId)], [now]);
      return version === null ? null : Number(version);
    },

    async markReminded(runId, n) {
      return (await runRemind(redis, [keys.checklistRun(runId)], [n])) === 1;
    },

    async listOpen() {
      const views = await Promise.all((await redis.zrange(keys.checklistOpenRuns, '0', '-1')).map(get));
      return views.filter((view): view is RunView => view !== null && view.completedAt === undefined);
    },

    async listRuns(checklistId, limit) {
      const ids = await redis.zrevrange(keys.checklistRuns(checklistId), 0, limit - 1);
      const views = await Promise.all(ids.map(get));
      return views.filter((view): view is RunView => view !== null);
    },
  };
}
