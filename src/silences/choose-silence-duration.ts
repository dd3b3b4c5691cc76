import { findIncidentRoute } from '../incidents/find-incident-route.js';
import type { Incident } from '../model/incident.js';
import type { SilenceSettings } from './silence-deps.js';

/**
 * How long the Silence button silences an incident: the `silenceDuration` of the route its group
 * matches (the same rule as routing: the first route whose `match` labels all equal the group's),
 * else `alertmanager.silence.defaultDuration`.
 */
export function chooseSilenceDuration(settings: Pick<SilenceSettings, 'alertmanager' | 'routes'>, incident: Pick<Incident, 'groupLabels' | 'commonLabels'>): number {
  return findIncidentRoute(settings.routes, incident)?.route.silenceDuration ?? settings.alertmanager.silence.defaultDuration;
}
