import type { RedisClient } from '../redis/redis-client.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/** A step someone finished (`done`) or decided against (`skipped`); a step without a record is open. */
export interface PlaybookStepRecord {
  state: 'done' | 'skipped';
  /** Identity of who ticked it. */
  by: string;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * The incident's recorded step states (the hash `keys.steps(key)`), by step id. Values that are
 * not a valid record are left out, so the step shows as open rather than breaking the card.
 */
export async function readPlaybookStepStates(redis: RedisClient, keys: RedisKeys, key: string): Promise<Map<string, PlaybookStepRecord>> {
  const raw = await redis.hgetall(keys.steps(key));
  const states = new Map<string, PlaybookStepRecord>();
  for (const [stepId, json] of Object.entries(raw)) {
    const record = parsePlaybookStepRecord(json);
    if (record) states.set(stepId, record);
  }
  return states;
}

/** One stored value, or undefined when it is not a step record. */
export function parsePlaybookStepRecord(json: string | null | undefined): PlaybookStepRecord | undefined {
  if (!json) return undefined;
  try {
    const value = JSON.parse(json) as Partial<PlaybookStepRecord> | null;
    if (value && (value.state === 'done' || value.state === 'skipped') && typeof value.by === 'string' && typeof value.at === 'number') {
      return { state: value.state, by: value.by, at: value.at };
    }
  } catch {
    // Not JSON: treated as open.
  }
  return undefined;
}
