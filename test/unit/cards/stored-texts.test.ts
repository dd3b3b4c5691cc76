import { describe, expect, it } from 'vitest';
import { buildIncidentCard, type IncidentCardInput } from '../../../cards/build-incident-card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { buildApprovalViews } from '../../../src/approvals/build-approval-views.js';
import { createConsoleAdapter } from '../../../src/chat/console/create-console-adapter.js';
import type { Config } from '../../../src/config/config-schema.js';
import { rotationSchema } from '../../../src/config/oncall-schema.js';
import type { ApprovalRequest } from '../../../src/model/approval-request.js';
import type { Incident } from '../../../src/model/incident.js';
import { resolveTargets } from '../../../src/oncall/resolve-targets.js';
import { RoomRefusedError } from '../../../src/ports/chat-room.js';
import { englishOf, textRef } from '../../../src/shared/messages/text-ref.js';
import { describeWarRoomError } from '../../../src/war-rooms/describe-war-room-error.js';
import { decodeLarkEntities, makeIncident } from './card-test-helpers.js';

type Json = Record<string, any>;

const AT = Date.parse('2026-11-20T10:06:00Z');

/** Every text of a rendered Lark card in one language (`en_us` or `zh_cn`): its translation, or the text that reads the same in both. */
function larkTexts(node: unknown, language: 'en_us' | 'zh_cn', found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => larkTexts(n, language, found));
  else if (node !== null && typeof node === 'object') {
    const object = node as Json;
    if ((object['tag'] === 'plain_text' || object['tag'] === 'markdown') && typeof object['content'] === 'string') {
      found.push(decodeLarkEntities((object['i18n_content']?.[language] ?? object['content']) as string));
    }
    Object.values(object).forEach((v) => larkTexts(v, language, found));
  }
  return found;
}

/** The incident's card as Lark receives it, its texts in English and in Chinese. */
function renderBoth(incident: Incident, extra: Partial<IncidentCardInput> = {}): { en: string; zh: string } {
  const lark = renderLarkCard(buildIncidentCard({ incident, alerts: [], diagnosis: [], ...extra })) as Json;
  expect(lark['config'].locales).toEqual(['en_us', 'zh_cn']);
  return { en: larkTexts(lark['body'], 'en_us').join('\n'), zh: larkTexts(lark['body'], 'zh_cn').join('\n') };
}

const oncall = {
  access: { people: { bob: ['slack:U0BOB'], alice: ['slack:U0ALICE'] }, groups: { leads: ['alice'] } },
  oncall: { rotations: { primary: rotationSchema.parse({ people: ['bob'], timezone: 'UTC', start: '2026-11-16', handoff: '09:00', length: '1w' }) } },
} as unknown as Pick<Config, 'access' | 'oncall'>;

