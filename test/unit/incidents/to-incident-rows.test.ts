import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/model/incident.js';
import { INCIDENT_ROW_COLUMNS, toIncidentRows } from '../../../src/incidents/to-incident-rows.js';

const openedAt = Date.parse('2026-11-20T10:00:00.000Z');

function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    key: 'inc-3f9a1c2b7d4e',
    groupKey: '{}:{alertname="SuspiciousProcess"}',
    title: 'SuspiciousProcess',
    severity: 'critical',
    phase: 'triage',
    status: 'firing',
    groupLabels: {},
    commonLabels: {},
    externalURL: '',
    receiver: 'warden',
    destinations: [],
    playbook: 'default',
    firing: 1,
    resolved: 0,
    openedAt,
    updatedAt: openedAt,
    version: 1,
    ...overrides,
  };
}

describe('toIncidentRows', () => {
  it('writes ISO times and the seconds to acknowledge and to close', () => {
    const [row] = toIncidentRows([
      makeIncident({
        phase: 'closed',
        status: 'resolved',
        acknowledgedBy: 'slack:U0OPS1',
        acknowledgedAt: openedAt + 250_500,
        resolvedAt: openedAt + 3_000_000,
        closedAt: openedAt + 5_700_000,
        closedBy: 'slack:U0OPS2',
        containedAt: openedAt + 600_000,
        lead: 'slack:U0LEAD',
      }),
    ]);
    expect(row).toEqual({
      key: 'inc-3f9a1c2b7d4e',
      title: 'SuspiciousProcess',
      severity: 'critical',
      phase: 'closed',
      status: 'resolved',
      opened: '2026-11-20T10:00:00.000Z',
      acknowledged: '2026-11-20T10:04:10.500Z',
      acknowledgedBy: 'slack:U0OPS1',
      resolved: '2026-11-20T10:50:00.000Z',
      closed: '2026-11-20T11:35:00.000Z',
      closedBy: 'slack:U0OPS2',
      timeToAcknowledgeSeconds: 250.5,
      // Closed wins over resolved at the source.
      timeToResolveSeconds: 5700,
      contained: '2026-11-20T10:10:00.000Z',
      timeToContainSeconds: 600,
      lead: 'slack:U0LEAD',
    });
    expect(Object.keys(row!)).toEqual([...INCIDENT_ROW_COLUMNS]);
  });

  it('leaves unknown times blank and falls back to the source resolution', () => {
    const [open, resolved] = toIncidentRows([makeIncident(), makeIncident({ key: 'inc-3f9a1c2b7d4e-2', status: 'resolved', resolvedAt: openedAt + 60_000 })]);
    expect(open).toMatchObject({ acknowledged: null, acknowledgedBy: null, resolved: null, closed: null, closedBy: null, timeToAcknowledgeSeconds: null, timeToResolveSeconds: null, contained: null, timeToContainSeconds: null, lead: null });
    expect(resolved).toMatchObject({ key: 'inc-3f9a1c2b7d4e-2', resolved: '2026-11-20T10:01:00.000Z', closed: null, timeToResolveSeconds: 60 });
  });

  it('keeps the order it is given and never reports a negative duration', () => {
    const rows = toIncidentRows([makeIncident({ key: 'inc-000000000002', acknowledgedAt: openedAt - 1500 }), makeIncident({ key: 'inc-000000000001' })]);
    expect(rows.map((r) => r.key)).toEqual(['inc-000000000002', 'inc-000000000001']);
    expect(rows[0]!.timeToAcknowledgeSeconds).toBe(0);
    expect(toIncidentRows([])).toEqual([]);
  });
});
