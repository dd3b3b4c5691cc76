import type { ChecklistDeps } from './checklist-deps.js';
import { buildRunItems } from './build-run-items.js';
import type { ChecklistRun, RunTrigger } from '../model/checklist-run.js';
import { buildRunId } from './build-run-id.js';
import type { StartRunOutcome } from './create-run-store.js';
import { findNextSlot } from '../shared/schedule-slots.js';

/** What starts a run. */
export interface StartRunRequest {
  checklistId: string;
  trigger: RunTrigger;
  /** An identity, or `schedule`. */
  requestedBy: string;
  destinations: string[];
  /** The schedule slot (epoch ms) of a scheduled run. */
  slot?: number;
}

/**
 * Starts a run: stores it with every item open, audits it, and queues the check of its automated
 * items, which posts its cards once they are checked (or the cards at once when it has none). A command while the checklist has an open run starts nothing and returns
 * that run (`open`); a schedule slot that already has its run returns `slot-taken`. A scheduled
 * run is due at the schedule's next slot; any other at `dueWithinHours` from now.
 */
export async function startChecklistRun(deps: ChecklistDeps, request: StartRunRequest): Promise<StartRunOutcome> {
  const checklist = deps.checklists.get(request.checklistId);
  if (!checklist) throw new Error(`unknown checklist ${request.checklistId}`);
  const startedAt = deps.now();
  const schedule = deps.config.checklists.schedules[checklist.id];
  const dueAt = schedule
    ? findNextSlot(schedule.cron, deps.config.checklists.timezone, Math.max(startedAt, request.slot ?? 0))
    : startedAt + checklist.dueWithinHours * 3_600_000;
  const run: ChecklistRun = {
    id: buildRunId(checklist.id, request.slot === undefined ? { startedAt } : { slot: request.slot }),
    checklistId: checklist.id,
    title: checklist.title,
    trigger: request.trigger,
    requestedBy: request.requestedBy,
    ...(request.slot === undefined ? {} : { slot: request.slot }),
    startedAt,
    dueAt,
    destinations: request.destinations,
    itemIds: checklist.items.map((item) => item.id),
    skipReasons: checklist.skipReasons,
  };
  const items = buildRunItems(checklist, deps.config.actions);

  const started = await deps.runs.start(run, items, { exclusive: request.trigger !== 'schedule' });
  if (started.outcome === 'open') return started;
  // slot-taken: a retry of this slot's job, which may have stopped before queueing; the job ids make this safe.
  if (started.outcome === 'started') {
    await deps.audit.append({
      type: 'checklist.started',
      actor: request.requestedBy,
      subject: run.id,
      detail: { checklist: checklist.id, trigger: request.trigger, slot: request.slot ?? null, destinations: run.destinations, dueAt: new Date(dueAt).toISOString() },
    });
  }
  // Automated items are checked first: the check job posts the card with their results.
  if (items.some((item) => item.check !== undefined)) {
    await deps.work.checkChecklistItems(started.runId, { post: true, requestId: 'start' });
  } else {
    await deps.work.refreshCards(started.runId, 1, run.destinations, { subject: 'checklist-run' });
  }
  return started;
}
