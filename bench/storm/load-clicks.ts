import { sendClicksEvenly } from '../slack-ack/send-clicks-evenly.js';

/** Signed Slack clicks sent at a fixed rate, and how fast they were acked. */
export interface ClickFigures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** Clicks written, and clicks answered 200. */
  sent: number;
  answered: number;
  problems: string[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Sends signed `block_actions` (slack-ack/click-factory.ts) to `<url>/slack/events` at `rate`
 * requests/s, evenly spaced (`sendClicksEvenly`), over at most `connections` keep-alive
 * connections for `seconds`. Every answer but 200, and every connection error, is a problem of the run.
 */
export async function loadClicks(name: string, url: string, signingSecret: string, o: { rate: number; seconds: number; connections: number }): Promise<ClickFigures> {
  const result = await sendClicksEvenly(url, signingSecret, o);
  const problems: string[] = [];
  for (const [status, count] of result.statuses) if (status !== 200) problems.push(`${name}: ${count} answers with status ${status}`);
  if (result.errors > 0) problems.push(`${name}: ${result.errors} connection errors or timeouts`);
  const sorted = Float64Array.from(result.latencies).sort();
  const answered = result.statuses.get(200) ?? 0;
  return {
    requestsPerSecond: round(answered / Math.max(o.seconds, result.durationSeconds), 1),
    latencyP50Ms: round(percentile(sorted, 50)),
    latencyP99Ms: round(percentile(sorted, 99)),
    latencyMaxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    sent: result.sent,
    answered,
    problems,
  };
}
