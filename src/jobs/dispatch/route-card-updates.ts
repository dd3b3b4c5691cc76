import type { Job, Queue } from 'bullmq';
import type { UndispatchedIncident } from '../../incidents/create-incident-store.js';
import type { RedisClient } from '../../redis/redis-client.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { NotifyJobData } from '../create-queues.js';
import { buildCardUpdateJobs } from '../enqueue-card-updates.js';
import { claimCards } from '../notify/claim-card.js';
import { markDigestChanges } from '../notify/mark-digest-changed.js';

/** What {@link routeCardUpdates} needs: where cards are claimed, the storm limit, and the `notify` queue for digest jobs. */
export interface CardRouting {
  redis: RedisClient;
  keys: RedisKeys;
  /** `limits.storm.newIncidentsPerMinute`. */
  stormLimit: number;
  notifyQueue: Queue<NotifyJobData>;
  now: () => number;
}

/**
 * Decides, as the dispatch job runs, where each incident's card lives in each destination (see
 * `claimCard`): its own card gets a `notify` job, as before; an incident past the destination's
 * storm limit joins that minute's digest here and now, and the digest's one job sends it. A storm
 * of thousands of incidents then queues thousands of nothing: the channel's digest is current
 * once the dispatch jobs ran. A batch costs one claim script per destination and one mark script
 * per digest it touches, whatever its size. Claims are stored, so a retried dispatch job decides
 * the same again, and marking the digest again as it already is changes nothing.
 */
export async function routeCardUpdates(job: Pick<Job, 'id' | 'name'>, items: readonly UndispatchedIncident[], routing: CardRouting) {
  const now = routing.now();
  const byDestination = groupBy(items.flatMap((item) => item.destinations.map((destination) => ({ destination, item }))), (pair) => pair.destination);
  const perDestination = await Promise.all(
    [...byDestination].map(async ([destination, pairs]) => {
      const claims = await claimCards(routing.redis, routing.keys, pairs.map(({ item }) => item.key), destination, routing.stormLimit, now);
      const listed = pairs.flatMap(({ item }, i) => {
        const claim = claims[i]!;
        return claim.mode === 'digest' ? [{ item, minute: claim.minute }] : [];
      });
      await Promise.all([...groupBy(listed, (entry) => entry.minute)].map(([minute, entries]) => markDigestChanges(job, entries.map(({ item }) => item), destination, minute, routing)));
      return pairs.flatMap(({ item }, i) => (claims[i]!.mode === 'digest' ? [] : buildCardUpdateJobs(item.key, item.version, [destination])));
    }),
  );
  return perDestination.flat();
}

function groupBy<T, K>(entries: readonly T[], keyOf: (entry: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}
