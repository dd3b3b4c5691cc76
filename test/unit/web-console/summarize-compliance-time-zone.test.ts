import { describe, expect, it } from 'vitest';
import { renderCompliance } from '../../../src/web-console/render-compliance.js';
import { summarizeCompliance } from '../../../src/web-console/summarize-compliance.js';
import { makeRunItem, makeRunView } from '../../support/checklist-test-runs.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const checklist = { id: 'daily', title: 'Daily' };

/** A completed run started at `iso`. */
function runAt(id: string, iso: string) {
  const startedAt = Date.parse(iso);
  return makeRunView([makeRunItem('a', { state: 'passed' })], { run: { id, startedAt, dueAt: startedAt + DAY }, view: { completedAt: startedAt + HOUR } });
}

/** `day standing runId` of every entry, in calendar order. */
function placed(compliance: ReturnType<typeof summarizeCompliance>): string[] {
  return compliance.weeks.flat().flatMap((day) => day.entries.map((entry) => `${day.day} ${entry.standing}${entry.runId ? ` ${entry.runId}` : ''}`));
}

describe('summarizeCompliance in the checklists’ time zone', () => {
  it('puts a run just before and just after local midnight on its local date east of UTC (Asia/Shanghai, UTC+8)', () => {
    const now = Date.parse('2026-11-26T12:00:00Z'); // Thursday 20:00 in Shanghai
    const runs = [runAt('before', '2026-11-24T15:30:00Z'), runAt('after', '2026-11-24T16:30:00Z')]; // 23:30 on the 24th, 00:30 on the 25th
    const local = summarizeCompliance(checklist, runs, [Date.parse('2026-11-22T16:10:00Z')], now, 2, 'Asia/Shanghai');
    expect(local.timeZone).toBe('Asia/Shanghai');
    expect(placed(local)).toEqual(['2026-11-23 missed', '2026-11-24 on-time before', '2026-11-25 on-time after']);
    // The day begins at local midnight: 16:00 UTC the day before.
    const the24th = local.weeks.flat().find((day) => day.day === '2026-11-24')!;
    expect(new Date(the24th.start).toISOString()).toBe('2026-11-23T16:00:00.000Z');
    // In UTC both runs and the slot fall a day apart from their local dates.
    expect(placed(summarizeCompliance(checklist, runs, [Date.parse('2026-11-22T16:10:00Z')], now, 2))).toEqual(['2026-11-22 missed', '2026-11-24 on-time before', '2026-11-24 on-time after']);
  });

  it('starts the week on the local Monday and makes today the local date', () => {
    const now = Date.parse('2026-11-22T17:00:00Z'); // Sunday in UTC, Monday 01:00 in Shanghai
    const local = summarizeCompliance(checklist, [], [], now, 1, 'Asia/Shanghai');
    expect(local.weeks[0]!.map((day) => day.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(local.weeks[0]!.map((day) => day.future)).toEqual([false, true, true, true, true, true, true]);
    const utc = summarizeCompliance(checklist, [], [], now, 1);
    expect(utc.weeks[0]![0]!.day).toBe('2026-11-16');
    expect(utc.weeks[0]!.filter((day) => !day.future)).toHaveLength(7);
  });

  it('puts a run just before and just after local midnight on its local date west of UTC (America/Los_Angeles, UTC−8)', () => {
    const now = Date.parse('2026-11-27T20:00:00Z');
    const runs = [runAt('before', '2026-11-25T07:30:00Z'), runAt('after', '2026-11-25T08:30:00Z')]; // 23:30 on the 24th, 00:30 on the 25th
    expect(placed(summarizeCompliance(checklist, runs, [Date.parse('2026-11-23T07:59:00Z')], now, 1, 'America/Los_Angeles'))).toEqual([
      '2026-11-24 on-time before',
      '2026-11-25 on-time after',
    ]);
    // The slot at 23:59 on Sunday the 22nd is in the week before: outside a one-week calendar.
    expect(summarizeCompliance(checklist, runs, [Date.parse('2026-11-23T07:59:00Z')], now, 2, 'America/Los_Angeles').totals.missed).toBe(1);
    expect(placed(summarizeCompliance(checklist, runs, [], now, 1))).toEqual(['2026-11-25 on-time before', '2026-11-25 on-time after']);
  });

  it('neither creates nor drops a day across DST changes (America/New_York in March, Europe/Berlin in October)', () => {
    for (const [timeZone, nowIso, firstDay] of [
      ['America/New_York', '2026-03-12T12:00:00Z', '2026-03-02'],
      ['Europe/Berlin', '2026-10-28T12:00:00Z', '2026-10-19'],
    ] as const) {
      const days = summarizeCompliance(checklist, [], [], Date.parse(nowIso), 2, timeZone).weeks.flat();
      expect(days).toHaveLength(14);
      expect(days[0]!.day).toBe(firstDay);
      for (const [i, day] of days.entries()) expect(day.day).toBe(new Date(Date.parse(`${firstDay}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10));
      const lengths = days.slice(1).map((day, i) => (day.start - days[i]!.start) / HOUR);
      expect(lengths.filter((hours) => hours !== 24)).toHaveLength(1);
    }
    // New York springs forward on Sunday 8 March: a 23-hour day, midnights at 05:00 and 04:00 UTC.
    const ny = summarizeCompliance(checklist, [runAt('sat', '2026-03-08T04:30:00Z'), runAt('sun', '2026-03-09T03:30:00Z'), runAt('mon', '2026-03-09T04:30:00Z')], [], Date.parse('2026-03-12T12:00:00Z'), 2, 'America/New_York');
    const sunday = ny.weeks[0]![6]!;
    expect([sunday.day, new Date(sunday.start).toISOString(), new Date(ny.weeks[1]![0]!.start).toISOString()]).toEqual(['2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(placed(ny)).toEqual(['2026-03-07 on-time sat', '2026-03-08 on-time sun', '2026-03-09 on-time mon']);
    // Berlin falls back on Sunday 25 October: a 25-hour day; 23:30 on it is still the 25th.
    const berlin = summarizeCompliance(checklist, [runAt('late-sunday', '2026-10-25T22:30:00Z'), runAt('monday', '2026-10-25T23:30:00Z')], [], Date.parse('2026-10-28T12:00:00Z'), 2, 'Europe/Berlin');
    expect(placed(berlin)).toEqual(['2026-10-25 on-time late-sunday', '2026-10-26 on-time monday']);
    expect((berlin.weeks[1]![0]!.start - berlin.weeks[0]![6]!.start) / HOUR).toBe(25);
  });

  it('keeps UTC as the default: the same calendar as before', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const runs = [runAt('one', '2026-11-24T23:59:00Z'), runAt('two', '2026-11-25T00:00:00Z')];
    const utc = summarizeCompliance(checklist, runs, [now - 4 * DAY], now, 2);
    expect(utc).toEqual(summarizeCompliance(checklist, runs, [now - 4 * DAY], now, 2, 'UTC'));
    expect(placed(utc)).toEqual(['2026-11-22 missed', '2026-11-24 on-time one', '2026-11-25 on-time two']);
    expect(utc.weeks.flat().map((day) => day.start)).toEqual(Array.from({ length: 14 }, (_, i) => Date.parse('2026-11-16T00:00:00Z') + i * DAY));
  });

  it('states the time zone on the page and in each run’s time', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const page = renderCompliance([summarizeCompliance(checklist, [runAt('before', '2026-11-24T15:30:00Z')], [], now, 1, 'Asia/Shanghai')], 1, 'Asia/Shanghai');
    expect(page).toContain('Days are those of <strong>Asia/Shanghai</strong>');
    expect(page).toContain('by the day they started (Asia/Shanghai)');
    expect(page).toContain('Tue 2026-11-24 23:30 GMT+8 (15:30 UTC)');
  });
});
