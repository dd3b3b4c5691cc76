import type { Rotation } from '../config/oncall-schema.js';
import { formatZonedTime } from '../shared/format-zoned-time.js';
import { findOnCall } from './find-on-call.js';
import type { CalendarShift } from './read-rotation-calendar.js';
import { translator, type Translator } from '../shared/messages/translator.js';

/**
 * What `/oncall` says about one rotation at `at`: its turns, who is on call now and who is next,
 * with the handoff times in the rotation's zone and in UTC; `calendar`: its calendar's shifts, and
 * `problem`: why the calendar could not be read last time.
 */
export function describeOnCall(
  name: string,
  rotation: Rotation,
  at: number,
  calendar?: readonly CalendarShift[],
  problem?: string,
  t: Translator = translator('en'),
): string[] {
  const { now, next } = findOnCall(rotation, at, calendar);
  const who = (person: string) => person || t('command.oncall.nobody');
  const time = (ms: number) => formatZonedTime(ms, rotation.timezone);
  const mark = (override: boolean) => (override ? t(rotation.calendar ? 'command.oncall.overrideOrCalendar' : 'command.oncall.override') : '');
  const { length, handoff, timezone } = rotation;
  return [
    t('command.oncall.rotation', { name, length, handoff, timezone, calendar: rotation.calendar ? t('command.oncall.withCalendar') : '' }),
    t('command.oncall.now', { person: who(now.person), mark: mark(now.override), since: time(now.since), until: time(now.until) }),
    t('command.oncall.next', { person: who(next.person), mark: mark(next.override), since: time(next.since) }),
    ...(problem === undefined ? [] : [t('command.oncall.calendarProblem', { problem })]),
  ];
}
