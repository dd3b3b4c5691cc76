import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { createQueues, type DispatchJobData, type Queues } from '../../../src/jobs/create-queues.js';
import { processDispatchJob } from '../../../src/jobs/dispatch/process-dispatch-job.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
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

  beforeAll(() => {
    queues = createQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('queues each card update and the diagnosis of opened incidents once, however often it runs', async () => {
    const data: DispatchJobData = {
      items: [
        { key: 'inc-000000000001', version: 1, destinations: ['slack:C0A', 'lark:oc_b'], opened: true },
        { key: 'inc-000000000002', version: 4, destinations: ['slack:C0A'], opened: false },
      ],
    };
    const deps = { store: createIncidentStore(redis, keys), queues, actions };
    expect(await processDispatchJob(job(data), deps)).toBe('3 card updates, 1 diagnoses queued');
    await processDispatchJob(job(data), deps);

    const notify = await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'], 0, 100);
    expect(notify.map((j) => j.id).sort()).toEqual([
      'notify.inc-000000000001.lark_oc_b.v1',
      'notify.inc-000000000001.slack_C0A.v1',
      'notify.inc-000000000002.slack_C0A.v4',
    ]);
    const diagnose = await queues.diagnose.getJobs(['waiting'], 0, 100);
    expect(diagnose.map((j) => j.id)).toEqual(['diagnose.inc-000000000001.opened']);
    expect(await redis.hget(keys.incident('inc-000000000001'), 'jobs')).toBe('1');
    expect(await redis.hget(keys.incident('inc-000000000002'), 'jobs')).toBe('4');
  });

  it('queues no diagnosis when no probe is configured', async () => {
    const deps = { store: createIncidentStore(redis, keys), queues, actions: {} };
    const result = await processDispatchJob(job({ items: [{ key: 'inc-000000000003', version: 1, destinations: ['slack:C0A'], opened: true }] }), deps);
    expect(result).toBe('1 card updates, 0 diagnoses queued');
  });
});
