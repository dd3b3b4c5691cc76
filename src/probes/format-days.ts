const DAY_MS = 86_400_000;

/** A span for a summary in whole days: "44 days", "1 day", "less than a day". */
export function formatDays(ms: number): string {
  const days = Math.floor(Math.abs(ms) / DAY_MS);
  if (days === 0) return 'less than a day';
  return `${days} day${days === 1 ? '' : 's'}`;
}
