import type { Job } from 'bullmq';
import { acquireLock } from '../../redis/acquire-lock.js';
import type { NotifyDeps } from './notify-deps.js';
import { postponeJob } from '../postpone-job.js';

/** How long one card may be held by one job: far above a chat API call's timeout. */
const CARD_LOCK_MS = 30_000;

/**
 * Runs `work` while holding the lock of one card (an incident's card or a storm digest). When
 * another job holds it — posting or updating that very card — the job is tried again shortly
 * rather than posting twice.
 */
export async function runLocked(job: Job, token: string, lockKey: string, deps: NotifyDeps, work: () => Promise<string>): Promise<string> {
  const lock = await acquireLock(deps.redis, lockKey, CARD_LOCK_MS);
  if (!lock) return postponeJob(job, token, 250);
  try {
    return await work();
  } finally {
    await lock.release().catch((error: unknown) => deps.logger.warn({ err: error, lockKey }, 'could not release card lock'));
  }
}
