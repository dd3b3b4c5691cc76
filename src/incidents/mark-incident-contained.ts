import type { IncidentStore } from './create-incident-store.js';
import type { MilestoneObserver } from './incident-milestone.js';

/**
 * Records that an isolate-phase action succeeded at `at`: the incident's `containedAt`, unless it
 * was contained before (entering isolate, or an earlier action) or is closed. Set once in Redis, so
 * the observer is told in the one process whose write set it. True when this call set it.
 */
export async function markIncidentContained(store: IncidentStore, key: string, at: number, now: number, observe?: MilestoneObserver): Promise<boolean> {
  const result = await store.patch(key, { setOnce: { containedAt: at }, requireUnset: 'containedAt', unlessPhase: 'closed' }, now);
  if (result.outcome !== 'applied' || !result.setOnce?.includes('containedAt')) return false;
  observe?.('contained', result.incident);
  return true;
}
