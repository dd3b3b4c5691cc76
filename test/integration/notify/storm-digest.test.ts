import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

describe('alert storm: a digest card instead of one card per incident', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  let slack: FakeSlackApi;
  let t: TestWarden;
  // Warden's clock starts one second into a minute, so the whole storm falls in one storm window.
  const offset = Math.ceil(Date.now() / 60_000) * 60_000 + 1_000 - Date.now();

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'storm',
      now: () => Date.now() + offset,
      tree: {
        slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url },
        routes: [{ to: ['slack:C0STORM'] }],
        limits: { storm: { newIncidentsPerMinute: 3 }, outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  });
  afterAll(async () => {
    await t.dispose();
    await slack.close();
  });

  const posted = () => slack.callsTo('chat.postMessage').filter((c) => c.error === undefined && c.status === 200);
  const text = (call: { body: Record<string, unknown> }) => JSON.stringify(call.body.blocks);

  it('posts the first cards, then one digest listing every further incident, never dropping one', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await postNotification(t.url, t.token, buildNotification({ alertname: `Storm${i}` }));
      expect(answer.status).toBe(202);
      keys.push(String(answer.body.incident));
    }
    await slack.waitFor(() => posted().length === 4 && slack.messages('C0STORM').some((m) => (JSON.stringify(m.blocks).match(/inc-/g) ?? []).length >= 5), 15_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const cards = posted();
    expect(cards).toHaveLength(4);
    const digests = cards.filter((c) => text(c).includes('Alert storm'));
    expect(digests).toHaveLength(1);
    const individual = cards.filter((c) => !text(c).includes('Alert storm'));
    expect(individual).toHaveLength(3);

    // Every incident is visible: on its own card or on the digest (which is updated in place).
    const digestNow = JSON.stringify(slack.messages('C0STORM').find((m) => JSON.stringify(m.blocks).includes('Alert storm'))!.blocks);
    for (const key of keys) {
      const onOwnCard = individual.some((c) => text(c).includes(key));
      expect(onOwnCard || digestNow.includes(key)).toBe(true);
    }
    const metric = await t.warden.metrics.stormDigests.get();
    expect(metric.values.find((v) => v.labels.platform === 'slack')?.value).toBe(1);
  }, 30_000);

  it('updates the digest in place when one of its incidents changes', async () => {
    const digest = slack.messages('C0STORM').find((m) => JSON.stringify(m.blocks).includes('Alert storm'))!;
    const updatesBefore = digest.updates;
    const answer = await postNotification(t.url, t.token, buildNotification({ alertname: 'Storm7', instances: ['web-1:9100', 'web-2:9100'] }));
    expect(answer.body.outcome).toBe('updated');
    await slack.waitFor(() => slack.messages('C0STORM').find((m) => m.ts === digest.ts)!.updates > updatesBefore, 10_000);
    expect(posted()).toHaveLength(4);
  }, 20_000);

  it('posts the digest anew when its message was deleted, and stores the new message', async () => {
    const digest = slack.messages('C0STORM').find((m) => JSON.stringify(m.blocks).includes('Alert storm'))!;
    slack.deleteMessage('C0STORM', digest.ts);
    const answer = await postNotification(t.url, t.token, buildNotification({ alertname: 'Storm6', instances: ['web-1:9100', 'web-2:9100'] }));
    expect(answer.body.outcome).toBe('updated');

    await slack.waitFor(() => posted().length === 5, 10_000);
    const fresh = slack.messages('C0STORM').find((m) => JSON.stringify(m.blocks).includes('Alert storm'))!;
    expect(fresh.ts).not.toBe(digest.ts);
    expect(JSON.stringify(fresh.blocks)).toContain('Alert storm: 5 new incidents');
    await expect
      .poll(() => t.logs, { timeout: 5_000 })
      .toContainEqual(expect.objectContaining({ msg: 'card re-posted', destination: 'slack:C0STORM', messageId: fresh.ts, replaced: digest.ts, reason: 'deleted' }));
    // A new digest message, not a new storm: the storm counter stays at one digest.
    const metric = await t.warden.metrics.stormDigests.get();
    expect(metric.values.find((v) => v.labels.platform === 'slack')?.value).toBe(1);
  }, 20_000);
});
