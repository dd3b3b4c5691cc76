/** A wall-clock date and time in some time zone (month 1–12). */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time at `epochMs` in IANA zone `timeZone`, read with `Intl` (the zone database Node ships). */
export function readZonedParts(epochMs: number, timeZone: string): ZonedParts {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    // hourCycle h23: midnight is 00, never 24 (which some locales and engines print with hour12: false).
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(epochMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}
