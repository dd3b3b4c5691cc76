import { toJobIdPart, type Queues } from '../jobs/create-queues.js';

/**
 * Queues the `notify` jobs that bring a run's cards to `version`, one per destination. Job ids are
 * deterministic, so a retried change adds nothing twice; a job for an older version finds the card
 * current and makes no call.
 */
export async function enqueueRunCardUpdates(queues: Queues, runId: string, version: number, destinations: readonly string[]): Promise<void> {
  await queues.notify.addBulk(
    destinations.map((destination) => ({
      name: 'checklist-card',
      data: { key: runId, destination },
      opts: { jobId: `checklist-card.${runId}.${toJobIdPart(destination)}.v${version}` },
    })),
  );
}
