import { formatUtcTime } from './format-utc-time.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `Mon 2026-03-30 09:00 CEST (07:00 UTC)`: an instant as the clocks of `timeZone` show it, with the
 * zone's abbreviation and the UTC time beside it (just the UTC form when the zone is UTC).
 */
export function formatZonedTime(epochMs: number, timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return formatUtcTime(epochMs);
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  const utc = new Date(epochMs).toISOString().slice(11, 16);
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName} (${utc} UTC)`;
}
