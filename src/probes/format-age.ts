const HOUR_MS = 3_600_000;

/** An age for a one-line summary: "12 min", "5.2 h", "30 h", "95 days". */
export function formatAge(ms: number): string {
  const hours = Math.max(0, ms) / HOUR_MS;
  if (hours < 1) return `${Math.floor(hours * 60)} min`;
  if (hours < 10) return `${Math.floor(hours * 10) / 10} h`;
  if (hours < 48) return `${Math.floor(hours)} h`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

