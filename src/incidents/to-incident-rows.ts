import type { Incident } from '../model/incident.js';

/** One incident as exported (`GET /api/incidents`): times in ISO 8601 UTC, `null` when unknown. */
export interface IncidentRow {
  key: string;
  title: string;
  severity: string;
  phase: string;
  /** What the source says now: `firing` or `resolved`. */
  status: string;
  opened: string;
  acknowledged: string | null;
  acknowledgedBy: string | null;
  /** When the source last reported every alert of the group resolved. */
  resolved: string | null;
  closed: string | null;
  closedBy: string | null;
  /** `acknowledgedAt − openedAt`. */
  timeToAcknowledgeSeconds: number | null;
  /** `(closedAt ?? resolvedAt) − openedAt`: until a responder closed it, else until the source resolved it. */
  timeToResolveSeconds: number | null;
  /** When it was contained: the isolate phase entered, or an isolate-phase action succeeded, whichever came first. */
  contained: string | null;
  /** `containedAt − openedAt`. */
  timeToContainSeconds: number | null;
  /** The incident commander's identity (`/incident lead`). */
  lead: string | null;
}

/** The columns of an {@link IncidentRow}, in export order (the CSV header). */
export const INCIDENT_ROW_COLUMNS = [
  'key',
  'title',
  'severity',
  'phase',
  'status',
  'opened',
  'acknowledged',
  'acknowledgedBy',
  'resolved',
  'closed',
  'closedBy',
  'timeToAcknowledgeSeconds',
  'timeToResolveSeconds',
  'contained',
  'timeToContainSeconds',
  'lead',
] as const satisfies readonly (keyof IncidentRow)[];

function iso(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

// Milliseconds kept (three decimals); a clock step between processes never makes it negative.
function seconds(from: number, to: number | undefined): number | null {
  return to === undefined || !Number.isFinite(to) || !Number.isFinite(from) ? null : Math.max(0, to - from) / 1000;
}

/** Incidents as export rows, in the order given. Pure. */
export function toIncidentRows(incidents: readonly Incident[]): IncidentRow[] {
  return incidents.map((incident) => ({
    key: incident.key,
    title: incident.title,
    severity: incident.severity,
    phase: incident.phase,
    status: incident.status,
    opened: iso(incident.openedAt) ?? '',
    acknowledged: iso(incident.acknowledgedAt),
    acknowledgedBy: incident.acknowledgedBy ?? null,
    resolved: iso(incident.resolvedAt),
    closed: iso(incident.closedAt),
    closedBy: incident.closedBy ?? null,
    timeToAcknowledgeSeconds: seconds(incident.openedAt, incident.acknowledgedAt),
    timeToResolveSeconds: seconds(incident.openedAt, incident.closedAt ?? incident.resolvedAt),
    contained: iso(incident.containedAt),
    timeToContainSeconds: seconds(incident.openedAt, incident.containedAt),
    lead: incident.lead ?? null,
  }));
}