describe('texts stored on an incident, on its card in every language', () => {
  it('shows a war room failure and its fix in the card’s language, the platform’s answer as it came', () => {
    const problem = describeWarRoomError('open', new RoomRefusedError('slack', 'missing_permission', 'conversations.create: missing_scope', 'groups:write'));
    expect(problem.text).toBe('War room could not be opened: slack rejected the request: conversations.create: missing_scope');
    expect(problem.fix).toContain('add the groups:write bot scope to the Slack app');
    const { en, zh } = renderBoth(makeIncident({ warRoomFailure: { text: problem.text, fix: problem.fix!, textRef: problem.textRef, fixRef: problem.fixRef!, at: AT } }));
    expect(en).toContain('⚠️ War room could not be opened: slack rejected the request: conversations.create: missing_scope (2026-11-20 10:06 UTC) — fix: add the groups:write bot scope');
    expect(zh).toContain('⚠️ 作战室创建失败：slack 拒绝了请求：conversations.create: missing_scope（2026-11-20 10:06 UTC）— 处理方法：为 Slack 应用添加 groups:write 机器人权限');
    expect(zh).not.toContain('could not be opened');
  });

  it('translates a reason Warden wrote inside a failure (a taken name)', () => {
    const taken = new RoomRefusedError('lark', 'name_taken', textRef('card.warRoom.reason.nameTaken', { names: '#inc-1, #inc-1-2' }));
    expect(taken.message).toBe('lark rejected the request: the names #inc-1, #inc-1-2 are taken');
    const problem = describeWarRoomError('open', taken);
    const { en, zh } = renderBoth(makeIncident({ warRoomFailure: { text: problem.text, fix: problem.fix!, textRef: problem.textRef, fixRef: problem.fixRef!, at: AT } }));
    expect(en).toContain('War room could not be opened: lark rejected the request: the names #inc-1, #inc-1-2 are taken');
    expect(zh).toContain('作战室创建失败：lark 拒绝了请求：名称 #inc-1, #inc-1-2 已被占用');
    expect(zh).toContain('归档或重命名同名频道');
  });

  it('shows a silence failure in the card’s language', () => {
    const ref = textRef('card.silence.failed.create', { reason: textRef('card.silence.refused.create', { why: textRef('card.silence.refusal.selfApproval') }) });
    const { en, zh } = renderBoth(makeIncident({ silenceFailure: { text: englishOf(ref), textRef: ref, at: AT } }));
    expect(en).toContain('⚠️ Silence failed: not silenced: it was approved by the person who asked for it (2026-11-20 10:06 UTC)');
    expect(zh).toContain('⚠️ 静默失败：未静默：审批人与申请人是同一个人（2026-11-20 10:06 UTC）');
  });

  it('shows why escalation stopped and whom it reached in the card’s language', () => {
    const resolved = resolveTargets(oncall, ['primary', 'leads', 'lark:ou_0boss'], Date.parse('2026-11-20T10:00:00Z'));
    expect(resolved.description).toBe('bob (on call for primary), leads (alice), lark:ou_0boss');
    const reasonRef = textRef('card.escalation.stop.silenced', { until: '2026-11-20 12:05 UTC', by: 'ops' });
    const { en, zh } = renderBoth(
      makeIncident({
        escalation: { policy: 'default', step: 0, repeat: 0, at: AT, to: resolved.description, toParts: resolved.parts },
        escalationStopped: { at: AT, reason: englishOf(reasonRef), reasonRef },
      }),
    );
    expect(en).toContain('Escalated to bob (on call for primary), leads (alice), lark:ou_0boss at 2026-11-20 10:06 UTC');
    expect(en).toContain('Escalation stopped at 2026-11-20 10:06 UTC: silenced in Alertmanager until 2026-11-20 12:05 UTC by ops.');
    expect(zh).toContain('升级至 bob（primary 值班）, leads（alice）, lark:ou_0boss');
    expect(zh).toContain('停止升级：ops 已在 Alertmanager 中静默至 2026-11-20 12:05 UTC');
  });

  it('shows a long silence’s approval request with its title and what approving does in the card’s language', () => {
    const titleRef = textRef('card.approval.silence.title', { duration: '8h' });
    const previewRef = textRef('card.approval.silence.previewReason', { filter: '{alertname="X"}', duration: '8h', by: 'ops', reason: 'maintenance' });
    const request: ApprovalRequest = {
      id: 'r1',
      incidentKey: 'inc-7f3a9c',
      actionId: 'silence',
      title: englishOf(titleRef),
      titleRef,
      requestedBy: 'slack:U0OPS',
      requestedAt: AT,
      expiresAt: AT + 3_600_000,
      state: 'pending',
      silence: { durationMs: 8 * 3_600_000, reason: 'maintenance', preview: [englishOf(previewRef)], previewRefs: [previewRef] },
    };
    const incident = makeIncident();
    const approvals = buildApprovalViews([request], { incident, alerts: [] } as never, {}, []);
    const { en, zh } = renderBoth(incident, { approvals });
    expect(en).toContain('Silence for 8h');
    expect(en).toContain('Silence the alerts matching {alertname="X"} in Alertmanager for 8h, created by ops: maintenance');
    expect(zh).toContain('静默 8h');
    expect(zh).toContain('在 Alertmanager 中静默匹配 {alertname="X"} 的告警 8h，创建人 ops：maintenance');
    expect(zh).not.toContain('Silence for 8h');
  });

  it('shows records stored before their messages were kept as they were written, in every language', () => {
    const incident = makeIncident({
      warRoomFailure: { text: 'War room could not be opened: slack rejected the request: conversations.create: missing_scope', fix: 'add the groups:write bot scope', at: AT },
      silenceFailure: { text: 'Silence failed: Alertmanager unreachable at http://127.0.0.1:1: connection refused', at: AT },
      escalation: { policy: 'default', step: 1, repeat: 0, at: AT, to: 'bob (on call for primary)' },
      escalationStopped: { at: AT, reason: 'silenced in Alertmanager until 12:05 UTC by ops' },
    });
    const approvals = [{ id: 'r1', title: 'Silence for 8h', requestedBy: 'slack:U0OPS', expiresAt: AT, runs: ['Silence the alerts matching {alertname="X"} in Alertmanager for 8h, created by ops'] }];
    const { en, zh } = renderBoth(incident, { approvals });
    for (const text of [en, zh]) {
      expect(text).toContain('War room could not be opened: slack rejected the request: conversations.create: missing_scope');
      expect(text).toContain('add the groups:write bot scope');
      expect(text).toContain('Silence failed: Alertmanager unreachable at http://127.0.0.1:1: connection refused');
      expect(text).toContain('bob (on call for primary)');
      expect(text).toContain('silenced in Alertmanager until 12:05 UTC by ops');
      expect(text).toContain('Silence for 8h');
    }
    // The words around them are still the card's language.
    expect(zh).toContain('处理方法：add the groups:write bot scope');
    expect(zh).toContain('停止升级：silenced in Alertmanager until 12:05 UTC by ops');
    const slack = JSON.stringify(renderSlackBlocks(buildIncidentCard({ incident, alerts: [], diagnosis: [] }), 'zh'));
    expect(slack).toContain('Silence failed: Alertmanager unreachable');
  });
});

