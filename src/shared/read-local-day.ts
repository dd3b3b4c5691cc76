import { readZonedParts } from './read-zoned-parts.js';

const DAY_MS = 86_400_000;

/**
 * The calendar date the clocks of IANA zone `timeZone` show at `epochMs`, as a day number: days
 * since 1970-01-01 (so consecutive dates are consecutive numbers, whatever DST does to the hours).
 */
export function readLocalDay(epochMs: number, timeZone: string): number {
  const parts = readZonedParts(epochMs, timeZone);
  return Date.UTC(parts.year, parts.month - 1, parts.day) / DAY_MS;
}
