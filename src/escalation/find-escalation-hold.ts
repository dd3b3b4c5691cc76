import type { Incident } from '../model/incident.js';

/** Why an incident's escalation must not go on, or undefined when nothing holds it. */
export type EscalationHold = (incident: Incident, now: number) => string | undefined;

/**
 * What ends an escalation chain: the incident was closed or acknowledged, or escalation was told
 * to stop (`stopEscalation`: a silence, …). A feature that stops escalation by a state of its own
 * adds a hold to this list (e.g. an active silence).
 */
export const escalationHolds: EscalationHold[] = [
  (incident) => (incident.phase === 'closed' ? 'the incident is closed' : undefined),
  (incident) => (incident.acknowledgedBy !== undefined ? `acknowledged by ${incident.acknowledgedBy}` : undefined),
  (incident) => (incident.escalationStopped !== undefined ? `stopped: ${incident.escalationStopped.reason}` : undefined),
];

/** The first hold that applies to `incident` at `now` (see {@link escalationHolds}). */
export function findEscalationHold(incident: Incident, now: number): string | undefined {
  for (const hold of escalationHolds) {
    const reason = hold(incident, now);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
