const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const DURATION = /^(?:\d{1,5}[mhdw])+$/;

/** The longest duration {@link parseDuration} accepts: a year. */
export const MAX_DURATION_MS = 365 * UNIT_MS.d;

/**
 * A duration as people type it — `30m`, `2h`, `1d`, `1w`, or parts in a row such as `1h30m` — in
 * milliseconds; undefined for anything else, for zero and for more than a year.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, count, unit] of trimmed.matchAll(/(\d+)([mhdw])/g)) total += Number(count) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total > 0 && total <= MAX_DURATION_MS ? total : undefined;
}

/** A duration in the largest units that divide it, as {@link parseDuration} reads it back: `2h`, `1d12h`, `90m` → `1h30m`. */
export function formatDurationText(ms: number): string {
  let rest = Math.max(0, Math.round(ms / UNIT_MS.m)) * UNIT_MS.m;
  if (rest === 0) return '0m';
  let text = '';
  for (const unit of ['d', 'h', 'm'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * UNIT_MS[unit];
  }
  return text;
}
