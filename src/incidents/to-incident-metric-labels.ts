import type { RouteConfig } from '../config/config-schema.js';
import type { Incident } from '../model/incident.js';
import { findIncidentRoute } from './find-incident-route.js';

/** Severities kept as they are on metrics; any other value of the alerts' label counts as `other`. */
const KNOWN_SEVERITIES = new Set(['critical', 'high', 'major', 'error', 'page', 'warning', 'medium', 'minor', 'low', 'info', 'none', 'unknown']);

/**
 * The `severity` and `route` labels of an incident on Warden's incident metrics. Both are bounded,
 * whatever the alerts say: the severity is one of a fixed list (else `other`), the route is its
 * configured `name`, else its index in `routes` (`none` when no route matches). Never the key.
 */
export function toIncidentMetricLabels(routes: readonly RouteConfig[], incident: Pick<Incident, 'severity' | 'commonLabels' | 'groupLabels'>): { severity: string; route: string } {
  const severity = incident.severity.toLowerCase();
  const found = findIncidentRoute(routes, incident);
  return {
    severity: KNOWN_SEVERITIES.has(severity) ? severity : 'other',
    route: found === undefined ? 'none' : (found.route.name ?? String(found.index)),
  };
}
