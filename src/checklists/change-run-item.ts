import type { ChecklistDeps } from './checklist-deps.js';
import { countItems, type ItemState, type RunItem } from '../model/checklist-run.js';
import { say, sayWith } from '../shared/messages/say.js';
import type { LocalizedText } from '../shared/messages/locale.js';

/** A change to one item of a run. */
export type ItemChange =
  /** A person did a manual item. */
  | { type: 'done' }
  /** A person marked the item N/A, saying why. */
  | { type: 'skip'; reason: string }
  /** An automated check finished. */
  | { type: 'checked'; ok: boolean; evidence: string };

/** What a change did, with a sentence for the person who asked. */
export type ItemChangeResult = { outcome: 'changed' | 'unchanged' | 'refused'; message: string; localized?: LocalizedText; completed?: boolean };

// Which states each change applies to: a person resolves what is open (or, for N/A, a failed check
// they accept); a check may correct its own earlier result but never overrides a person's N/A or Done.
const FROM: Record<ItemChange['type'], readonly ItemState[]> = { done: ['open'], skip: ['open', 'failed'], checked: ['open', 'failed', 'passed'] };

/**
 * Applies one change to an item of a run (atomically: two clicks at once resolve it once), audits
 * it, queues the run's card updates and, when it resolved the last open item, audits the run's
 * completion. `by` is the identity, or `warden` for checks. `updateCards: false` leaves the cards
 * to the caller (a run's first checks post its cards once, when all are recorded).
 */
export async function changeRunItem(
  deps: ChecklistDeps,
  runId: string,
  itemId: string,
  by: string,
  change: ItemChange,
  options: { updateCards?: boolean } = {},
): Promise<ItemChangeResult> {
  const now = deps.now();
  const patch: Partial<RunItem> =
    change.type === 'done'
      ? { state: 'passed', by, at: now }
      : change.type === 'skip'
        ? { state: 'skipped', by, at: now, reason: change.reason }
        : { state: change.ok ? 'passed' : 'failed', by, at: now, evidence: change.evidence };
  const updated = await deps.runs.updateItem(runId, itemId, FROM[change.type], patch, now);
  switch (updated.outcome) {
    case 'missing':
      return { outcome: 'refused', ...say('op.checklist.noRun', { run: runId }) };
    case 'no-item':
      return { outcome: 'refused', ...say('op.checklist.noItem', { run: runId, item: itemId }) };
    case 'completed':
      return { outcome: 'refused', ...say('op.checklist.complete', { run: runId }) };
    case 'unchanged':
      return { outcome: 'unchanged', ...sayWith((t) => t('op.checklist.already', { item: itemId, run: runId, state: t(`op.checklist.state.${updated.state}`) })) };
  }
  await deps.audit.append({
    type: 'checklist.item',
    actor: by,
    subject: runId,
    outcome: patch.state,
    detail: { item: itemId, change: change.type, ...(change.type === 'skip' ? { reason: change.reason } : {}), ...(change.type === 'checked' ? { evidence: change.evidence } : {}) },
  });
  const updateCards = options.updateCards !== false;
  // The run is read only for what needs it: its cards, or the completion's counts.
  const view = updateCards || updated.completed ? await deps.runs.get(runId) : null;
  if (view) {
    if (updateCards) await deps.work.refreshCards(runId, updated.version, view.run.destinations, { subject: 'checklist-run' });
    if (updated.completed) {
      const counts = countItems(view.items);
      await deps.audit.append({ type: 'checklist.completed', actor: by, subject: runId, outcome: 'ok', detail: { checklist: view.run.checklistId, ...counts } });
    }
  }
  // A check that passed says "passed"; a person's tick says "done".
  const said = sayWith((t) => {
    const state = change.type === 'done' ? t('op.checklist.state.passed') : change.type === 'skip' ? t('op.checklist.state.skipped') : patch.state === 'passed' ? t('op.checklist.checkPassed') : t('op.checklist.state.failed');
    return t(updated.completed ? 'op.checklist.changedComplete' : 'op.checklist.changed', { item: itemId, state });
  });
  return { outcome: 'changed', ...said, completed: updated.completed };
}

