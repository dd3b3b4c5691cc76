import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/model/incident.js';
import { renderIncidentList } from '../../../src/web-console/render-incident-list.js';
import { renderIncidentPage } from '../../../src/web-console/render-incident-page.js';
import { renderLayout } from '../../../src/web-console/render-layout.js';
import { linkToMessage } from '../../../src/web-console/read-incident-page.js';

const hostile = '<script>alert(1)</script>" onmouseover="x';

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    key: 'inc-0123456789ab', groupKey: 'g', title: hostile, severity: hostile, phase: 'triage', status: 'firing',
    groupLabels: {}, commonLabels: {}, externalURL: 'javascript:alert(1)', receiver: 'warden', destinations: ['slack:C0SEC'], playbook: 'default',
    firing: 1, resolved: 0, openedAt: Date.parse('2026-11-20T10:00:00Z'), updatedAt: 0, version: 3, acknowledgedBy: hostile, ...overrides,
  };
}

describe('console pages', () => {
  it('escape what alerts and people wrote, everywhere', () => {
    const list = renderIncidentList({ filters: { q: hostile }, incidents: [incident()], matched: 1, read: 1, severities: [hostile], routes: [], routeOf: () => hostile });
    const page = renderIncidentPage({
      incident: incident(),
      alerts: [{ fingerprint: 'f', status: 'firing', labels: { alertname: hostile, instance: hostile }, annotations: { summary: hostile }, startsAt: '2026-11-20T10:00:00Z', endsAt: '', generatorURL: 'javascript:alert(2)' }],
      diagnosis: [],
      timeline: [{ at: 0, kind: 'note', text: hostile, actor: hostile }],
      approvals: [],
      cards: [{ destination: 'slack:C0SEC', id: '1700000000.000100', url: linkToMessage('slack:C0SEC', '1700000000.000100') }],
      route: hostile,
      links: [],
    });
    for (const html of [list, page, renderLayout({ title: hostile, viewer: hostile, body: '' })]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('" onmouseover="');
      expect(html).toContain('&#60;script&#62;');
    }
    // Links only to http(s): a javascript: URL from an alert is shown as text.
    expect(page).not.toMatch(/href="javascript:/i);
    expect(page).toContain('href="https://slack.com/archives/C0SEC/p1700000000000100"');
  });

  it('keeps the filters in the form and marks the current section', () => {
    const list = renderIncidentList({ filters: { status: 'closed', since: '2026-11-01' }, incidents: [], matched: 0, read: 0, severities: [], routes: ['security'], routeOf: () => '' });
    expect(list).toContain('<option value="closed" selected>');
    expect(list).toContain('value="2026-11-01"');
    expect(list).toContain('<label for="f-route">');
    expect(renderLayout({ title: 'x', section: 'metrics', viewer: 'alice', body: '' })).toContain('<a href="/console/metrics" aria-current="page">');
  });
});
