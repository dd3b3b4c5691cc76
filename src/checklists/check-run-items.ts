import type { CheckContext } from '../probes/check-context.js';
import { changeRunItem } from './change-run-item.js';
import type { ChecklistDeps } from './checklist-deps.js';
import { runItemCheck } from './run-item-check.js';

/**
 * Runs the automated checks of a run's items (all of them, or `itemIds`) concurrently and records
 * each result as the item's state and evidence. Items a person already resolved keep their state
 * (see `changeRunItem`); a check that cannot run is a failed result saying why, never a silent pass.
 */
export async function checkRunItems(deps: ChecklistDeps, runId: string, itemIds: readonly string[] | undefined, context: CheckContext): Promise<string> {
  const view = await deps.runs.get(runId);
  if (!view) return 'run gone';
  if (view.completedAt !== undefined) return 'run complete';
  const checklist = deps.checklists.get(view.run.checklistId);
  if (!checklist) return `checklist ${view.run.checklistId} no longer exists`;
  const wanted = view.items.filter((item) => item.check !== undefined && (itemIds === undefined || itemIds.includes(item.id)) && (item.state === 'open' || item.state === 'failed' || itemIds !== undefined));

  const results = await Promise.all(
    wanted.map(async (item) => {
      const definition = checklist.items.find((candidate) => candidate.id === item.id);
      const result = definition ? await runItemCheck(item.id, item.title, definition, deps.config.actions, context) : undefined;
      const outcome = result ?? { ok: false, summary: 'not checked: the item is no longer in the checklist' };
      await changeRunItem(deps, runId, item.id, 'warden', { type: 'checked', ok: outcome.ok, evidence: outcome.summary });
      return outcome.ok;
    }),
  );
  return `${results.length} checks, ${results.filter((ok) => !ok).length} failing`;
}
