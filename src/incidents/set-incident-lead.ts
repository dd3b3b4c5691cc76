import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';
import { say } from '../shared/messages/say.js';

/** Options for {@link setIncidentLead}. */
export interface SetIncidentLeadOptions {
  /** Quiet time after which the lead is reminded to post an update (0: never). */
  remindAfterMs: number;
}

/**
 * Makes `lead` (an identity) the incident commander (`/incident lead <key> @person`): shown on the
 * card, noted on the timeline as `lead` and audited as `incident.lead`. Naming the lead already in
 * charge changes nothing; a closed incident keeps its record. The lead is reminded privately when
 * no status update follows within `remindAfterMs`.
 */
export async function setIncidentLead(deps: IncidentOperationDeps, key: string, actor: string, lead: string, options: SetIncidentLeadOptions): Promise<IncidentOperationResult> {
  const current = await deps.store.get(key);
  if (!current) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (current.phase === 'closed') return { outcome: 'refused', ...say('op.lead.closed', { key }) };
  if (current.lead === lead) {
    // A retry after a crash between the change and its jobs finds the change made: the jobs
    // (deterministic ids) are queued again.
    await deps.work.refreshCards(key, current.version, current.destinations);
    if (options.remindAfterMs > 0 && current.leadSetAt !== undefined) await deps.work.remindLead(key, Math.max(current.leadSetAt, current.lastUpdateAt ?? 0), options.remindAfterMs);
    return { outcome: 'unchanged', incident: current, ...say('op.lead.already', { lead, key }) };
  }
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      set: { lead, leadSetAt: now },
      timeline: [{ at: now, kind: 'lead', text: `Lead: ${lead} (set by ${actor})`, actor, data: { lead, ...(current.lead === undefined ? {} : { previous: current.lead }) } }],
      unlessPhase: 'closed',
    },
    now,
  );
  if (result.outcome === 'missing') return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (result.outcome === 'refused') return { outcome: 'refused', ...say('op.incident.closedMeanwhile', { key }) };
  const { incident } = result;
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  if (options.remindAfterMs > 0) await deps.work.remindLead(key, now, options.remindAfterMs);
  await deps.audit.append({ type: 'incident.lead', actor, subject: key, outcome: 'ok', detail: { lead, previous: current.lead ?? null } });
  return { outcome: 'changed', incident, ...say('op.lead.done', { lead, key, title: incident.title }) };
}
