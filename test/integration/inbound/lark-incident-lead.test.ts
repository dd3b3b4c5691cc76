import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { buildLarkTextMessage, postSignedLarkEvent } from '../../support/signed-lark-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

/**
 * Lark → Warden → Lark: `/incident lead` with an @-mention of the person in the message and
 * `/incident update`, as encrypted, signed events over real HTTP to a real Warden.
 */
describe('Lark: /incident lead by mention and /incident update, end to end', () => {
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  let api: FakeLarkApi;
  let t: TestWarden;
  let key = '';
  let serial = 0;

  /** A text message to the bot; `mentions` maps extra placeholders (`@_user_2`) to open ids. */
  const say = (openId: string, text: string, mentions: Record<string, string> = {}) => {
    const event = buildLarkTextMessage({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId, chatId: 'oc_sec', text });
    const message = event.event.message as { mentions: Record<string, unknown>[] };
    for (const [placeholder, id] of Object.entries(mentions)) message.mentions.push({ key: placeholder, id: { open_id: id }, name: 'someone', tenant_key: 'tenant0' });
    return postSignedLarkEvent({ url: t.url, encryptKey: lark.encryptKey, event });
  };
  const card = () => JSON.stringify(api.messages('oc_sec')[0]?.content ?? null);
  const containing = (chatId: string, text: string) => api.messages(chatId).filter((message) => JSON.stringify(message.content).includes(text));

  beforeAll(async () => {
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await startTestWarden({
      name: 'lark-lead',
      tree: {
        lark: { ...lark, domain: api.url },
        routes: [{ to: ['lark:oc_sec'] }],
        updates: { to: ['lark:oc_stakeholders'], remindAfterMinutes: 0 },
        access: { groups: { operators: ['lark:ou_ops1'] }, permissions: { 'incident.respond': ['operators'] } },
        limits: { outbound: { larkPerChatPerSecond: 50 } },
      },
    });
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname: 'DataExfiltration', instances: ['db-1:9100'] }));
    key = posted.body.incident as string;
    await api.waitFor(() => api.messages('oc_sec').length === 1, 10_000);
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await api?.close();
  });

  it('sets the mentioned person as lead and shows an <at> mention on the card', async () => {
    expect((await say('ou_ops1', `/incident lead ${key} @_user_2`, { '@_user_2': 'ou_0lead' })).status).toBe(200);
    await expect.poll(async () => (await t.warden.store.get(key))?.lead, { timeout: 10_000 }).toBe('lark:ou_0lead');
    await expect.poll(() => card(), { timeout: 10_000 }).toContain('<at id=ou_0lead></at>');
  });

  it('posts an update to the incident chat, the stakeholders and the timeline; refuses a stranger', async () => {
    expect((await say('ou_stranger', `/incident update ${key} nothing to see`)).status).toBe(200);
    expect((await say('ou_ops1', `/incident update ${key} Exfiltration stopped at the proxy`)).status).toBe(200);
    await expect.poll(() => [containing('oc_sec', 'Exfiltration stopped').length, containing('oc_stakeholders', 'Exfiltration stopped').length], { timeout: 10_000 }).toEqual([1, 1]);
    const updates = (await t.warden.store.timeline(key)).filter((entry) => entry.kind === 'update');
    expect(updates).toEqual([expect.objectContaining({ text: 'Exfiltration stopped at the proxy', actor: 'lark:ou_ops1' })]);
    expect(containing('oc_stakeholders', 'nothing to see')).toEqual([]);
  });
});
