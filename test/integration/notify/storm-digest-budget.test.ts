import { afterEach, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackCall } from '../../support/fake-slack-api.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

const botToken = `xoxb-${randomSecret(24)}`;
let slack: FakeSlackApi | undefined;
let t: TestWarden | undefined;

/** Warden's clock, one second into a minute from the first call: a whole storm falls in one storm window. */
function stormClock(): () => number {
  const offset = Math.ceil(Date.now() / 60_000) * 60_000 + 1_000 - Date.now();
  return () => Date.now() + offset;
}

async function start(channel: string, limits: ConfigTree): Promise<{ slack: FakeSlackApi; t: TestWarden; now: () => number }> {
  const now = stormClock();
  slack = await startFakeSlackApi({ botToken });
  t = await startTestWarden({
    name: 'storm-budget',
    now,
    tree: { slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url }, routes: [{ to: [`slack:${channel}`] }], limits },
  });
  return { slack, t, now };
}

afterEach(async () => {
  await t?.dispose();
  await slack?.close();
  t = undefined;
  slack = undefined;
});

const succeeded = (api: FakeSlackApi, method: string) => api.callsTo(method).filter((c) => c.status === 200 && c.error === undefined);
const isDigest = (blocks: unknown) => JSON.stringify(blocks).includes('Alert storm');
const digestOf = (api: FakeSlackApi, channel: string) => api.messages(channel).find((m) => isDigest(m.blocks));
const sendsTo = (api: FakeSlackApi, channel: string): FakeSlackCall[] =>
  api.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === channel);

