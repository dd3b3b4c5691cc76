import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { isChatIdentity, type Config } from '../config/config-schema.js';
import type { RotationCalendarConfig } from '../config/oncall-schema.js';
import type { CalendarShift } from './read-rotation-calendar.js';

/** The rotations' calendars as last read: shifts by rotation, and why a calendar could not be read. */
export interface OnCallCalendars {
  shifts: ReadonlyMap<string, readonly CalendarShift[]>;
  problems: ReadonlyMap<string, string>;
}

/** The calendars of the configured rotations (`oncall.rotations.<name>.calendar`), read when needed. */
export interface RotationCalendars {
  /**
   * Every rotation's calendar shifts, reading a calendar again once it is older than its
   * `refreshMinutes`. A read that fails keeps the last shifts read (and reports the problem).
   */
  read(): Promise<OnCallCalendars>;
}

/** Options for {@link createRotationCalendars}. */
export interface RotationCalendarsOptions {
  config: Pick<Config, 'oncall' | 'access'>;
  now: () => number;
  logger?: Logger;
  /** A feed that has not answered in this long fails this read; default 10 000 ms. */
  timeoutMs?: number;
}

/** How far ahead calendar events are expanded, and how far back. */
const AHEAD_MS = 35 * 86_400_000;
const BEHIND_MS = 86_400_000;
const MAX_BYTES = 5 * 1024 * 1024;

interface Entry {
  readAt: number;
  shifts: readonly CalendarShift[];
  problem?: string;
  pending?: Promise<void>;
}

/**
 * Reads rotation calendars (iCalendar files or https feeds) for this process and keeps what it
 * read. A feed's URL may hold a token, so it never appears in a log line or a problem: they name
 * the rotation.
 */
export function createRotationCalendars(options: RotationCalendarsOptions): RotationCalendars {
  const { config, now, logger } = options;
  const entries = new Map<string, Entry>();
  const isPerson = (name: string) => (name.includes(':') ? isChatIdentity(name) : name in config.access.people);

  async function load(entry: Entry, name: string, calendar: RotationCalendarConfig, timeZone: string): Promise<void> {
    const at = now();
    try {
      const text = await fetchText(calendar, options.timeoutMs ?? 10_000);
      // ical.js is loaded by the first calendar read: a process without calendars never holds it.
      const { readRotationCalendar } = await import('./read-rotation-calendar.js');
      const read = readRotationCalendar(text, { from: at - BEHIND_MS, to: at + AHEAD_MS }, timeZone, isPerson);
      entry.shifts = read.shifts;
      delete entry.problem;
      if (read.unnamed > 0) logger?.warn({ rotation: name, events: read.unnamed }, 'calendar events that name no person in access.people (nor an identity) were left out');
    } catch (error) {
      // A parse error may quote the file; a fetch error may name the URL and its token.
      entry.problem = error instanceof CalendarReadError ? error.message : 'the calendar is not valid iCalendar';
      logger?.warn({ rotation: name, problem: entry.problem }, 'rotation calendar not read; the last one read stays in use');
    }
    entry.readAt = at;
  }

  return {
    async read() {
      const pending: Promise<void>[] = [];
      for (const [name, rotation] of Object.entries(config.oncall.rotations)) {
        if (rotation.calendar === undefined) continue;
        let entry = entries.get(name);
        if (entry === undefined) entries.set(name, (entry = { readAt: -Infinity, shifts: [] }));
        if (entry.pending) pending.push(entry.pending);
        else if (now() - entry.readAt >= rotation.calendar.refreshMinutes * 60_000) {
          const loading = entry;
          entry.pending = load(entry, name, rotation.calendar, rotation.timezone).finally(() => delete loading.pending);
          pending.push(entry.pending);
        }
      }
      await Promise.all(pending);
      const shifts = new Map<string, readonly CalendarShift[]>();
      const problems = new Map<string, string>();
      for (const [name, entry] of entries) {
        shifts.set(name, entry.shifts);
        if (entry.problem !== undefined) problems.set(name, entry.problem);
      }
      return { shifts, problems };
    },
  };
}

/** A read failure whose message is safe to show (it names no URL or token). */
class CalendarReadError extends Error {}

async function fetchText(calendar: RotationCalendarConfig, timeoutMs: number): Promise<string> {
  if (calendar.file !== undefined) {
    const text = await readFile(calendar.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CalendarReadError(`cannot read the calendar file (${error.code ?? 'error'})`);
    });
    if (text.length > MAX_BYTES) throw new CalendarReadError('the calendar file is larger than 5 MiB');
    return text;
  }
  const response = await fetch(calendar.url!, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) }).catch((error: Error) => {
    throw new CalendarReadError(`the calendar feed did not answer (${error.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : 'unreachable or redirected'})`);
  });
  if (!response.ok) throw new CalendarReadError(`the calendar feed answered HTTP ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_BYTES) throw new CalendarReadError('the calendar feed is larger than 5 MiB');
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new CalendarReadError('the calendar feed is larger than 5 MiB');
  return text;
}
