import { describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../../cards/build-approval-blocks.js';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { makeIncident } from './card-test-helpers.js';

const approval = (n: number): ApprovalView => ({ id: n.toString(16).padStart(24, '0'), title: `Isolate host ${n}`, requestedBy: 'slack:U0OPS1', expiresAt: Date.parse('2026-11-20T10:30:00Z') });

describe('incident card: approval requests', () => {
  it('shows each pending request with Approve and Deny buttons that carry the request id', () => {
    const card = buildIncidentCard({ incident: makeIncident({ phase: 'isolate' }), alerts: [], diagnosis: [], approvals: [approval(1)] });
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('Approval needed: Isolate host 1, requested by slack:U0OPS1');
    expect(text).toContain('2026-11-20 10:30');
    const buttons = card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).filter((b) => b.actionId.startsWith('approval.'));
    expect(buttons.map((b) => [b.actionId, b.style, JSON.parse(b.value)])).toEqual([
      ['approval.approve', 'primary', { k: 'inc-7f3a9c', r: approval(1).id }],
      ['approval.deny', 'danger', { k: 'inc-7f3a9c', r: approval(1).id }],
    ]);
  });

  it('caps the requests shown, renders within platform limits, and shows none once closed', () => {
    const many = buildIncidentCard({ incident: makeIncident({ phase: 'isolate' }), alerts: [], diagnosis: [], approvals: [1, 2, 3, 4, 5].map(approval) });
    expect(many.blocks.filter((b) => b.type === 'actions' && b.buttons[0]?.actionId === 'approval.approve')).toHaveLength(3);
    expect(JSON.stringify(many.blocks)).toContain('+2 more approval requests waiting.');
    expect(renderSlackBlocks(many).blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(renderLarkCard(many))).toContain('approval.approve');
    const closed = buildIncidentCard({ incident: makeIncident({ phase: 'closed' }), alerts: [], diagnosis: [], approvals: [approval(1)] });
    expect(JSON.stringify(closed.blocks)).not.toContain('approval.');
  });

  it('shows what approving runs, the rendering made now when it differs, and a request stored without a rendering', () => {
    const runs = ['POST https://fw.example/isolate', 'body {"host":"web-5:9100"}'];
    const bound = { ...approval(1), runs, inputs: ['labels.instance = web-5:9100'], renderedNow: ['POST https://fw.example/isolate', 'body {"host":"evil-1:9100"}'] };
    const card = buildIncidentCard({ incident: makeIncident({ phase: 'isolate' }), alerts: [], diagnosis: [], approvals: [bound, approval(2)] });
    const lists = card.blocks.filter((b) => b.type === 'list');
    expect(lists).toContainEqual({ type: 'list', title: 'Approving runs exactly this (rendered when requested — with labels.instance = web-5:9100)', items: runs });
    expect(lists).toContainEqual({ type: 'list', title: 'Rendered now (not what approving runs)', items: bound.renderedNow });
    expect(JSON.stringify(card.blocks)).toContain('Approving runs the version above, never this one.');
    expect(JSON.stringify(card.blocks)).toContain('This request was stored without the run it would make: approving it runs nothing. Request Isolate host 2 again.');
    expect(JSON.stringify(renderSlackBlocks(card))).toContain('evil-1:9100');
    expect(JSON.stringify(renderLarkCard(card))).toContain('web-5:9100');
  });
});
