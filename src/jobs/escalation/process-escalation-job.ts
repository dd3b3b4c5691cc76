import type { Job } from 'bullmq';
import type { EscalationDeps } from '../../escalation/escalation-deps.js';
import { runEscalationStep } from '../../escalation/run-escalation-step.js';
import type { EscalationJobData } from '../create-queues.js';

/**
 * Runs one `escalation` job: a point of an incident's escalation chain, delayed until it is due.
 * The job id names the incident, step and repeat, so every point runs once however many workers
 * and restarts there are; the step re-checks the incident when it runs.
 */
export async function processEscalationJob(job: Job<EscalationJobData>, deps: EscalationDeps): Promise<string> {
  return runEscalationStep(deps, job.data.key, job.data.point);
}
