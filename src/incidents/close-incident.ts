import type { Incident } from '../model/incident.js';
import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';
import { say } from '../shared/messages/say.js';

/**
 * Ends the incident (the card's Resolve button, `/incident resolve`): phase `closed`, who and when,
 * and the group no longer maps to it, so the group's next firing alert opens a new incident.
 * Closing a closed incident changes nothing.
 */
export async function closeIncident(deps: IncidentOperationDeps, key: string, actor: string): Promise<IncidentOperationResult> {
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      set: { phase: 'closed', closedAt: now, closedBy: actor },
      timeline: [{ at: now, kind: 'closed', text: `Resolved and closed by ${actor}`, actor }],
      unlessPhase: 'closed',
      releaseGroup: true,
    },
    now,
  );
  if (result.outcome === 'missing') return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (result.outcome === 'refused') {
    const { incident } = result;
    // A retry after a crash between the change and its card jobs finds the change made: the jobs
    // (deterministic ids) are queued again so the cards still catch up.
    await deps.work.refreshCards(key, incident.version, incident.destinations);
    await expireSilence(deps, incident);
    if (incident.warRoom !== undefined) await deps.work.archiveWarRoom(key);
    return { outcome: 'unchanged', incident, ...(incident.closedBy ? say('op.close.alreadyBy', { key, who: incident.closedBy }) : say('op.close.already', { key })) };
  }
  const { incident } = result;
  deps.observeMilestone?.('resolved', incident);
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await expireSilence(deps, incident);
  // Its war room is archived once its card there shows the incident closed.
  if (incident.warRoom !== undefined) await deps.work.archiveWarRoom(key);
  await deps.audit.append({ type: 'incident.closed', actor, subject: key, outcome: 'ok' });
  return { outcome: 'changed', incident, ...say('op.close.done', { key, title: incident.title }) };
}

// A silence left behind would hide the group's next incident until it ends. The job id comes from
// the silence, so a retried close (or the source resolving too) expires it once.
async function expireSilence(deps: IncidentOperationDeps, incident: Incident): Promise<void> {
  if (incident.silence === undefined || deps.expireSilencesOnClose !== true) return;
  const silenceId = incident.silence.id;
  await deps.work.changeSilence({ op: 'expire', key: incident.key, requestId: `end-${silenceId}`, requestedBy: 'warden', silenceId, why: 'closed' });
}
