import { countItems, type RunView } from '../model/checklist-run.js';
import { readLocalDay } from '../shared/read-local-day.js';
import { listCalendarWeeks } from './list-calendar-weeks.js';

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

/** One day of the calendar, in the checklists' time zone. */
export interface CalendarDay {
  /** `YYYY-MM-DD`, the local date. */
  day: string;
  /** When the local day begins (epoch ms). */
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
  /** The IANA time zone of the calendar's days (`checklists.timezone`). */
  timeZone: string;
  /** Weeks of seven days, Monday first. */
  weeks: CalendarDay[][];
  totals: Record<RunStanding, number>;
  failures: ItemFailure[];
}

/** How a run stands at `now`: completed by its due time or after it, overdue, or still open. */
export function standingOf(view: RunView, now: number): RunStanding {
  if (view.completedAt !== undefined) return view.completedAt <= view.run.dueAt ? 'on-time' : 'late';
  return now > view.run.dueAt ? 'overdue' : 'open';
}

/**
 * The calendar of a checklist's runs over the `weeks` weeks up to the one holding `now`, in the days
 * of `timeZone` (the checklists' schedule zone; Monday first, "today" the local date): each run by
 * the local date it started, each missed schedule slot by its local date, and every item still
 * failed in those runs. Pure.
 */
export function summarizeCompliance(
  checklist: { id: string; title: string },
  runs: readonly RunView[],
  missedSlots: readonly number[],
  now: number,
  weeks: number,
  timeZone = 'UTC',
): ChecklistCompliance {
  const dates = listCalendarWeeks(now, weeks, timeZone);
  const first = dates[0]![0]!.dayNumber;
  const last = dates.at(-1)!.at(-1)!.dayNumber;
  const byDay = new Map<number, CalendarEntry[]>();
  // By the local date, not by instants: a DST day has 23 or 25 hours.
  const dayOf = (at: number): number | undefined => {
    const day = readLocalDay(at, timeZone);
    return day >= first && day <= last ? day : undefined;
  };
  const add = (day: number, entry: CalendarEntry) => byDay.set(day, [...(byDay.get(day) ?? []), entry]);
  const totals: Record<RunStanding, number> = { 'on-time': 0, late: 0, overdue: 0, open: 0, missed: 0 };
  const failures: ItemFailure[] = [];
  for (const view of [...runs].sort((a, b) => a.run.startedAt - b.run.startedAt)) {
    const day = dayOf(view.run.startedAt);
    if (day === undefined) continue;
    const standing = standingOf(view, now);
    const { passed, skipped, failed, open } = countItems(view.items);
    add(day, { standing, at: view.run.startedAt, runId: view.run.id, counts: { passed, skipped, failed, open } });
    totals[standing]++;
    for (const item of view.items) {
      if (item.state !== 'failed') continue;
      failures.push({ runId: view.run.id, itemId: item.id, title: item.title, ...(item.evidence ? { evidence: item.evidence } : {}), ...(item.at !== undefined ? { at: item.at } : {}), open: view.completedAt === undefined });
    }
  }
  for (const slot of [...missedSlots].sort((a, b) => a - b)) {
    const day = dayOf(slot);
    if (day === undefined) continue;
    add(day, { standing: 'missed', at: slot });
    totals.missed++;
  }
  const calendar: CalendarDay[][] = dates.map((week) => week.map(({ day, dayNumber, start, future }) => ({ day, start, future, entries: byDay.get(dayNumber) ?? [] })));
  return { checklistId: checklist.id, title: checklist.title, timeZone, weeks: calendar, totals, failures };
}
