import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';
import { say, sayWith } from '../shared/messages/say.js';

/**
 * Records that `actor` took the incident: once (a second acknowledgement changes nothing and says
 * who was first), never on a closed incident. The cards are updated in place and the timeline and
 * audit log say who and when.
 */
export async function acknowledgeIncident(deps: IncidentOperationDeps, key: string, actor: string): Promise<IncidentOperationResult> {
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      set: { acknowledgedBy: actor, acknowledgedAt: now },
      timeline: [{ at: now, kind: 'acknowledged', text: `Acknowledged by ${actor}`, actor }],
      unlessPhase: 'closed',
      requireUnset: 'acknowledgedBy',
    },
    now,
  );
  if (result.outcome === 'missing') return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (result.outcome === 'refused') {
    const { incident } = result;
    // A retry after a crash between the change and its card jobs finds the change made: the jobs
    // (deterministic ids) are queued again so the cards still catch up.
    await deps.work.refreshCards(key, incident.version, incident.destinations);
    if (incident.phase === 'closed') return { outcome: 'refused', ...say('op.ack.closed', { key }) };
    return { outcome: 'unchanged', incident, ...(incident.acknowledgedBy === undefined ? sayWith((t) => t('op.ack.already', { key, who: t('op.ack.someone') })) : say('op.ack.already', { key, who: incident.acknowledgedBy })) };
  }
  const { incident } = result;
  deps.observeMilestone?.('acknowledged', incident);
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({ type: 'incident.acknowledged', actor, subject: key, outcome: 'ok' });
  return { outcome: 'changed', incident, ...say('op.ack.done', { key, title: incident.title }) };
}
