import type { Queues } from './create-queues.js';
import { toJobIdPart } from './create-queues.js';

/**
 * Queues one `notify` job per destination to bring the incident's cards to `version`. Job ids are
 * deterministic, so a redelivered notification or a retried request adds nothing twice; jobs for
 * older versions that run later find the card already current and make no call.
 */
export async function enqueueCardUpdates(
  queues: Queues,
  key: string,
  version: number,
  destinations: readonly string[],
  options: { delayMs?: number } = {},
): Promise<void> {
  await queues.notify.addBulk(
    destinations.map((destination) => ({
      name: 'card',
      data: { key, destination },
      opts: { jobId: `notify.${key}.${toJobIdPart(destination)}.v${version}`, delay: options.delayMs ?? 0 },
    })),
  );
}
