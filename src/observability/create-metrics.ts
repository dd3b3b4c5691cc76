import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createEventLoopDelayMetric } from './create-event-loop-delay-metric.js';
import { createIncidentMetrics, type IncidentMetrics } from './create-incident-metrics.js';

/** Callbacks that read state at scrape time; registered once the store and queues exist. */
export interface MetricsCollectors {
  /** Number of incidents that are not closed. */
  countOpenIncidents: () => Promise<number>;
  /** Job counts per queue, then per state (`waiting`, `active`, `delayed`, `failed`, …). */
  countJobs: () => Promise<Record<string, Record<string, number>>>;
  /** Open checklist runs per checklist, and how many of them are past due. */
  countOpenRuns?: () => Promise<Record<string, { open: number; overdue: number }>>;
  /** Whether the Lark long connection is open; absent when Lark does not use one. */
  larkConnectionUp?: () => boolean;
}

/** Options of {@link createMetrics}. */
export interface CreateMetricsOptions {
  /** A collector that has not answered after this long is skipped for this scrape. Default 2000 ms. */
  collectTimeoutMs?: number;
  /** Told when a collector throws or times out (the gauge is then left without a value). */
  onCollectError?: (error: unknown, metric: string) => void;
}

/** Warden's Prometheus metrics: one registry and every metric Warden updates. */
export interface WardenMetrics extends IncidentMetrics {
  /** Serve `registry.metrics()` with `registry.contentType` on `GET /metrics`. */
  readonly registry: Registry;
  /** `warden_http_requests_total`; `route` is the route pattern, never the raw URL. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** `warden_http_request_duration_seconds`. */
  readonly httpRequestDuration: Histogram<'method' | 'route'>;
  /** `warden_alerts_received_total`, by alert `status` (`firing` / `resolved`). */
  readonly alertsReceived: Counter<'status'>;
  /** `warden_intake_notifications_total`, by `outcome` (`created` / `updated` / `unchanged` / `rejected`). */
  readonly intakeNotifications: Counter<'outcome'>;
  /** `warden_incidents_open`, filled at scrape time by `countOpenIncidents`. */
  readonly incidentsOpen: Gauge;
  /** `warden_jobs{queue,state}`, filled at scrape time by `countJobs`. */
  readonly jobs: Gauge<'queue' | 'state'>;
  /** `warden_chat_api_calls_total`; `outcome` is `ok` / `rate_limited` / `rejected` / `unavailable`. */
  readonly chatApiCalls: Counter<'platform' | 'method' | 'outcome'>;
  /** `warden_rate_limit_waits_total`; `reason` is `budget` (own budget) or `retry_after` (a 429). */
  readonly rateLimitWaits: Counter<'platform' | 'reason'>;
  /** `warden_storm_digests_total`: digest cards sent instead of one card per incident. */
  readonly stormDigests: Counter<'platform'>;
  /** `warden_checklist_runs_open{checklist,overdue}`, filled at scrape time by `countOpenRuns`. */
  readonly checklistRunsOpen: Gauge<'checklist' | 'overdue'>;
  /** `warden_jobs_processed_total`; `outcome` is `completed` / `failed` / `retried`. */
  readonly jobsProcessed: Counter<'queue' | 'outcome'>;
  /**
   * `warden_uncaught_errors_total`: errors nothing caught (`origin` is `uncaughtException` or
   * `unhandledRejection`), logged and counted by `guardProcess` instead of ending the process.
   */
  readonly uncaughtErrors: Counter<'origin'>;
  /** `warden_lark_connection_up`: 1 while the Lark long connection is open, 0 while not; absent without one. */
  readonly larkConnectionUp: Gauge;
  /** `warden_event_loop_delay_seconds{quantile}`: the event loop's delay since the previous scrape (see `createEventLoopDelayMetric`). */
  readonly eventLoopDelay: Gauge<'quantile'>;
  /** `warden_worker_concurrency{queue}`: jobs a queue's worker takes at once now (lower than configured while the intake is busy). */
  readonly workerConcurrency: Gauge<'queue'>;
  /** Registers the scrape-time callbacks; a later call replaces the earlier ones. */
  setCollectors(collectors: MetricsCollectors): void;
}

/** Buckets from 1 ms to 5 s: webhook intake is a few ms, chat-facing acks must stay well under 3 s. */
export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

const TIMED_OUT = Symbol('timed out');

/**
 * Creates a fresh prom-client registry (never the global one, so any number can coexist) with the
 * default process metrics prefixed `warden_` and Warden's own metrics. The two gauges are read from
 * the callbacks given to `setCollectors` at each scrape; a callback that throws, rejects or times
 * out leaves its gauge without a value instead of failing the scrape.
 */
