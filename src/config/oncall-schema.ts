import { z } from 'zod';
import { CHAT_IDENTITY_OR_NAME } from './identity-schema.js';
import { isHttpsOrLoopback } from './is-https-or-loopback.js';

/** `2026-01-05`: a calendar date. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `09:00`: a wall-clock time, 24-hour. */
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** `2026-03-28T09:00` (the rotation's zone) or with `Z` / an offset such as `+01:00`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d{2}:\d{2})?$/;

/** An IANA time zone Node knows (`Europe/Berlin`, `UTC`). */
export const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as "UTC", "Europe/Berlin" or "Asia/Shanghai"' },
);

/** A person's name in access.people or an identity (`slack:U…`, `lark:ou_…`); checked against access by `checkOncallReferences`. */
const memberSchema = z.string().regex(CHAT_IDENTITY_OR_NAME, {
  message: 'must be the name of a person in access.people (e.g. alice) or an identity (slack:U0ALICE, lark:ou_0alice)',
});

/** One stretch of time someone else covers: `from` (inclusive) to `to` (exclusive). */
export const overrideSchema = z
  .strictObject({
    from: z.string().regex(DATE_TIME, { message: 'must be a date and time such as "2026-03-28T09:00" (in the rotation\'s time zone) or "2026-03-28T08:00Z"' }),
    to: z.string().regex(DATE_TIME, { message: 'must be a date and time such as "2026-03-30T09:00" (in the rotation\'s time zone) or "2026-03-30T07:00Z"' }),
    person: memberSchema,
  });

/**
 * An iCalendar feed of a rotation: a file, or an https URL (http only to a loopback address); a
 * token in the URL goes in as `${ENV}`. Its events, which name the person on call, are read again
 * every `refreshMinutes`.
 */
export const rotationCalendarSchema = z
  .strictObject({
    file: z.string().min(1).optional(),
    url: z
      .url({ protocol: /^https?$/, message: 'must be an https:// URL of an iCalendar feed, e.g. https://calendar.example.com/oncall.ics' })
      .refine(isHttpsOrLoopback, { message: 'must be an https:// URL (http:// only to a loopback address)' })
      .optional(),
    refreshMinutes: z.number().int().min(1).max(24 * 60).default(15),
  })
  .refine((calendar) => (calendar.file === undefined) !== (calendar.url === undefined), { message: 'needs exactly one of file (a path to an .ics file) or url' });

/**
 * One on-call rotation: `people` take turns of `length`, handing over at `handoff` (wall-clock time
 * in `timezone`); `people[0]` starts on `start`. Overrides replace whoever is on call for a while.
 */
export const rotationSchema = z
  .strictObject({
    /** Who takes turns; may be empty when `calendar` says who is on call. */
    people: z.array(memberSchema).default([]),
    timezone: timeZoneSchema.default('UTC'),
    /** Date of a handoff at which `people[0]` takes over (any past date that starts a turn). */
    start: z.string().regex(DATE, { message: 'must be a date such as "2026-01-05" (a day a turn starts, people[0] first)' }),
    handoff: z.string().regex(TIME, { message: 'must be a 24-hour time such as "09:00"' }).default('09:00'),
    /** How long one turn lasts: days (`1d`) and weeks (`1w`) follow the wall clock across DST; hours (`12h`) are elapsed time. */
    length: z.string().regex(/^[1-9]\d{0,2}[hdw]$/, { message: 'must be a number of hours, days or weeks such as "12h", "1d" or "1w"' }).default('1w'),
    overrides: z.array(overrideSchema).default([]),
    /** An iCalendar whose events name who is on call; they take precedence over the turns (overrides over both). */
    calendar: rotationCalendarSchema.optional(),
  })
  .superRefine((rotation, ctx) => {
    if (rotation.people.length === 0 && rotation.calendar === undefined) ctx.addIssue({ code: 'custom', path: ['people'], message: 'needs at least one person, e.g. [alice, bob] (or a calendar that names them)' });
    const [, y, m, d] = DATE.exec(rotation.start) ?? [];
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (date.getUTCDate() !== Number(d)) ctx.addIssue({ code: 'custom', path: ['start'], message: 'is not a calendar date' });
  });

/** `oncall`: who is on call, per rotation. */
export const oncallSchema = z.strictObject({
  /** rotation name → rotation. Names share one namespace with access.groups and access.people (targets of `/incident page`). */
  rotations: z.record(z.string().regex(/^[a-z0-9_-]{1,64}$/, { message: 'rotation names are lowercase letters, digits, "_" or "-", e.g. primary' }), rotationSchema).default({}),
});

export type Rotation = z.output<typeof rotationSchema>;
export type RotationOverride = z.output<typeof overrideSchema>;
export type RotationCalendarConfig = z.output<typeof rotationCalendarSchema>;
export type OncallConfig = z.output<typeof oncallSchema>;
