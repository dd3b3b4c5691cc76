import type { EscalationPolicy } from '../config/escalation-schema.js';
import type { Incident } from '../model/incident.js';
import type { EscalationDeps } from './escalation-deps.js';

/** The policy an incident follows, and the route (`route-<index>`, or `none`) that brought it, for metrics. */
export interface SelectedPolicy {
  name: string;
  policy: EscalationPolicy;
  route: string;
}

/**
 * The incident's escalation policy: its route's `escalation` (the route is found as intake finds
 * it, from the group's labels), else `escalation.bySeverity[severity]`, else `escalation.default`;
 * undefined when none applies (the incident is not escalated).
 */
export function selectEscalationPolicy(config: Pick<EscalationDeps['config'], 'escalation' | 'routes'>, incident: Pick<Incident, 'commonLabels' | 'groupLabels' | 'severity'>): SelectedPolicy | undefined {
  const labels = { ...incident.commonLabels, ...incident.groupLabels };
  const index = config.routes.findIndex((r) => Object.entries(r.match ?? {}).every(([name, value]) => labels[name] === value));
  const route = index === -1 ? 'none' : `route-${index}`;
  const name = config.routes[index]?.escalation ?? config.escalation.bySeverity[incident.severity] ?? config.escalation.default;
  const policy = name === undefined ? undefined : config.escalation.policies[name];
  return name === undefined || policy === undefined ? undefined : { name, policy, route };
}
