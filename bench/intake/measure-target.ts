import autocannon, { type AutocannonResult } from 'autocannon';
import type { PayloadFactory } from './payload.js';
import type { BenchChild } from './start-child.js';

/** How to load one target. */
export interface MeasureOptions {
  name: string;
  child: BenchChild;
  token: string;
  payloads: PayloadFactory;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Shown once a second while the measured run is going (e.g. a progress line). */
  onTick?: (second: number, responses: number) => void;
}

/** The figures of one target, plus what is needed to check the run was honest. */
export interface Measurement {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  peakRssMb: number;
  /** CPU time the server process spent per answered request in the measured run (user + system). */
  cpuMsPerRequest: number;
  /** Measured run: completed responses, 202s, and what went wrong. */
  responses: number;
  durationSeconds: number;
  problems: string[];
  /** Warm-up and measured run together: requests written and 202 responses received. */
  sentTotal: number;
  acceptedTotal: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Everything but 202 is a failure of the run: the benchmark only counts accepted notifications. */
function findProblems(phase: string, result: AutocannonResult): string[] {
  const problems: string[] = [];
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    if (status !== '202') problems.push(`${phase}: ${count} responses with status ${status}`);
  }
  if (result.errors > 0) problems.push(`${phase}: ${result.errors} connection errors (${result.timeouts} timeouts)`);
  if (result.resets > 0) problems.push(`${phase}: ${result.resets} request pipeline resets`);
  return problems;
}

async function load(options: MeasureOptions, seconds: number, latencies?: number[]): Promise<AutocannonResult> {
  const { payloads } = options;
  const instance = autocannon({
    url: `${options.child.url}/webhooks/alertmanager`,
    title: options.name,
    connections: options.connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    // A new group per request: the body is built when the request is about to be written.
    requests: [{ setupRequest: (request) => Object.assign(request, { body: payloads.next() }) }],
  });
  let second = 0;
  let responses = 0;
  if (latencies) {
    // autocannon's own histogram keeps whole milliseconds; these keep the exact figure.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      responses++;
    });
    instance.on('tick', () => {
      if (++second <= seconds) options.onTick?.(second, responses);
    });
  }
  return await instance;
}

/**
 * Warms the target up, then loads it for `durationSeconds` with `connections` keep-alive
 * connections, sampling the server's RSS throughout and its CPU time around the measured run.
 */
export async function measureTarget(options: MeasureOptions): Promise<Measurement> {
  const { child } = options;
  const stopSampling = child.sampleRss();
  const problems: string[] = [];
  let sentTotal = 0;
  let acceptedTotal = 0;

  if (options.warmupSeconds > 0) {
    const warmup = await load(options, options.warmupSeconds);
    problems.push(...findProblems('warm-up', warmup));
    sentTotal += warmup.requests.sent;
    acceptedTotal += warmup.statusCodeStats['202']?.count ?? 0;
  }

  const latencies: number[] = [];
  const before = await child.stats();
  const result = await load(options, options.durationSeconds, latencies);
  const after = await child.stats();
  const peakRss = Math.max(stopSampling(), after.rssBytes);
  problems.push(...findProblems('measured run', result));
  sentTotal += result.requests.sent;
  const accepted = result.statusCodeStats['202']?.count ?? 0;
  acceptedTotal += accepted;

  const sorted = Float64Array.from(latencies).sort();
  const cpuUs = after.cpuUserUs + after.cpuSystemUs - (before.cpuUserUs + before.cpuSystemUs);
  return {
    requestsPerSecond: accepted / result.duration,
    latencyP50Ms: percentile(sorted, 50),
    latencyP99Ms: percentile(sorted, 99),
    latencyMaxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    peakRssMb: peakRss / (1024 * 1024),
    cpuMsPerRequest: accepted > 0 ? cpuUs / 1000 / accepted : Number.NaN,
    responses: result.requests.total,
    durationSeconds: result.duration,
    problems,
    sentTotal,
    acceptedTotal,
  };
}
