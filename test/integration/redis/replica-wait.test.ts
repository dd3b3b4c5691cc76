import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { createRecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';

async function waitForSync(replica: Redis): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!/master_link_status:up/.test(await replica.info('replication').catch(() => ''))) {
    if (Date.now() > deadline) throw new Error('the replica did not sync within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function countWaits(primary: Redis): Promise<number> {
  return Number(/cmdstat_wait:calls=(\d+)/.exec(await primary.info('commandstats'))?.[1] ?? 0);
}

/** Alertmanager's 202 with `redis.waitForReplicas`: a primary and its replica, Warden's web role on the primary. */
describe('redis.waitForReplicas', () => {
  let primary: TestRedisServer;
  let replica: TestRedisServer;
  let inspect: Redis;
  let replicaClient: Redis;
  let t: TestWarden;

  beforeAll(async () => {
    primary = await startRedisServer();
    replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    inspect = new Redis(primary.url, { protocol: 2 });
    replicaClient = new Redis(replica.url, { protocol: 2, maxRetriesPerRequest: 1 });
    replicaClient.on('error', () => {});
    await waitForSync(replicaClient);
    t = await startTestWarden({
      name: 'replica-wait',
      role: 'web',
      redisUrl: primary.url,
      adapters: { console: createRecordingChatAdapter() },
      tree: { redis: { waitForReplicas: { replicas: 1, timeoutMs: 200 } } },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.stop().catch(() => {});
    inspect?.disconnect();
    replicaClient?.disconnect();
    await replica?.dispose();
    await primary?.dispose();
  });

  it('answers 202 once the replica has the notification; concurrent notifications share WAITs', async () => {
    const before = await countWaits(inspect);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => postNotification(t.url, t.token, buildNotification({ alertname: `Replicated${i}` }))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(202));
    // Each notification's incident is on the replica by the time its 202 is sent.
    const onReplica = await replicaClient.hmget(`${t.prefix}:incidents:open`, ...answers.map((_, i) => `{}:{alertname="Replicated${i}"}`));
    expect(onReplica.filter((key) => key === null)).toEqual([]);
    // One WAIT per connection (incident and job) and round, shared: fewer than one per notification.
    const waits = (await countWaits(inspect)) - before;
    expect(waits).toBeGreaterThanOrEqual(2);
    expect(waits).toBeLessThan(2 * 30);
  });

  it('answers 503 within about the timeout while no replica confirms, and 202 to the redelivery once one does', async () => {
    await replica.stop({ crash: true });
    const started = Date.now();
    const refused = await postNotification(t.url, t.token, buildNotification({ alertname: 'ReplicaDown' }));
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'store_unavailable', message: expect.stringMatching(/0 of 1 replicas within 200 ms.*deliver again/) });
    // Refused after about the WAIT timeout, not held until some command timeout.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

    await replica.restart();
    await waitForSync(replicaClient);
    // Alertmanager delivers again until it gets a 2xx; a replica just back may take a moment to
    // acknowledge within the 200 ms WAIT on a busy machine.
    let redelivered = await postNotification(t.url, t.token, buildNotification({ alertname: 'ReplicaDown' }));
    const deadline = Date.now() + 15_000;
    while (redelivered.status === 503 && Date.now() < deadline) redelivered = await postNotification(t.url, t.token, buildNotification({ alertname: 'ReplicaDown' }));
    expect(redelivered.status).toBe(202);
    // The refused delivery was stored on the primary all the same: the redelivery changes nothing.
    expect(redelivered.body.outcome).toBe('unchanged');
  });
});
