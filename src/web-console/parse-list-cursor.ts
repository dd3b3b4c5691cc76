import { INCIDENT_KEY_PATTERN } from '../incidents/build-incident-key.js';
import type { IncidentCursor } from '../incidents/list-incidents.js';

/** The `after` query parameter of the list, parsed: no cursor (the first page), a cursor, or why it is malformed. */
export type ParsedListCursor = { ok: true; cursor?: IncidentCursor } | { ok: false; reason: string };

const CURSOR = /^(\d{1,15})\.(.{1,40})$/;

/** A cursor as the list's `after` parameter: `<openedAt>.<key>`, e.g. `1764151200000.inc-0123456789ab`. */
export function formatListCursor(cursor: IncidentCursor): string {
  return `${cursor.openedAt}.${cursor.key}`;
}

/**
 * The list's `after` parameter (from a "Older incidents" link): absent or empty is the first page;
 * anything but one `<openedAt>.<key>` with a real incident key is malformed (the page answers 400).
 */
export function parseListCursor(value: unknown): ParsedListCursor {
  if (value === undefined || value === '') return { ok: true };
  const reason = 'the "after" parameter of this link is malformed: it should be <opened-at ms>.<incident key>, as the "Older incidents" link writes it; start again from the newest incidents';
  if (typeof value !== 'string') return { ok: false, reason };
  const match = CURSOR.exec(value);
  if (!match || !INCIDENT_KEY_PATTERN.test(match[2]!)) return { ok: false, reason };
  return { ok: true, cursor: { openedAt: Number(match[1]), key: match[2]! } };
}
