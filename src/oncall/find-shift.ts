import type { Rotation } from '../config/oncall-schema.js';
import { readZonedParts } from '../shared/read-zoned-parts.js';
import { resolveZonedTime } from '../shared/resolve-zoned-time.js';

/** One turn of a rotation: `index` counts turns from `start` (people[index mod n] has it); `start` inclusive, `end` exclusive, epoch ms. */
export interface Shift {
  index: number;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/**
 * The turn of `rotation` that `at` falls in, overrides aside. Day and week lengths count calendar
 * days in the rotation's zone and hand over at the `handoff` wall time, so a turn spanning a DST
 * change is an hour shorter or longer in elapsed time; hour lengths are elapsed time from the
 * first handoff.
 */
export function findShift(rotation: Rotation, at: number): Shift {
  const amount = Number(rotation.length.slice(0, -1));
  const unit = rotation.length.slice(-1);
  const [hour, minute] = rotation.handoff.split(':').map(Number) as [number, number];
  const handoffOn = (day: number): number => {
    const date = new Date(day * DAY_MS);
    return resolveZonedTime({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute }, rotation.timezone);
  };
  const startDay = Math.round(Date.parse(`${rotation.start}T00:00:00Z`) / DAY_MS);
  if (unit === 'h') {
    const first = handoffOn(startDay);
    const length = amount * 3_600_000;
    const index = Math.floor((at - first) / length);
    return { index, start: first + index * length, end: first + (index + 1) * length };
  }
  const days = unit === 'w' ? amount * 7 : amount;
  const local = readZonedParts(at, rotation.timezone);
  let day = Math.round(Date.UTC(local.year, local.month - 1, local.day) / DAY_MS);
  // Before today's handoff, the turn that is running began on an earlier day.
  if (at < handoffOn(day)) day -= 1;
  const index = Math.floor((day - startDay) / days);
  const first = startDay + index * days;
  return { index, start: handoffOn(first), end: handoffOn(first + days) };
}
