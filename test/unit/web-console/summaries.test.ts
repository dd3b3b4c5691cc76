import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/model/incident.js';
import { filterIncidents, parseIncidentFilters } from '../../../src/web-console/filter-incidents.js';
import { summarizeCompliance } from '../../../src/web-console/summarize-compliance.js';
import { summarizeResponseMetrics, weekStart } from '../../../src/web-console/summarize-response-metrics.js';
import { makeRunItem, makeRunView } from '../../support/checklist-test-runs.js';

const MIN = 60_000;
const NOW = Date.parse('2026-11-26T12:00:00Z'); // a Thursday

function incident(overrides: Partial<Incident>): Incident {
  return {
    key: 'inc-000000000001', groupKey: 'g', title: 'SuspiciousProcess', severity: 'critical', phase: 'triage', status: 'firing',
    groupLabels: {}, commonLabels: { severity: 'critical' }, externalURL: '', receiver: 'warden', destinations: [], playbook: 'default',
    firing: 1, resolved: 0, openedAt: NOW - 60 * MIN, updatedAt: NOW, version: 1, ...overrides,
  };
}

describe('weekStart', () => {
  it('is Monday 00:00 UTC', () => {
    expect(new Date(weekStart(NOW)).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(weekStart(Date.parse('2026-11-23T00:00:00Z'))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(weekStart(Date.parse('2026-11-22T23:59:59Z'))).toISOString()).toBe('2026-11-16T00:00:00.000Z');
  });
});

describe('summarizeResponseMetrics', () => {
  it('means each milestone per week and severity, in minutes', () => {
    const opened = NOW - 120 * MIN;
    const metrics = summarizeResponseMetrics(
      [
        incident({ openedAt: opened, acknowledgedAt: opened + 4 * MIN, containedAt: opened + 30 * MIN, closedAt: opened + 90 * MIN }),
        incident({ key: 'inc-000000000002', openedAt: opened, acknowledgedAt: opened + 6 * MIN, resolvedAt: opened + 50 * MIN }),
        incident({ key: 'inc-000000000003', severity: 'warning', openedAt: NOW - 8 * 86_400_000 }),
        incident({ key: 'inc-000000000004', openedAt: NOW - 100 * 86_400_000, acknowledgedAt: NOW }),
      ],
      NOW,
      4,
    );
    expect(metrics.weeks).toHaveLength(4);
    expect(metrics.severities).toEqual(['critical', 'warning']);
    expect(metrics.rows).toEqual([
      { week: weekStart(NOW) - 7 * 86_400_000, severity: 'warning', incidents: 1, mtta: null, mttc: null, mttr: null },
      { week: weekStart(NOW), severity: 'critical', incidents: 2, mtta: 5, mttc: 30, mttr: 70 },
    ]);
    expect(metrics.series.mtta.critical).toEqual([null, null, null, 5]);
  });
});

describe('filterIncidents', () => {
  const routes = [{ name: 'security', match: { severity: 'critical' }, to: ['slack:C0SEC'] }, { to: ['slack:C0OPS'] }] as never;
  const incidents = [
    incident({ key: 'inc-aaaaaaaaaaaa' }),
    incident({ key: 'inc-bbbbbbbbbbbb', title: 'DiskFull', severity: 'warning', commonLabels: { severity: 'warning' }, phase: 'closed', status: 'resolved', openedAt: Date.parse('2026-11-01T10:00:00Z') }),
  ];
  const keys = (query: Record<string, unknown>) => filterIncidents(incidents, parseIncidentFilters(query), routes).map((i) => i.key);

  it('filters by status, severity, route, days and text', () => {
    expect(keys({})).toEqual(['inc-aaaaaaaaaaaa', 'inc-bbbbbbbbbbbb']);
    expect(keys({ status: 'open' })).toEqual(['inc-aaaaaaaaaaaa']);
    expect(keys({ status: 'resolved' })).toEqual(['inc-bbbbbbbbbbbb']);
    expect(keys({ severity: 'WARNING' })).toEqual(['inc-bbbbbbbbbbbb']);
    expect(keys({ route: 'security' })).toEqual(['inc-aaaaaaaaaaaa']);
    expect(keys({ route: '1' })).toEqual(['inc-bbbbbbbbbbbb']);
    expect(keys({ since: '2026-11-01', until: '2026-11-01' })).toEqual(['inc-bbbbbbbbbbbb']);
    expect(keys({ q: 'diskf' })).toEqual(['inc-bbbbbbbbbbbb']);
    expect(keys({ q: 'AAAA' })).toEqual(['inc-aaaaaaaaaaaa']);
  });

  it('drops malformed values instead of failing', () => {
    expect(parseIncidentFilters({ status: 'gone', since: '2026-13-45', until: 'yesterday', q: ['a', 'b'] })).toEqual({});
  });
});

describe('summarizeCompliance', () => {
  it('places runs and missed slots on their days, with their standing and item failures', () => {
    const day = 86_400_000;
    const onTime = makeRunView([makeRunItem('a', { state: 'passed' })], { run: { id: 'daily-1', startedAt: NOW - 2 * day, dueAt: NOW - day }, view: { completedAt: NOW - 2 * day + 60 * MIN } });
    const late = makeRunView([makeRunItem('a', { state: 'passed' })], { run: { id: 'daily-2', startedAt: NOW - 3 * day, dueAt: NOW - 3 * day + MIN }, view: { completedAt: NOW - 2 * day } });
    const overdue = makeRunView([makeRunItem('a', { state: 'failed', evidence: 'port 23 open', at: NOW - day })], { run: { id: 'daily-3', startedAt: NOW - day, dueAt: NOW - 60 * MIN } });
    const open = makeRunView([makeRunItem('a')], { run: { id: 'daily-4', startedAt: NOW - 10 * MIN, dueAt: NOW + day } });
    const old = makeRunView([makeRunItem('a')], { run: { id: 'daily-0', startedAt: NOW - 60 * day } });
    const compliance = summarizeCompliance({ id: 'daily', title: 'Daily' }, [onTime, late, overdue, open, old], [NOW - 4 * day, NOW - 90 * day], NOW, 2);
    expect(compliance.totals).toEqual({ 'on-time': 1, late: 1, overdue: 1, open: 1, missed: 1 });
    expect(compliance.weeks).toHaveLength(2);
    expect(compliance.weeks.flat()).toHaveLength(14);
    const entries = compliance.weeks.flat().flatMap((d) => d.entries.map((e) => `${d.day} ${e.standing}`));
    expect(entries).toEqual(['2026-11-22 missed', '2026-11-23 late', '2026-11-24 on-time', '2026-11-25 overdue', '2026-11-26 open']);
    expect(compliance.failures).toEqual([{ runId: 'daily-3', itemId: 'a', title: 'Item a', evidence: 'port 23 open', at: NOW - day, open: true }]);
  });
});
