import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneChecklistRuns } from '../../../src/checklists/prune-checklist-runs.js';
import { QUEUE_NAMES } from '../../../src/jobs/create-queues.js';
import { pruneClosedIncidents } from '../../../src/incidents/prune-closed-incidents.js';
import { createRedisKeys, describeKeyRetention } from '../../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createSlackClicker, remediationActions, resultEntries, responseAccess } from '../../support/remediation-fixtures.js';
import { buildSlackSlashCommand, postSignedSlackRequest } from '../../support/signed-slack-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, listKeys, randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

const CHANNEL = 'C0KEYS';
const [OPERATOR, APPROVER] = ['U0OPS1', 'U0BOSS'];
const DAY = 24 * 3600 * 1000;

/** Every key under `prefix` except BullMQ's own (`<prefix>:<queue>:…`, which its job options bound). */
async function listWardenKeys(redis: Redis, prefix: string): Promise<string[]> {
  const queues = QUEUE_NAMES.map((name) => `${prefix}:${name}:`);
  return (await listKeys(redis, prefix)).filter((key) => !queues.some((queue) => key.startsWith(queue)));
}

/**
 * Every Redis key Warden writes has a TTL or a pruning rule: after a whole response and checklist
 * flow, each key either expires by itself or is one that `describeKeyRetention` says is pruned; and
 * once everything is closed and retention has passed, the pruning rules leave nothing but keys that
 * expire and a handful of fixed-size ones.
 */
describe('Redis keys: none grows without bound', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  let slack: FakeSlackApi;
  let target: FakeRemediationTarget;
  let t: TestWarden;
  let redis: Redis;

  beforeAll(async () => {
    redis = connectTestRedis();
    target = await startFakeRemediationTarget();
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'keys',
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url },
        routes: [{ to: [`slack:${CHANNEL}`], playbook: 'suspicious-process' }],
        access: {
          ...responseAccess('slack', { operators: [OPERATOR], approvers: [APPROVER] }),
          permissions: { 'incident.respond': ['operators', 'approvers'], 'action.run': ['operators'], 'action.approve': ['approvers'], 'checklist.run': ['operators'], 'checklist.tick': ['operators'] },
        },
        actions: remediationActions(target.url),
        limits: { outbound: { slackPerChannelPerSecond: 50 }, storm: { newIncidentsPerMinute: 3 } },
      },
    });
  }, 30_000);
  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    await target?.close();
    redis.disconnect();
  });

  it('after a whole flow every key expires or is pruned, and after retention only fixed-size keys stay', async () => {
    const cardOf = (incident: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(incident));
    // A storm: more new incidents in a minute than the destination's limit makes a digest.
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      const posted = await postNotification(t.url, t.token, buildNotification({ alertname: `KeysStorm${i}`, instances: [`web-${i}:9100`] }));
      expect(posted.status).toBe(202);
      keys.push(posted.body.incident as string);
    }
    const key = keys[0]!;
    await slack.waitFor(() => cardOf(key) !== undefined, 15_000);
    const click = createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(key)?.ts ?? '1700000000.000001' });

    expect((await click(OPERATOR, 'incident.ack', { k: key })).status).toBe(200);
    expect((await click(OPERATOR, 'incident.isolate', { k: key })).status).toBe(200);
    const requested = await click(OPERATOR, 'action.run', { k: key, a: 'isolate-host' });
    await expect.poll(async () => (await t.warden.store.timeline(key)).some((e) => e.data?.requestId === requested.requestId && e.data.state === 'pending'), { timeout: 15_000 }).toBe(true);
    expect((await click(APPROVER, 'approval.approve', { k: key, r: requested.requestId })).status).toBe(200);
    await expect.poll(async () => resultEntries(await t.warden.store.timeline(key), 'isolate-host').length, { timeout: 15_000 }).toBe(1);

    const command = await postSignedSlackRequest({
      url: t.url,
      signingSecret,
      body: buildSlackSlashCommand({ user: OPERATOR, command: '/audit', text: 'daily', channel: CHANNEL, triggerId: 'trigger-keys' }),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(command.status).toBe(200);
    await expect.poll(async () => (await listWardenKeys(redis, t.prefix)).some((k) => k.includes(':checklist:run:')), { timeout: 15_000 }).toBe(true);

    for (const incident of keys) expect((await click(OPERATOR, 'incident.resolve', { k: incident })).status).toBe(200);
    await expect.poll(async () => Promise.all(keys.map(async (k) => (await t.warden.store.get(k))?.phase)), { timeout: 15_000 }).toEqual(keys.map(() => 'closed'));

    const unaccounted: string[] = [];
    for (const k of await withoutTtl(redis, t.prefix)) if (describeKeyRetention(t.prefix, k) === undefined) unaccounted.push(k);
    expect(unaccounted).toEqual([]);
    // The flow made every kind of pruned key: the rules above were all exercised.
    const pruned = (await withoutTtl(redis, t.prefix)).filter((k) => describeKeyRetention(t.prefix, k)?.bounded === false);
    expect(pruned.some((k) => k.endsWith(':incidents:generation'))).toBe(true);
    expect(pruned.some((k) => /:incident:[^:]+:approvals$/.test(k))).toBe(true);

    // Every job the flow queued has run: what is left is what stays.
    for (const queue of [t.warden.queues.notify, t.warden.queues.diagnose, t.warden.queues.remediate, t.warden.queues.inbound]) await waitForIdleQueue(queue);

    // Long after everything closed, retention leaves keys that expire, fixed-size ones, and the open run.
    const later = Date.now() + 1000 * DAY;
    const keysOf = createRedisKeys(t.prefix);
    expect(await pruneClosedIncidents(redis, keysOf, { olderThanMs: t.config.retention.closedIncidentDays * DAY, now: later })).toBe(keys.length);
    await pruneChecklistRuns(redis, keysOf, ['daily', 'weekly', 'monthly', 'predeploy'], { olderThanMs: t.config.retention.checklistRunDays * DAY, now: later });
    const openRuns = await redis.zrange(keysOf.checklistOpenRuns, '0', '-1');
    expect(openRuns).toHaveLength(1);
    const left = (await withoutTtl(redis, t.prefix)).filter((k) => describeKeyRetention(t.prefix, k)?.bounded !== true && !openRuns.some((run) => k.includes(`:checklist:run:${run}`)));
    // The audit chain is trimmed by its checkpoints, not by these jobs.
    expect(left).toEqual([`${t.prefix}:audit:stream`, `${t.prefix}:checklist:runs:daily`]);
    expect(await redis.zrange(`${t.prefix}:checklist:runs:daily`, '0', '-1')).toEqual(openRuns);
  });
});

/** Keys under `prefix` that do not expire by themselves (a key gone meanwhile does not count). */
async function withoutTtl(redis: Redis, prefix: string): Promise<string[]> {
  const keys = await listWardenKeys(redis, prefix);
  const ttls = await Promise.all(keys.map((key) => redis.pttl(key)));
  return keys.filter((_, i) => ttls[i] === -1);
}
