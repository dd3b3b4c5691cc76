import type { RunStore } from './create-run-store.js';

/** Open runs per checklist (every loaded checklist, 0 when none) and how many are past their due time: the metrics gauge. */
export async function countOpenRuns(runs: RunStore, checklistIds: Iterable<string>, now: number): Promise<Record<string, { open: number; overdue: number }>> {
  const counts: Record<string, { open: number; overdue: number }> = {};
  for (const id of checklistIds) counts[id] = { open: 0, overdue: 0 };
  for (const view of await runs.listOpen()) {
    const count = (counts[view.run.checklistId] ??= { open: 0, overdue: 0 });
    count.open++;
    if (now > view.run.dueAt) count.overdue++;
  }
  return counts;
}
