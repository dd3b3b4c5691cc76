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
    const list = renderIncidentList({ filters: { q: hostile }, scan: { incidents: [incident()], matched: 1, complete: true, read: 1 }, continued: false, pageSize: 200, severities: [hostile], routes: [], routeOf: () => hostile });
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

  it('shows who ran actions, who asked for and decided approvals, and the silence, with their times', () => {
    const at = Date.parse('2026-11-20T10:05:00Z');
    const page = renderIncidentPage({
      incident: incident({ title: 'DiskFull', severity: 'warning', acknowledgedBy: undefined, silence: { id: 'sil-1', requestedBy: 'slack:U0OPS1', createdBy: 'alice', approvedBy: 'bob', startsAt: at, endsAt: at + 3_600_000, reason: 'maintenance', requestId: 'r1' } }),
      alerts: [],
      diagnosis: [],
      timeline: [
        { at, kind: 'action', text: 'Isolate host: HTTP 200', actor: 'slack:U0OPS1' },
        { at, kind: 'silence', text: 'Silenced for 1h', actor: 'slack:U0OPS1' },
      ],
      approvals: [{ id: 'a1', incidentKey: 'inc-0123456789ab', actionId: 'isolate-host', title: 'Isolate host', requestedBy: 'slack:U0OPS1', requestedAt: at, expiresAt: at + 1_800_000, state: 'approved', decidedBy: 'slack:U0LEAD', decidedAt: at + 60_000 }],
      cards: [],
      route: 'ops',
      links: [],
    });
    expect(page).toMatch(/Actions run, with who ran them[\s\S]*2026-11-20 10:05 UTC[\s\S]*action[\s\S]*slack:U0OPS1[\s\S]*Isolate host: HTTP 200/);
    expect(page).toMatch(/<td>Isolate host<\/td><td>slack:U0OPS1<\/td><td><time[^>]*>2026-11-20 10:05 UTC<\/time><\/td><td>approved<\/td><td>slack:U0LEAD<\/td><td><time[^>]*>2026-11-20 10:06 UTC<\/time><\/td>/);
    expect(page).toContain('<code>sil-1</code>');
    expect(page).toMatch(/Until<\/th><td><time[^>]*>2026-11-20 11:05 UTC/);
    expect(page).toContain('Silenced for 1h');
  });

  it('keeps the filters in the form and marks the current section', () => {
    const list = renderIncidentList({ filters: { status: 'closed', since: '2026-11-01' }, scan: { incidents: [], matched: 0, complete: true, read: 0 }, continued: false, pageSize: 200, severities: [], routes: ['security'], routeOf: () => '' });
    expect(list).toContain('<option value="closed" selected>');
    expect(list).toContain('value="2026-11-01"');
    expect(list).toContain('<label for="f-route">');
    expect(renderLayout({ title: 'x', section: 'metrics', viewer: 'alice', body: '' })).toContain('<a href="/console/metrics" aria-current="page">');
  });

  it('says how far a list read went when it stopped at its limit, and links the pages with the filters kept', () => {
    const stoppedAt = Date.parse('2026-11-01T08:30:00Z');
    const view = { filters: { severity: 'warning', q: 'a&b' }, continued: true, pageSize: 2, severities: [], routes: [], routeOf: () => '' };
    const none = renderIncidentList({ ...view, scan: { incidents: [], matched: 0, complete: false, read: 500, stoppedAt, next: { openedAt: stoppedAt, key: 'inc-0123456789ab' } } });
    expect(none).toMatch(/No incident matches older than the previous page so far: this request stopped at its limit of 500 incidents read, at those opened <time[^>]*>2026-11-01 08:30 UTC<\/time>\. The next page goes on from where it stopped\./);
    expect(none).toContain(`<a href="/console/incidents?severity&#61;warning&#38;q&#61;a%26b&#38;after&#61;${stoppedAt}.inc-0123456789ab" rel="next">Older incidents</a>`);
    expect(none).toContain('<a href="/console/incidents?severity&#61;warning&#38;q&#61;a%26b">Newest incidents</a>');
    const full = renderIncidentList({ ...view, scan: { incidents: [incident({ key: 'inc-000000000001' }), incident({ key: 'inc-000000000002' })], matched: 7, complete: false, read: 500, stoppedAt, next: { openedAt: stoppedAt, key: 'inc-000000000002' } } });
    expect(full).toContain('At least 7 incidents match older than the previous page: this request stopped');
    expect(full).toContain('; 2 are shown. The next page starts after the last one shown.');
    const last = renderIncidentList({ ...view, continued: false, scan: { incidents: [incident()], matched: 1, complete: true, read: 3 } });
    expect(last).toContain('<p class="count" role="status">1 incident matches.</p>');
    expect(last).not.toContain('class="pager"');
  });
});
