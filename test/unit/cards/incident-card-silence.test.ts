import { describe, expect, it } from 'vitest';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import type { Card } from '../../../cards/card.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import { renderLarkCard } from '../../../cards/render-lark-card.js';
import { makeAlert, makeIncident } from './card-test-helpers.js';

const buttons = (card: Card) => card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const contexts = (card: Card) => card.blocks.flatMap((b) => (b.type === 'context' ? [b.text] : []));
const links = (card: Card) => card.blocks.flatMap((b) => (b.type === 'links' ? b.links : []));
const silence = { id: 'f1e2d3c4-0000-4000-8000-000000000001', requestedBy: 'slack:U0OPS1', createdBy: 'ops', startsAt: Date.parse('2026-11-20T10:05:00Z'), endsAt: Date.parse('2026-11-20T12:05:00Z'), requestId: 'a'.repeat(24) };

describe('the incident card and silences', () => {
  it('offers Silence and the pre-filled Alertmanager silence form while nothing is silenced', () => {
    const card = buildIncidentCard({ incident: makeIncident(), alerts: [makeAlert(1)], diagnosis: [] });
    expect(buttons(card).map((b) => b.label)).toEqual(['Acknowledge', 'Isolate', 'Analyze', 'Recover', 'Optimize', 'Resolve', 'Silence', 'War room']);
    expect(buttons(card).at(-2)).toMatchObject({ actionId: 'incident.silence', value: JSON.stringify({ k: 'inc-7f3a9c' }) });
    expect(links(card)).toContainEqual({ label: 'New silence in Alertmanager · alertmanager:9093', url: 'http://alertmanager:9093/#/silences/new?filter=%7Balertname%3D%22SuspiciousProcess%22%7D' });
  });

  it('shows the active silence — until when, by whom — with Unsilence', () => {
    const card = buildIncidentCard({ incident: makeIncident({ silence: { ...silence, approvedBy: 'slack:U0LEAD', reason: 'maintenance' } }), alerts: [makeAlert(1)], diagnosis: [] });
    expect(buttons(card).at(-2)).toMatchObject({ actionId: 'incident.unsilence', label: 'Unsilence' });
    expect(contexts(card)).toContainEqual(`🔕 Silenced in Alertmanager until 2026-11-20 12:05 UTC by ops, approved by slack:U0LEAD — maintenance (silence ${silence.id})`);
  });

  it('shows why the last silence failed', () => {
    const card = buildIncidentCard({ incident: makeIncident({ silenceFailure: { text: 'Silence failed: Alertmanager unreachable at http://127.0.0.1:1: connection refused', at: Date.parse('2026-11-20T10:06:00Z') } }), alerts: [], diagnosis: [] });
    expect(contexts(card)).toContainEqual('⚠️ Silence failed: Alertmanager unreachable at http://127.0.0.1:1: connection refused (2026-11-20 10:06 UTC)');
  });

  it('says how many alerts Alertmanager left out and links to the group', () => {
    const card = buildIncidentCard({ incident: makeIncident({ truncatedAlerts: 12 }), alerts: [makeAlert(1)], diagnosis: [] });
    expect(contexts(card)).toContainEqual(expect.stringContaining('+12 more alerts not sent by Alertmanager'));
    expect(links(card)).toContainEqual({ label: 'All alerts of the group in Alertmanager · alertmanager:9093', url: 'http://alertmanager:9093/#/alerts?filter=%7Balertname%3D%22SuspiciousProcess%22%7D' });
    expect(contexts(buildIncidentCard({ incident: makeIncident({ truncatedAlerts: 0 }), alerts: [], diagnosis: [] })).join('\n')).not.toContain('not sent by Alertmanager');
  });

  it('offers nothing to silence on a closed incident, and renders for Slack and Lark', () => {
    const closed = buildIncidentCard({ incident: makeIncident({ phase: 'closed', closedAt: Date.parse('2026-11-20T11:00:00Z') }), alerts: [], diagnosis: [] });
    expect(buttons(closed)).toEqual([]);
    expect(links(closed).map((l) => l.label)).not.toContainEqual(expect.stringContaining('New silence'));
    const card = buildIncidentCard({ incident: makeIncident({ silence, truncatedAlerts: 3 }), alerts: [makeAlert(1)], diagnosis: [] });
    expect(JSON.stringify(renderSlackBlocks(card))).toContain('Unsilence');
    expect(JSON.stringify(renderLarkCard(card))).toContain('Unsilence');
  });
});
