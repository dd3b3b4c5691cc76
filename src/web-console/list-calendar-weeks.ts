import { readLocalDay } from '../shared/read-local-day.js';
import { resolveZonedTime } from '../shared/resolve-zoned-time.js';

/** One date of the calendar, in the calendar's time zone. */
export interface CalendarDate {
  /** `YYYY-MM-DD`, the local date. */
  day: string;
  /** Days since 1970-01-01 of the local date (see `readLocalDay`). */
  dayNumber: number;
  /** The instant the local date begins (epoch ms): local midnight, or the first minute after a DST gap at midnight. */
  start: number;
  /** After today (the local date of `now`). */
  future: boolean;
}

const DAY_MS = 86_400_000;

/**
 * `weeks` weeks of seven local dates, Monday first, the last holding `now`, as the clocks of
 * `timeZone` show them: a week always has seven dates, even the one where DST makes a day 23 or 25 hours.
 */
export function listCalendarWeeks(now: number, weeks: number, timeZone: string): CalendarDate[][] {
  const today = readLocalDay(now, timeZone);
  // Day 0 (1970-01-01) was a Thursday: three days after a Monday.
  const monday = today - (((today + 3) % 7) + 7) % 7;
  const first = monday - (weeks - 1) * 7;
  return Array.from({ length: weeks }, (_, w) =>
    Array.from({ length: 7 }, (_, d) => {
      const dayNumber = first + w * 7 + d;
      const date = new Date(dayNumber * DAY_MS);
      const start = resolveZonedTime({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0 }, timeZone);
      return { day: date.toISOString().slice(0, 10), dayNumber, start, future: dayNumber > today };
    }),
  );
}
