import type { Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
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
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['prune-closed-incidents', PRUNE_EVERY_MS]]);
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
    const result = await processMaintenanceJob({ data: { task: 'prune-closed-incidents' } } as Job<MaintenanceJobData>, { redis, keys, audit, now: () => now, closedIncidentDays: 30 });
    expect(result).toBe('1 closed incidents removed');
    expect(await store.get(old)).toBeNull();
    expect(await store.get(recent)).not.toBeNull();
    expect(await store.get(open)).not.toBeNull();
    expect(audit.entries).toEqual([expect.objectContaining({ type: 'incident.pruned', detail: { removed: 1, closedIncidentDays: 30 } })]);
  });
});
