import type { Incident } from '../model/incident.js';
import type { SilenceSettings } from './silence-deps.js';

/**
 * How long the Silence button silences an incident: the `silenceDuration` of the route its group
 * matches (the same rule as routing: the first route whose `match` labels all equal the group's),
 * else `alertmanager.silence.defaultDuration`.
 */
export function chooseSilenceDuration(settings: Pick<SilenceSettings, 'alertmanager' | 'routes'>, incident: Pick<Incident, 'groupLabels' | 'commonLabels'>): number {
  const labels: Record<string, string> = { ...incident.commonLabels, ...incident.groupLabels };
  const route = settings.routes.find((r) => Object.entries(r.match ?? {}).every(([name, value]) => labels[name] === value));
  return route?.silenceDuration ?? settings.alertmanager.silence.defaultDuration;
}
