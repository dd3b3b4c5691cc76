import type { RedisClient } from '../redis/redis-client.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import { listPermissionHolders } from '../access/list-permission-holders.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { ChecklistDeps } from './checklist-deps.js';
import type { Notice } from '../ports/work.js';
import { countUnresolved, type RunView } from '../model/checklist-run.js';
import type { ScheduleRecord } from './schedule-record.js';
import { listSlots } from '../shared/schedule-slots.js';
import { localize, localizeWith } from '../shared/messages/localize.js';
import { localizeNotice } from '../shared/messages/localize-notice.js';

/** What the sweep needs besides the checklist deps. */
export interface SweepDeps extends ChecklistDeps {
  redis: RedisClient;
  keys: RedisKeys;
  /** A slot counts as missed once it is this old and has neither a run nor a pending job (default 5 min). */
  missedAfterMs?: number;
}

/** How far back missed slots are looked for, and how many are reported at most per checklist and sweep. */
const MISSED_LOOKBACK_MS = 35 * 86_400_000;
const MISSED_MAX_SLOTS = 20;

/**
 * Runs every minute (a job scheduler): reminds the destinations of each open run every
 * `checklists.remindAfterMinutes`, escalates a run past its due time to the approvers once (in
 * its destinations and privately to each approver), and reports schedule slots that got no run —
 * Warden or Redis was down — once each, in the schedule's destinations and the audit log.
 * Everything it sends goes through the notify queue, within the outbound budgets.
 */
export async function sweepChecklists(deps: SweepDeps): Promise<string> {
  const now = deps.now();
  let reminders = 0;
  let escalations = 0;
  for (const view of await deps.runs.listOpen()) {
    const runId = view.run.id;
    if (now > view.run.dueAt && view.escalatedAt === undefined) {
      if (await escalateRun(deps, view, now)) escalations++;
      continue;
    }
    const n = Math.floor((now - view.run.startedAt) / (deps.config.checklists.remindAfterMinutes * 60_000));
    if (n >= 1 && (await deps.runs.markReminded(runId, n))) {
      const open = countUnresolved(view.items);
      await deps.work.postNotice(`checklist-reminder.${runId}.${n}`, view.run.destinations, {
        ...localizeNotice(
          localize('notice.checklist.reminder.title', { title: view.run.title }),
          localize(open === 1 ? 'notice.checklist.reminder.one' : 'notice.checklist.reminder.other', { open, run: runId, started: formatUtcTime(view.run.startedAt), due: formatUtcTime(view.run.dueAt) }),
        ),
        accent: 'info',
      });
      reminders++;
    }
  }
  const missed = await reportMissedSlots(deps, now);
  return `${reminders} reminders, ${escalations} escalations, ${missed} missed slots reported`;
}

async function escalateRun(deps: SweepDeps, view: RunView, now: number): Promise<boolean> {
  const version = await deps.runs.markEscalated(view.run.id, now);
  if (version === null) return false;
  const approvers = listPermissionHolders(deps.config.access, 'action.approve').sort();
  const open = countUnresolved(view.items);
  const text = localizeWith(
    (t) =>
      t(open === 1 ? 'notice.checklist.overdue.one' : 'notice.checklist.overdue.other', { run: view.run.id, due: formatUtcTime(view.run.dueAt), open }) +
      (approvers.length > 0 ? t('notice.checklist.overdue.escalated', { approvers: approvers.join(', ') }) : t('notice.checklist.overdue.nobody')),
  );
  const notice: Notice = { ...localizeNotice(localize('notice.checklist.overdue.title', { title: view.run.title }), text), accent: 'warning' };
  await deps.work.postNotice(`checklist-overdue.${view.run.id}`, view.run.destinations, notice);
  await deps.work.postPrivateNotice(`checklist-overdue.${view.run.id}`, approvers, notice, view.run.destinations[0]);
  await deps.work.refreshCards(view.run.id, version, view.run.destinations, { subject: 'checklist-run' });
  await deps.audit.append({ type: 'checklist.overdue', actor: 'warden', subject: view.run.id, detail: { checklist: view.run.checklistId, open, approvers } });
  return true;
}

async function reportMissedSlots(deps: SweepDeps, now: number): Promise<number> {
  const { schedules, timezone } = deps.config.checklists;
  const saved = await deps.redis.hgetall(deps.keys.checklistSchedules);
  let reported = 0;
  for (const [checklistId, schedule] of Object.entries(schedules)) {
    const record = saved[checklistId] ? (JSON.parse(saved[checklistId]) as ScheduleRecord) : undefined;
    // Only the schedule as it holds now, from when it was set up.
    if (!record || record.cron !== schedule.cron || record.timezone !== timezone) continue;
    const slots = listSlots(schedule.cron, timezone, Math.max(record.since, now - MISSED_LOOKBACK_MS), now - (deps.missedAfterMs ?? 5 * 60_000), MISSED_MAX_SLOTS);
    for (const slot of slots) {
      const [ran, known] = await Promise.all([
        deps.redis.zscore(deps.keys.checklistSlots(checklistId), String(slot)),
        deps.redis.zscore(deps.keys.checklistMissed(checklistId), String(slot)),
      ]);
      if (ran !== null || known !== null) continue;
      // BullMQ still holds the slot's job when it is only late (workers were down): it will run.
      if (await deps.work.isScheduledStartPending(checklistId, slot)) continue;
      if ((await deps.redis.zadd(deps.keys.checklistMissed(checklistId), 'NX', slot, String(slot))) === 0) continue;
      const title = deps.checklists.get(checklistId)?.title ?? checklistId;
      await deps.work.postNotice(`checklist-missed.${checklistId}.${slot}`, schedule.to, {
        ...localizeNotice(
          localize('notice.checklist.missed.title', { title }),
          localize('notice.checklist.missed.text', { checklist: checklistId, slot: formatUtcTime(slot) }),
        ),
        accent: 'warning',
      });
      await deps.audit.append({ type: 'checklist.missed', actor: 'warden', subject: checklistId, outcome: 'missed', detail: { slot: new Date(slot).toISOString(), cron: schedule.cron, timezone } });
      reported++;
    }
  }
  return reported;
}

