import type { Destination, RouteConfig } from '../config/config-schema.js';
import { findIncidentRoute } from './find-incident-route.js';

/** Where an incident goes and which playbook guides it. */
export interface Routing {
  destinations: Destination[];
  playbook: string;
}

/**
 * The first route whose `match` labels all equal the group's labels wins; a route without `match`
 * matches everything. An alert label `playbook` overrides the route's playbook. With no matching
 * route the incident goes to the terminal, so nothing is ever silently dropped.
 */
export function matchRoute(routes: readonly RouteConfig[], labels: Readonly<Record<string, string>>): Routing {
  const route = findIncidentRoute(routes, { commonLabels: labels, groupLabels: {} })?.route;
  const playbook = labels.playbook && /^[a-z0-9-]{1,64}$/.test(labels.playbook) ? labels.playbook : (route?.playbook ?? 'default');
  return { destinations: route ? [...route.to] : ['console:terminal'], playbook };
}
