import { LIST_INCIDENTS_MAX_LIMIT, type IncidentCursor, type ListIncidents } from '../incidents/list-incidents.js';
import { CONSOLE_READ_DEFAULTS, type ConsoleReadLimits } from './console-deps.js';
import { createResponseMetricsAccumulator, type ResponseMetrics } from './summarize-response-metrics.js';

/** How much of the weeks the metrics cover. */
export interface MetricsCoverage {
  /** Incidents read: every incident opened in the weeks when {@link complete}, else the request's `metricsMaxRead`. */
  read: number;
  /** Every incident of the weeks was read. */
  complete: boolean;
  /** When the read stopped at its limit: the `openedAt` of the last (oldest) incident read; older ones are missing from the figures. */
  stoppedAt?: number;
}

/** The response metrics and their coverage (`/console/metrics.json` answers both). */
export interface ResponseMetricsReading extends ResponseMetrics {
  coverage: MetricsCoverage;
}

/**
 * The response metrics of the `weeks` weeks up to the one holding `now` (see
 * `summarizeResponseMetrics`), read newest first in batches of `batch` incidents and added to running
 * sums: memory holds one batch, whatever the number of incidents. Stops after `metricsMaxRead`
 * incidents, and says so in `coverage` (`limits`, else {@link CONSOLE_READ_DEFAULTS}).
 */
export async function readResponseMetrics(listIncidents: ListIncidents, now: number, weeks: number, limits: ConsoleReadLimits = {}): Promise<ResponseMetricsReading> {
  // Within what one listIncidents call answers: a shorter answer must mean the end of the window.
  const batchSize = Math.min(Math.max(1, limits.batch ?? CONSOLE_READ_DEFAULTS.batch), LIST_INCIDENTS_MAX_LIMIT);
  const maxRead = limits.metricsMaxRead ?? CONSOLE_READ_DEFAULTS.metricsMaxRead;
  const accumulator = createResponseMetricsAccumulator(now, weeks);
  // A week further back than the weeks shown, so the first week is whole; the accumulator leaves out what opened before it.
  const since = now - weeks * 7 * 86_400_000 - 7 * 86_400_000;
  let read = 0;
  let after: IncidentCursor | undefined;
  let complete = false;
  while (read < maxRead) {
    const limit = Math.min(batchSize, maxRead - read);
    const batch = await listIncidents({ since, ...(after ? { after } : {}), limit });
    for (const incident of batch) accumulator.add(incident);
    read += batch.length;
    const last = batch.at(-1);
    if (last) after = { openedAt: last.openedAt, key: last.key };
    if (batch.length < limit) {
      complete = true;
      break;
    }
  }
  // At the limit exactly: the window may have ended there too.
  if (!complete && after !== undefined) complete = (await listIncidents({ since, after, limit: 1 })).length === 0;
  return { ...accumulator.finish(), coverage: { read, complete, ...(!complete && after ? { stoppedAt: after.openedAt } : {}) } };
}
