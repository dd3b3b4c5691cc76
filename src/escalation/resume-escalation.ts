import type { EscalationStop } from '../model/escalation-state.js';
import type { EscalationDeps } from './escalation-deps.js';

/** True when a silence stopped the escalation (stops recorded before the silence's id was kept are known by their message). */
export function isStoppedBySilence(stop: EscalationStop | undefined): boolean {
  return stop !== undefined && (stop.silenceId !== undefined || stop.reasonRef?.key === 'card.escalation.stop.silenced');
}

/**
 * Resumes incident `key`'s escalation after the silence that stopped it ended (`why` says how),
 * when the incident is still open and nobody acknowledged it: a new chain starts now, its steps
 * timed from now (`escalationFrom`), so the first step's people hear of it again rather than every
 * step that fell in the silence at once; the earlier chain's waiting points end when they fire. On
 * the timeline, the card and the audit log; once (false when nothing was resumed).
 */
export async function resumeEscalation(deps: Pick<EscalationDeps, 'store' | 'work' | 'audit' | 'now'>, key: string, why: string, by: string): Promise<boolean> {
  const incident = await deps.store.get(key);
  if (!incident || !isStoppedBySilence(incident.escalationStopped)) return false;
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      set: { escalationFrom: now },
      unset: ['escalationStopped'],
      timeline: [{ at: now, kind: 'escalation', text: `Escalation resumed: ${why}`, actor: by }],
      unlessPhase: 'closed',
      requireUnset: 'acknowledgedBy',
    },
    now,
  );
  if (result.outcome !== 'applied') return false;
  await deps.work.scheduleEscalation(key, { start: true, from: now }, 0);
  await deps.work.refreshCards(key, result.incident.version, result.incident.destinations);
  await deps.audit.append({ type: 'incident.escalation_resumed', actor: by, subject: key, outcome: 'ok', detail: { why } });
  return true;
}
