import type { RedisClient } from '../../redis/redis-client.js';
import type { Queues } from '../create-queues.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { ChecklistDeps } from '../../checklists/checklist-deps.js';
import type { ScheduleRecord } from '../../checklists/schedule-record.js';

/** Job scheduler ids: `checklist.<id>` per scheduled checklist, and the sweep. */
const CHECKLIST_SCHEDULER_PREFIX = 'checklist.';
export const SWEEP_SCHEDULER_ID = 'checklists-sweep';

/** The job id BullMQ gives the job of scheduler `schedulerId` for `slot` (BullMQ 6 `getSchedulerNextJobId`). */
export function toScheduledJobId(checklistId: string, slot: number): string {
  return `repeat:${CHECKLIST_SCHEDULER_PREFIX}${checklistId}:${slot}`;
}


/**
 * Upserts one BullMQ job scheduler per configured checklist schedule (cron in
 * `checklists.timezone`; BullMQ makes one job per slot however many processes upsert it) and the
 * sweep (reminders, escalation, missed slots); removes the schedulers of checklists no longer
 * scheduled. Records since when each schedule holds, so a changed cron does not count the old
 * schedule's slots as missed. Called on every worker start.
 */
export async function scheduleChecklists(
  deps: Pick<ChecklistDeps, 'config' | 'now'> & { queues: Queues; redis: RedisClient; keys: RedisKeys },
  options: { sweepEveryMs?: number } = {},
): Promise<void> {
  const { schedules, timezone } = deps.config.checklists;
  const wanted = new Set<string>();
  for (const [checklistId, schedule] of Object.entries(schedules)) {
    const id = `${CHECKLIST_SCHEDULER_PREFIX}${checklistId}`;
    wanted.add(id);
    const saved = await deps.redis.hget(deps.keys.checklistSchedules, checklistId);
    const record = saved ? (JSON.parse(saved) as ScheduleRecord) : undefined;
    if (!record || record.cron !== schedule.cron || record.timezone !== timezone) {
      const next: ScheduleRecord = { cron: schedule.cron, timezone, since: deps.now() };
      await deps.redis.hset(deps.keys.checklistSchedules, checklistId, JSON.stringify(next));
    }
    await deps.queues.checklists.upsertJobScheduler(id, { pattern: schedule.cron, tz: timezone }, { name: 'start', data: { task: 'start', checklistId } });
  }
  for (const scheduler of await deps.queues.checklists.getJobSchedulers(0, -1)) {
    const id = scheduler.key;
    if (id.startsWith(CHECKLIST_SCHEDULER_PREFIX) && !wanted.has(id)) {
      await deps.queues.checklists.removeJobScheduler(id);
      await deps.redis.hdel(deps.keys.checklistSchedules, id.slice(CHECKLIST_SCHEDULER_PREFIX.length));
    }
  }
  await deps.queues.checklists.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: options.sweepEveryMs ?? 60_000 }, { name: 'sweep', data: { task: 'sweep' } });
}
