import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueueAction, type QueueAction } from '../../../src/actions/run-queue-action.js';
import { runCli, type CliIo } from '../../../src/cli/main.js';
import { connectRedis } from '../../../src/redis/connect-redis.js';
import { keySlot } from '../../../src/redis/key-slot.js';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/start-redis-cluster.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret, uniquePrefix } from '../../support/test-redis.js';

const CHANNEL = 'C0CLUSTER';

/**
 * A whole Warden (web and workers) on a three-master Redis Cluster without replicas: the alert →
 * incident → card path, the audit log and the CLI, with every Warden key in the hash slot of the
 * prefix's hash tag.
 */
describe('Warden on Redis Cluster', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const prefix = `{${uniquePrefix('cluster')}}`;
  let cluster: TestRedisCluster;
  let slack: FakeSlackApi;
  let t: TestWarden;
  let dir: string;
  const clients: RedisClient[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    slack = await startFakeSlackApi({ botToken });
    dir = mkdtempSync(join(tmpdir(), 'warden-cluster-'));
    t = await startTestWarden({
      tree: {
        redis: { cluster: { nodes: cluster.addresses }, prefix },
        slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url },
        routes: [{ to: [`slack:${CHANNEL}`] }],
        audit: { file: join(dir, 'audit.jsonl') },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.stop().catch(() => {});
    for (const client of clients) client.disconnect();
    await slack?.close();
    await cluster?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('posts the card of an alert and updates it in place when the alert resolves', async () => {
    const alert = buildNotification({ alertname: 'ClusterDiskFull', instances: ['db-1:9100', 'db-2:9100'] });
    const posted = await postNotification(t.url, t.token, alert);
    expect(posted.status).toBe(202);
    expect(posted.body.outcome).toBe('created');
    const key = posted.body.incident as string;
    await slack.waitFor(() => slack.messages(CHANNEL).length === 1, 15_000);
    expect(JSON.stringify(slack.messages(CHANNEL)[0]!.blocks)).toContain('ClusterDiskFull');

    const resolved = await postNotification(t.url, t.token, buildNotification({ alertname: 'ClusterDiskFull', instances: ['db-1:9100', 'db-2:9100'], resolved: ['db-1:9100', 'db-2:9100'] }));
    expect(resolved.body).toMatchObject({ outcome: 'updated', incident: key });
    await slack.waitFor(() => (slack.messages(CHANNEL)[0]?.updates ?? 0) >= 1, 15_000);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
    expect(await t.warden.store.get(key)).toMatchObject({ key, status: 'resolved' });
  });

  it('keeps every Warden and BullMQ key on the one node that serves the prefix\'s slot', async () => {
    const owner = await cluster.connectToOwnerOf(`${prefix}:incidents:open`);
    expect(Number(await owner.cluster('KEYSLOT', `${prefix}:incidents:open`))).toBe(keySlot(prefix));
    const ownerKeys = await owner.keys('*');
    expect(ownerKeys.length).toBeGreaterThan(10);
    expect(ownerKeys.every((key) => key.startsWith(`${prefix}:`))).toBe(true);
    expect(ownerKeys).toEqual(expect.arrayContaining([`${prefix}:incidents:open`, `${prefix}:audit:stream`, `${prefix}:notify:meta`]));
    let elsewhere = 0;
    for (const node of cluster.nodes) {
      if (`redis://127.0.0.1:${owner.options.port}` === node.url) continue;
      const client = new Redis(node.url, { protocol: 2 });
      clients.push(client);
      elsewhere += await client.dbsize();
    }
    expect(elsewhere).toBe(0);
  });

  it('pauses and resumes a BullMQ queue of another slot through a Cluster connection (the queue action)', async () => {
    const connection = connectRedis({ kind: 'cluster', nodes: cluster.addresses.map((address) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) })) }, 'worker');
    clients.push(connection);
    expect(connection).toBeInstanceOf(Cluster);
    const tasks = new Queue('tasks', { connection, prefix: '{tasks}' });
    await tasks.add('scan', { n: 1 });
    const action: QueueAction = { kind: 'queue', phase: 'isolate', title: 'Pause tasks', destructive: false, params: {}, timeoutSeconds: 10, queue: 'tasks', operation: 'pause', prefix: '{tasks}' };
    const paused = await runQueueAction(action, {}, { connection, wardenPrefix: prefix });
    expect(paused).toMatchObject({ ok: true, summary: 'Paused queue tasks (1 waiting, 0 active)' });
    expect(await tasks.isPaused()).toBe(true);
    const resumed = await runQueueAction({ ...action, operation: 'resume' }, {}, { connection, wardenPrefix: prefix });
    expect(resumed).toMatchObject({ ok: true });
    expect(await tasks.isPaused()).toBe(false);
    await tasks.close();
  });

  it('runs `warden audit-log verify`, `warden audit` and `warden checklist run` against the cluster', async () => {
    const config = join(dir, 'warden.config.yaml');
    writeFileSync(
      config,
      ['alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }', 'redis:', `  cluster: { nodes: ${JSON.stringify(cluster.addresses)} }`, `  prefix: "${prefix}"`, `audit: { file: ${join(dir, 'audit.jsonl')} }`, ''].join('\n'),
      { mode: 0o640 },
    );
    const env = { WARDEN_CONFIG: config, WARDEN_WEBHOOK_TOKEN: t.token };
    const run = async (argv: string[]) => {
      let stdout = '';
      const io: CliIo = { env, stdout: (text) => (stdout += text), stderr: (text) => (stdout += text) };
      const code = await runCli(argv, io);
      return { code, json: JSON.parse(stdout) as Record<string, unknown> };
    };
    // The export copies the chain to the file within a second or so.
    await expect.poll(async () => (await run(['audit-log', 'verify', '--json'])).json, { timeout: 15_000, interval: 500 }).toMatchObject({ ok: true, redis: 'compared' });

    const audit = (await run(['audit', '--json'])).json as { findings: { id: string; status: string; finding: string }[] };
    const finding = (id: string) => audit.findings.find((f) => f.id === id);
    expect(finding('redis-persistence')).toMatchObject({ status: 'pass', finding: expect.stringContaining('appendonly yes') });
    expect(finding('redis-auth')).toMatchObject({ status: 'fail', finding: expect.stringMatching(/^Redis at Redis Cluster via 127\.0\.0\.1:\d+.* answers clients without credentials: redis\.password has no password/) });

    const daily = (await run(['checklist', 'run', 'daily', '--json'])).json as { items: { id: string; ok?: boolean; evidence?: string }[] };
    const refusals = daily.items.find((item) => item.evidence?.includes('in the last 24 h'));
    expect(refusals).toMatchObject({ ok: true });
    const weekly = (await run(['checklist', 'run', 'weekly', '--json'])).json as { items: { id: string; ok?: boolean; evidence?: string }[] };
    expect(weekly.items.find((item) => item.evidence?.startsWith('appendonly'))).toMatchObject({ evidence: expect.stringMatching(/^appendonly yes, save "", maxmemory-policy noeviction/) });
  }, 60_000);
});