describe('alert storm: one job per digest spends the budget', () => {
  it('leaves O(1) jobs waiting for budget in a storm of 200 incidents, and the digest ends up listing all of them', async () => {
    const channel = 'C0STORMBUDGET';
    const { slack, t, now } = await start(channel, { storm: { newIncidentsPerMinute: 3 }, outbound: { slackPerChannelPerSecond: 1 } });
    const queue = t.warden.queues.notify;

    // Watch the notify queue's delayed jobs (those waiting for budget) throughout the storm.
    let maxDelayed = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        maxDelayed = Math.max(maxDelayed, await queue.getDelayedCount());
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const keys: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postNotification(t.url, t.token, buildNotification({ alertname: `Budget${batch * 20 + i}` }))),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(202);
        keys.push(String(answer.body.incident));
      }
    }
    const intakeDone = Date.now();

    // Incidents past the storm limit join the digest as they are dispatched: only the three with
    // cards of their own get a card job, and every incident is on the digest or its own card soon.
    const redis = connectTestRedis();
    const ranking = createRedisKeys(t.prefix).digestRanking(`slack:${channel}`, Math.floor(now() / 60_000));
    await expect.poll(() => redis.zcard(ranking), { timeout: 10_000, interval: 50 }).toBe(197);
    expect(Date.now() - intakeDone).toBeLessThan(10_000);

    // The digest settles on every incident that joined it.
    await slack.waitFor(() => JSON.stringify(digestOf(slack, channel)?.blocks ?? '').includes('Alert storm: 197 new incidents'), 20_000);
    await waitForIdleQueue(queue, 20_000);
    watching = false;
    await watcher;
    expect(maxDelayed).toBeLessThanOrEqual(5);

    // Three cards of their own, one digest: every incident is visible on one of them.
    const posted = succeeded(slack, 'chat.postMessage');
    expect(posted).toHaveLength(4);
    const ownCards = posted.filter((c) => !isDigest(c.body.blocks)).map((c) => JSON.stringify(c.body.blocks));
    expect(ownCards).toHaveLength(3);
    const members = await redis.zrange(ranking, '0', '-1');
    redis.disconnect();
    expect(members).toHaveLength(197);
    expect((await queue.getJobs(['completed'], 0, -1)).filter((job) => job.name === 'card')).toHaveLength(3);
    for (const key of keys) expect(ownCards.some((card) => card.includes(key)) || members.includes(key)).toBe(true);
    expect(JSON.stringify(digestOf(slack, channel)!.blocks)).toContain('197');

    // One send per second: the budget lets each send go a second after the last. Arrivals at the
    // platform carry the machine's scheduling delays (a send may reach it a few hundred ms late on a
    // busy machine), so what is checked is the span of all the sends, which a burst would not have;
    // the budget's exact spacing is the budget script's own test (outbound-budgets.test.ts).
    const times = sendsTo(slack, channel).map((c) => c.at);
    const sends = sendsTo(slack, channel).map((c) => `${c.at} ${c.method} ${isDigest(c.body.blocks) ? 'digest' : 'card'}`);
    expect(times.length, sends.join('\n')).toBeGreaterThanOrEqual(4);
    expect(times.length, sends.join('\n')).toBeLessThanOrEqual(10);
    expect(times.at(-1)! - times[0]!, sends.join('\n')).toBeGreaterThanOrEqual((times.length - 2) * 1000);
    const metric = await t.warden.metrics.stormDigests.get();
    expect(metric.values.find((v) => v.labels.platform === 'slack')?.value).toBe(1);
  }, 60_000);

  it('sends a change that lands while the digest is being sent, without the change waiting for the send', async () => {
    const channel = 'C0STORMRACE';
    const { slack, t, now } = await start(channel, { storm: { newIncidentsPerMinute: 1 }, outbound: { slackPerChannelPerSecond: 50 } });
    const queue = t.warden.queues.notify;
    for (const alertname of ['Race0', 'Race1']) expect((await postNotification(t.url, t.token, buildNotification({ alertname }))).status).toBe(202);
    await slack.waitFor(() => digestOf(slack, channel) !== undefined, 10_000);
    await waitForIdleQueue(queue);

    // The digest's next send is held by the platform until the test lets it through.
    const held = slack.holdNext();
    const receivedBefore = slack.received.length;
    expect((await postNotification(t.url, t.token, buildNotification({ alertname: 'Race1', instances: ['web-1:9100', 'web-2:9100'] }))).body.outcome).toBe('updated');
    await expect.poll(() => slack.received.slice(receivedBefore), { timeout: 10_000, interval: 20 }).toContain('chat.update');

    // Meanwhile a new incident joins the digest without waiting for the held send.
    const joined = await postNotification(t.url, t.token, buildNotification({ alertname: 'Race2' }));
    const key = String(joined.body.incident);
    const redis = connectTestRedis();
    const ranking = createRedisKeys(t.prefix).digestRanking(`slack:${channel}`, Math.floor(now() / 60_000));
    await expect.poll(() => redis.zrange(ranking, '0', '-1'), { timeout: 5_000, interval: 20 }).toContain(key);
    redis.disconnect();
    expect(JSON.stringify(digestOf(slack, channel)!.blocks)).not.toContain(key);

    held.release();
    await slack.waitFor(() => JSON.stringify(digestOf(slack, channel)!.blocks).includes(key), 10_000);
    await waitForIdleQueue(queue);
    expect(JSON.stringify(digestOf(slack, channel)!.blocks)).toContain('Alert storm: 2 new incidents');
    expect(succeeded(slack, 'chat.postMessage')).toHaveLength(2);
  }, 30_000);

  it('lets a digest go when its job fails for good, so the next change sends it again', async () => {
    const channel = 'C0STORMFAIL';
    const { slack, t } = await start(channel, { storm: { newIncidentsPerMinute: 1 }, outbound: { slackPerChannelPerSecond: 50 } });
    const queue = t.warden.queues.notify;
    expect((await postNotification(t.url, t.token, buildNotification({ alertname: 'Fail0' }))).status).toBe(202);
    await slack.waitFor(() => succeeded(slack, 'chat.postMessage').length === 1, 10_000);

    // The platform refuses the digest for good: its job fails once, with the reason.
    slack.unknownChannels.add(channel);
    const first = String((await postNotification(t.url, t.token, buildNotification({ alertname: 'Fail1' }))).body.incident);
    await expect
      .poll(async () => (await queue.getJobs(['failed'], 0, -1)).filter((job) => job.name === 'digest').map((job) => job.failedReason), { timeout: 10_000, interval: 50 })
      .toEqual([expect.stringContaining('channel_not_found')]);

    // Once the channel is back, the next change queues a new digest job, which shows both incidents.
    slack.unknownChannels.delete(channel);
    const second = String((await postNotification(t.url, t.token, buildNotification({ alertname: 'Fail2' }))).body.incident);
    await slack.waitFor(() => [first, second].every((key) => JSON.stringify(digestOf(slack, channel)?.blocks ?? '').includes(key)), 10_000);
    await waitForIdleQueue(queue);
    expect(JSON.stringify(digestOf(slack, channel)!.blocks)).toContain('Alert storm: 2 new incidents');
  }, 30_000);
});
