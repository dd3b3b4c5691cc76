import type { RedisClient } from '../redis/redis-client.js';
import { defineScript } from '../redis/define-script.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { TimelineEntry } from '../model/incident.js';

// Only while the incident exists: a note must not leave a timeline behind an incident retention removed.
const runAppend = defineScript<number>(
  'wardenAppendTimeline',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1
`,
);

/**
 * Appends `entry` to incident `key`'s timeline without changing the incident itself: its version,
 * and so its cards, stay as they are. For notes about delivery (a card posted anew) rather than
 * about the incident. False when the incident no longer exists.
 */
export async function appendTimeline(redis: RedisClient, keys: RedisKeys, key: string, entry: TimelineEntry): Promise<boolean> {
  return (await runAppend(redis, [keys.incident(key), keys.timeline(key)], [JSON.stringify(entry)])) === 1;
}
