import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Measurement } from './measure-target.js';

/** The target the issue sets: intake at 40 % or more of the bare route's req/s, p99 under 20 ms. */
export const TARGET = { ratio: 0.4, p99Ms: 20 } as const;

/** Figures of one target as written to the results file. */
export type TargetFigures = Pick<Measurement, 'requestsPerSecond' | 'latencyP50Ms' | 'latencyP99Ms' | 'latencyMaxMs' | 'peakRssMb' | 'cpuMsPerRequest'>;

/** `bench/results/intake.json`. */
export interface IntakeReport {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; redis: string };
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  payloadBytes: number;
  alertsPerRequest: number;
  bare: TargetFigures;
  intake: TargetFigures & {
    /** Open incidents in Redis after the run; one per request answered 202 (warm-up included). */
    incidents: number;
    redis: {
      appendfsync: string;
      peakRssMb: number;
      cpuMsPerRequest: number;
      /** Calls and server time (µs) per accepted request by command; a script's time includes the commands it calls. */
      perRequest: Record<string, { calls: number; usec: number }>;
    };
  };
  ratio: number;
  target: typeof TARGET;
  meetsTarget: boolean;
  /**
   * With `--ceilings`: Warden's route with the store swapped for something cheaper, each with its
   * ratio to the bare route. `http`: no store at all; `append`: one XADD per notification.
   */
  ceilings?: Partial<Record<'http' | 'append', TargetFigures & { ratio: number }>>;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The figures of a measurement, rounded for the file. */
export function toFigures(m: Measurement): TargetFigures {
  return {
    requestsPerSecond: round(m.requestsPerSecond, 1),
    latencyP50Ms: round(m.latencyP50Ms, 2),
    latencyP99Ms: round(m.latencyP99Ms, 2),
    latencyMaxMs: round(m.latencyMaxMs, 2),
    peakRssMb: round(m.peakRssMb, 1),
    cpuMsPerRequest: round(m.cpuMsPerRequest, 3),
  };
}

/** Writes the report as JSON (creating the folder) and returns the short table printed after a run. */
export function writeReport(file: string | undefined, report: IntakeReport): string {
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  }
  const row = (name: string, f: TargetFigures) =>
    `${name.padEnd(16)}${f.requestsPerSecond.toFixed(0).padStart(9)}${f.latencyP50Ms.toFixed(2).padStart(9)}${f.latencyP99Ms.toFixed(2).padStart(9)}` +
    `${f.peakRssMb.toFixed(1).padStart(13)}${f.cpuMsPerRequest.toFixed(3).padStart(12)}`;
  const { intake } = report;
  const verdict = report.meetsTarget ? 'TARGET MET' : 'TARGET MISSED';
  return [
    `intake benchmark — ${report.connections} connections, ${report.durationSeconds} s per target after ${report.warmupSeconds} s warm-up, ` +
      `${report.payloadBytes}-byte bodies (${report.alertsPerRequest} alerts, a new group each)`,
    `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, Redis ${report.machine.redis} (AOF appendfsync ${intake.redis.appendfsync})`,
    '',
    `${'target'.padEnd(16)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'peak RSS MB'.padStart(13)}${'CPU ms/req'.padStart(12)}`,
    row('bare Fastify', report.bare),
    row('Warden intake', intake),
    ...(report.ceilings?.http ? [row('ceiling: http', report.ceilings.http)] : []),
    ...(report.ceilings?.append ? [row('ceiling: append', report.ceilings.append)] : []),
    '',
    `Redis during intake: ${intake.redis.cpuMsPerRequest.toFixed(3)} ms CPU per request, peak RSS ${intake.redis.peakRssMb.toFixed(1)} MB; ` +
      `calls per request (server µs): ${Object.entries(intake.redis.perRequest)
        .map(([name, row]) => `${row.calls} ${name} (${row.usec})`)
        .join(', ')}`,
    `${intake.incidents} incidents in Redis, one per accepted request`,
    '',
    ...(report.ceilings
      ? [
          `ceilings (ratio to bare): ${Object.entries(report.ceilings)
            .map(([name, c]) => `${name} ${c.ratio.toFixed(3)}`)
            .join(', ')}`,
        ]
      : []),
    `ratio ${report.ratio.toFixed(3)} (target ≥ ${TARGET.ratio}), Warden p99 ${intake.latencyP99Ms.toFixed(2)} ms (target < ${TARGET.p99Ms} ms): ${verdict}`,
    ...(file ? [`written to ${file}`] : []),
  ].join('\n');
}
