import type { RouteConfig } from '../config/config-schema.js';
import { toIncidentMetricLabels } from '../incidents/to-incident-metric-labels.js';
import type { Incident } from '../model/incident.js';

/** The list's filters, as the form sends them (every field optional). */
export interface IncidentFilters {
  /** `open` (not closed), `closed`, `firing` or `resolved` (what the source says). */
  status?: 'open' | 'closed' | 'firing' | 'resolved';
  severity?: string;
  /** A route's name (or index when it has none), as on the incident metrics. */
  route?: string;
  /** Opened on or after this day (`YYYY-MM-DD`, UTC). */
  since?: string;
  /** Opened on or before this day (`YYYY-MM-DD`, UTC). */
  until?: string;
  /** Part of the key or the title, any case. */
  q?: string;
}

const STATUSES = new Set(['open', 'closed', 'firing', 'resolved']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().slice(0, max);
  return trimmed === '' ? undefined : trimmed;
}

function day(value: unknown): string | undefined {
  const found = text(value, 10);
  return found !== undefined && DAY.test(found) && Number.isFinite(Date.parse(`${found}T00:00:00Z`)) ? found : undefined;
}

/** The filters of a query string; unknown or malformed values are dropped (the form shows them unset). */
export function parseIncidentFilters(query: Record<string, unknown>): IncidentFilters {
  const status = text(query.status, 10);
  return {
    ...(status !== undefined && STATUSES.has(status) ? { status: status as IncidentFilters['status'] } : {}),
    ...(text(query.severity, 32) ? { severity: text(query.severity, 32)!.toLowerCase() } : {}),
    ...(text(query.route, 32) ? { route: text(query.route, 32) } : {}),
    ...(day(query.since) ? { since: day(query.since) } : {}),
    ...(day(query.until) ? { until: day(query.until) } : {}),
    ...(text(query.q, 100) ? { q: text(query.q, 100) } : {}),
  };
}

/** The time window of the filters, for `listIncidents`: `since` inclusive, `until` the end of its day. */
export function toTimeWindow(filters: IncidentFilters): { since?: number; until?: number } {
  return {
    ...(filters.since ? { since: Date.parse(`${filters.since}T00:00:00Z`) } : {}),
    ...(filters.until ? { until: Date.parse(`${filters.until}T00:00:00Z`) + 86_400_000 } : {}),
  };
}

/** The route label of an incident: its route's `name`, else its index, `none` when no route matches. */
export function routeOf(routes: readonly RouteConfig[], incident: Incident): string {
  return toIncidentMetricLabels(routes, incident).route;
}

/** A test of one incident against every filter (for reading incidents batch by batch). Pure. */
export function createIncidentFilter(filters: IncidentFilters, routes: readonly RouteConfig[]): (incident: Incident) => boolean {
  const window = toTimeWindow(filters);
  const q = filters.q?.toLowerCase();
  return (incident) => {
    if (filters.status === 'open' && incident.phase === 'closed') return false;
    if (filters.status === 'closed' && incident.phase !== 'closed') return false;
    if ((filters.status === 'firing' || filters.status === 'resolved') && incident.status !== filters.status) return false;
    if (filters.severity !== undefined && incident.severity.toLowerCase() !== filters.severity) return false;
    if (filters.route !== undefined && routeOf(routes, incident) !== filters.route) return false;
    if (window.since !== undefined && incident.openedAt < window.since) return false;
    if (window.until !== undefined && incident.openedAt >= window.until) return false;
    if (q !== undefined && !incident.key.toLowerCase().includes(q) && !incident.title.toLowerCase().includes(q)) return false;
    return true;
  };
}

/** The incidents that pass every filter, in the order given. Pure. */
export function filterIncidents(incidents: readonly Incident[], filters: IncidentFilters, routes: readonly RouteConfig[]): Incident[] {
  return incidents.filter(createIncidentFilter(filters, routes));
}

/** Every route label the config defines, in order (the route filter's choices). */
export function listRouteLabels(routes: readonly RouteConfig[]): string[] {
  return routes.map((route, index) => route.name ?? String(index));
}
