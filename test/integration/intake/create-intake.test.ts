import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIntake } from '../../../src/incidents/create-intake.js';
import { createQueues, type Queues } from '../../../src/jobs/create-queues.js';
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

  beforeAll(async () => {
    queues = createQueues(redis, prefix);
    link = await startSlowLink(100);
    slowRedis = new Redis(link.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    slowRedis.disconnect();
    await new Promise((resolve) => link.server.close(resolve));
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('queues the dispatch job only once the batch is recorded, even when the store is slower than the queues', async () => {
    // Queues and the store use different connections: a dispatch job sent before the record script
    // ran could be picked up by a worker that finds no incident, and the incident would get no card.
    const seenAtDispatch: (string | null)[] = [];
    const dispatch = {
      add: async (name: string, data: { groupKeys: string[] }) => {
        for (const groupKey of data.groupKeys) seenAtDispatch.push(await redis.hget(keys.openIncidents, groupKey));
        return queues.dispatch.add(name as 'dispatch', data);
      },
    };
    const intake = createIntake({
      redis: slowRedis,
      keys,
      queues: { ...queues, dispatch } as unknown as Queues,
      config: { routes: [] },
      now: Date.now,
    });
    const groupKey = '{}:{alertname="SlowStore"}';
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'SlowStore', instances: ['a:1'], groupKey }));

    const outcome = await intake(notification);

    expect(outcome.outcome).toBe('created');
    expect(seenAtDispatch).toEqual([outcome.key]);
    const jobs = await queues.dispatch.getJobs(['waiting'], 0, 10);
    expect(jobs.map((job) => job.data)).toEqual([{ groupKeys: [groupKey] }]);
  });
});
