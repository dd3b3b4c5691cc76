import type { EscalationDeps } from './escalation-deps.js';
import { englishOf, type TextRef } from '../shared/messages/text-ref.js';

/**
 * Tells incident `key`'s escalation to stop (a silence, or anything else that makes paging
 * pointless): the next step that fires finds the mark and ends the chain. On the timeline, the
 * card and the audit log; once (a second call changes nothing). False when the incident is
 * missing, closed or already stopped. `reason` is kept as a catalogue message (each card shows it in
 * its language) and in English (the timeline, the audit log). `silenceId`: the silence that stops it
 * (its end resumes escalation, see `resumeEscalation`).
 */
export async function stopEscalation(deps: Pick<EscalationDeps, 'store' | 'work' | 'audit' | 'now'>, key: string, reasonRef: TextRef, by?: string, silenceId?: string): Promise<boolean> {
  const now = deps.now();
  const reason = englishOf(reasonRef);
  const result = await deps.store.patch(
    key,
    {
      set: { escalationStopped: { at: now, reason, reasonRef, ...(by === undefined ? {} : { by }), ...(silenceId === undefined ? {} : { silenceId }) } },
      timeline: [{ at: now, kind: 'escalation', text: `Escalation stopped: ${reason}`, ...(by === undefined ? {} : { actor: by }) }],
      unlessPhase: 'closed',
      requireUnset: 'escalationStopped',
    },
    now,
  );
  if (result.outcome !== 'applied') return false;
  await deps.work.refreshCards(key, result.incident.version, result.incident.destinations);
  await deps.audit.append({ type: 'incident.escalation_stopped', actor: by ?? 'warden', subject: key, outcome: 'ok', detail: { reason } });
  return true;
}
