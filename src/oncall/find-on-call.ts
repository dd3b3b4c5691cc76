import type { Rotation } from '../config/oncall-schema.js';
import { findShift } from './find-shift.js';
import { parseRotationTime } from './parse-rotation-time.js';
import type { CalendarShift } from './read-rotation-calendar.js';

/** Who is on call for a stretch of time: a person's name (access.people) or an identity; `''` for nobody. */
export interface OnCallSegment {
  person: string;
  /** Epoch ms, inclusive. */
  since: number;
  /** Epoch ms, exclusive: the next handoff, or an override's start or end. */
  until: number;
  /** True when an override or the rotation's calendar, not its order of turns, put them there. */
  override: boolean;
}

/** Whoever is on call at an instant, and whoever takes over from them. */
export interface OnCall {
  now: OnCallSegment;
  next: OnCallSegment;
}

// Adjacent stretches of one person (two turns in a row, an override by the person on call) are
// joined; a rotation of one person would join forever, so joining stops after this many.
const MAX_JOINED = 60;

/**
 * Who is on call for `rotation` at `at` and who is next: the turn's person (`people[index mod n]`;
 * nobody when the rotation has no people), unless an event of the rotation's `calendar` covers the
 * instant, or an override does — overrides win over the calendar, and among either the last one
 * listed wins where they overlap.
 */
export function findOnCall(rotation: Rotation, at: number, calendar: readonly CalendarShift[] = []): OnCall {
  const overrides = [
    ...calendar,
    ...rotation.overrides.map((o) => ({ person: o.person, from: parseRotationTime(o.from, rotation.timezone), to: parseRotationTime(o.to, rotation.timezone) })),
  ];
  const n = rotation.people.length;
  const segmentAt = (t: number): OnCallSegment => {
    const shift = findShift(rotation, t);
    const override = overrides.findLast((o) => o.from <= t && t < o.to);
    const bounds = [shift.start, shift.end, ...overrides.flatMap((o) => [o.from, o.to])];
    return {
      person: override?.person ?? (n === 0 ? '' : rotation.people[((shift.index % n) + n) % n]!),
      since: Math.max(...bounds.filter((b) => b <= t)),
      until: Math.min(...bounds.filter((b) => b > t)),
      override: override !== undefined,
    };
  };
  const extend = (segment: OnCallSegment): OnCallSegment => {
    const joined = { ...segment };
    for (let i = 0; i < MAX_JOINED; i++) {
      const after = segmentAt(joined.until);
      if (after.person !== joined.person) break;
      joined.until = after.until;
    }
    for (let i = 0; i < MAX_JOINED; i++) {
      const before = segmentAt(joined.since - 1);
      if (before.person !== joined.person) break;
      joined.since = before.since;
    }
    return joined;
  };
  const now = extend(segmentAt(at));
  return { now, next: extend(segmentAt(now.until)) };
}
