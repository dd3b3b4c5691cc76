import type { Queues } from './create-queues.js';
import { toJobIdPart } from './create-queues.js';

/**
 * The `notify` jobs that bring an incident's cards to `version`, one per destination. Job ids are
 * deterministic, so a redelivered notification or a retried request adds nothing twice; jobs for
 * older versions that run later find the card already current and make no call.
 */
export function buildCardUpdateJobs(key: string, version: number, destinations: readonly string[], delayMs = 0) {
  return destinations.map((destination) => ({
    name: 'card',
    data: { key, destination },
    opts: { jobId: `notify.${key}.${toJobIdPart(destination)}.v${version}`, delay: delayMs },
  }));
}

/** Queues {@link buildCardUpdateJobs} for one incident. */
export async function enqueueCardUpdates(
  queues: Queues,
  key: string,
  version: number,
  destinations: readonly string[],
  options: { delayMs?: number } = {},
): Promise<void> {
  await queues.notify.addBulk(buildCardUpdateJobs(key, version, destinations, options.delayMs));
}
