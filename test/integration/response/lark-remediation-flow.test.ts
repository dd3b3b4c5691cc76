import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRequestId } from '../../../src/inbound/action-buttons.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { ISOLATE_TITLE, larkButtons, NOTIFY_TITLE, remediationActions, responseAccess, resultEntries } from '../../support/remediation-fixtures.js';
import { buildLarkButtonClick, postSignedLarkEvent } from '../../support/signed-lark-request.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

const CHAT = 'oc_sec';
const [REQUESTER, OPERATOR, APPROVER] = ['ou_ops1', 'ou_ops2', 'ou_boss'];

/**
 * The remediation flow on Lark, end to end: encrypted, signed card callbacks answered with toasts,
 * the card patched in place on the fake open platform, and the fake target counting effects.
 */
describe('Lark: isolate, request, approve and run remediations', () => {
  const lark = { appId: 'cli_warden', appSecret: randomSecret(32), encryptKey: randomSecret(24), verificationToken: randomSecret(20) };
  const audit = createRecordingAuditLog();
  let api: FakeLarkApi;
  let target: FakeRemediationTarget;
  let t: TestWarden;
  let key = '';
  let messageId = '';
  let serial = 0;

  /** Clicks a button of the card; returns the callback answer and the request id Warden derives from the event id. */
  async function click(openId: string, actionId: string, value: Record<string, string>, eventId = `ev-${++serial}`) {
    const answer = await postSignedLarkEvent({
      url: t.url,
      encryptKey: lark.encryptKey,
      event: buildLarkButtonClick({ eventId, token: lark.verificationToken, appId: lark.appId, openId, actionId, value: JSON.stringify(value), chatId: CHAT, messageId }),
    });
    return { ...answer, requestId: toRequestId({ id: `lark:${eventId}` }) };
  }
  const card = () => api.messages(CHAT)[0]?.content;
  const cardText = () => JSON.stringify(card() ?? null);
  const directTo = (openId: string) => JSON.stringify(api.directMessages(openId).map((m) => m.content));
  const timeline = () => t.warden.store.timeline(key);

  beforeAll(async () => {
    target = await startFakeRemediationTarget();
    api = await startFakeLarkApi({ appId: lark.appId, appSecret: lark.appSecret });
    t = await startTestWarden({
      name: 'lark-remediation',
      audit,
      tree: {
        lark: { ...lark, domain: api.url },
        routes: [{ to: [`lark:${CHAT}`], playbook: 'suspicious-process' }],
        access: responseAccess('lark', { operators: [REQUESTER, OPERATOR], approvers: [REQUESTER, APPROVER] }),
        actions: remediationActions(target.url),
        limits: { outbound: { larkPerChatPerSecond: 50 } },
      },
    });
    const posted = await postNotification(t.url, t.token, buildNotification({ alertname: 'ReverseShellDetected', instances: ['db-1:9100'] }));
    key = posted.body.incident as string;
    await api.waitFor(() => api.messages(CHAT).length === 1, 10_000);
    messageId = api.messages(CHAT)[0]!.message_id;
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await api?.close();
    await target?.close();
  });

  it('Isolate patches the card with the isolate steps and the remediation buttons', async () => {
    expect((await click(REQUESTER, 'incident.isolate', { k: key })).body).toMatchObject({ toast: { type: 'info' } });
    await expect.poll(() => cardText(), { timeout: 10_000 }).toContain('Isolate the host from the network');
    expect(larkButtons(card()).filter((b) => b.actionId === 'action.run')).toEqual([
      { label: ISOLATE_TITLE, actionId: 'action.run', value: { k: key, a: 'isolate-host' } },
      { label: NOTIFY_TITLE, actionId: 'action.run', value: { k: key, a: 'notify-owner' } },
    ]);
    expect(api.messages(CHAT)).toHaveLength(1);
    expect(api.callsTo('PATCH /open-apis/im/v1/messages/:message_id').length).toBeGreaterThanOrEqual(1);
  });

  it('asks for approval, refuses the requester (privately) and a non-approver (toast); an approver\'s approval runs it once', async () => {
    const run = await click(REQUESTER, 'action.run', { k: key, a: 'isolate-host' });
    expect(run.body).toMatchObject({ toast: { type: 'info' } });
    await expect.poll(async () => (await timeline()).some((e) => e.data?.requestId === run.requestId && e.data.state === 'pending'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => larkButtons(card()).find((b) => b.actionId === 'approval.approve')?.value, { timeout: 10_000 }).toEqual({ k: key, r: run.requestId });

    await click(REQUESTER, 'approval.approve', { k: key, r: run.requestId });
    await expect.poll(() => directTo(REQUESTER), { timeout: 10_000 }).toContain('someone else with action.approve');

    const denied = await click(OPERATOR, 'approval.approve', { k: key, r: run.requestId });
    expect(denied.body).toMatchObject({ toast: { type: 'error', content: expect.stringContaining('action.approve') } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.requests).toHaveLength(0);

    // An approver approves (Lark pushes the callback twice): one effect, the card shows the result.
    for (const nonce of ['n1', 'n2']) {
      const answer = await postSignedLarkEvent({
        url: t.url,
        encryptKey: lark.encryptKey,
        nonce,
        event: buildLarkButtonClick({ eventId: 'ev-approve', token: lark.verificationToken, appId: lark.appId, openId: APPROVER, actionId: 'approval.approve', value: JSON.stringify({ k: key, r: run.requestId }), chatId: CHAT, messageId }),
      });
      expect(answer.status).toBe(200);
    }
    await expect.poll(() => target.effectCount(), { timeout: 15_000 }).toBe(1);
    expect(target.requests).toEqual([expect.objectContaining({ url: '/isolate', idempotencyKey: `warden-${run.requestId}`, status: 201 })]);
    expect(JSON.parse(target.requests[0]!.body)).toMatchObject({ host: 'db-1:9100', incident: key });
    await expect.poll(() => cardText(), { timeout: 10_000 }).toContain(`✅ ${ISOLATE_TITLE}: HTTP 201`);
    expect(larkButtons(card()).some((b) => b.actionId === 'approval.approve')).toBe(false);
    expect(resultEntries(await timeline(), 'isolate-host').map((e) => e.text)).toEqual([
      expect.stringMatching(/^OK Isolate host \(run by lark:ou_ops1, approved by lark:ou_boss\): HTTP 201/),
    ]);
    expect(audit.entries.filter((e) => e.type === 'approval.refused')).toEqual([expect.objectContaining({ actor: `lark:${REQUESTER}`, outcome: 'self_approval' })]);
    expect(audit.entries.filter((e) => e.type === 'approval.approved')).toHaveLength(1);
  });

  it('a non-destructive remediation runs at once, without approval', async () => {
    const run = await click(OPERATOR, 'action.run', { k: key, a: 'notify-owner' });
    expect(run.body).toMatchObject({ toast: { type: 'info' } });
    await expect.poll(() => target.effects.get(`warden-${run.requestId}`), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => cardText(), { timeout: 10_000 }).toContain(`✅ ${NOTIFY_TITLE}: HTTP 201`);
    expect(resultEntries(await timeline(), 'notify-owner')).toHaveLength(1);
    expect(api.messages(CHAT)).toHaveLength(1);
    for (const secret of [lark.appSecret, lark.encryptKey, lark.verificationToken]) expect(t.rawLogs()).not.toContain(secret);
  });
});
