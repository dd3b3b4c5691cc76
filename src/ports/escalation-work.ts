/**
 * Where an incident's escalation chain stands: the start (choose the policy), or a step's repeat.
 * `from` names a chain that resumed (the incident's `escalationFrom`); absent, the chain from the opening.
 */
export type EscalationPoint = ({ start: true } | { step: number; repeat: number }) & { from?: number };

/**
 * The point's part of the ids of what it sends and schedules: `.start` or `.s<step>.r<repeat>`,
 * after `.f<from>` for a chain that started later than the incident (its points are its own: the
 * first chain's may have run under the same step).
 */
export function formatEscalationPoint(point: EscalationPoint): string {
  return `${point.from === undefined ? '' : `.f${point.from}`}.${'start' in point ? 'start' : `s${point.step}.r${point.repeat}`}`;
}

/**
 * The queued work of escalation and paging, part of the `Work` port. Every request is idempotent:
 * a point of an incident's chain is one job however often it is asked for, and it survives restarts.
 */
export interface EscalationWork {
  /** Run `point` of incident `key`'s escalation chain in `delayMs` (it re-checks the incident then). */
  scheduleEscalation(key: string, point: EscalationPoint, delayMs: number): Promise<void>;
  /**
   * Buzz the incident's card message in each Lark destination for these identities (Lark's urgent
   * notification, `urgent_app`); other platforms have none, so their identities and destinations
   * are skipped. `id` makes it once.
   */
  buzzCard(id: string, key: string, destinations: readonly string[], identities: readonly string[]): Promise<void>;
}
