import { DelayedError, type Job } from 'bullmq';

/**
 * Puts the job back to the delayed set without spending an attempt (BullMQ's manual rate-limit
 * path, https://docs.bullmq.io/patterns/process-step-jobs#delaying).
 */
export async function postponeJob(job: Job, token: string, untilMs: number): Promise<never> {
  await job.moveToDelayed(untilMs, token);
  throw new DelayedError();
}
