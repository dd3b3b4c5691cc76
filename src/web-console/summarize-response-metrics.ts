import type { Incident } from '../model/incident.js';

/** The response times the console charts, each from the incident's opening. */
export const RESPONSE_METRICS = [
  { id: 'mtta', title: 'Mean time to acknowledge', milestone: 'acknowledged' },
  { id: 'mttc', title: 'Mean time to contain', milestone: 'contained' },
  { id: 'mttr', title: 'Mean time to resolve', milestone: 'resolved' },
] as const;

export type ResponseMetricId = (typeof RESPONSE_METRICS)[number]['id'];

/** One week and severity: how many incidents opened, and their mean times in minutes (null: none reached it). */
export interface ResponseMetricsRow {
  /** Monday 00:00 UTC of the week (epoch ms). */
  week: number;
  severity: string;
  incidents: number;
  mtta: number | null;
  mttc: number | null;
  mttr: number | null;
}

/** What the metrics page shows and its charts draw. */
export interface ResponseMetrics {
  /** Week starts, oldest first (epoch ms). */
  weeks: number[];
  severities: string[];
  rows: ResponseMetricsRow[];
  /** metric → severity → one mean per week (minutes; null for a week without a value). */
  series: Record<ResponseMetricId, Record<string, (number | null)[]>>;
}

const WEEK_MS = 7 * 86_400_000;

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: number): number {
  const day = Math.floor(at / 86_400_000);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  return (day - ((day + 3) % 7)) * 86_400_000;
}

function minutesTo(incident: Incident, milestone: 'acknowledged' | 'contained' | 'resolved'): number | undefined {
  const at = milestone === 'acknowledged' ? incident.acknowledgedAt : milestone === 'contained' ? incident.containedAt : (incident.closedAt ?? incident.resolvedAt);
  if (at === undefined || !Number.isFinite(at)) return undefined;
  return Math.max(0, at - incident.openedAt) / 60_000;
}

/** Adds incidents one at a time and gives the metrics of those added: memory per week and severity, not per incident. */
export interface ResponseMetricsAccumulator {
  add(incident: Incident): void;
  /** The metrics of every incident added so far. */
  finish(): ResponseMetrics;
}

/** One week and severity's running sums. */
interface Group {
  incidents: number;
  sums: Record<ResponseMetricId, number>;
  counts: Record<ResponseMetricId, number>;
}

function mean(sum: number, count: number): number | null {
  if (count === 0) return null;
  return Math.round((sum / count) * 10) / 10;
}

/**
 * The accumulator behind {@link summarizeResponseMetrics}, for incidents read batch by batch: exact
 * means (a sum and a count per week, severity and metric), whatever the number of incidents.
 */
export function createResponseMetricsAccumulator(now: number, weeks: number): ResponseMetricsAccumulator {
  const last = weekStart(now);
  const starts = Array.from({ length: weeks }, (_, i) => last - (weeks - 1 - i) * WEEK_MS);
  const groups = new Map<string, Group>();
  const severities = new Set<string>();
  return {
    add(incident) {
      const week = weekStart(incident.openedAt);
      if (week < starts[0]! || week > last) return;
      const severity = incident.severity.toLowerCase();
      severities.add(severity);
      const id = `${week}|${severity}`;
      let group = groups.get(id);
      if (group === undefined) {
        group = { incidents: 0, sums: { mtta: 0, mttc: 0, mttr: 0 }, counts: { mtta: 0, mttc: 0, mttr: 0 } };
        groups.set(id, group);
      }
      group.incidents++;
      for (const metric of RESPONSE_METRICS) {
        const minutes = minutesTo(incident, metric.milestone);
        if (minutes === undefined) continue;
        group.sums[metric.id] += minutes;
        group.counts[metric.id]++;
      }
    },
    finish() {
      const sorted = [...severities].sort();
      const rows: ResponseMetricsRow[] = [];
      const series = Object.fromEntries(RESPONSE_METRICS.map((metric) => [metric.id, Object.fromEntries(sorted.map((severity) => [severity, starts.map(() => null)]))])) as ResponseMetrics['series'];
      for (const [w, week] of starts.entries()) {
        for (const severity of sorted) {
          const group = groups.get(`${week}|${severity}`);
          if (group === undefined) continue;
          const row: ResponseMetricsRow = { week, severity, incidents: group.incidents, mtta: null, mttc: null, mttr: null };
          for (const metric of RESPONSE_METRICS) {
            const value = mean(group.sums[metric.id], group.counts[metric.id]);
            row[metric.id] = value;
            series[metric.id][severity]![w] = value;
          }
          rows.push(row);
        }
      }
      return { weeks: starts, severities: sorted, rows, series };
    },
  };
}

/**
 * MTTA, time to contain and MTTR per week (by when each incident opened) and severity, over the
 * `weeks` weeks up to the one holding `now`: the means of the milestones incidents reached
 * (`acknowledgedAt`, `containedAt`, `closedAt` or else `resolvedAt`). Pure.
 */
export function summarizeResponseMetrics(incidents: readonly Incident[], now: number, weeks: number): ResponseMetrics {
  const accumulator = createResponseMetricsAccumulator(now, weeks);
  for (const incident of incidents) accumulator.add(incident);
  return accumulator.finish();
}
