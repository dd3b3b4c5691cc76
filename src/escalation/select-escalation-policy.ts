import type { EscalationPolicy } from '../config/escalation-schema.js';
import { findIncidentRoute } from '../incidents/find-incident-route.js';
import type { Incident } from '../model/incident.js';
import type { EscalationDeps } from './escalation-deps.js';

/** The policy an incident follows, by name. */
export interface SelectedPolicy {
  name: string;
  policy: EscalationPolicy;
}

/**
 * The incident's escalation policy: its route's `escalation` (the route is found as intake finds
 * it, from the group's labels), else `escalation.bySeverity[severity]`, else `escalation.default`;
 * undefined when none applies (the incident is not escalated).
 */
export function selectEscalationPolicy(config: Pick<EscalationDeps['config'], 'escalation' | 'routes'>, incident: Pick<Incident, 'commonLabels' | 'groupLabels' | 'severity'>): SelectedPolicy | undefined {
  const name = findIncidentRoute(config.routes, incident)?.route.escalation ?? config.escalation.bySeverity[incident.severity] ?? config.escalation.default;
  const policy = name === undefined ? undefined : config.escalation.policies[name];
  return name === undefined || policy === undefined ? undefined : { name, policy };
}
