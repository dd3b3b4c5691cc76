import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { startFakeHttpServer, type FakeHttpServer } from '../../support/fake-http-server.js';
import { createRotationCalendars } from '../../../src/oncall/create-rotation-calendars.js';
import { describeOnCall } from '../../../src/oncall/describe-on-call.js';
import { resolveTargets } from '../../../src/oncall/resolve-targets.js';
import { randomSecret } from '../../support/test-redis.js';

const event = (uid: string, person: string, from: string, to: string) =>
  ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART:${from}`, `DTEND:${to}`, `SUMMARY:${person}`, 'END:VEVENT'].join('\r\n');
const calendarOf = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Warden tests//EN', ...events, 'END:VCALENDAR'].join('\r\n');

/** Rotation calendars from a file and from an HTTP feed on loopback, read again after refreshMinutes. */
describe('rotation calendars', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-calendars-'));
  const token = randomSecret(24);
  let feed: FakeHttpServer;
  let feedBody = '';
  let feedStatus = 200;
  let requests = 0;
  let clock = Date.parse('2026-04-14T12:00:00Z');

  beforeAll(async () => {
    writeFileSync(join(dir, 'secondary.ics'), calendarOf(event('s1', 'bob', '20260413T070000Z', '20260420T070000Z')));
    feedBody = calendarOf(event('p1', 'On call: alice', '20260413T070000Z', '20260420T070000Z'));
    feed = await startFakeHttpServer(async (request, response) => {
      requests += 1;
      if (!request.url?.includes(token)) return void response.writeHead(403).end();
      response.writeHead(feedStatus, { 'content-type': 'text/calendar' });
      response.end(feedStatus === 200 ? feedBody : 'down');
    });
  });

  afterAll(async () => {
    await feed?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = () =>
    buildTestConfig({
      alertmanager: { token: randomSecret(40) },
      access: { people: { alice: ['slack:U0ALICE'], bob: ['slack:U0BOB'] } },
      oncall: {
        rotations: {
          primary: { timezone: 'Europe/Berlin', start: '2026-01-05', calendar: { url: `http://127.0.0.1:${feed.port}/oncall.ics?token=${token}`, refreshMinutes: 15 } },
          secondary: { people: ['alice'], timezone: 'UTC', start: '2026-01-05', calendar: { file: join(dir, 'secondary.ics') } },
        },
      },
    });

  it('reads the feed and the file once, and again only after refreshMinutes; a failed read keeps the last one and names no URL', async () => {
    const logs: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => logs.push(args) } as unknown as import('pino').Logger;
    const cfg = config();
    const calendars = createRotationCalendars({ config: cfg, now: () => clock, logger });
    const first = await calendars.read();
    expect(first.shifts.get('primary')!.map((s) => s.person)).toEqual(['alice']);
    expect(first.shifts.get('secondary')!.map((s) => s.person)).toEqual(['bob']);
    expect(resolveTargets(cfg, ['primary', 'secondary'], clock, first.shifts).description).toBe('alice (on call for primary), bob (on call for secondary)');
    await calendars.read();
    expect(requests).toBe(1);

    feedBody = calendarOf(event('p2', 'bob', '20260413T070000Z', '20260420T070000Z'));
    clock += 16 * 60_000;
    expect((await calendars.read()).shifts.get('primary')!.map((s) => s.person)).toEqual(['bob']);
    expect(requests).toBe(2);

    feedStatus = 503;
    clock += 16 * 60_000;
    const failed = await calendars.read();
    expect(failed.shifts.get('primary')!.map((s) => s.person)).toEqual(['bob']);
    expect(failed.problems.get('primary')).toBe('the calendar feed answered HTTP 503');
    expect(JSON.stringify(logs)).not.toContain(token);
    expect(describeOnCall('primary', cfg.oncall.rotations.primary!, clock, failed.shifts.get('primary'), failed.problems.get('primary'))).toEqual([
      'primary — 1w turns, handoff 09:00 Europe/Berlin, with a calendar',
      expect.stringMatching(/^  now: bob \(override or calendar\) since Mon 2026-04-13 09:00 GMT\+2 \(07:00 UTC\), until Mon 2026-04-20 09:00 GMT\+2 \(07:00 UTC\)$/),
      expect.stringMatching(/^  next: nobody from Mon 2026-04-20 09:00/),
      '  calendar not read: the calendar feed answered HTTP 503 (the last one read is used)',
    ]);
  });

  it('reports a missing file by its error code, not its content', async () => {
    rmSync(join(dir, 'secondary.ics'));
    const calendars = createRotationCalendars({ config: config(), now: () => clock });
    expect((await calendars.read()).problems.get('secondary')).toBe('cannot read the calendar file (ENOENT)');
  });
});
