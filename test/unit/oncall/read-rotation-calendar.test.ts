import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rotationSchema } from '../../../src/config/oncall-schema.js';
import { findOnCall } from '../../../src/oncall/find-on-call.js';
import { readRotationCalendar } from '../../../src/oncall/read-rotation-calendar.js';

const ics = readFileSync(new URL('../../fixtures/oncall/rotation.ics', import.meta.url), 'utf8');
const isPerson = (name: string) => ['alice', 'bob', 'dave'].includes(name) || /^slack:U[A-Z0-9]+$/.test(name);
const window = { from: Date.parse('2026-03-01T00:00:00Z'), to: Date.parse('2026-06-01T00:00:00Z') };
const iso = (ms: number) => new Date(ms).toISOString();

describe('readRotationCalendar', () => {
  const calendar = readRotationCalendar(ics, window, 'Europe/Berlin', isPerson);

  it('expands recurring events in their TZID across the DST change, with EXDATEs and moved occurrences', () => {
    expect(calendar.shifts.map((s) => `${s.person} ${iso(s.from)} ${iso(s.to)}`)).toEqual([
      'alice 2026-03-16T08:00:00.000Z 2026-03-23T08:00:00.000Z',
      // 09:00 Berlin is 08:00 UTC before the last Sunday of March and 07:00 UTC after it.
      'bob 2026-03-23T08:00:00.000Z 2026-03-30T07:00:00.000Z',
      // An all-day event without a zone is a day of the rotation's zone.
      'dave 2026-03-28T23:00:00.000Z 2026-03-29T22:00:00.000Z',
      'alice 2026-03-30T07:00:00.000Z 2026-04-06T07:00:00.000Z',
      'alice 2026-04-13T07:00:00.000Z 2026-04-20T07:00:00.000Z',
      'slack:U0CAROL 2026-04-20T10:00:00.000Z 2026-04-27T07:00:00.000Z',
      'alice 2026-04-27T07:00:00.000Z 2026-05-04T07:00:00.000Z',
      'bob 2026-05-04T07:00:00.000Z 2026-05-11T07:00:00.000Z',
    ]);
  });

  it('leaves out cancelled events, and counts events that name nobody', () => {
    expect(calendar.shifts.some((s) => iso(s.from).startsWith('2026-04-02'))).toBe(false);
    expect(calendar.unnamed).toBe(1);
  });

  it('keeps only the window', () => {
    const april = readRotationCalendar(ics, { from: Date.parse('2026-04-10T00:00:00Z'), to: Date.parse('2026-04-21T00:00:00Z') }, 'Europe/Berlin', isPerson);
    expect(april.shifts.map((s) => s.person)).toEqual(['alice', 'slack:U0CAROL']);
  });

  it('refuses what is not iCalendar', () => {
    expect(() => readRotationCalendar('not a calendar', window, 'UTC', isPerson)).toThrow();
  });
});

describe('findOnCall with a calendar', () => {
  const shifts = readRotationCalendar(ics, window, 'Europe/Berlin', isPerson).shifts;

  it('puts the calendar over the turns and the overrides over the calendar; nobody when neither says', () => {
    const rotation = rotationSchema.parse({
      timezone: 'Europe/Berlin',
      start: '2026-03-02',
      calendar: { file: 'rotation.ics' },
      overrides: [{ from: '2026-04-14T18:00', to: '2026-04-15T09:00', person: 'dave' }],
    });
    expect(findOnCall(rotation, Date.parse('2026-04-14T12:00:00Z'), shifts).now).toMatchObject({ person: 'alice', override: true });
    const covered = findOnCall(rotation, Date.parse('2026-04-14T20:00:00Z'), shifts);
    expect(covered.now.person).toBe('dave');
    expect(covered.next).toMatchObject({ person: 'alice', since: Date.parse('2026-04-15T07:00:00Z') });
    // Between 2026-04-06 and 04-13 the EXDATE left a gap, and the rotation has no people.
    expect(findOnCall(rotation, Date.parse('2026-04-08T12:00:00Z'), shifts).now).toMatchObject({ person: '', since: Date.parse('2026-04-06T07:00:00Z'), until: Date.parse('2026-04-13T07:00:00Z') });
  });

  it('falls back to the turns where the calendar is silent', () => {
    const rotation = rotationSchema.parse({ people: ['bob'], timezone: 'Europe/Berlin', start: '2026-03-02', calendar: { url: 'https://calendar.example.com/oncall.ics' } });
    expect(findOnCall(rotation, Date.parse('2026-04-08T12:00:00Z'), shifts).now).toMatchObject({ person: 'bob', override: false });
  });
});
