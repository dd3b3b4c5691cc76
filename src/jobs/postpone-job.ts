import { DelayedError, type Job } from 'bullmq';

/**
 * Puts the job back to the delayed set for `delayMs` without spending an attempt (BullMQ's manual
 * rate-limit path, https://docs.bullmq.io/patterns/process-step-jobs#delaying). The deadline is on
 * BullMQ's clock (the system's), never Warden's injectable one.
 */
export async function postponeJob(job: Job, token: string, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(0, delayMs), token);
  throw new DelayedError();
}
