import { describe, expect, it } from 'vitest';
import { checkCron, findNextSlot, listSlots } from '../../../src/shared/schedule-slots.js';
import { configSchema } from '../../../src/config/config-schema.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const HOUR = 3_600_000;

/** Wall-clock time of `ms` in `timeZone`, as `YYYY-MM-DD HH:mm:ss`. */
function localTime(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The slots of `findNextSlot` chained from `from` up to `to` inclusive. */
function chainNext(cron: string, timezone: string, from: number, to: number): number[] {
  const slots: number[] = [];
  for (let slot = findNextSlot(cron, timezone, from); slot <= to; slot = findNextSlot(cron, timezone, slot)) slots.push(slot);
  return slots;
}

function expectStrictlyIncreasingWithin(slots: number[], from: number, to: number): void {
  slots.forEach((slot, i) => {
    expect(slot).toBeGreaterThan(from);
    expect(slot).toBeLessThanOrEqual(to);
    if (i > 0) expect(slot, `${iso(slots[i - 1]!)} then ${iso(slot)}`).toBeGreaterThan(slots[i - 1]!);
  });
}

describe('findNextSlot and listSlots across time zones', () => {
  it('Asia/Shanghai weekly Monday 10:00 is Monday 02:00 UTC', () => {
    // 2026-03-01 is a Sunday.
    expect(iso(findNextSlot('0 10 * * 1', 'Asia/Shanghai', at('2026-03-01T00:00:00Z')))).toBe('2026-03-02T02:00:00.000Z');
    // Monday 09:59 in Shanghai: still that Monday; at 10:00 exactly: the next Monday.
    expect(iso(findNextSlot('0 10 * * 1', 'Asia/Shanghai', at('2026-03-02T01:59:00Z')))).toBe('2026-03-02T02:00:00.000Z');
    expect(iso(findNextSlot('0 10 * * 1', 'Asia/Shanghai', at('2026-03-02T02:00:00Z')))).toBe('2026-03-09T02:00:00.000Z');
    // The same pattern in UTC is eight hours later.
    expect(iso(findNextSlot('0 10 * * 1', 'UTC', at('2026-03-01T00:00:00Z')))).toBe('2026-03-02T10:00:00.000Z');
    expect(listSlots('0 10 * * 1', 'Asia/Shanghai', at('2026-03-01T00:00:00Z'), at('2026-03-31T00:00:00Z'), 10).map(iso)).toEqual([
      '2026-03-02T02:00:00.000Z',
      '2026-03-09T02:00:00.000Z',
      '2026-03-16T02:00:00.000Z',
      '2026-03-23T02:00:00.000Z',
      '2026-03-30T02:00:00.000Z',
    ]);
  });

  it('a Shanghai day starts the UTC day before: daily 07:00 is 23:00 UTC', () => {
    expect(listSlots('0 7 * * *', 'Asia/Shanghai', at('2026-03-01T00:00:00Z'), at('2026-03-03T00:00:00Z'), 10).map(iso)).toEqual([
      '2026-03-01T23:00:00.000Z',
      '2026-03-02T23:00:00.000Z',
    ]);
  });

  it('listSlots gives exactly the slots findNextSlot chains to, where no clock changes', () => {
    const cases: Array<[string, string, string, string]> = [
      ['0 9 * * *', 'Asia/Shanghai', '2026-01-01T00:00:00Z', '2026-02-15T00:00:00Z'],
      ['0 10 * * 1', 'UTC', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['0 10 1 * *', 'Asia/Shanghai', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
      ['*/15 * * * *', 'Europe/Berlin', '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z'],
      ['30 2 * * *', 'Europe/Berlin', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'],
    ];
    for (const [cron, timezone, from, to] of cases) {
      const chained = chainNext(cron, timezone, at(from), at(to));
      expect(chained.length, `${cron} ${timezone}`).toBeGreaterThan(0);
      expect(listSlots(cron, timezone, at(from), at(to), 1000), `${cron} ${timezone}`).toEqual(chained);
    }
  });
});

describe('across a daylight saving change (Europe/Berlin)', () => {
  const cron = '30 2 * * *';
  const tz = 'Europe/Berlin';

  it('spring forward (2026-03-29, 02:00 → 03:00): the daily 02:30 slot that does not exist moves to 03:30 CEST', () => {
    // cron-parser, like BullMQ which uses it, runs the missing wall-clock time an hour later that day.
    const onTheDay = findNextSlot(cron, tz, at('2026-03-28T12:00:00Z'));
    expect(iso(onTheDay)).toBe('2026-03-29T01:30:00.000Z');
    expect(localTime(onTheDay, tz)).toBe('2026-03-29 03:30:00');
    const dayAfter = findNextSlot(cron, tz, onTheDay);
    expect(iso(dayAfter)).toBe('2026-03-30T00:30:00.000Z');
    expect(localTime(dayAfter, tz)).toBe('2026-03-30 02:30:00');
    // Before the change 02:30 CET is 01:30 UTC.
    expect(iso(findNextSlot(cron, tz, at('2026-03-27T12:00:00Z')))).toBe('2026-03-28T01:30:00.000Z');
  });

  it('fall back (2026-10-25, 03:00 → 02:00): findNextSlot runs the repeated 02:30 once, at its first occurrence', () => {
    const chained = chainNext(cron, tz, at('2026-10-23T12:00:00Z'), at('2026-10-27T12:00:00Z'));
    expect(chained.map(iso)).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
    expect(chained.map((slot) => localTime(slot, tz).slice(11))).toEqual(['02:30:00', '02:30:00', '02:30:00', '02:30:00']);
  });

  it('listSlots never repeats a slot or goes backwards across either change, and keeps the days around it', () => {
    for (const [from, to, before, after] of [
      ['2026-03-25T00:00:00Z', '2026-04-02T00:00:00Z', '2026-03-28T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
      ['2026-10-22T00:00:00Z', '2026-10-29T00:00:00Z', '2026-10-24T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    ] as const) {
      const slots = listSlots(cron, tz, at(from), at(to), 100);
      expectStrictlyIncreasingWithin(slots, at(from), at(to));
      expect(new Set(slots).size).toBe(slots.length);
      expect(slots.map(iso)).toEqual(expect.arrayContaining([before, after]));
      for (const slot of slots) expect(localTime(slot, tz).slice(11)).toMatch(/^0[23]:30:00$/);
    }
  });

  it('an hourly schedule stays one hour apart in real time through both changes', () => {
    for (const [from, to] of [
      ['2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z'],
      ['2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z'],
    ] as const) {
      const slots = listSlots('30 * * * *', tz, at(from), at(to), 100);
      expect(slots).toHaveLength(6);
      expect(slots.slice(1).map((slot, i) => slot - slots[i]!)).toEqual([HOUR, HOUR, HOUR, HOUR, HOUR]);
      expect(slots).toEqual(chainNext('30 * * * *', tz, at(from), at(to)));
    }
  });
});

describe('listSlots bounds and limit', () => {
  const daily = '0 10 * * *';

  it('is (from, to]: a slot exactly at from is left out, one exactly at to is in', () => {
    expect(listSlots(daily, 'UTC', at('2026-03-01T10:00:00Z'), at('2026-03-03T10:00:00Z'), 10).map(iso)).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z']);
    // One millisecond either way moves a slot in or out.
    expect(listSlots(daily, 'UTC', at('2026-03-01T10:00:00Z') - 1, at('2026-03-01T10:00:00Z'), 10).map(iso)).toEqual(['2026-03-01T10:00:00.000Z']);
    expect(listSlots(daily, 'UTC', at('2026-03-01T09:00:00Z'), at('2026-03-01T10:00:00Z') - 1, 10)).toEqual([]);
    expect(listSlots(daily, 'UTC', at('2026-03-01T10:00:00Z'), at('2026-03-01T10:00:00Z'), 10)).toEqual([]);
  });

  it('findNextSlot is strictly after: from a slot, the next one', () => {
    expect(iso(findNextSlot(daily, 'UTC', at('2026-03-01T10:00:00Z')))).toBe('2026-03-02T10:00:00.000Z');
    expect(iso(findNextSlot(daily, 'UTC', at('2026-03-01T10:00:00Z') - 1))).toBe('2026-03-01T10:00:00.000Z');
  });

  it('keeps the newest slots when there are more than limit, oldest first', () => {
    const from = at('2026-03-01T00:00:00Z');
    const to = at('2026-03-02T00:00:00Z');
    expect(listSlots('0 * * * *', 'UTC', from, to, 3).map(iso)).toEqual(['2026-03-01T22:00:00.000Z', '2026-03-01T23:00:00.000Z', '2026-03-02T00:00:00.000Z']);
    expect(listSlots('0 * * * *', 'UTC', from, to, 1000)).toHaveLength(24);
    expect(listSlots('0 * * * *', 'UTC', from, to, 24)).toEqual(listSlots('0 * * * *', 'UTC', from, to, 1000));
    expect(listSlots('0 * * * *', 'UTC', from, to, 0)).toEqual([]);
  });

  it('takes six-field patterns with seconds', () => {
    expect(iso(findNextSlot('30 0 10 * * *', 'UTC', at('2026-03-01T10:00:00Z')))).toBe('2026-03-01T10:00:30.000Z');
    expect(listSlots('*/20 * * * * *', 'UTC', at('2026-03-01T10:00:00Z'), at('2026-03-01T10:01:00Z'), 10).map(iso)).toEqual([
      '2026-03-01T10:00:20.000Z',
      '2026-03-01T10:00:40.000Z',
      '2026-03-01T10:01:00.000Z',
    ]);
    expect(iso(findNextSlot('0 0 10 * * 1', 'Asia/Shanghai', at('2026-03-01T00:00:00Z')))).toBe('2026-03-02T02:00:00.000Z');
  });
});

describe('listSlots on the days clocks change', () => {
  // BullMQ makes slots stepping forwards; listSlots must list exactly those.
  const chain = (cron: string, tz: string, from: number, to: number) => {
    const slots: number[] = [];
    for (let at = from; ; ) {
      at = findNextSlot(cron, tz, at);
      if (at > to) return slots;
      slots.push(at);
    }
  };
  for (const [name, from, to] of [
    ['fall back', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z'],
    ['spring forward', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z'],
  ] as const) {
    it(`equals stepping forwards with findNextSlot (${name}, Europe/Berlin 02:30)`, () => {
      const [a, b] = [Date.parse(from), Date.parse(to)];
      expect(listSlots('30 2 * * *', 'Europe/Berlin', a, b, 50)).toEqual(chain('30 2 * * *', 'Europe/Berlin', a, b));
      expect(listSlots('30 2 * * *', 'Europe/Berlin', a, b, 50)).toHaveLength(2);
    });
  }
});

describe('checkCron', () => {
  it('accepts five- and six-field patterns, names and macros', () => {
    for (const cron of ['0 10 * * 1', '*/15 9-17 * * MON-FRI', '0 0 10 * * 1', '0 10 1 * *', '@daily']) expect(checkCron(cron), cron).toBeUndefined();
  });

  it('says what is wrong with a bad pattern', () => {
    expect(checkCron('61 * * * *')).toBe('Constraint error, got value 61 expected range 0-59');
    expect(checkCron('0 25 * * *')).toBe('Constraint error, got value 25 expected range 0-23');
    expect(checkCron('0 10 * * 8')).toBe('Constraint error, got value 8 expected range 0-7');
    expect(checkCron('every monday')).toMatch(/^has 2 fields, not 5 \(minute hour day month weekday\) or 6/);
    expect(checkCron('* * * * * * *')).toMatch(/^has 7 fields/);
    // cron-parser would fill in the missing fields and run every minute.
    expect(checkCron('')).toMatch(/^has 0 fields/);
    expect(checkCron('* * *')).toMatch(/^has 3 fields/);
    expect(checkCron('L * * * *')).toMatch(/^Invalid characters/);
  });
});

describe('config: checklists.schedules.*.cron', () => {
  const minimal = { alertmanager: { token: 'x'.repeat(32) } };
  const withCron = (cron: string) => configSchema.safeParse({ ...minimal, checklists: { timezone: 'Asia/Shanghai', schedules: { weekly: { cron, to: ['slack:C0SECURITY'] } } } });

  it('accepts a good pattern', () => {
    const parsed = withCron('0 10 * * 1');
    expect(parsed.success).toBe(true);
    expect(parsed.data?.checklists.schedules['weekly']?.cron).toBe('0 10 * * 1');
  });

  it('rejects a bad pattern at the key, with the parser\'s reason and an example of a good one', () => {
    const parsed = withCron('0 10 * * 8');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['checklists', 'schedules', 'weekly', 'cron'],
        message: 'is not a cron expression (Constraint error, got value 8 expected range 0-7); write five fields, e.g. "0 10 * * 1" for Mondays at 10:00',
      }),
    ]);
    const words = withCron('mondays at ten');
    expect(words.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['checklists.schedules.weekly.cron']);
  });
});
