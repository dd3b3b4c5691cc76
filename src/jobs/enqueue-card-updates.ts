import type { Queues } from './create-queues.js';
import { toJobIdPart } from './create-queues.js';

/** The card a `notify` job brings up to date, by job name: an incident's or a checklist run's. */
export type CardJobName = 'card' | 'checklist-card';

// Job id prefixes are part of deduplication: jobs already queued under them must keep matching.
const JOB_ID_PREFIX: Record<CardJobName, string> = { card: 'notify', 'checklist-card': 'checklist-card' };

/** Options for {@link buildCardUpdateJobs}. */
export interface CardUpdateOptions {
  delayMs?: number;
  /** Default `card` (an incident's); `checklist-card` for a checklist run (`key` is the run id). */
  card?: CardJobName;
}

/**
 * The `notify` jobs that bring the cards of `key` (an incident, or a checklist run) to `version`,
 * one per destination. Job ids are deterministic, so a redelivered notification or a retried
 * request adds nothing twice; jobs for older versions that run later find the card already current
 * and make no call.
 */
export function buildCardUpdateJobs(key: string, version: number, destinations: readonly string[], options: CardUpdateOptions = {}) {
  const name = options.card ?? 'card';
  return destinations.map((destination) => ({
    name,
    data: { key, destination },
    opts: { jobId: `${JOB_ID_PREFIX[name]}.${key}.${toJobIdPart(destination)}.v${version}`, delay: options.delayMs ?? 0 },
  }));
}

/** Queues {@link buildCardUpdateJobs}. */
export async function enqueueCardUpdates(queues: Queues, key: string, version: number, destinations: readonly string[], options: CardUpdateOptions = {}): Promise<void> {
  await queues.notify.addBulk(buildCardUpdateJobs(key, version, destinations, options));
}
