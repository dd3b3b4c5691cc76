import { readZonedParts, type ZonedParts } from './read-zoned-parts.js';

/**
 * The instant (epoch ms) at which the clocks of `timeZone` show `parts`. Across a DST change a wall
 * time can be missing (spring forward: 02:30 does not exist in Europe/Berlin on the last Sunday of
 * March) or happen twice (fall back: 02:30 on the last Sunday of October). A missing time resolves
 * to the instant the clocks jumped past it by the gap (02:30 → 03:30 local), as a clock set
 * before the change would show; a repeated time resolves to its first occurrence.
 */
export function resolveZonedTime(parts: ZonedParts, timeZone: string): number {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  // An instant whose wall time is `wall` is `wall - offset` for the offset in force then; the
  // offsets a few hours either side cover both sides of any change.
  const offsets = [...new Set([offsetAt(wall - 86_400_000 / 2, timeZone), offsetAt(wall, timeZone), offsetAt(wall + 86_400_000 / 2, timeZone)])];
  const matches = offsets.map((offset) => wall - offset).filter((instant) => toWall(instant, timeZone) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // In a gap: keep the offset from before the change, which puts the instant just past it.
  return wall - offsetAt(wall - 86_400_000 / 2, timeZone);
}

/** How far `timeZone`'s clocks are ahead of UTC at `epochMs`, in ms (minute precision). */
function offsetAt(epochMs: number, timeZone: string): number {
  return toWall(epochMs, timeZone) - Math.floor(epochMs / 60_000) * 60_000;
}

function toWall(epochMs: number, timeZone: string): number {
  const p: ZonedParts = readZonedParts(epochMs, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}
