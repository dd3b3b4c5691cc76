import { describe, expect, it } from 'vitest';
import type { Card, CardBlock } from '../../../cards/card.js';
import { buildIncidentCard, incidentButtons } from '../../../cards/build-incident-card.js';
import type { ProbeResult } from '../../../src/model/probe-result.js';
import { makeAlert, makeIncident } from './card-test-helpers.js';

function list(card: Card, titlePrefix: string): Extract<CardBlock, { type: 'list' }> | undefined {
  return card.blocks.find((b): b is Extract<CardBlock, { type: 'list' }> => b.type === 'list' && b.title.startsWith(titlePrefix));
}
function field(card: Card, label: string): string | undefined {
  for (const block of card.blocks) if (block.type === 'fields') for (const f of block.fields) if (f.label === label) return f.value;
  return undefined;
}
function contexts(card: Card): string[] {
  return card.blocks.flatMap((b) => (b.type === 'context' ? [b.text] : []));
}
function buttons(card: Card) {
  return card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
}
function probe(overrides: Partial<ProbeResult>): ProbeResult {
  return { actionId: 'web-health', title: 'Web health', ok: true, summary: 'HTTP 200 in 12 ms', at: 1000, durationMs: 12, ...overrides };
}

describe('buildIncidentCard', () => {
  const alerts = [makeAlert(1), makeAlert(2), makeAlert(3, { labels: { alertname: 'OutboundScan' } })];

  it('shows severity, phase, counts, key and the distinct alert names and instances', () => {
    const card = buildIncidentCard({ incident: makeIncident({ firing: 3, resolved: 1, phase: 'isolate' }), alerts, diagnosis: [] });
    expect(field(card, 'Severity')).toBe('critical');
    expect(field(card, 'Phase')).toBe('isolate');
    expect(field(card, 'Alerts')).toBe('3 firing · 1 resolved');
    expect(field(card, 'Key')).toBe('inc-7f3a9c');
    expect(list(card, 'Alert names')?.items).toEqual(['SuspiciousProcess', 'OutboundScan']);
    expect(list(card, 'Instances')?.items).toEqual(['web-1:9100', 'web-2:9100', 'web-3:9100']);
    expect(contexts(card).some((t) => t.includes('/incident show inc-7f3a9c'))).toBe(true);
    expect(card.accent).toBe('critical');
    expect(card.title).toBe('SuspiciousProcess');
  });

  it('writes a one-line summary naming severity, title, firing count and instances', () => {
    const card = buildIncidentCard({ incident: makeIncident({ firing: 2 }), alerts: [makeAlert(1), makeAlert(2)], diagnosis: [] });
    expect(card.summary).toBe('[critical] SuspiciousProcess — 2 firing on web-1:9100, web-2:9100');
    const many = buildIncidentCard({ incident: makeIncident({ firing: 5 }), alerts: [1, 2, 3, 4, 5].map((n) => makeAlert(n)), diagnosis: [] });
    expect(many.summary).toBe('[critical] SuspiciousProcess — 5 firing on web-1:9100, web-2:9100, web-3:9100 +2 more');
    expect(many.summary).not.toContain('\n');
  });

  it('says who acknowledged and when, or that nobody has', () => {
    const none = buildIncidentCard({ incident: makeIncident(), alerts, diagnosis: [] });
    expect(field(none, 'Acknowledged')).toBe('Not yet');
    const acked = buildIncidentCard({
      incident: makeIncident({ acknowledgedBy: 'slack:U0ALICE', acknowledgedAt: Date.parse('2026-11-20T10:07:31Z') }),
      alerts,
      diagnosis: [],
    });
    expect(field(acked, 'Acknowledged')).toBe('slack:U0ALICE at 2026-11-20 10:07 UTC');
  });

  it('shows the first 10 of 2 000 instances and "+N more" for the rest', () => {
    const many = Array.from({ length: 2000 }, (_, n) => makeAlert(n));
    const card = buildIncidentCard({ incident: makeIncident({ firing: 2000 }), alerts: many, diagnosis: [] });
    const instances = list(card, 'Instances');
    expect(instances?.items).toEqual(Array.from({ length: 10 }, (_, n) => `web-${n}:9100`));
    expect(instances?.moreCount).toBe(1990);
    expect(list(card, 'Alert names')?.items).toEqual(['SuspiciousProcess']);
    expect(list(card, 'Alert names')?.moreCount).toBe(0);
  });

  it('has the six buttons, then Silence, in order with exact labels, action ids and a compact key value', () => {
    const card = buildIncidentCard({ incident: makeIncident(), alerts, diagnosis: [] });
    const found = buttons(card);
    expect(found.map((b) => b.label)).toEqual(['Acknowledge', 'Isolate', 'Analyze', 'Recover', 'Optimize', 'Resolve', 'Silence', 'War room']);
    expect(found.map((b) => b.actionId)).toEqual([
      'incident.acknowledge',
      'incident.isolate',
      'incident.analyze',
      'incident.recover',
      'incident.optimize',
      'incident.resolve',
      'incident.silence',
      'incident.war-room',
    ]);
    for (const b of found) expect(b.value).toBe('{"k":"inc-7f3a9c"}');
    expect(incidentButtons.map((b) => b.actionId)).toEqual(found.slice(0, -2).map((b) => b.actionId));
  });

  it('shows no buttons once the incident is closed', () => {
    const card = buildIncidentCard({ incident: makeIncident({ phase: 'closed', closedAt: Date.parse('2026-11-20T11:00:00Z') }), alerts, diagnosis: [] });
    expect(buttons(card)).toEqual([]);
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(field(card, 'Phase')).toBe('closed');
  });

  it('marks a source-resolved incident as resolved but keeps it open for responders', () => {
    const incident = makeIncident({ status: 'resolved', firing: 0, resolved: 3, resolvedAt: Date.parse('2026-11-20T10:30:12Z') });
    const card = buildIncidentCard({ incident, alerts, diagnosis: [] });
    expect(card.title).toBe('Resolved: SuspiciousProcess');
    expect(card.accent).toBe('success');
    const note = contexts(card).find((t) => t.includes('resolved'));
    expect(note).toContain('2026-11-20 10:30 UTC');
    expect(note).toMatch(/Responders still close it/);
    expect(buttons(card)).toHaveLength(8);
    expect(card.summary).toBe('[critical] Resolved: SuspiciousProcess — 3 resolved');
  });

  it('maps severity to accent', () => {
    const accent = (severity: string) => buildIncidentCard({ incident: makeIncident({ severity }), alerts, diagnosis: [] }).accent;
    expect([accent('critical'), accent('warning'), accent('info'), accent('unknown')]).toEqual(['critical', 'warning', 'info', 'info']);
  });

  it('keeps the latest result per action and target, failures first, and summarises the rest', () => {
    const diagnosis = [
      probe({ target: 'instance=web-1:9100', ok: false, summary: 'HTTP 503', at: 1000 }),
      probe({ target: 'instance=web-1:9100', ok: true, summary: 'HTTP 200 in 9 ms', at: 2000 }),
      probe({ target: 'instance=web-2:9100', ok: false, summary: 'HTTP 500 in 3 ms', at: 1500 }),
      probe({ actionId: 'egress', title: 'Egress rate', ok: true, summary: '0.42 req/s (threshold 0.1)', at: 1800 }),
    ];
    const card = buildIncidentCard({ incident: makeIncident(), alerts, diagnosis });
    expect(list(card, 'Diagnosis')?.items).toEqual([
      '❌ Web health (instance=web-2:9100): HTTP 500 in 3 ms',
      '✅ Web health (instance=web-1:9100): HTTP 200 in 9 ms',
      '✅ Egress rate: 0.42 req/s (threshold 0.1)',
    ]);

    const flood = Array.from({ length: 20 }, (_, n) => probe({ target: `t${n}`, ok: n % 4 !== 0, at: n }));
    const capped = buildIncidentCard({ incident: makeIncident(), alerts, diagnosis: flood });
    const shown = list(capped, 'Diagnosis');
    expect(shown?.items).toHaveLength(8);
    expect(shown?.items.slice(0, 5).every((item) => item.startsWith('❌'))).toBe(true);
    expect(shown?.moreCount).toBe(12);
    expect(contexts(capped)).toContain('12 more results not shown: 12 passed, 0 failed.');
  });

  it('renders the current phase playbook steps only when given', () => {
    const without = buildIncidentCard({ incident: makeIncident({ phase: 'isolate' }), alerts, diagnosis: [] });
    expect(list(without, 'Playbook')).toBeUndefined();
    const steps = [
      { title: 'Snapshot the host', state: 'done' as const },
      { title: 'Block egress', state: 'open' as const },
      { title: 'Page the owner', state: 'skipped' as const },
    ];
    const card = buildIncidentCard({ incident: makeIncident({ phase: 'isolate' }), alerts, diagnosis: [], steps });
    expect(list(card, 'Playbook steps — isolate')?.items).toEqual(['☑ Snapshot the host', '☐ Block egress', '⊘ Page the owner (skipped)']);
  });

  it('links Alertmanager, runbook and source, and drops anything that is not http(s)', () => {
    const linked = [
      makeAlert(1, { annotations: { runbook_url: 'https://runbooks.example/suspicious-process' } }),
      makeAlert(2, { annotations: { runbook_url: 'javascript:alert(1)' }, generatorURL: 'file:///etc/passwd' }),
      makeAlert(3, { annotations: { runbook_url: 'https://user:secret@runbooks.example/x' } }),
    ];
    const card = buildIncidentCard({ incident: makeIncident(), alerts: linked, diagnosis: [], linkHosts: ['runbooks.example', 'prometheus:9090'] });
    // The first links block; the silence part has its own (see incident-card-silence.test.ts).
    const links = card.blocks.find((b) => b.type === 'links')?.links;
    expect(links).toEqual([
      { label: 'Alertmanager · alertmanager:9093', url: 'http://alertmanager:9093/' },
      { label: 'Runbook · runbooks.example', url: 'https://runbooks.example/suspicious-process' },
      { label: 'Source · prometheus:9090', url: 'http://prometheus:9090/graph?g0.expr=process_suspicious' },
    ]);
    const bad = buildIncidentCard({ incident: makeIncident({ externalURL: 'ftp://am' }), alerts: [makeAlert(1, { generatorURL: 'data:,x' })], diagnosis: [] });
    expect(bad.blocks.some((b) => b.type === 'links')).toBe(false);
  });

  it('links only to hosts someone named: the Alertmanager\'s own and cards.linkHosts', () => {
    const pushed = [
      makeAlert(1, { annotations: { runbook_url: 'https://evil.example/phish' }, generatorURL: 'http://127.0.0.1:8080/admin' }),
      makeAlert(2, { annotations: { runbook_url: 'https://wiki.corp.example/runbooks/x' }, generatorURL: 'http://alertmanager:9093/#/alerts' }),
      makeAlert(3, { annotations: { runbook_url: 'https://corp.example.evil.example/x' }, generatorURL: 'http://prometheus:9091/graph' }),
    ];
    const links = (linkHosts?: string[]) =>
      buildIncidentCard({ incident: makeIncident(), alerts: pushed, diagnosis: [], ...(linkHosts ? { linkHosts } : {}) }).blocks.find((b) => b.type === 'links')?.links ?? [];
    // Nothing named: only the Alertmanager, and links to its own host.
    expect(links().map((l) => l.label)).toEqual(['Alertmanager · alertmanager:9093', 'Source · alertmanager:9093']);
    // A wildcard covers names below the domain, not names that merely end with it; a port must match.
    expect(links(['*.corp.example', 'prometheus:9090']).map((l) => l.url)).toEqual([
      'http://alertmanager:9093/',
      'https://wiki.corp.example/runbooks/x',
      'http://alertmanager:9093/#/alerts',
    ]);
  });
});
