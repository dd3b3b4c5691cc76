import type { Job } from 'bullmq';
import type { RedisClient } from '../../redis/redis-client.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { pruneChecklistRuns } from '../../checklists/prune-checklist-runs.js';
import { pruneClosedIncidents } from '../../incidents/prune-closed-incidents.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { MaintenanceJobData, Queues } from '../create-queues.js';

/** What maintenance jobs need. */
export interface MaintenanceDeps {
  redis: RedisClient;
  keys: RedisKeys;
  audit: AuditLog;
  now: () => number;
  /** `retention.closedIncidentDays`. */
  closedIncidentDays: number;
  /** `retention.checklistRunDays`. */
  checklistRunDays: number;
  /** The loaded checklists' ids (whose runs are pruned). */
  checklistIds: readonly string[];
  /** Takes an audit checkpoint and trims the audit stream behind it (see `takeAuditCheckpoint`). */
  takeAuditCheckpoint?: () => Promise<string>;
  /** Reminds an incident's lead to post an update, unless one came since `since` (see `remindIncidentLead`). */
  remindLead?: (key: string, since: number) => Promise<string>;
}

/** How often the retention cleanup runs. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Upserts the maintenance job schedulers (BullMQ job schedulers: one run per slot however many
 * workers run), the audit checkpoint's every `auditCheckpointEveryMs` (`audit.checkpoint.everyMinutes`)
 * when given. Called on every worker start, so a changed interval takes effect.
 */
export async function scheduleMaintenance(queues: Queues, options: { auditCheckpointEveryMs?: number } = {}): Promise<void> {
  await queues.maintenance.upsertJobScheduler('prune-closed-incidents', { every: PRUNE_EVERY_MS }, { name: 'prune', data: { task: 'prune-closed-incidents' } });
  await queues.maintenance.upsertJobScheduler('prune-checklist-runs', { every: PRUNE_EVERY_MS }, { name: 'prune', data: { task: 'prune-checklist-runs' } });
  if (options.auditCheckpointEveryMs !== undefined) {
    await queues.maintenance.upsertJobScheduler('audit-checkpoint', { every: options.auditCheckpointEveryMs }, { name: 'checkpoint', data: { task: 'audit-checkpoint' } });
  }
}

/**
 * Removes closed incidents (and their alerts, timeline, diagnosis, cards, steps and approvals)
 * older than `retention.closedIncidentDays`, or completed checklist runs older than
 * `retention.checklistRunDays`; open incidents and runs are never touched. Or takes an audit
 * checkpoint (`audit-checkpoint`): the audit log itself is never pruned, only its Redis copy is
 * trimmed behind checkpoints the audit files hold.
 */
export async function processMaintenanceJob(job: Job<MaintenanceJobData>, deps: MaintenanceDeps): Promise<string> {
  if (job.data.task === 'lead-reminder') return deps.remindLead ? await deps.remindLead(job.data.key, job.data.since) : 'lead reminders are not wired in this process';
  if (job.data.task === 'audit-checkpoint') return deps.takeAuditCheckpoint ? await deps.takeAuditCheckpoint() : 'audit checkpoints are not wired in this process';
  if (job.data.task === 'prune-checklist-runs') {
    const removed = await pruneChecklistRuns(deps.redis, deps.keys, deps.checklistIds, { olderThanMs: deps.checklistRunDays * 86_400_000, now: deps.now() });
    if (removed > 0) {
      await deps.audit.append({ type: 'checklist.pruned', actor: 'warden', outcome: 'ok', detail: { removed, checklistRunDays: deps.checklistRunDays } });
    }
    return `${removed} completed checklist runs removed`;
  }
  if (job.data.task !== 'prune-closed-incidents') return `unknown task ${String(job.data.task)}`;
  const removed = await pruneClosedIncidents(deps.redis, deps.keys, { olderThanMs: deps.closedIncidentDays * 86_400_000, now: deps.now() });
  if (removed > 0) {
    await deps.audit.append({ type: 'incident.pruned', actor: 'warden', outcome: 'ok', detail: { removed, closedIncidentDays: deps.closedIncidentDays } });
  }
  return `${removed} closed incidents removed`;
}
