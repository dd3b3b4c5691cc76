import { afterEach, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, randomSecret } from '../../support/test-redis.js';

const botToken = `xoxb-${randomSecret(24)}`;
let slack: FakeSlackApi | undefined;
let wardens: TestWarden[] = [];

async function start(tree: ConfigTree = {}, extra: Parameters<typeof startTestWarden>[0] = {}): Promise<TestWarden> {
  slack ??= await startFakeSlackApi({ botToken });
  const t = await startTestWarden({
    name: 'outbound',
    ...extra,
    tree: {
      slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url },
      routes: [{ to: ['slack:C0SECURITY'] }],
      ...tree,
    },
  });
  wardens.push(t);
  return t;
}

afterEach(async () => {
  const redis = connectTestRedis();
  for (const t of wardens) {
    await t.stop();
    await deleteKeys(redis, t.prefix);
  }
  redis.disconnect();
  wardens = [];
  await slack?.close();
  slack = undefined;
});

async function completedJobs(t: TestWarden, count: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const jobs = await t.warden.queues.notify.getJobs(['completed'], 0, 100);
    if (jobs.length >= count || Date.now() > deadline) return jobs;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ok = (api: FakeSlackApi, method: string) => api.callsTo(method).filter((c) => c.status === 200 && c.error === undefined);

describe('outbound budgets and chat failures', () => {
  it('honours a 429 Retry-After without losing the card or spending an attempt', async () => {
    const t = await start();
    slack!.rateLimitNext(3, 1);
    const started = Date.now();
    expect((await postNotification(t.url, t.token, buildNotification())).status).toBe(202);

    await slack!.waitFor(() => ok(slack!, 'chat.postMessage').length === 1, 15_000);
    const rateLimited = slack!.calls.filter((c) => c.status === 429);
    expect(rateLimited).toHaveLength(3);
    // Each retry waited for Retry-After (1 s) before asking again.
    expect(ok(slack!, 'chat.postMessage')[0]!.at - started).toBeGreaterThanOrEqual(2_900);
    for (let i = 1; i < rateLimited.length; i++) expect(rateLimited[i]!.at - rateLimited[i - 1]!.at).toBeGreaterThanOrEqual(950);

    const [job] = await completedJobs(t, 1);
    expect(job).toBeDefined();
    // Three 429s, yet the job finished on its first counted attempt.
    // Four starts (three 429s and the success), one counted attempt: the success itself.
    expect(job!.attemptsStarted).toBe(4);
    expect(job!.attemptsMade).toBe(1);
    expect(slack!.messages('C0SECURITY')).toHaveLength(1);
  }, 30_000);

  it('spends an attempt on a server error and retries with backoff', async () => {
    const t = await start();
    slack!.failHttpNext(503, 1);
    await postNotification(t.url, t.token, buildNotification());
    await slack!.waitFor(() => ok(slack!, 'chat.postMessage').length === 1, 15_000);
    const [job] = await completedJobs(t, 1);
    // The failure counts: two attempts (the 503, then the success).
    expect(job!.attemptsMade).toBe(2);
    expect(slack!.messages('C0SECURITY')).toHaveLength(1);
  }, 30_000);

  it('stops retrying when the platform refuses for good (unknown channel)', async () => {
    const t = await start({ routes: [{ to: ['slack:C0GONE'] }] });
    slack!.unknownChannels.add('C0GONE');
    await postNotification(t.url, t.token, buildNotification());
    await slack!.waitFor((calls) => calls.some((c) => c.error === 'channel_not_found'), 10_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(slack!.callsTo('chat.postMessage')).toHaveLength(1);
    const failed = await t.warden.queues.notify.getJobs(['failed'], 0, 10);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failedReason).toContain('channel_not_found');
  }, 20_000);

  it('coalesces a burst of updates to one card into one call', async () => {
    const t = await start({ limits: { outbound: { slackPerChannelPerSecond: 0.5 } } });
    await postNotification(t.url, t.token, buildNotification({ instances: ['web-1:9100'] }));
    await slack!.waitFor(() => ok(slack!, 'chat.postMessage').length === 1, 10_000);

    // Eight changes to the same group while the channel's budget is spent (nine instances: all shown).
    const instances = ['web-1:9100'];
    for (let i = 2; i <= 9; i++) {
      instances.push(`web-${i}:9100`);
      expect((await postNotification(t.url, t.token, buildNotification({ instances: [...instances] }))).body.outcome).toBe('updated');
    }
    await slack!.waitFor(() => ok(slack!, 'chat.update').length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 3_000));

    expect(ok(slack!, 'chat.update')).toHaveLength(1);
    const card = JSON.stringify(slack!.messages('C0SECURITY')[0]!.blocks);
    expect(card).toContain('web-9:9100');
    expect(card).toContain('9 firing');
  }, 30_000);

  it('keeps a destination within its budget across processes sharing Redis', async () => {
    const web = await start({ limits: { outbound: { slackPerChannelPerSecond: 2 } } }, { role: 'web' });
    const prefix = web.prefix;
    // Two more processes' worth of workers on the same Redis prefix.
    for (let i = 0; i < 2; i++) {
      await start({ redis: { prefix }, limits: { outbound: { slackPerChannelPerSecond: 2 } } }, { role: 'worker' });
    }
    for (let i = 0; i < 6; i++) {
      await postNotification(web.url, web.token, buildNotification({ alertname: `Budget${i}` }));
    }
    await slack!.waitFor(() => ok(slack!, 'chat.postMessage').length === 6, 20_000);
    const times = ok(slack!, 'chat.postMessage').map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(450);
    const waits = await Promise.all(wardens.map(async (w) => (await w.warden.metrics.rateLimitWaits.get()).values.reduce((sum, v) => sum + v.value, 0)));
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 30_000);
});
