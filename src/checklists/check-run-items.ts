import type { CheckContext } from '../probes/check-context.js';
import { changeRunItem } from './change-run-item.js';
import type { ChecklistDeps } from './checklist-deps.js';
import { runItemCheck } from './run-item-check.js';

/**
 * Runs the automated checks of a run's items (all of them, or `itemIds`) concurrently and records
 * each result as the item's state and evidence. Items a person already resolved keep their state
 * (see `changeRunItem`); a check that cannot run is a failed result saying why, never a silent pass.
 * With `post`, the run's cards are posted now that its checks are recorded.
 */
export async function checkRunItems(
  deps: ChecklistDeps,
  runId: string,
  itemIds: readonly string[] | undefined,
  context: CheckContext,
  options: { post?: boolean } = {},
): Promise<string> {
  const view = await deps.runs.get(runId);
  if (!view) return 'run gone';
  const checklist = deps.checklists.get(view.run.checklistId);
  // A checklist removed from the configuration since the run started: its items become manual.
  const wanted =
    view.completedAt !== undefined
      ? []
      : view.items.filter((item) => item.check !== undefined && (itemIds === undefined || itemIds.includes(item.id)) && (item.state === 'open' || item.state === 'failed' || itemIds !== undefined));

  const results = await Promise.all(
    wanted.map(async (item) => {
      const definition = checklist?.items.find((candidate) => candidate.id === item.id);
      const result = definition ? await runItemCheck(item.id, item.title, definition, deps.config.actions, context) : undefined;
      const outcome = result ?? { ok: false, summary: 'not checked: the item is no longer in the checklist' };
      await changeRunItem(deps, runId, item.id, 'warden', { type: 'checked', ok: outcome.ok, evidence: outcome.summary }, { updateCards: !options.post });
      return outcome.ok;
    }),
  );
  if (options.post) {
    // The first checks are recorded quietly: the cards are posted once, with every result on them.
    const latest = await deps.runs.get(runId);
    if (latest) await deps.work.refreshCards(runId, latest.version, latest.run.destinations, { subject: 'checklist-run' });
  }
  return `${results.length} checks, ${results.filter((ok) => !ok).length} failing`;
}
