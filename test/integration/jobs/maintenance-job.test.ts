import type { Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import type { ChecklistRun } from '../../../src/model/checklist-run.js';
import { createRunStore } from '../../../src/checklists/create-run-store.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import type { MaintenanceJobData } from '../../../src/jobs/create-queues.js';
import { PRUNE_EVERY_MS, processMaintenanceJob } from '../../../src/jobs/maintenance/process-maintenance-job.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys } from '../../support/test-redis.js';

describe('maintenance: the retention cleanup', () => {
  const redis = connectTestRedis();
  let t: TestWarden | undefined;
  afterAll(async () => {
    if (t) await deleteKeys(redis, t.prefix);
    redis.disconnect();
  });

  it('is scheduled once when workers start, and removes closed incidents past the retention', async () => {
    t = await startTestWarden({ name: 'maintenance', tree: { retention: { closedIncidentDays: 30 } } });
    const schedulers = await t.warden.queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every]).sort()).toEqual([['audit-checkpoint', 60 * 60_000], ['prune-checklist-runs', PRUNE_EVERY_MS], ['prune-closed-incidents', PRUNE_EVERY_MS]]);
    // The scheduler's own runs use the real clock; the rest of the test drives the job itself.
    await t.stop();

    const keys = createRedisKeys(t.prefix);
    const store = createIncidentStore(redis, keys);
    const day = 86_400_000;
    const now = Date.parse('2026-11-22T00:00:00Z');
    const record = async (name: string) =>
      (await recordNotification(redis, t!.prefix, webhookNotificationSchema.parse(buildNotification({ alertname: name, groupKey: `{}:{alertname="${name}"}` })), { destinations: ['console:terminal'], playbook: 'default' }, now - 40 * day)).key;
    const old = await record('OldClosed');
    const recent = await record('RecentClosed');
    const open = await record('StillOpen');
    await store.patch(old, { set: { phase: 'closed', closedAt: now - 31 * day }, releaseGroup: true }, now);
    await store.patch(recent, { set: { phase: 'closed', closedAt: now - 29 * day }, releaseGroup: true }, now);

    const audit = createRecordingAuditLog();
    const result = await processMaintenanceJob({ data: { task: 'prune-closed-incidents' } } as Job<MaintenanceJobData>, { redis, keys, audit, now: () => now, closedIncidentDays: 30, checklistRunDays: 365, checklistIds: [] });
    expect(result).toBe('1 closed incidents removed');
    expect(await store.get(old)).toBeNull();
    expect(await store.get(recent)).not.toBeNull();
    expect(await store.get(open)).not.toBeNull();
    expect(audit.entries).toEqual([expect.objectContaining({ type: 'incident.pruned', detail: { removed: 1, closedIncidentDays: 30 } })]);
  });

  it('removes completed checklist runs past retention.checklistRunDays with their slot records; open runs stay', async () => {
    const prefix = `${t!.prefix}-runs`;
    const keys = createRedisKeys(prefix);
    const runs = createRunStore(redis, keys);
    const day = 86_400_000;
    const now = Date.parse('2026-11-22T00:00:00Z');
    const start = async (id: string, startedAt: number, completedAt?: number) => {
      const run: ChecklistRun = { id, checklistId: 'weekly', title: 'W', trigger: 'schedule', requestedBy: 'schedule', slot: startedAt, startedAt, dueAt: startedAt + day, destinations: [], itemIds: ['a'], skipReasons: ['x'] };
      await runs.start(run, [{ id: 'a', title: 'A', guidance: 'g', state: 'open' }], { exclusive: false });
      if (completedAt !== undefined) await runs.updateItem(id, 'a', ['open'], { state: 'passed', by: 'slack:U1', at: completedAt }, completedAt);
    };
    await start('weekly-old', now - 400 * day, now - 399 * day);
    await start('weekly-recent', now - 100 * day, now - 99 * day);
    await start('weekly-open-old', now - 500 * day);
    const audit = createRecordingAuditLog();
    const deps = { redis, keys, audit, now: () => now, closedIncidentDays: 30, checklistRunDays: 365, checklistIds: ['weekly', 'daily'] };
    const job = { data: { task: 'prune-checklist-runs' } } as Job<MaintenanceJobData>;

    expect(await processMaintenanceJob(job, deps)).toBe('1 completed checklist runs removed');
    expect(await runs.get('weekly-old')).toBeNull();
    expect(await runs.get('weekly-recent')).not.toBeNull();
    expect(await runs.get('weekly-open-old')).not.toBeNull();
    expect((await redis.zrange(keys.checklistRuns('weekly'), '0', '-1')).sort()).toEqual(['weekly-open-old', 'weekly-recent']);
    expect((await redis.zrange(keys.checklistSlots('weekly'), '0', '-1')).map(Number)).toEqual([now - 100 * day]);
    expect(audit.entries).toEqual([expect.objectContaining({ type: 'checklist.pruned', detail: { removed: 1, checklistRunDays: 365 } })]);
    expect(await processMaintenanceJob(job, deps)).toBe('0 completed checklist runs removed');
    await deleteKeys(redis, prefix);
  });
});
