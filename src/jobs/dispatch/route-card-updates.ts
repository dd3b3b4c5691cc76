import type { Job, Queue } from 'bullmq';
import type { UndispatchedIncident } from '../../incidents/create-incident-store.js';
import type { RedisClient } from '../../redis/redis-client.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { NotifyJobData } from '../create-queues.js';
import { buildCardUpdateJobs } from '../enqueue-card-updates.js';
import { claimCard } from '../notify/claim-card.js';
import { markDigestChanged } from '../notify/mark-digest-changed.js';

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
 * once the dispatch jobs ran. Claims are stored, so a retried dispatch job decides the same again,
 * and marking the digest again as it already is changes nothing.
 */
export async function routeCardUpdates(job: Pick<Job, 'id' | 'name'>, items: readonly UndispatchedIncident[], routing: CardRouting) {
  const now = routing.now();
  const pairs = items.flatMap((item) => item.destinations.map((destination) => ({ item, destination })));
  const claims = await Promise.all(pairs.map(({ item, destination }) => claimCard(routing.redis, routing.keys, item.key, destination, routing.stormLimit, now)));
  await Promise.all(
    pairs.map(({ item, destination }, i) => {
      const claim = claims[i]!;
      // One marker per dispatch job and incident: its retry finds the digest job it may have named.
      return claim.mode === 'digest' ? markDigestChanged({ id: `${job.id ?? job.name}.${item.key}`, name: job.name }, item, destination, claim.minute, routing) : undefined;
    }),
  );
  return pairs.flatMap(({ item, destination }, i) => (claims[i]!.mode === 'digest' ? [] : buildCardUpdateJobs(item.key, item.version, [destination])));
}
