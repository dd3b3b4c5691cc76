import type { Config } from '../config/config-schema.js';
import type { WarRoomSettings } from '../config/war-room-schema.js';
import { findIncidentRoute } from '../incidents/find-incident-route.js';
import type { Incident } from '../model/incident.js';

/** The settings of a room asked for on demand when neither the route nor the severity has any. */
export const ON_DEMAND_WAR_ROOM: WarRoomSettings = { private: true, invite: [], inviteOnCall: true, auto: false };

/**
 * The war room settings of an incident: its route's `warRoom` (the route found as intake finds
 * it), else `warRooms.bySeverity[severity]`; undefined when neither has any — as an escalation
 * policy is chosen.
 */
export function selectWarRoomSettings(config: Pick<Config, 'routes' | 'warRooms'>, incident: Pick<Incident, 'commonLabels' | 'groupLabels' | 'severity'>): WarRoomSettings | undefined {
  return findIncidentRoute(config.routes, incident)?.route.warRoom ?? config.warRooms.bySeverity[incident.severity];
}
