import { DelayedError, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import type { Routing } from '../../../src/incidents/match-route.js';
import { recordNotification, recordNotifications, type RecordOutcome } from '../../../src/incidents/record-notifications.js';
import { createQueues, type DispatchJobData, type Queues } from '../../../src/jobs/create-queues.js';
import { MAX_BATCH_LOOKS, processDispatchJob } from '../../../src/jobs/dispatch/process-dispatch-job.js';
import { routeCardUpdates } from '../../../src/jobs/dispatch/route-card-updates.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildNotification } from '../../support/build-notification.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

describe('dispatch jobs', () => {
  const prefix = uniquePrefix('dispatch');
  const keys = createRedisKeys(prefix);
  const redis = connectTestRedis();
  let queues: Queues;
  const actions = configSchema.parse({
    alertmanager: { token: 'x'.repeat(32) },
    actions: { health: { kind: 'http-check', phase: 'analyze', title: 'Health', url: 'http://127.0.0.1:9/' } },
  }).actions;
  const job = (data: DispatchJobData) => ({ data }) as Job<DispatchJobData>;
  const record = (alertname: string, instances: string[], destinations: string[]) => {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname, instances, groupKey: `{}:{alertname="${alertname}"}` }));
    return recordNotification(redis, prefix, notification, { destinations: destinations as Routing['destinations'], playbook: 'default' }, Date.now());
  };

  beforeAll(() => {
    queues = createQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('queues what the groups\' incidents still need, once, however often it runs', async () => {
    const opened = await record('Opened', ['a:1'], ['slack:C0A', 'lark:oc_b']);
    await record('Grown', ['a:1'], ['slack:C0A']);
    const deps = { store: createIncidentStore(redis, keys), queues, actions, audit: createRecordingAuditLog() };
    // The second group's first version was dispatched earlier; then an alert joined (version 2).
    await deps.store.confirmJobs([{ key: (await redis.hget(keys.openIncidents, '{}:{alertname="Grown"}'))!, version: 1 }]);
    const grown = await record('Grown', ['a:1', 'b:2'], ['slack:C0A']);
    expect(grown).toMatchObject({ outcome: 'updated', version: 2 });

    const data: DispatchJobData = { groupKeys: ['{}:{alertname="Opened"}', '{}:{alertname="Grown"}', '{}:{alertname="NeverSeen"}'] };
    expect(await processDispatchJob(job(data), deps, '')).toBe('3 card updates, 1 diagnoses queued');
    expect(await processDispatchJob(job(data), deps, '')).toBe('0 card updates, 0 diagnoses queued');

    const notify = await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'], 0, 100);
    expect(notify.map((j) => j.id).sort()).toEqual(
      [`notify.${grown.key}.slack_C0A.v2`, `notify.${opened.key}.lark_oc_b.v1`, `notify.${opened.key}.slack_C0A.v1`].sort(),
    );
    const diagnose = await queues.diagnose.getJobs(['waiting'], 0, 100);
    // Only the incident that just opened is diagnosed; the grown one was dispatched before.
    expect(diagnose.map((j) => j.id)).toEqual([`diagnose.${opened.key}.opened`]);
    expect(await redis.hget(keys.incident(opened.key), 'jobs')).toBe('1');
    expect(await redis.hget(keys.incident(grown.key), 'jobs')).toBe('2');
    // Only the incident that opened is audited as opened, once.
    expect(deps.audit.entries).toEqual([
      expect.objectContaining({ type: 'incident.opened', actor: 'alertmanager', subject: opened.key, detail: expect.objectContaining({ title: 'Opened', destinations: ['slack:C0A', 'lark:oc_b'] }) }),
    ]);
  });

  it('queues no diagnosis when no probe is configured', async () => {
    await record('NoProbe', ['a:1'], ['slack:C0A']);
    const deps = { store: createIncidentStore(redis, keys), queues, actions: {}, audit: createRecordingAuditLog() };
    const result = await processDispatchJob(job({ groupKeys: ['{}:{alertname="NoProbe"}'] }), deps, '');
    expect(result).toBe('1 card updates, 0 diagnoses queued');
  });

  it('does nothing for groups without an open incident', async () => {
    const deps = { store: createIncidentStore(redis, keys), queues, actions, audit: createRecordingAuditLog() };
    expect(await processDispatchJob(job({ groupKeys: ['{}:{alertname="Nobody"}'] }), deps, '')).toBe('0 card updates, 0 diagnoses queued');
  });

  /** A job as a worker holds it, recording where it was put back to. */
  const heldJob = (data: DispatchJobData) => {
    const delays: { until: number; token: string }[] = [];
    const held = {
      data,
      moveToDelayed: async (until: number, token: string) => {
        delays.push({ until, token });
      },
      updateData: async (next: DispatchJobData) => {
        held.data = next;
      },
    };
    return { job: held as unknown as Job<DispatchJobData>, delays };
  };

  it('waits for its batch: until the script has recorded it, the job is put back without spending an attempt', async () => {
    const groupKey = '{}:{alertname="BatchLate"}';
    const deps = { store: createIncidentStore(redis, keys), queues, actions: {}, audit: createRecordingAuditLog() };
    const { job: early, delays } = heldJob({ groupKeys: [groupKey], batch: 'batch-late' });

    const before = Date.now();
    await expect(processDispatchJob(early, deps, 'lock-token')).rejects.toBeInstanceOf(DelayedError);
    await expect(processDispatchJob(early, deps, 'lock-token')).rejects.toBeInstanceOf(DelayedError);
    expect(delays).toEqual([
      { until: expect.any(Number), token: 'lock-token' },
      { until: expect.any(Number), token: 'lock-token' },
    ]);
    // 100 ms, then twice as long.
    expect(delays[0]!.until - before).toBeGreaterThanOrEqual(100);
    expect(delays[0]!.until - before).toBeLessThan(1_000);
    expect(delays[1]!.until - before).toBeGreaterThanOrEqual(200);
    expect(early.data.looks).toBe(2);

    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'BatchLate', instances: ['a:1'], groupKey }));
    const [outcome] = (await recordNotifications(redis, prefix, [{ notification, routing: { destinations: ['slack:C0LATE'], playbook: 'default' } }], Date.now(), 'batch-late')) as RecordOutcome[];
    expect(await redis.exists(keys.intakeBatch('batch-late'))).toBe(1);

    expect(await processDispatchJob(early, deps, 'lock-token')).toBe('1 card updates, 0 diagnoses queued');
    expect(await queues.notify.getJob(`notify.${outcome!.key}.slack_C0LATE.v1`)).toBeDefined();
    // Done with it: the mark goes.
    expect(await redis.exists(keys.intakeBatch('batch-late'))).toBe(0);
    expect(delays).toHaveLength(2);
  });

  it('ends without doing anything when its batch was never recorded', async () => {
    const groupKey = '{}:{alertname="BatchNever"}';
    // The group has an incident whose jobs are not queued, but not from this batch: its own job does it.
    await record('BatchNever', ['a:1'], ['slack:C0NEVER']);
    const deps = { store: createIncidentStore(redis, keys), queues, actions: {}, audit: createRecordingAuditLog() };
    const { job: stale, delays } = heldJob({ groupKeys: [groupKey], batch: 'batch-never', looks: MAX_BATCH_LOOKS - 1 });

    expect(await processDispatchJob(stale, deps, 'lock-token')).toBe('batch never recorded: nothing to dispatch');
    expect(delays).toEqual([]);
    const key = (await redis.hget(keys.openIncidents, groupKey))!;
    expect(await redis.hget(keys.incident(key), 'jobs')).toBeNull();
    expect(await queues.notify.getJob(`notify.${key}.slack_C0NEVER.v1`)).toBeUndefined();
  });

  it('puts incidents past a destination\'s storm limit on its digest instead of queueing their card jobs, the same again when retried', async () => {
    const destination = 'slack:C0DISPATCHSTORM';
    const names = ['StormA', 'StormB', 'StormC'];
    for (const name of names) await record(name, ['a:1'], [destination]);
    const store = createIncidentStore(redis, keys);
    const now = () => Date.parse('2026-12-06T12:00:30Z');
    const cards = { redis, keys, stormLimit: 1, notifyQueue: queues.notify, now };
    const items = await store.listUndispatched(names.map((name) => `{}:{alertname="${name}"}`));
    const first = await routeCardUpdates({ id: 'dispatch.1', name: 'dispatch' }, items, cards);
    // A retry of the same job, before it confirmed its incidents, decides the same and queues nothing more.
    const again = await routeCardUpdates({ id: 'dispatch.1', name: 'dispatch' }, items, cards);
    expect(again).toEqual(first);
    expect(first).toHaveLength(1);
    const minute = Math.floor(now() / 60_000);
    const onDigest = await redis.zrange(keys.digestRanking(destination, minute), '0', '-1');
    expect(onDigest.sort()).toEqual(items.map((item) => item.key).filter((key) => !first[0]!.opts.jobId.includes(key)).sort());
    const digestJobs = (await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'], 0, 100)).filter((j) => j.name === 'digest' && j.data.destination === destination);
    expect(digestJobs).toHaveLength(1);
    // Both joined in the batch's one mark: one change, and the retry changed nothing.
    expect(await redis.get(keys.digestGeneration(destination, minute))).toBe('1');
  });
});
