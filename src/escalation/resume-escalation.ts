import type { EscalationStop } from '../model/escalation-state.js';
import type { EscalationDeps } from './escalation-deps.js';
import { startLaterEscalation } from './start-later-escalation.js';

/** True when a silence stopped the escalation (stops recorded before the silence's id was kept are known by their message). */
export function isStoppedBySilence(stop: EscalationStop | undefined): boolean {
  return stop !== undefined && (stop.silenceId !== undefined || stop.reasonRef?.key === 'card.escalation.stop.silenced');
}

/**
 * Resumes incident `key`'s escalation after the silence that stopped it ended (`why` says how),
 * when the incident is still open and nobody acknowledged it: a new chain starts now
 * (`startLaterEscalation`), so the first step's people hear of it again rather than every step that
 * fell in the silence at once. Once (false when nothing was resumed).
 */
export async function resumeEscalation(deps: Pick<EscalationDeps, 'store' | 'work' | 'audit' | 'now'>, key: string, why: string, by: string): Promise<boolean> {
  const incident = await deps.store.get(key);
  if (!incident || !isStoppedBySilence(incident.escalationStopped)) return false;
  return startLaterEscalation(deps, key, {
    text: `Escalation resumed: ${why}`,
    actor: by,
    unset: ['escalationStopped'],
    requireUnset: 'acknowledgedBy',
    audit: { type: 'incident.escalation_resumed', actor: by, detail: { why } },
  });
}
