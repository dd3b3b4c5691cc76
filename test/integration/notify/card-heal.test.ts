import { afterEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';

const botToken = `xoxb-${randomSecret(24)}`;
let slack: FakeSlackApi | undefined;
let t: TestWarden | undefined;

async function start(channel: string, tree: ConfigTree = {}): Promise<{ t: TestWarden; slack: FakeSlackApi }> {
  slack = await startFakeSlackApi({ botToken });
  t = await startTestWarden({
    name: 'heal',
    tree: {
      slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url },
      routes: [{ to: [`slack:${channel}`] }],
      limits: { outbound: { slackPerChannelPerSecond: 50 } },
      ...tree,
    },
  });
  return { t, slack };
}

afterEach(async () => {
  await t?.dispose();
  await slack?.close();
  t = undefined;
  slack = undefined;
});

/** The message id Warden has stored for incident `key`'s card in `destination`. */
async function storedCardId(prefix: string, key: string, destination: string): Promise<string | undefined> {
  const redis = connectTestRedis();
  try {
    const json = await redis.hget(createRedisKeys(prefix).messages(key), destination);
    return json === null ? undefined : (JSON.parse(json) as { id?: string }).id;
  } finally {
    redis.disconnect();
  }
}

/** Changes incident `alertname`'s alerts so its card needs an update. */
async function changeIncident(t: TestWarden, alertname: string, instances: string[]): Promise<void> {
  const answer = await postNotification(t.url, t.token, buildNotification({ alertname, instances }));
  expect(answer.body.outcome).toBe('updated');
}

const okPosts = (api: FakeSlackApi) => api.callsTo('chat.postMessage').filter((c) => c.error === undefined);
const failedJobs = async (t: TestWarden) => (await t.warden.queues.notify.getJobs(['failed'], 0, 20)).length;

