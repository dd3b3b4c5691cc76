/** Formats epoch milliseconds as `2026-11-20 10:05 UTC` (minute precision, what responders read). */
export function formatUtcTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return 'unknown time';
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
