import type { RouteConfig } from '../config/config-schema.js';
import type { IncidentMetrics } from '../observability/create-incident-metrics.js';
import type { Incident } from '../model/incident.js';
import type { IncidentMilestone, MilestoneObserver } from './incident-milestone.js';
import { toIncidentMetricLabels } from './to-incident-metric-labels.js';

const timeOf: Record<IncidentMilestone, (incident: Incident) => number | undefined> = {
  acknowledged: (incident) => incident.acknowledgedAt,
  contained: (incident) => incident.containedAt,
  resolved: (incident) => incident.closedAt,
};

/** Observes each milestone, in seconds since the incident opened, on its histogram (labels: severity and route). */
export function createMilestoneObserver(metrics: IncidentMetrics, routes: readonly RouteConfig[]): MilestoneObserver {
  const histograms = { acknowledged: metrics.timeToAcknowledge, contained: metrics.timeToContain, resolved: metrics.timeToResolve };
  return (milestone, incident) => {
    const at = timeOf[milestone](incident);
    if (at === undefined || !Number.isFinite(at) || !Number.isFinite(incident.openedAt)) return;
    // A clock step between processes never makes a negative duration.
    histograms[milestone].observe(toIncidentMetricLabels(routes, incident), Math.max(0, at - incident.openedAt) / 1000);
  };
}
