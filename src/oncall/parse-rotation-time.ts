import { resolveZonedTime } from '../shared/resolve-zoned-time.js';

/**
 * An override's `from` / `to` as epoch ms: `2026-03-28T09:00` is read in the rotation's zone,
 * `2026-03-28T08:00Z` and `2026-03-28T09:00+01:00` as written.
 */
export function parseRotationTime(value: string, timeZone: string): number {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) return Date.parse(value);
  const [date, time] = value.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return resolveZonedTime({ year, month, day, hour, minute }, timeZone);
}
