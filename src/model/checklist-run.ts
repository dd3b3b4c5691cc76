/** An item's state in a run (DESIGN.md §2): `open` until checked, ticked or marked N/A. */
export type ItemState = 'open' | 'passed' | 'failed' | 'skipped';

/** How a run was started. */
export type RunTrigger = 'schedule' | 'command' | 'cli';

/** What a run is: fixed when it starts, so later edits of the checklist file do not change it. */
export interface ChecklistRun {
  /** e.g. `weekly-m3k9x2a1-4f2c`; safe in BullMQ job ids and card button values. */
  id: string;
  checklistId: string;
  title: string;
  trigger: RunTrigger;
  /** The identity that asked (`slack:U…`), or `schedule`. */
  requestedBy: string;
  /** The schedule slot (epoch ms) a scheduled run is for. */
  slot?: number;
  startedAt: number;
  /** Past this (the next slot, or `dueWithinHours`) an open run is overdue and escalated. */
  dueAt: number;
  destinations: string[];
  /** Item ids in checklist order. */
  itemIds: string[];
  /** The N/A menu's reasons. */
  skipReasons: string[];
}

/** One item of a run, with its state. */
export interface RunItem {
  id: string;
  title: string;
  guidance: string;
  /** What checks it automatically (`disk-usage`, an action id); absent for manual items. */
  check?: string;
  /** Why an item meant to be automated is manual here (its action is not configured). */
  note?: string;
  state: ItemState;
  /** Who resolved it: an identity, or `warden` for an automated check. */
  by?: string;
  at?: number;
  /** The automated check's one-line result. */
  evidence?: string;
  /** Why it was marked N/A. */
  reason?: string;
}

/** A run as stored, with its items in order and its progress. */
export interface RunView {
  run: ChecklistRun;
  items: RunItem[];
  /** Grows with every change: card jobs for older versions make no call. */
  version: number;
  completedAt?: number;
  escalatedAt?: number;
}

/**
 * Items still needing someone: open ones and failed checks. A run completes only when every item
 * passed or was marked N/A with a reason — a failed check is fixed (Re-check) or knowingly accepted.
 */
export function countUnresolved(items: readonly Pick<RunItem, 'state'>[]): number {
  return items.filter((item) => item.state === 'open' || item.state === 'failed').length;
}

/** Counts of a run's items by state. */
export function countItems(items: readonly Pick<RunItem, 'state'>[]): Record<ItemState, number> {
  const counts: Record<ItemState, number> = { open: 0, passed: 0, failed: 0, skipped: 0 };
  for (const item of items) counts[item.state]++;
  return counts;
}
