import type { Phase } from '../config/action-schema.js';
import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';
import { say, sayWith } from '../shared/messages/say.js';

/**
 * Moves the incident to a response phase (isolate, analyze, recover, optimize) — in any order,
 * every move on the timeline. Moving to the current phase changes nothing; a closed incident stays
 * closed.
 */
export async function moveIncidentPhase(deps: IncidentOperationDeps, key: string, phase: Phase, actor: string): Promise<IncidentOperationResult> {
  const current = await deps.store.get(key);
  if (!current) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (current.phase === 'closed') return { outcome: 'refused', ...say('op.phase.closed', { key }) };
  if (current.phase === phase) return { outcome: 'unchanged', incident: current, ...sayWith((t) => t('op.phase.already', { key, phase: t(`card.phase.${phase}`) })) };
  const now = deps.now();
  const result = await deps.store.patch(
    key,
    {
      set: { phase },
      // Entering isolate contains the incident, unless an isolate action already did.
      ...(phase === 'isolate' ? { setOnce: { containedAt: now } } : {}),
      timeline: [{ at: now, kind: 'phase', text: `Phase ${current.phase} → ${phase} by ${actor}`, actor, data: { from: current.phase, to: phase } }],
      unlessPhase: 'closed',
    },
    now,
  );
  if (result.outcome === 'missing') return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (result.outcome === 'refused') return { outcome: 'refused', ...say('op.incident.closedMeanwhile', { key }) };
  const { incident } = result;
  if (result.setOnce?.includes('containedAt')) deps.observeMilestone?.('contained', incident);
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({ type: 'incident.phase', actor, subject: key, outcome: 'ok', detail: { from: current.phase, to: phase } });
  return { outcome: 'changed', incident, ...sayWith((t) => t('op.phase.moved', { key, phase: t(`card.phase.${phase}`) })) };
}