describe('the console adapter’s header lines', () => {
  const card = buildIncidentCard({ incident: makeIncident(), alerts: [], diagnosis: [] });

  it('are written in the configured locale', async () => {
    const written: string[] = [];
    const adapter = createConsoleAdapter({ locale: 'zh', write: (text) => void written.push(text), color: false });
    const ref = await adapter.postCard('slack:C0SEC', card);
    await adapter.updateCard(ref, card);
    await adapter.postPrivate!('slack:U0ALICE', 'slack:C0SEC', card);
    await adapter.postPrivate!('slack:U0ALICE', undefined, card);
    expect(written[0]).toContain('── 新卡片 console-1 → slack:C0SEC ──');
    expect(written[0]).toContain('[严重] SuspiciousProcess');
    expect(written[0]).toContain('[确认]');
    expect(written[1]).toContain('── 原地更新卡片 console-1 → slack:C0SEC ──');
    expect(written[2]).toContain('── 私信给 slack:U0ALICE（在 slack:C0SEC） ──');
    expect(written[3]).toContain('── 私信给 slack:U0ALICE ──');
    expect(written.join('\n')).not.toMatch(/new card|update of card|private to|CRITICAL/);
  });

  it('are English by default', async () => {
    const written: string[] = [];
    const adapter = createConsoleAdapter({ write: (text) => void written.push(text), color: false });
    const ref = await adapter.postCard('slack:C0SEC', card);
    await adapter.updateCard(ref, card);
    await adapter.postPrivate!('slack:U0ALICE', 'slack:C0SEC', card);
    expect(written[0]).toContain('── new card console-1 → slack:C0SEC ──');
    expect(written[0]).toContain('[CRITICAL] SuspiciousProcess');
    expect(written[1]).toContain('── update of card console-1 (in place) → slack:C0SEC ──');
    expect(written[2]).toContain('── private to slack:U0ALICE in slack:C0SEC ──');
  });
});
