import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { checkRunItems } from '../../checklists/check-run-items.js';
import { startChecklistRun } from '../../checklists/start-checklist-run.js';
import { sweepChecklists, type SweepDeps } from '../../checklists/sweep-checklists.js';
import type { CheckContext } from '../../probes/check-context.js';
import type { ChecklistsJobData } from '../create-queues.js';

/** What `checklists` jobs need. */
export interface ChecklistsJobDeps extends SweepDeps {
  /** What probes may use (Redis, the audit stream, the self-audit). */
  checkContext: CheckContext;
  logger: Logger;
}

/**
 * Runs one `checklists` job: starts the run of a schedule slot (the slot is the time BullMQ's job
 * scheduler made the job for, so every process agrees on it and a slot gets one run), checks a
 * run's automated items, or sweeps (reminders, escalation, missed slots).
 */
export async function processChecklistsJob(job: Job<ChecklistsJobData>, deps: ChecklistsJobDeps): Promise<string> {
  const data = job.data;
  switch (data.task) {
    case 'start': {
      const schedule = deps.config.checklists.schedules[data.checklistId];
      if (!schedule || !deps.checklists.has(data.checklistId)) return `${data.checklistId} is no longer scheduled`;
      const slot = findSlot(job);
      const started = await startChecklistRun(deps, { checklistId: data.checklistId, trigger: 'schedule', requestedBy: 'schedule', destinations: schedule.to, slot });
      return `${started.outcome}: ${started.runId}`;
    }
    case 'check':
      return checkRunItems(deps, data.runId, data.itemIds, deps.checkContext, { post: data.post === true });
    case 'sweep':
      return sweepChecklists(deps);
  }
}

/** The schedule slot a job scheduler's job is for: BullMQ 6 keeps it in `opts.prevMillis` and the job id `repeat:<scheduler>:<slot>`. */
function findSlot(job: Job): number {
  const fromOpts = (job.opts as { prevMillis?: number }).prevMillis;
  if (typeof fromOpts === 'number' && fromOpts > 0) return fromOpts;
  const fromId = Number(job.id?.split(':').at(-1));
  return Number.isFinite(fromId) && fromId > 0 ? fromId : job.timestamp;
}
