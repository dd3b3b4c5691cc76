import type { Job } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createQueues, type Queues, type RemediateJobData } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { processRemediateJob, type RemediateDeps } from '../../../src/jobs/remediate/process-remediate-job.js';
import { loadPlaybooks } from '../../../src/playbooks/load-playbooks.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { ISOLATE_TITLE, remediationActions, resultEntries } from '../../support/remediation-fixtures.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

/**
 * An attempt that saved its result and then stopped (a crash, Redis gone) before the timeline, the
 * card and the audit log had it: the next attempt finishes the recording from the saved result and
 * never runs the action again.
 */
describe('remediation: finishing a recording an attempt left undone', () => {
  const prefix = uniquePrefix('remediation-resume');
  const keys = createRedisKeys(prefix);
  const redis = connectTestRedis();
  let target: FakeRemediationTarget;
  let queues: Queues;
  let deps: RemediateDeps & { audit: ReturnType<typeof createRecordingAuditLog> };

  beforeAll(async () => {
    target = await startFakeRemediationTarget();
    queues = createQueues(redis, prefix);
    const actions = configSchema.parse({ alertmanager: { token: 'x'.repeat(32) }, actions: remediationActions(target.url) }).actions;
    deps = {
      redis,
      keys,
      store: createIncidentStore(redis, keys),
      work: createJobWork(queues),
      actions,
      audit: createRecordingAuditLog(),
      logger: pino({ level: 'silent' }),
      now: Date.now,
      secrets: [],
      access: configSchema.parse({ alertmanager: { token: 'x'.repeat(32) } }).access,
      approvals: createApprovalStore(redis, keys),
      wardenPrefix: prefix,
      playbooks: loadPlaybooks(undefined, { actions }),
    };
  });
  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await target.close();
  });

  it('records the saved result on the timeline, the card and the audit log once, without a second request to the target', async () => {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'Resume', instances: ['web-1:9100'] }));
    const { key } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now());
    const requestId = 'resume-request-1';
    const saved = { actionId: 'isolate-host', title: ISOLATE_TITLE, ok: true, summary: 'HTTP 201 in 12 ms', durationMs: 12, at: Date.now(), recorded: false };
    await redis.set(keys.remediation(requestId), JSON.stringify(saved));
    const job = { data: { key, actionId: 'isolate-host', requestId, requestedBy: 'slack:U0OPS1', approvedBy: 'slack:U0BOSS' }, attemptsMade: 1, opts: { attempts: 8 } } as unknown as Job<RemediateJobData>;

    expect(await processRemediateJob(job, deps)).toBe('ok: HTTP 201 in 12 ms');
    expect(target.requests).toHaveLength(0);
    const results = resultEntries(await deps.store.timeline(key), 'isolate-host');
    expect(results.map((e) => e.text)).toEqual(['OK Isolate host (run by slack:U0OPS1, approved by slack:U0BOSS): HTTP 201 in 12 ms']);
    expect(deps.audit.entries).toEqual([expect.objectContaining({ type: 'job.completed', subject: key, detail: expect.objectContaining({ requestId }) })]);
    const cards = await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'], 0, 100);
    expect(cards.some((card) => card.data.key === key && card.data.destination === 'slack:C0SEC')).toBe(true);
    expect(JSON.parse((await redis.get(keys.remediation(requestId)))!)).toMatchObject({ ok: true, recorded: true });

    // Recorded now: a later attempt does nothing at all.
    expect(await processRemediateJob(job, deps)).toBe('already done: HTTP 201 in 12 ms');
    expect(resultEntries(await deps.store.timeline(key), 'isolate-host')).toHaveLength(1);
    expect(deps.audit.entries).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it('an attempt that stopped after noting the result on the timeline is finished without noting it again', async () => {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'ResumeTwice', instances: ['web-2:9100'] }));
    const { key } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now());
    const requestId = 'resume-request-2';
    const saved = { actionId: 'isolate-host', title: ISOLATE_TITLE, ok: true, summary: 'HTTP 201 in 9 ms', durationMs: 9, at: Date.now(), recorded: false };
    await redis.set(keys.remediation(requestId), JSON.stringify(saved));
    const job = { data: { key, actionId: 'isolate-host', requestId, requestedBy: 'slack:U0OPS1', approvedBy: 'slack:U0BOSS' }, attemptsMade: 1, opts: { attempts: 8 } } as unknown as Job<RemediateJobData>;

    // The audit log fails after the timeline has the result (as when Redis fails over in between).
    deps.audit.failNext();
    await expect(processRemediateJob(job, deps)).rejects.toThrow('audit unavailable');
    expect(resultEntries(await deps.store.timeline(key), 'isolate-host')).toHaveLength(1);

    expect(await processRemediateJob(job, deps)).toBe('ok: HTTP 201 in 9 ms');
    expect(resultEntries(await deps.store.timeline(key), 'isolate-host')).toHaveLength(1);
    expect(deps.audit.entries.filter((entry) => entry.subject === key)).toEqual([expect.objectContaining({ type: 'job.completed' })]);
    expect(target.requests).toHaveLength(0);
  });
});
