import ICAL from 'ical.js';
import { resolveZonedTime } from '../shared/resolve-zoned-time.js';

/** A stretch of time a calendar gives to one person: `from` inclusive, `to` exclusive (epoch ms). */
export interface CalendarShift {
  person: string;
  from: number;
  to: number;
}

/** What {@link readRotationCalendar} found in a calendar. */
export interface RotationCalendar {
  shifts: CalendarShift[];
  /** Events in the window whose summary names nobody Warden knows: they are left out. */
  unnamed: number;
}

/** Occurrences of one recurring event looked at, at most: a calendar cannot make Warden loop. */
const MAX_OCCURRENCES = 2000;

/**
 * Reads an iCalendar (RFC 5545) text with ical.js: every event — recurring ones expanded, with
 * their moved or cancelled occurrences — that overlaps `window` and whose summary names a person
 * (`isPerson`: a name of access.people or an identity; the first word of the summary that is one,
 * so "On call: alice" works) becomes a shift of that person. Times with an IANA `TZID` are read in
 * that zone with the zone database Node ships (DST included), other `TZID`s through the calendar's
 * own VTIMEZONE, UTC times as such, and floating times and all-day dates in `timeZone` (the
 * rotation's).
 */
export function readRotationCalendar(text: string, window: { from: number; to: number }, timeZone: string, isPerson: (name: string) => boolean): RotationCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = new Map(calendar.getAllSubcomponents('vtimezone').map((component) => {
    const zone = new ICAL.Timezone(component);
    return [zone.tzid, zone] as const;
  }));
  const toInstant = (time: ICAL.Time, tzid: string | undefined): number => {
    if (time.zone === ICAL.Timezone.utcTimezone) return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    const parts = { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute };
    if (tzid !== undefined && isIanaZone(tzid)) return resolveZonedTime(parts, tzid);
    const own = tzid === undefined ? undefined : zones.get(tzid);
    if (own !== undefined) {
      const copy = time.clone();
      copy.zone = own;
      return copy.toUnixTime() * 1000;
    }
    return resolveZonedTime(parts, timeZone);
  };
  const components = calendar.getAllSubcomponents('vevent');
  const exceptions = components.filter((c) => c.hasProperty('recurrence-id'));
  const shifts: CalendarShift[] = [];
  let unnamed = 0;
  for (const component of components.filter((c) => !c.hasProperty('recurrence-id'))) {
    const event = new ICAL.Event(component);
    for (const exception of exceptions) if (exception.getFirstPropertyValue('uid') === event.uid) event.relateException(exception);
    const tzid = readTzid(component);
    const add = (start: ICAL.Time, end: ICAL.Time, item: ICAL.Event) => {
      if (String(item.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
      const summary = item.summary ?? '';
      const from = toInstant(start, tzid);
      const to = toInstant(end, tzid);
      if (to <= window.from || from >= window.to || to <= from) return;
      const person = summary.split(/[\s,;]+/).map((word) => word.replace(/^[("'[]+|[)"'\].:]+$/g, '')).find((word) => isPerson(word));
      if (person === undefined) unnamed += 1;
      else shifts.push({ person, from, to });
    };
    if (!event.isRecurring()) {
      add(event.startDate, event.endDate, event);
      continue;
    }
    const iterator = event.iterator();
    for (let i = 0, next = iterator.next(); next !== undefined && next !== null && i < MAX_OCCURRENCES; i++, next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      if (toInstant(details.startDate, tzid) >= window.to) break;
      add(details.startDate, details.endDate, details.item);
    }
  }
  return { shifts: shifts.sort((a, b) => a.from - b.from), unnamed };
}

function readTzid(component: ICAL.Component): string | undefined {
  const tzid = component.getFirstProperty('dtstart')?.getParameter('tzid');
  return typeof tzid === 'string' && tzid.length > 0 ? tzid : undefined;
}

function isIanaZone(tzid: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tzid });
    return true;
  } catch {
    return false;
  }
}
