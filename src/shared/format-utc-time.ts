function formatUtc(epochMs: number, end: number): string {
  if (!Number.isFinite(epochMs)) return 'unknown time';
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, end)} UTC`;
}

/** Formats epoch milliseconds as `2026-11-20 10:05 UTC` (minute precision, what responders read). */
export function formatUtcTime(epochMs: number): string {
  return formatUtc(epochMs, 16);
}

/** `2026-11-20 10:05:12 UTC`: second precision, for a record (postmortems). */
export function formatUtcSeconds(epochMs: number): string {
  return formatUtc(epochMs, 19);
}
