import { randomBytes } from 'node:crypto';

/**
 * A run id: the checklist id, then the slot (scheduled runs: the same for every process that
 * starts it) or the start time plus a random suffix, both base 36. Letters, digits and dashes
 * only, so it is safe in job ids, Redis keys and card values.
 */
export function buildRunId(checklistId: string, at: { slot: number } | { startedAt: number }): string {
  if ('slot' in at) return `${checklistId}-s${at.slot.toString(36)}`;
  return `${checklistId}-${at.startedAt.toString(36)}-${randomBytes(2).toString('hex')}`;
}

/** What a run id looks like (checked before a card value is used as one). */
export const RUN_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
