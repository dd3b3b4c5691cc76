import type { Config } from '../config/config-schema.js';
import type { Incident } from '../model/incident.js';
import { findIncidentRoute } from './find-incident-route.js';

/** Where an incident's status updates go besides its own channels, and when its lead is reminded. */
export interface IncidentUpdateSettings {
  /** The `updates.to` destinations (stakeholder channels) of its route, else the global ones. */
  to: string[];
  /** Quiet time after which the lead is reminded; 0: never. */
  remindAfterMs: number;
}

/** The incident's route's `updates`, each key falling back to the global `updates`. */
export function resolveIncidentUpdates(config: Pick<Config, 'routes' | 'updates'>, incident: Pick<Incident, 'commonLabels' | 'groupLabels'>): IncidentUpdateSettings {
  const own = findIncidentRoute(config.routes, incident)?.route.updates;
  return {
    to: [...(own?.to ?? config.updates.to)],
    remindAfterMs: Math.round((own?.remindAfterMinutes ?? config.updates.remindAfterMinutes) * 60_000),
  };
}
