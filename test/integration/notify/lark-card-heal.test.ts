import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';

const CHAT = 'oc_heal';
const sendRoute = 'POST /open-apis/im/v1/messages';
const patchRoute = 'PATCH /open-apis/im/v1/messages/:message_id';

/**
 * Lark cards heal: a recalled card, or one past Lark's 14-day edit window, is sent again as a new
 * message (with its own dedupe uuid, or Lark would hand back the old one) and its id is stored.
 */
describe('cards heal on Lark', () => {
  const lark = { appId: 'cli_heal', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  let api: FakeLarkApi;
  let t: TestWarden;

  beforeAll(async () => {
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await startTestWarden({
      name: 'lark-heal',
      tree: { lark: { ...lark, domain: api.url }, routes: [{ to: [`lark:${CHAT}`] }], limits: { outbound: { larkPerChatPerSecond: 50 } } },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await api?.close();
  });

  const sent = () => api.callsTo(sendRoute).filter((c) => c.code === 0);
  const cardsOf = (alertname: string) => api.messages(CHAT).filter((m) => JSON.stringify(m.content).includes(alertname));
  const cardNotes = async (key: string) => (await t.warden.store.timeline(key)).filter((e) => e.kind === 'card').map((e) => e.text);

  async function storedCardId(key: string): Promise<string | undefined> {
    const redis = connectTestRedis();
    try {
      const json = await redis.hget(createRedisKeys(t.prefix).messages(key), `lark:${CHAT}`);
      return json === null ? undefined : (JSON.parse(json) as { id?: string }).id;
    } finally {
      redis.disconnect();
    }
  }

  async function openIncident(alertname: string): Promise<{ key: string; messageId: string }> {
    const before = sent().length;
    const answer = await postNotification(t.url, t.token, buildNotification({ alertname }));
    expect(answer.status).toBe(202);
    await api.waitFor(() => sent().length > before, 10_000);
    return { key: String(answer.body.incident), messageId: cardsOf(alertname)[0]!.message_id };
  }

  async function changeIncident(alertname: string, instances: string[]): Promise<void> {
    expect((await postNotification(t.url, t.token, buildNotification({ alertname, instances }))).body.outcome).toBe('updated');
  }

  it('sends a recalled card again as a new message and notes it on the timeline', async () => {
    const { key, messageId } = await openIncident('LarkRecalled');
    api.recallMessage(messageId);

    await changeIncident('LarkRecalled', ['web-1:9100', 'web-2:9100']);
    await api.waitFor(() => cardsOf('LarkRecalled').some((m) => !m.deleted && JSON.stringify(m.content).includes('web-2:9100')), 10_000);
    const fresh = cardsOf('LarkRecalled').find((m) => !m.deleted)!;
    expect(fresh.message_id).not.toBe(messageId);
    expect(fresh.uuid).not.toBe(cardsOf('LarkRecalled')[0]!.uuid);
    expect(api.callsTo(patchRoute).filter((c) => c.path.endsWith(messageId)).map((c) => c.code)).toEqual([230011]);
    await expect.poll(() => storedCardId(key), { timeout: 5_000 }).toBe(fresh.message_id);
    await expect.poll(() => cardNotes(key), { timeout: 5_000 }).toEqual([`Card re-posted in lark:${CHAT} (the earlier message was deleted)`]);
  }, 30_000);

  it('sends a card past Lark’s 14-day edit window again, then patches the new one in place', async () => {
    const { key, messageId } = await openIncident('LarkOld');
    api.ageMessage(messageId, 15);

    await changeIncident('LarkOld', ['web-1:9100', 'web-2:9100']);
    await api.waitFor(() => cardsOf('LarkOld').length === 2, 10_000);
    const fresh = cardsOf('LarkOld')[1]!;
    expect(JSON.stringify(fresh.content)).toContain('web-2:9100');
    expect(api.callsTo(patchRoute).filter((c) => c.path.endsWith(messageId)).map((c) => c.code)).toEqual([230031]);
    await expect.poll(() => cardNotes(key), { timeout: 5_000 }).toEqual([`Card re-posted in lark:${CHAT} (the earlier message can no longer be edited)`]);

    await changeIncident('LarkOld', ['web-1:9100', 'web-2:9100', 'web-3:9100']);
    await api.waitFor(() => fresh.updates === 1, 10_000);
    expect(JSON.stringify(fresh.content)).toContain('web-3:9100');
    expect(cardsOf('LarkOld')).toHaveLength(2);
    expect(await storedCardId(key)).toBe(fresh.message_id);
  }, 30_000);
});
