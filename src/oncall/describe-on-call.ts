import type { Rotation } from '../config/oncall-schema.js';
import { formatZonedTime } from '../shared/format-zoned-time.js';
import { findOnCall } from './find-on-call.js';
import type { CalendarShift } from './read-rotation-calendar.js';

/**
 * What `/oncall` says about one rotation at `at`: its turns, who is on call now and who is next,
 * with the handoff times in the rotation's zone and in UTC; `calendar`: its calendar's shifts, and
 * `problem`: why the calendar could not be read last time.
 */
export function describeOnCall(name: string, rotation: Rotation, at: number, calendar?: readonly CalendarShift[], problem?: string): string[] {
  const { now, next } = findOnCall(rotation, at, calendar);
  const who = (person: string) => person || 'nobody';
  const time = (ms: number) => formatZonedTime(ms, rotation.timezone);
  const mark = (override: boolean) => (override ? ` (${rotation.calendar ? 'override or calendar' : 'override'})` : '');
  return [
    `${name} — ${rotation.length} turns, handoff ${rotation.handoff} ${rotation.timezone}${rotation.calendar ? ', with a calendar' : ''}`,
    `  now: ${who(now.person)}${mark(now.override)} since ${time(now.since)}, until ${time(now.until)}`,
    `  next: ${who(next.person)}${mark(next.override)} from ${time(next.since)}`,
    ...(problem === undefined ? [] : [`  calendar not read: ${problem} (the last one read is used)`]),
  ];
}
