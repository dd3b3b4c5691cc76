import type { Job } from 'bullmq';
import { runSilenceRequest } from '../../silences/run-silence-request.js';
import type { SilenceJobDeps } from '../../silences/silence-deps.js';
import type { SilenceJobData } from './to-silence-job.js';

/** What a `silences` job needs. */
export type SilenceDeps = SilenceJobDeps;

/** Runs one attempt of a `silences` job; the last attempt records a failure instead of throwing it. */
export async function processSilenceJob(job: Job<SilenceJobData>, deps: SilenceDeps): Promise<string> {
  return runSilenceRequest(deps, job.data, { final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
}
