import type { Incident } from '../model/incident.js';

/** A point in an incident's response that Warden measures from its opening (MTTA, MTTC, MTTR). */
export type IncidentMilestone = 'acknowledged' | 'contained' | 'resolved';

/**
 * Told when this process's write set a milestone's time on the incident (`acknowledgedAt`,
 * `containedAt`, `closedAt`): each is set once, in Redis, so exactly one process in the whole
 * deployment is told, however many replicas and redeliveries there are.
 */
export type MilestoneObserver = (milestone: IncidentMilestone, incident: Incident) => void;
