import type { Phase } from '../config/action-schema.js';
import type { IncidentOperationDeps, IncidentOperationResult } from './incident-operation.js';

/**
 * Moves the incident to a response phase (isolate, analyze, recover, optimize) — in any order,
 * every move on the timeline. Moving to the current phase changes nothing; a closed incident stays
 * closed.
 */
export async function moveIncidentPhase(deps: IncidentOperationDeps, key: string, phase: Phase, actor: string): Promise<IncidentOperationResult> {
  const current = await deps.store.get(key);
  if (!current) return { outcome: 'refused', message: `There is no incident ${key}.` };
  if (current.phase === 'closed') return { outcome: 'refused', message: `${key} is closed; it has no phases any more.` };
  if (current.phase === phase) return { outcome: 'unchanged', incident: current, message: `${key} is already in phase ${phase}.` };
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
  if (result.outcome === 'missing') return { outcome: 'refused', message: `There is no incident ${key}.` };
  if (result.outcome === 'refused') return { outcome: 'refused', message: `${key} was closed meanwhile.` };
  const { incident } = result;
  if (result.setOnce?.includes('containedAt')) deps.observeMilestone?.('contained', incident);
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({ type: 'incident.phase', actor, subject: key, outcome: 'ok', detail: { from: current.phase, to: phase } });
  return { outcome: 'changed', incident, message: `${key} moved to phase ${phase}.` };
}
