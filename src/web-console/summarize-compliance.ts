import { countItems, type RunView } from '../model/checklist-run.js';
import { weekStart } from './summarize-response-metrics.js';

/** How a checklist run (or a schedule slot without one) stands. */
export type RunStanding = 'on-time' | 'late' | 'overdue' | 'open' | 'missed';

/** What the calendar shows of one run or missed slot. */
export interface CalendarEntry {
  standing: RunStanding;
  /** When the run started, or the slot it missed (epoch ms). */
  at: number;
  runId?: string;
  /** Items passed / N/A / failed / open, for a run. */
  counts?: { passed: number; skipped: number; failed: number; open: number };
}

/** One day of the calendar (UTC). */
export interface CalendarDay {
  /** `YYYY-MM-DD`. */
  day: string;
  /** Midnight UTC (epoch ms). */
  start: number;
  /** After today: nothing can have happened. */
  future: boolean;
  entries: CalendarEntry[];
}

/** An item whose automated check failed (or that was marked failed) in a run of the window. */
export interface ItemFailure {
  runId: string;
  itemId: string;
  title: string;
  evidence?: string;
  at?: number;
  /** The run is still open: the failure may yet be fixed (Re-check) or accepted (N/A). */
  open: boolean;
}

/** A checklist's compliance over the calendar's weeks. */
export interface ChecklistCompliance {
  checklistId: string;
  title: string;
  /** Weeks of seven days, Monday first. */
  weeks: CalendarDay[][];
  totals: Record<RunStanding, number>;
  failures: ItemFailure[];
}

const DAY_MS = 86_400_000;

/** How a run stands at `now`: completed by its due time or after it, overdue, or still open. */
export function standingOf(view: RunView, now: number): RunStanding {
  if (view.completedAt !== undefined) return view.completedAt <= view.run.dueAt ? 'on-time' : 'late';
  return now > view.run.dueAt ? 'overdue' : 'open';
}

/**
 * The calendar of a checklist's runs over the `weeks` weeks up to the one holding `now` (UTC days,
 * Monday first): each run by the day it started, each missed schedule slot by its day, and every
 * item still failed in those runs. Pure.
 */
export function summarizeCompliance(
  checklist: { id: string; title: string },
  runs: readonly RunView[],
  missedSlots: readonly number[],
  now: number,
  weeks: number,
): ChecklistCompliance {
  const first = weekStart(now) - (weeks - 1) * 7 * DAY_MS;
  const end = weekStart(now) + 7 * DAY_MS;
  const byDay = new Map<number, CalendarEntry[]>();
  const add = (at: number, entry: CalendarEntry) => {
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    byDay.set(day, [...(byDay.get(day) ?? []), entry]);
  };
  const totals: Record<RunStanding, number> = { 'on-time': 0, late: 0, overdue: 0, open: 0, missed: 0 };
  const failures: ItemFailure[] = [];
  const inWindow = runs.filter((view) => view.run.startedAt >= first && view.run.startedAt < end).sort((a, b) => a.run.startedAt - b.run.startedAt);
  for (const view of inWindow) {
    const standing = standingOf(view, now);
    const { passed, skipped, failed, open } = countItems(view.items);
    add(view.run.startedAt, { standing, at: view.run.startedAt, runId: view.run.id, counts: { passed, skipped, failed, open } });
    totals[standing]++;
    for (const item of view.items) {
      if (item.state !== 'failed') continue;
      failures.push({ runId: view.run.id, itemId: item.id, title: item.title, ...(item.evidence ? { evidence: item.evidence } : {}), ...(item.at !== undefined ? { at: item.at } : {}), open: view.completedAt === undefined });
    }
  }
  for (const slot of [...missedSlots].sort((a, b) => a - b)) {
    if (slot < first || slot >= end) continue;
    add(slot, { standing: 'missed', at: slot });
    totals.missed++;
  }
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const calendar: CalendarDay[][] = Array.from({ length: weeks }, (_, w) =>
    Array.from({ length: 7 }, (_, d) => {
      const start = first + (w * 7 + d) * DAY_MS;
      return { day: new Date(start).toISOString().slice(0, 10), start, future: start > today, entries: byDay.get(start) ?? [] };
    }),
  );
  return { checklistId: checklist.id, title: checklist.title, weeks: calendar, totals, failures };
}
