import { LIST_INCIDENTS_MAX_LIMIT, type IncidentCursor, type ListIncidents } from '../incidents/list-incidents.js';
import type { Incident } from '../model/incident.js';
import { CONSOLE_READ_DEFAULTS, type ConsoleReadLimits } from './console-deps.js';

/** One page of the list and what the scan behind it saw. */
export interface IncidentListScan {
  /** The page: the first `pageSize` matches after the cursor, newest first. */
  incidents: Incident[];
  /** Matches counted from the cursor on, the page's included: all of them when {@link complete}, else a lower bound. */
  matched: number;
  /** The scan reached the end of the time window: {@link matched} is exact. */
  complete: boolean;
  /** Incidents read: the request's `listMaxRead` when not {@link complete}. */
  read: number;
  /** When the scan stopped at `listMaxRead`: the `openedAt` of the last incident read. */
  stoppedAt?: number;
  /** Where the next page (older) starts: after the page's last incident, or after the last one read when the page could not be filled; absent when nothing older matches. */
  next?: IncidentCursor;
  /** The severities of the incidents read, lowercase (the severity filter's choices). */
  severities: string[];
  /** Matches per page (the request's `pageSize`). */
  pageSize: number;
}

const cursorOf = (incident: Incident): IncidentCursor => ({ openedAt: incident.openedAt, key: incident.key });

/**
 * Reads the incidents of the time window newest first, batch by batch from `after`, keeping the
 * first `pageSize` that `matches` and counting the rest, until the window ends or `listMaxRead`
 * incidents were read (`limits`, else {@link CONSOLE_READ_DEFAULTS}). Memory holds one batch and
 * the page, whatever the number of incidents.
 */
export async function scanIncidentList(
  listIncidents: ListIncidents,
  window: { since?: number; until?: number },
  matches: (incident: Incident) => boolean,
  after: IncidentCursor | undefined,
  limits: ConsoleReadLimits = {},
): Promise<IncidentListScan> {
  // Within what one listIncidents call answers: a shorter answer must mean the end of the window.
  const batchSize = Math.min(Math.max(1, limits.batch ?? CONSOLE_READ_DEFAULTS.batch), LIST_INCIDENTS_MAX_LIMIT);
  const pageSize = Math.max(1, limits.pageSize ?? CONSOLE_READ_DEFAULTS.pageSize);
  const maxRead = limits.listMaxRead ?? CONSOLE_READ_DEFAULTS.listMaxRead;
  const page: Incident[] = [];
  const severities = new Set<string>();
  let matched = 0;
  let read = 0;
  let position = after;
  let complete = false;
  while (read < maxRead) {
    const limit = Math.min(batchSize, maxRead - read);
    const batch = await listIncidents({ ...window, ...(position ? { after: position } : {}), limit });
    for (const incident of batch) {
      severities.add(incident.severity.toLowerCase());
      if (!matches(incident)) continue;
      matched++;
      if (page.length < pageSize) page.push(incident);
    }
    read += batch.length;
    if (batch.length > 0) position = cursorOf(batch.at(-1)!);
    // listIncidents answers fewer than asked only at the end of the window.
    if (batch.length < limit) {
      complete = true;
      break;
    }
  }
  // At the limit exactly: the window may have ended there too.
  if (!complete && position !== undefined) complete = (await listIncidents({ ...window, after: position, limit: 1 })).length === 0;
  const full = page.length === pageSize;
  // A full page continues after its last incident; one cut short by the limit, after the last incident read.
  const next = full ? (complete && matched === page.length ? undefined : cursorOf(page.at(-1)!)) : complete ? undefined : position;
  return {
    incidents: page,
    matched,
    complete,
    read,
    ...(!complete && position ? { stoppedAt: position.openedAt } : {}),
    ...(next ? { next } : {}),
    severities: [...severities].sort(),
    pageSize,
  };
}
