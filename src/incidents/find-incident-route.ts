import type { RouteConfig } from '../config/config-schema.js';
import type { Incident } from '../model/incident.js';

/** The route an incident's labels match, with its index in `routes`. */
export interface IncidentRoute {
  index: number;
  route: RouteConfig;
}

/**
 * The first route whose `match` labels all equal the incident's labels, as intake chose it (see
 * `matchRoute`), looked up in the configuration in force now; undefined when none matches.
 */
export function findIncidentRoute(routes: readonly RouteConfig[], incident: Pick<Incident, 'commonLabels' | 'groupLabels'>): IncidentRoute | undefined {
  const labels: Record<string, string> = { ...incident.commonLabels, ...incident.groupLabels };
  const index = routes.findIndex((route) => Object.entries(route.match ?? {}).every(([name, value]) => labels[name] === value));
  return index === -1 ? undefined : { index, route: routes[index]! };
}
