import { describe, expect, it } from 'vitest';
import { rotationSchema, type Rotation } from '../../../src/config/oncall-schema.js';
import { findOnCall } from '../../../src/oncall/find-on-call.js';
import { findShift } from '../../../src/oncall/find-shift.js';
import { formatZonedTime } from '../../../src/shared/format-zoned-time.js';
import { resolveZonedTime } from '../../../src/shared/resolve-zoned-time.js';

const rotation = (tree: Record<string, unknown>): Rotation => rotationSchema.parse(tree);
const at = (iso: string) => Date.parse(iso);
const berlin = (year: number, month: number, day: number, hour: number, minute = 0) => resolveZonedTime({ year, month, day, hour, minute }, 'Europe/Berlin');

describe('resolveZonedTime across DST (Europe/Berlin)', () => {
  it('maps wall times before and after the spring change (last Sunday of March) to the right instants', () => {
    expect(new Date(berlin(2026, 3, 29, 1, 30)).toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(new Date(berlin(2026, 3, 29, 3, 0)).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('puts a missing wall time (02:30 on the spring change) past the gap', () => {
    expect(new Date(berlin(2026, 3, 29, 2, 30)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first of a repeated wall time (02:30 on the autumn change, last Sunday of October)', () => {
    expect(new Date(berlin(2026, 10, 25, 2, 30)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(berlin(2026, 10, 25, 3, 0)).toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });
});

describe('findOnCall', () => {
  const weekly = rotation({ people: ['alice', 'bob', 'carol'], timezone: 'Europe/Berlin', start: '2026-03-02', handoff: '09:00', length: '1w' });

  it('hands over at the handoff time: a minute before is the old turn, the handoff itself the new one', () => {
    const before = findOnCall(weekly, berlin(2026, 3, 9, 8, 59));
    expect(before.now.person).toBe('alice');
    expect(before.next.person).toBe('bob');
    expect(before.now.until).toBe(berlin(2026, 3, 9, 9, 0));
    const after = findOnCall(weekly, berlin(2026, 3, 9, 9, 0));
    expect(after.now.person).toBe('bob');
    expect(after.now.since).toBe(berlin(2026, 3, 9, 9, 0));
    expect(after.next).toMatchObject({ person: 'carol', since: berlin(2026, 3, 16, 9, 0) });
  });

  it('keeps 09:00 Berlin time across the spring DST change: the turn over it is an hour shorter in UTC', () => {
    // Turns start on Mondays; the week of 2026-03-23 spans Sunday 2026-03-29, when CET becomes CEST.
    const during = findOnCall(weekly, at('2026-03-29T12:00:00Z'));
    expect(during.now.person).toBe('alice');
    expect(new Date(during.now.since).toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(new Date(during.now.until).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(during.now.until - during.now.since).toBe(7 * 86_400_000 - 3_600_000);
    expect(formatZonedTime(during.now.until, 'Europe/Berlin')).toMatch(/^Mon 2026-03-30 09:00 .* \(07:00 UTC\)$/);
    // 07:30 UTC on Monday is already 09:30 CEST: the next turn has begun.
    expect(findOnCall(weekly, at('2026-03-30T06:59:00Z')).now.person).toBe('alice');
    expect(findOnCall(weekly, at('2026-03-30T07:30:00Z')).now.person).toBe('bob');
  });

  it('keeps 09:00 Berlin time across the autumn DST change: that turn is an hour longer in UTC', () => {
    const daily = rotation({ people: ['alice', 'bob'], timezone: 'Europe/Berlin', start: '2026-10-01', handoff: '09:00', length: '1d' });
    // Saturday 2026-10-24 09:00 CEST (07:00 UTC) to Sunday 2026-10-25 09:00 CET (08:00 UTC).
    const { now, next } = findOnCall(daily, at('2026-10-25T07:30:00Z'));
    expect(new Date(now.since).toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(new Date(now.until).toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(now.until - now.since).toBe(25 * 3_600_000);
    expect(next.person).not.toBe(now.person);
    expect(findOnCall(daily, at('2026-10-25T07:59:00Z')).now.person).toBe(now.person);
    expect(findOnCall(daily, at('2026-10-25T08:00:00Z')).now.person).toBe(next.person);
  });

  it('hands over at a handoff that falls into the spring gap as soon as the clocks jump past it', () => {
    const night = rotation({ people: ['alice', 'bob'], timezone: 'Europe/Berlin', start: '2026-03-01', handoff: '02:30', length: '1d' });
    const shift = findShift(night, at('2026-03-29T12:00:00Z'));
    expect(new Date(shift.start).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(shift.end).toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('counts hour-long turns as elapsed time', () => {
    const sun = rotation({ people: ['apac', 'emea'], timezone: 'UTC', start: '2026-01-01', handoff: '00:00', length: '12h' });
    expect(findOnCall(sun, at('2026-01-10T11:59:00Z')).now.person).toBe('apac');
    expect(findOnCall(sun, at('2026-01-10T12:00:00Z')).now.person).toBe('emea');
  });

  it('lets an override take over for its window, local times read in the rotation zone, and hands back after it', () => {
    const covered = rotation({
      people: ['alice', 'bob', 'carol'],
      timezone: 'Europe/Berlin',
      start: '2026-03-02',
      handoff: '09:00',
      length: '1w',
      overrides: [{ from: '2026-03-11T18:00', to: '2026-03-12T09:00', person: 'dave' }],
    });
    const before = findOnCall(covered, berlin(2026, 3, 11, 12, 0));
    expect(before.now.person).toBe('bob');
    expect(before.next).toMatchObject({ person: 'dave', since: berlin(2026, 3, 11, 18, 0), override: true });
    const during = findOnCall(covered, berlin(2026, 3, 11, 20, 0));
    expect(during.now).toMatchObject({ person: 'dave', override: true, until: berlin(2026, 3, 12, 9, 0) });
    expect(during.next).toMatchObject({ person: 'bob', since: berlin(2026, 3, 12, 9, 0), until: berlin(2026, 3, 16, 9, 0) });
  });

  it('joins turns of one person and works before the start date', () => {
    const solo = rotation({ people: ['alice'], timezone: 'UTC', start: '2026-01-05', handoff: '09:00', length: '1d' });
    const { now } = findOnCall(solo, at('2026-01-10T12:00:00Z'));
    expect(now.person).toBe('alice');
    expect(now.until - now.since).toBeGreaterThan(30 * 86_400_000);
    expect(findOnCall(weekly, at('2026-02-24T12:00:00Z')).now.person).toBe('carol');
  });
});
