import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIntake } from '../../../src/incidents/create-intake.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { createQueues, type DispatchJobData, type Queues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { processDispatchJob } from '../../../src/jobs/dispatch/process-dispatch-job.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

/** A loopback TCP proxy to Redis that holds every client→server chunk for `delayMs`: a slow link. */
async function startSlowLink(delayMs: number): Promise<{ url: string; server: Server }> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `redis://127.0.0.1:${address.port}`, server };
}

describe('intake', () => {
  const prefix = uniquePrefix('intake');
  const keys = createRedisKeys(prefix);
  const redis = connectTestRedis();
  let queues: Queues;
  let link: { url: string; server: Server };
  let slowRedis: Redis;
  let workerRedis: Redis;

  beforeAll(async () => {
    queues = createQueues(redis, prefix);
    link = await startSlowLink(100);
    slowRedis = new Redis(link.url, { maxRetriesPerRequest: 1 });
    workerRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    slowRedis.disconnect();
    workerRedis.disconnect();
    await new Promise((resolve) => link.server.close(resolve));
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('sends the dispatch job with the script; a worker that takes it before the batch is stored waits for it', async () => {
    // The store's connection is slow, the queues' is not: the dispatch job reaches Redis, and a
    // worker, well before the incident does.
    const intake = createIntake({ redis: slowRedis, keys, work: createJobWork(queues), config: { routes: [{ to: ['slack:C0SLOW'] }] }, now: Date.now });
    const seenByWorker: (string | null)[] = [];
    const deps = { store: createIncidentStore(redis, keys), queues, actions: {}, audit: createRecordingAuditLog() };
    const worker = new Worker<DispatchJobData>(
      'dispatch',
      async (job, token) => {
        for (const groupKey of job.data.groupKeys) seenByWorker.push(await redis.hget(keys.openIncidents, groupKey));
        return processDispatchJob(job, deps, token ?? '');
      },
      { connection: workerRedis, prefix },
    );
    try {
      const groupKey = '{}:{alertname="SlowStore"}';
      const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'SlowStore', instances: ['a:1'], groupKey }));

      const outcome = await intake(notification);
      expect(outcome.outcome).toBe('created');

      const card = `notify.${outcome.key}.slack_C0SLOW.v1`;
      await expect.poll(() => queues.notify.getJob(card), { timeout: 10_000 }).toBeDefined();
      // The worker ran before the incident was stored, and again once it was.
      expect(seenByWorker[0]).toBeNull();
      expect(seenByWorker.at(-1)).toBe(outcome.key);
      // The card job is queued inside the dispatch job, which completes just after.
      await expect
        .poll(async () => (await queues.dispatch.getJobs(['completed'], 0, 10))[0], { timeout: 10_000 })
        .toMatchObject({ returnvalue: '1 card updates, 0 diagnoses queued', attemptsMade: 1 });
      expect(await queues.dispatch.getJobs(['failed'], 0, 10)).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('stores one batch at a time: what arrives meanwhile goes into the next batch together', async () => {
    const added: string[][] = [];
    const dispatch = {
      add: async (name: string, data: { groupKeys: string[] }) => {
        added.push(data.groupKeys);
        return queues.dispatch.add(name as 'dispatch', data);
      },
    };
    const intake = createIntake({ redis: slowRedis, keys, work: createJobWork({ ...queues, dispatch } as unknown as Queues), config: { routes: [] }, now: Date.now });
    const notify = (name: string) =>
      intake(webhookNotificationSchema.parse(buildNotification({ alertname: name, instances: ['a:1'], groupKey: `{}:{alertname="${name}"}` })));

    const first = notify('GroupCommitA');
    // The first batch takes at least 100 ms (the slow link); these two arrive while it is stored.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = notify('GroupCommitB');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const third = notify('GroupCommitC');
    const outcomes = await Promise.all([first, second, third]);

    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['created', 'created', 'created']);
    expect(added).toEqual([['{}:{alertname="GroupCommitA"}'], ['{}:{alertname="GroupCommitB"}', '{}:{alertname="GroupCommitC"}']]);
    for (const outcome of outcomes) expect(await redis.hget(keys.incident(outcome.key), 'json')).not.toBeNull();
  });

  it('fails only the batch whose store failed; the batch behind it is still stored', async () => {
    let calls = 0;
    const dispatch = {
      add: async (name: string, data: { groupKeys: string[] }) => {
        calls++;
        if (calls === 1) throw new Error('Connection is closed.');
        return queues.dispatch.add(name as 'dispatch', data);
      },
    };
    const intake = createIntake({ redis: slowRedis, keys, work: createJobWork({ ...queues, dispatch } as unknown as Queues), config: { routes: [] }, now: Date.now });
    const notify = (name: string) =>
      intake(webhookNotificationSchema.parse(buildNotification({ alertname: name, instances: ['a:1'], groupKey: `{}:{alertname="${name}"}` })));

    // The failure may come before the second notification is even sent: catch it at once.
    const failed = notify('BatchFailsFirst').then(
      () => 'stored',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const stored = notify('BatchStoredNext');

    expect(await failed).toMatchObject({ code: 'store_unavailable', status: 503 });
    await expect(stored).resolves.toMatchObject({ outcome: 'created' });
    expect(calls).toBe(2);
  });
});