export function createMetrics(options: CreateMetricsOptions = {}): WardenMetrics {
  const timeoutMs = options.collectTimeoutMs ?? 2000;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'warden_' });

  let collectors: MetricsCollectors | undefined;

  // Resolves to the callback's value, or undefined (reported) if it failed or was too slow.
  async function read<T>(metric: string, callback: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, TIMED_OUT);
    });
    try {
      const value = await Promise.race([Promise.resolve().then(callback), timeout]);
      if (value === TIMED_OUT) throw new Error(`${metric} collector did not answer within ${timeoutMs} ms`);
      return value;
    } catch (error) {
      options.onCollectError?.(error, metric);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  const incidentsOpen = new Gauge({
    name: 'warden_incidents_open',
    help: 'Incidents that are not closed.',
    registers,
    async collect() {
      // A failed read must leave no sample: neither the previous value nor the 0 that reset() puts
      // in an unlabelled gauge, which would read as "no open incidents".
      this.remove();
      if (!collectors) return;
      const count = await read('warden_incidents_open', collectors.countOpenIncidents);
      if (typeof count === 'number' && Number.isFinite(count)) this.set(count);
    },
  });

  const jobs = new Gauge({
    name: 'warden_jobs',
    help: 'Jobs per queue and state.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      if (!collectors) return;
      const counts = await read('warden_jobs', collectors.countJobs);
      for (const [queue, states] of Object.entries(counts ?? {})) {
        for (const [state, count] of Object.entries(states)) {
          if (typeof count === 'number' && Number.isFinite(count)) this.set({ queue, state }, count);
        }
      }
    },
  });

  const checklistRunsOpen = new Gauge({
    name: 'warden_checklist_runs_open',
    help: 'Open checklist runs per checklist; overdue="true" counts those past their due time.',
    labelNames: ['checklist', 'overdue'] as const,
    registers,
    async collect() {
      this.reset();
      if (!collectors?.countOpenRuns) return;
      const counts = await read('warden_checklist_runs_open', collectors.countOpenRuns);
      for (const [checklist, { open, overdue }] of Object.entries(counts ?? {})) {
        this.set({ checklist, overdue: 'false' }, open - overdue);
        this.set({ checklist, overdue: 'true' }, overdue);
      }
    },
  });

  const larkConnectionUp = new Gauge({
    name: 'warden_lark_connection_up',
    help: 'Whether the Lark long connection (lark.transport: websocket) is open: 1 open, 0 connecting or reconnecting.',
    registers,
    collect() {
      // No sample at all when Lark does not use the long connection, rather than a misleading 0.
      this.remove();
      if (collectors?.larkConnectionUp) this.set(collectors.larkConnectionUp() ? 1 : 0);
    },
  });

  return {
    ...createIncidentMetrics(registers),
    larkConnectionUp,
    eventLoopDelay: createEventLoopDelayMetric(registers),
    workerConcurrency: new Gauge({
      name: 'warden_worker_concurrency',
      help: 'Jobs a queue\'s worker takes at once now; lower than configured while the event loop runs late in a process that also answers requests.',
      labelNames: ['queue'] as const,
      registers,
    }),
    registry,
    httpRequests: new Counter({
      name: 'warden_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'warden_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method and route pattern.',
      labelNames: ['method', 'route'] as const,
      buckets: [...HTTP_DURATION_BUCKETS],
      registers,
    }),
    alertsReceived: new Counter({
      name: 'warden_alerts_received_total',
      help: 'Alerts received in Alertmanager webhook notifications, by status.',
      labelNames: ['status'] as const,
      registers,
    }),
    intakeNotifications: new Counter({
      name: 'warden_intake_notifications_total',
      help: 'Alertmanager webhook notifications, by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    incidentsOpen,
    jobs,
    checklistRunsOpen,
    chatApiCalls: new Counter({
      name: 'warden_chat_api_calls_total',
      help: 'Chat platform API calls, by platform, method and outcome.',
      labelNames: ['platform', 'method', 'outcome'] as const,
      registers,
    }),
    rateLimitWaits: new Counter({
      name: 'warden_rate_limit_waits_total',
      help: 'Chat sends delayed by an outbound budget or a Retry-After, by platform and reason.',
      labelNames: ['platform', 'reason'] as const,
      registers,
    }),
    stormDigests: new Counter({
      name: 'warden_storm_digests_total',
      help: 'Digest cards sent during an alert storm, by platform.',
      labelNames: ['platform'] as const,
      registers,
    }),
    jobsProcessed: new Counter({
      name: 'warden_jobs_processed_total',
      help: 'Jobs processed, by queue and outcome.',
      labelNames: ['queue', 'outcome'] as const,
      registers,
    }),
    uncaughtErrors: new Counter({
      name: 'warden_uncaught_errors_total',
      help: 'Errors nothing caught, logged and survived instead of ending the process, by origin.',
      labelNames: ['origin'] as const,
      registers,
    }),
    setCollectors(next) {
      collectors = next;
    },
  };
}
