import type { Incident } from '../model/incident.js';
import type { EscalationDeps } from './escalation-deps.js';

/** Why and how a chain that starts later than the incident is started (see {@link startLaterEscalation}). */
export interface LaterEscalation {
  /** The timeline's line, in English. */
  text: string;
  /** Who caused it, when a person did. */
  actor?: string;
  /** Fields the same change removes (the stop a silence left). */
  unset?: (keyof Incident)[];
  /** The change applies only while this field is unset: what makes it happen once. */
  requireUnset: keyof Incident;
  /** The audit entry of the start. */
  audit: { type: string; actor: string; detail: Record<string, unknown> };
}

/**
 * Starts a new escalation chain for incident `key`, timed from now (`escalationFrom`), so that its
 * first step's people are reached first rather than every step due since the opening at once; the
 * points of any earlier chain end when they fire. The mark, the timeline line and `unset` go in one
 * change, made once (`requireUnset`) and only while the incident is open; nothing is scheduled for
 * an incident someone acknowledged. On the card and in the audit log. False when nothing started.
 */
export async function startLaterEscalation(
  deps: Pick<EscalationDeps, 'store' | 'audit' | 'now'> & { work: Pick<EscalationDeps['work'], 'scheduleEscalation' | 'refreshCards'> },
  key: string,
  later: LaterEscalation,
): Promise<boolean> {
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      set: { escalationFrom: now },
      ...(later.unset ? { unset: later.unset } : {}),
      timeline: [{ at: now, kind: 'escalation', text: later.text, ...(later.actor === undefined ? {} : { actor: later.actor }) }],
      unlessPhase: 'closed',
      requireUnset: later.requireUnset,
    },
    now,
  );
  if (result.outcome !== 'applied' || result.incident.acknowledgedBy !== undefined) return false;
  await deps.work.scheduleEscalation(key, { start: true, from: now }, 0);
  await deps.work.refreshCards(key, result.incident.version, result.incident.destinations);
  await deps.audit.append({ type: later.audit.type, actor: later.audit.actor, subject: key, outcome: 'ok', detail: later.audit.detail });
  return true;
}
