import type { Alert, Incident } from '../../../src/model/incident.js';

/** An incident for action tests; `overrides` replace any field. */
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    key: 'inc-7f3a9c',
    groupKey: '{}:{alertname="HighErrorRate"}',
    title: 'HighErrorRate',
    severity: 'critical',
    phase: 'analyze',
    status: 'firing',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', severity: 'critical', job: 'api' },
    externalURL: 'http://127.0.0.1:9093',
    receiver: 'warden',
    destinations: ['console:terminal'],
    playbook: 'default',
    firing: 1,
    resolved: 0,
    openedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    version: 1,
    ...overrides,
  };
}

/** A firing alert with the given labels (plus the incident's common ones). */
export function makeAlert(labels: Record<string, string>, status: Alert['status'] = 'firing'): Alert {
  return {
    fingerprint: Object.values(labels).join('-') || 'none',
    status,
    labels: { alertname: 'HighErrorRate', severity: 'critical', job: 'api', ...labels },
    annotations: {},
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
  };
}
