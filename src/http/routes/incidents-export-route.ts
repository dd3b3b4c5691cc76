import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WardenError } from '../../errors/warden-error.js';
import { LIST_INCIDENTS_DEFAULT_LIMIT, LIST_INCIDENTS_MAX_LIMIT, type ListIncidents } from '../../incidents/list-incidents.js';
import { INCIDENT_ROW_COLUMNS, toIncidentRows } from '../../incidents/to-incident-rows.js';
import { checkWebhookAuthorization } from '../check-webhook-authorization.js';

/** Options for {@link registerIncidentsExportRoute}. */
export interface IncidentsExportOptions {
  /** `api.readToken` of the config; undefined turns the export off (every request is refused). */
  token: string | undefined;
  /** `listIncidents` bound to Warden's Redis and keys. */
  listIncidents: ListIncidents;
}

/** A CSV cell value: strings are untrusted (alert labels), numbers are Warden's own. */
export type CsvValue = string | number | null | undefined;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 cell: a string that a spreadsheet would take for a formula gets a leading `'`; a
 * cell with a comma, quote or line break is quoted, its quotes doubled. `null` is an empty cell.
 * Numbers are written as they are (a negative number is not a formula).
 */
export function escapeCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text: a header row, then one record per row, each line ended by CRLF. */
export function formatCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  let csv = `${columns.map(escapeCsvCell).join(',')}\r\n`;
  for (const row of rows) csv += `${row.map(escapeCsvCell).join(',')}\r\n`;
  return csv;
}

const isoTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date or time, e.g. 2026-11-20 or 2026-11-20T10:00:00Z' })
  .transform((value) => Date.parse(value));

const querySchema = z
  .strictObject({
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
    since: isoTime.optional(),
    until: isoTime.optional(),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(LIST_INCIDENTS_MAX_LIMIT, { error: `must be at most ${LIST_INCIDENTS_MAX_LIMIT}` })
      .default(LIST_INCIDENTS_DEFAULT_LIMIT),
  })
  .refine((query) => query.since === undefined || query.until === undefined || query.since < query.until, {
    path: ['until'],
    error: 'must be after since',
  });

function invalidQuery(error: z.ZodError): WardenError {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    return new WardenError('invalid_query', `unknown query parameter ${issue.keys.map((key) => key.slice(0, 40)).join(', ')} (known: format, since, until, limit)`);
  }
  const name = String(issue?.path[0] ?? 'query');
  return new WardenError('invalid_query', `invalid query parameter ${name}: ${issue?.message ?? 'invalid'}`);
}

/**
 * `GET /api/incidents[?format=csv|json][&since=…][&until=…][&limit=…]`: every incident (open and
 * closed, newest first, by when it opened: `since` inclusive, `until` exclusive) with its times,
 * time to acknowledge, to contain and to resolve. The read token (Bearer, or the Basic password) is checked
 * before anything else; errors go through the server's error handler (`send-error.ts`).
 */
export function registerIncidentsExportRoute(app: FastifyInstance, options: IncidentsExportOptions): void {
  app.get(
    '/api/incidents',
    {
      onRequest: async (request) => {
        if (options.token === undefined) {
          throw new WardenError('unauthorized', 'the incident export is off: set api.readToken (${WARDEN_API_READ_TOKEN}) in the Warden config');
        }
        if (!checkWebhookAuthorization(request.headers.authorization, options.token)) {
          throw new WardenError('unauthorized', 'missing or invalid Authorization (Bearer token or Basic password)');
        }
      },
    },
    async (request, reply) => {
      const parsed = querySchema.safeParse(request.query ?? {});
      if (!parsed.success) throw invalidQuery(parsed.error);
      const { format, since, until, limit } = parsed.data;
      const rows = toIncidentRows(await options.listIncidents({ since, until, limit }));
      reply.header('cache-control', 'no-store');
      if (format === 'json') return reply.type('application/json; charset=utf-8').send({ incidents: rows });
      const csv = formatCsv(
        INCIDENT_ROW_COLUMNS,
        rows.map((row) => INCIDENT_ROW_COLUMNS.map((column) => row[column])),
      );
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="incidents.csv"').send(csv);
    },
  );
}