describe('cards heal: a card Slack can no longer update is posted anew', () => {
  it('re-posts a deleted card, stores the new message, notes it on the timeline and updates the new one in place from then on', async () => {
    const { t, slack } = await start('C0HEAL');
    const { key, cardTs } = await openSlackIncident(t, slack, 'C0HEAL', 'HealDeleted');
    slack.deleteMessage('C0HEAL', cardTs);

    await changeIncident(t, 'HealDeleted', ['web-1:9100', 'web-2:9100']);
    await slack.waitFor(() => slack.messages('C0HEAL').some((m) => JSON.stringify(m.blocks).includes('web-2:9100')), 10_000);
    const [card] = slack.messages('C0HEAL');
    expect(slack.messages('C0HEAL')).toHaveLength(1);
    expect(card!.ts).not.toBe(cardTs);
    expect(slack.callsTo('chat.update').filter((c) => c.body.ts === cardTs).map((c) => c.error)).toEqual(['message_not_found']);
    await expect.poll(() => storedCardId(t.prefix, key, 'slack:C0HEAL'), { timeout: 5_000 }).toBe(card!.ts);
    await expect
      .poll(async () => (await t.warden.store.timeline(key)).filter((e) => e.kind === 'card').map((e) => e.text), { timeout: 5_000 })
      .toEqual(['Card re-posted in slack:C0HEAL (the earlier message was deleted)']);

    await changeIncident(t, 'HealDeleted', ['web-1:9100', 'web-2:9100', 'web-3:9100']);
    await slack.waitFor(() => slack.messages('C0HEAL')[0]!.updates === 1, 10_000);
    expect(JSON.stringify(slack.messages('C0HEAL')[0]!.blocks)).toContain('web-3:9100');
    expect(okPosts(slack)).toHaveLength(2);
  }, 30_000);

  it.each([
    ['cant_update_message', 'HealLocked'],
    ['edit_window_closed', 'HealWindow'],
  ])('re-posts a card Slack no longer lets Warden edit (%s)', async (error, alertname) => {
    const { t, slack } = await start('C0EDIT');
    const { key, cardTs } = await openSlackIncident(t, slack, 'C0EDIT', alertname);
    slack.refuseUpdates('C0EDIT', cardTs, error);

    await changeIncident(t, alertname, ['web-1:9100', 'web-2:9100']);
    await slack.waitFor(() => okPosts(slack).length === 2, 10_000);
    expect(JSON.stringify(okPosts(slack)[1]!.body.blocks)).toContain('web-2:9100');
    await expect.poll(() => storedCardId(t.prefix, key, 'slack:C0EDIT'), { timeout: 5_000 }).not.toBe(cardTs);
    await expect
      .poll(async () => (await t.warden.store.timeline(key)).filter((e) => e.kind === 'card').map((e) => e.text), { timeout: 5_000 })
      .toEqual(['Card re-posted in slack:C0EDIT (the earlier message can no longer be edited)']);
  }, 30_000);

  it('makes one new card when two updates race for a deleted one', async () => {
    const { t, slack } = await start('C0RACE');
    const { key, cardTs } = await openSlackIncident(t, slack, 'C0RACE', 'HealRace');
    slack.deleteMessage('C0RACE', cardTs);
    // The first update is slow to fail, so the second update's job runs while it is in flight.
    slack.delayNext(400, 1);

    await changeIncident(t, 'HealRace', ['web-1:9100', 'web-2:9100']);
    await changeIncident(t, 'HealRace', ['web-1:9100', 'web-2:9100', 'web-3:9100']);
    await slack.waitFor(() => slack.messages('C0RACE').some((m) => JSON.stringify(m.blocks).includes('web-3:9100')), 10_000);
    await expect.poll(async () => (await t.warden.queues.notify.getJobCounts('active', 'delayed', 'waiting')), { timeout: 10_000 }).toEqual({ active: 0, delayed: 0, waiting: 0 });

    expect(okPosts(slack)).toHaveLength(2);
    expect(slack.messages('C0RACE')).toHaveLength(1);
    expect(await storedCardId(t.prefix, key, 'slack:C0RACE')).toBe(slack.messages('C0RACE')[0]!.ts);
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'card')).toHaveLength(1);
  }, 30_000);

  it('spends the channel budget on the re-post and does not try the dead message again while it waits', async () => {
    const { t, slack } = await start('C0SLOW', { limits: { outbound: { slackPerChannelPerSecond: 1 } } });
    const { cardTs } = await openSlackIncident(t, slack, 'C0SLOW', 'HealBudget');
    slack.deleteMessage('C0SLOW', cardTs);

    await changeIncident(t, 'HealBudget', ['web-1:9100', 'web-2:9100']);
    await slack.waitFor(() => okPosts(slack).length === 2, 10_000);
    const failedUpdates = slack.callsTo('chat.update');
    expect(failedUpdates.map((c) => c.error)).toEqual(['message_not_found']);
    // The failed update took the channel's one send per second; the new message waited for the next
    // (about a second, less the update's own round trip; an unbudgeted post follows within a few ms).
    expect(okPosts(slack)[1]!.at - failedUpdates[0]!.at).toBeGreaterThanOrEqual(500);
  }, 30_000);

  it('does not re-post into an archived channel: the job fails once, with Slack’s reason', async () => {
    const { t, slack } = await start('C0ARCH');
    await openSlackIncident(t, slack, 'C0ARCH', 'HealArchived');
    slack.archivedChannels.add('C0ARCH');

    await changeIncident(t, 'HealArchived', ['web-1:9100', 'web-2:9100']);
    await expect.poll(() => failedJobs(t), { timeout: 10_000 }).toBe(1);
    const [failed] = await t.warden.queues.notify.getJobs(['failed'], 0, 1);
    expect(failed!.failedReason).toContain('is_archived');
    expect(slack.callsTo('chat.update').map((c) => c.error)).toEqual(['is_archived']);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  }, 30_000);

  it('tries one new card when Slack no longer finds the channel, then fails with the reason instead of looping', async () => {
    const { t, slack } = await start('C0LOST');
    const { key, cardTs } = await openSlackIncident(t, slack, 'C0LOST', 'HealLost');
    slack.unknownChannels.add('C0LOST');

    await changeIncident(t, 'HealLost', ['web-1:9100', 'web-2:9100']);
    await expect.poll(() => failedJobs(t), { timeout: 10_000 }).toBe(1);
    const [failed] = await t.warden.queues.notify.getJobs(['failed'], 0, 1);
    expect(failed!.failedReason).toContain('channel_not_found');
    expect(slack.callsTo('chat.update').map((c) => c.error)).toEqual(['channel_not_found']);
    expect(slack.callsTo('chat.postMessage').map((c) => c.error)).toEqual([undefined, 'channel_not_found']);
    expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'card message gone; posting the card anew', destination: 'slack:C0LOST', messageId: cardTs, reason: 'channel_unreachable' }));
    expect((await t.warden.store.timeline(key)).filter((e) => e.kind === 'card')).toEqual([]);
  }, 30_000);
});
