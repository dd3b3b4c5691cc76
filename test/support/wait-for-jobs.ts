import type { Queue } from 'bullmq';
import { expect } from 'vitest';

/** States in which a job is still to be processed (or being processed). */
const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Resolves once at least `count` jobs named `name` that a worker started after `since` (epoch ms,
 * the real clock) have completed on `queue`: proof that the worker ran them on the state of then,
 * e.g. that two sweeps went by after a change. Looks at the newest 200 completed jobs.
 */
export async function waitForCompletedJobs(queue: Queue, options: { name: string; since: number; count: number; timeoutMs?: number }): Promise<void> {
  const { name, since, count } = options;
  await expect
    .poll(async () => (await queue.getJobs(['completed'], 0, 199, false)).filter((job) => job.name === name && (job.processedOn ?? 0) > since).length, {
      timeout: options.timeoutMs ?? 15_000,
      interval: 50,
      message: `fewer than ${count} "${name}" jobs of ${queue.name} completed after ${new Date(since).toISOString()}`,
    })
    .toBeGreaterThanOrEqual(count);
}

/**
 * Resolves once `queue` holds no job waiting, active, delayed or otherwise unfinished: every job
 * added so far has completed or failed. Not for queues fed by a job scheduler (they always hold
 * the next delayed job).
 */
export async function waitForIdleQueue(queue: Queue, timeoutMs = 15_000): Promise<void> {
  await expect
    .poll(async () => Object.entries(await queue.getJobCounts(...UNFINISHED)).filter(([, n]) => n > 0), {
      timeout: timeoutMs,
      interval: 50,
      message: `${queue.name} still holds unfinished jobs`,
    })
    .toEqual([]);
}
