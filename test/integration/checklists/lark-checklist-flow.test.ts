import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeChecklistFixture, type ChecklistFixture } from '../../support/checklist-fixtures.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { larkButtons } from '../../support/remediation-fixtures.js';
import { buildLarkButtonClick, buildLarkTextMessage, postSignedLarkEvent } from '../../support/signed-lark-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';
import { waitForIdleQueue } from '../../support/wait-for-jobs.js';

const CHAT = 'oc_sec';
const [OPS, VIEWER] = ['ou_ops1', 'ou_viewer'];

interface LarkSelect {
  tag: 'select_static';
  options: { text: { content: string }; value: string }[];
  behaviors: { value: { actionId: string } }[];
}

/** Collects the card's select_static elements wherever they sit (columns). */
function larkSelects(card: unknown): LarkSelect[] {
  const found: LarkSelect[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      if ((node as { tag?: string }).tag === 'select_static') found.push(node as LarkSelect);
      Object.values(node).forEach(visit);
    }
  };
  visit(card);
  return found;
}

/**
 * Checklists on Lark, end to end: `/audit daily` as a message to the bot, the card in the chat,
 * Done and the N/A menu as encrypted, signed card callbacks, the card patched in place.
 */
describe('Lark: /audit, Done and N/A on the checklist card', () => {
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  const audit = createRecordingAuditLog();
  let fixture: ChecklistFixture;
  let api: FakeLarkApi;
  let t: TestWarden;
  let serial = 0;

  const card = () => api.messages(CHAT).find((m) => JSON.stringify(m.content).includes('Daily test check'))?.content;
  const cardText = () => JSON.stringify(card() ?? null);
  const messageId = () => api.messages(CHAT).find((m) => JSON.stringify(m.content).includes('Daily test check'))?.message_id ?? 'om_none';
  const post = (event: Record<string, unknown>) => postSignedLarkEvent({ url: t.url, encryptKey: lark.encryptKey, event });
  const say = (openId: string, text: string) => post(buildLarkTextMessage({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId, chatId: CHAT, text }));
  const click = (openId: string, actionId: string, value: unknown) =>
    post(buildLarkButtonClick({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId, actionId, value: JSON.stringify(value), chatId: CHAT, messageId: messageId() }));

  beforeAll(async () => {
    fixture = writeChecklistFixture();
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await startTestWarden({
      name: 'lark-checklists',
      audit,
      checklistsDir: fixture.dir,
      tree: {
        lark: { ...lark, domain: api.url },
        access: {
          groups: { operators: [`lark:${OPS}`], viewers: [`lark:${VIEWER}`] },
          permissions: { 'checklist.run': ['operators'], 'checklist.tick': ['operators'], 'incident.view': ['viewers'] },
        },
        limits: { outbound: { larkPerChatPerSecond: 50 } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await api?.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('a message "/audit daily" to the bot posts the card; someone without checklist.run is refused privately', async () => {
    expect((await say(VIEWER, '/audit daily')).status).toBe(200);
    await expect.poll(() => JSON.stringify(api.directMessages(VIEWER).map((m) => m.content)), { timeout: 10_000 }).toContain('checklist.run');
    expect(card()).toBeUndefined();

    expect((await say(OPS, '/audit daily')).status).toBe(200);
    await expect.poll(() => cardText(), { timeout: 15_000 }).toContain('Config file mode 600');
    await expect.poll(() => cardText(), { timeout: 15_000 }).toContain('1 of 3 resolved &#40;1 passed, 1 failed, 0 N/A&#41;');
    expect(larkButtons(card()).map((b) => b.label)).toEqual(['Done', 'Re-check']);
    expect(larkSelects(card())).toHaveLength(2);
  });

  it('Done and an N/A reason from the menu patch the same card; the run completes', async () => {
    const [done] = larkButtons(card());
    const answer = await click(OPS, done!.actionId, done!.value);
    expect(answer.status).toBe(200);
    await expect.poll(() => cardText(), { timeout: 10_000 }).toContain(`done by lark:${OPS}`);

    // The failed check's N/A menu: choose its second reason, as Lark sends it (action.option).
    const select = larkSelects(card())[0]!;
    const chosen = select.options[1]!;
    const choice = buildLarkButtonClick({ eventId: `ev-${++serial}`, token: lark.verificationToken, appId: lark.appId, openId: OPS, actionId: 'x', value: '', chatId: CHAT, messageId: messageId() });
    choice.event.action = { tag: 'select_static', value: select.behaviors[0]!.value, option: chosen.value } as unknown as typeof choice.event.action;
    expect((await post(choice as unknown as Record<string, unknown>)).status).toBe(200);
    await expect.poll(() => cardText(), { timeout: 10_000 }).toContain('N/A: Covered by another control');
    expect(cardText()).toContain('3 of 3 resolved &#40;2 passed, 0 failed, 1 N/A&#41;');
    expect(larkButtons(card())).toEqual([]);
    expect(api.messages(CHAT).filter((m) => JSON.stringify(m.content).includes('Daily test check'))).toHaveLength(1);
    expect(api.callsTo('PATCH /open-apis/im/v1/messages/:message_id').length).toBeGreaterThanOrEqual(2);
    // The run's completion is audited after its cards were queued: wait for the job to finish.
    await waitForIdleQueue(t.warden.queues.inbound);
    expect(audit.entries.filter((e) => e.type === 'checklist.completed')).toHaveLength(1);
  });
});
