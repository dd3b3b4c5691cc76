import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { createSlackSender, writeChecklistFixture, type ChecklistFixture, type SlackSender } from '../../support/checklist-fixtures.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { slackButtons } from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';

const CHANNEL = 'C0RUNS';
const OPS = 'U0OPS1';

/** Checklist run cards heal too: they have no timeline, so the new message is stored and logged. */
describe('cards heal: checklist run cards', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  let fixture: ChecklistFixture;
  let slack: FakeSlackApi;
  let t: TestWarden;
  let send: SlackSender;

  const cards = () => slack.messages(CHANNEL).filter((message) => JSON.stringify(message.blocks ?? '').includes('Daily test check'));

  beforeAll(async () => {
    fixture = writeChecklistFixture();
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'run-heal',
      checklistsDir: fixture.dir,
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        access: { groups: { operators: [`slack:${OPS}`] }, permissions: { 'checklist.run': ['operators'], 'checklist.tick': ['operators'] } },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
    send = createSlackSender({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cards()[0]?.ts ?? '1700000000.000001', now: Date.now });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('posts a run card Slack no longer lets Warden edit anew, stores and logs the new message', async () => {
    expect((await send.command(OPS, '/audit daily')).status).toBe(200);
    await expect.poll(() => JSON.stringify(cards()[0]?.blocks ?? null), { timeout: 15_000 }).toContain('1 of 3 resolved');
    const first = cards()[0]!;
    const runId = (JSON.parse(slackButtons(first.blocks)[0]!.value) as { r: string }).r;
    slack.refuseUpdates(CHANNEL, first.ts, 'edit_window_closed');

    expect(await send.click(OPS, 'checklist.done', { r: runId, i: 'review-logs' })).toBe(200);
    await expect.poll(() => cards().length, { timeout: 10_000 }).toBe(2);
    const fresh = cards()[1]!;
    await expect.poll(() => JSON.stringify(cards()[1]!.blocks), { timeout: 10_000 }).toContain(`done by slack:${OPS}`);

    const storedId = async () => {
      const redis = connectTestRedis();
      const saved = await redis.hget(createRedisKeys(t.prefix).checklistRunMessages(runId), `slack:${CHANNEL}`);
      redis.disconnect();
      return saved === null ? undefined : (JSON.parse(saved) as { id?: string }).id;
    };
    await expect.poll(storedId, { timeout: 5_000 }).toBe(fresh.ts);
    await expect.poll(() => t.logs, { timeout: 5_000 }).toContainEqual(
      expect.objectContaining({ msg: 'card re-posted', destination: `slack:${CHANNEL}`, messageId: fresh.ts, replaced: first.ts, reason: 'not_editable', runId }),
    );
    expect(slack.callsTo('chat.update').filter((c) => c.body.ts === first.ts && c.error !== undefined).map((c) => c.error)).toEqual(['edit_window_closed']);
  }, 30_000);
});
