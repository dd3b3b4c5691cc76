import { describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../../../src/observability/create-metrics.js';

const NAMES = [
  'warden_http_requests_total',
  'warden_http_request_duration_seconds',
  'warden_alerts_received_total',
  'warden_intake_notifications_total',
  'warden_incidents_open',
  'warden_jobs',
  'warden_chat_api_calls_total',
  'warden_rate_limit_waits_total',
  'warden_storm_digests_total',
  'warden_jobs_processed_total',
];

/** Sample lines of one metric family (no HELP/TYPE), e.g. `warden_jobs{queue="notify",state="waiting"} 3`. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('createMetrics', () => {
  it('exposes every Warden metric with its type, and prefixed default process metrics', async () => {
    const metrics = createMetrics();
    const text = await metrics.registry.metrics();
    for (const name of NAMES) expect(text).toContain(`# HELP ${name} `);
    expect(text).toContain('# TYPE warden_http_requests_total counter');
    expect(text).toContain('# TYPE warden_http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE warden_incidents_open gauge');
    expect(text).toContain('# TYPE warden_jobs gauge');
    expect(text).toContain('# TYPE warden_jobs_processed_total counter');
    expect(text).toMatch(/^warden_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^warden_nodejs_eventloop_lag_seconds /m);
    // Every family is Warden's: nothing unprefixed leaks in from the defaults.
    for (const line of text.split('\n').filter((l) => l.startsWith('# TYPE '))) expect(line).toMatch(/^# TYPE warden_/);
    expect(metrics.registry.contentType).toMatch(/^text\/plain/);
  });

  it('records labelled counters and the request histogram with 1 ms to 5 s buckets', async () => {
    const metrics = createMetrics();
    metrics.httpRequests.inc({ method: 'POST', route: '/webhooks/alertmanager', status: '401' });
    metrics.httpRequests.inc({ method: 'POST', route: '/webhooks/alertmanager', status: '401' });
    metrics.httpRequestDuration.observe({ method: 'POST', route: '/webhooks/alertmanager' }, 0.004);
    metrics.alertsReceived.inc({ status: 'firing' }, 3);
    metrics.intakeNotifications.inc({ outcome: 'created' });
    metrics.chatApiCalls.inc({ platform: 'slack', method: 'chat.update', outcome: 'rate_limited' });
    metrics.rateLimitWaits.inc({ platform: 'lark', reason: 'retry_after' });
    metrics.stormDigests.inc({ platform: 'slack' });
    metrics.jobsProcessed.inc({ queue: 'notify', outcome: 'retried' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('warden_http_requests_total{method="POST",route="/webhooks/alertmanager",status="401"} 2');
    expect(text).toContain('warden_http_request_duration_seconds_bucket{le="0.001",method="POST",route="/webhooks/alertmanager"} 0');
    expect(text).toContain('warden_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/webhooks/alertmanager"} 1');
    expect(text).toContain('warden_http_request_duration_seconds_bucket{le="5",method="POST",route="/webhooks/alertmanager"} 1');
    expect(text).toContain('warden_alerts_received_total{status="firing"} 3');
    expect(text).toContain('warden_intake_notifications_total{outcome="created"} 1');
    expect(text).toContain('warden_chat_api_calls_total{platform="slack",method="chat.update",outcome="rate_limited"} 1');
    expect(text).toContain('warden_rate_limit_waits_total{platform="lark",reason="retry_after"} 1');
    expect(text).toContain('warden_storm_digests_total{platform="slack"} 1');
    expect(text).toContain('warden_jobs_processed_total{queue="notify",outcome="retried"} 1');
  });

  it('creates independent registries', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.stormDigests.inc({ platform: 'lark' });
    expect(samples(await first.registry.metrics(), 'warden_storm_digests_total')).toEqual(['warden_storm_digests_total{platform="lark"} 1']);
    expect(samples(await second.registry.metrics(), 'warden_storm_digests_total')).toEqual([]);
  });

  it('fills the gauges from the collectors at scrape time', async () => {
    const metrics = createMetrics();
    let open = 4;
    metrics.setCollectors({
      countOpenIncidents: async () => open,
      countJobs: async () => ({ notify: { waiting: 3, failed: 1 }, diagnose: { active: 2 } }),
    });
    let text = await metrics.registry.metrics();
    expect(samples(text, 'warden_incidents_open')).toEqual(['warden_incidents_open 4']);
    expect(samples(text, 'warden_jobs').sort()).toEqual([
      'warden_jobs{queue="diagnose",state="active"} 2',
      'warden_jobs{queue="notify",state="failed"} 1',
      'warden_jobs{queue="notify",state="waiting"} 3',
    ]);
    open = 9;
    text = await metrics.registry.metrics();
    expect(samples(text, 'warden_incidents_open')).toEqual(['warden_incidents_open 9']);
  });

  it('leaves the gauges empty when nothing is registered yet', async () => {
    const text = await createMetrics().registry.metrics();
    expect(samples(text, 'warden_incidents_open')).toEqual([]);
    expect(samples(text, 'warden_jobs')).toEqual([]);
  });

  it('still answers a scrape when collectors throw or reject, and drops stale values', async () => {
    const onCollectError = vi.fn();
    const metrics = createMetrics({ onCollectError });
    metrics.setCollectors({ countOpenIncidents: async () => 5, countJobs: async () => ({ notify: { waiting: 1 } }) });
    expect(samples(await metrics.registry.metrics(), 'warden_incidents_open')).toEqual(['warden_incidents_open 5']);

    metrics.httpRequests.inc({ method: 'GET', route: '/metrics', status: '200' });
    metrics.setCollectors({
      countOpenIncidents: () => {
        throw new Error('redis down');
      },
      countJobs: () => Promise.reject(new Error('redis down')),
    });
    const text = await metrics.registry.metrics();
    expect(samples(text, 'warden_incidents_open')).toEqual([]);
    expect(samples(text, 'warden_jobs')).toEqual([]);
    expect(text).toContain('warden_http_requests_total{method="GET",route="/metrics",status="200"} 1');
    expect(onCollectError).toHaveBeenCalledWith(expect.objectContaining({ message: 'redis down' }), 'warden_incidents_open');
    expect(onCollectError).toHaveBeenCalledWith(expect.objectContaining({ message: 'redis down' }), 'warden_jobs');
  });

  it('does not let a hanging collector hold up the scrape', async () => {
    const onCollectError = vi.fn();
    const metrics = createMetrics({ collectTimeoutMs: 50, onCollectError });
    metrics.setCollectors({ countOpenIncidents: () => new Promise<number>(() => {}), countJobs: async () => ({ remediate: { delayed: 1 } }) });
    const started = Date.now();
    const text = await metrics.registry.metrics();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(samples(text, 'warden_incidents_open')).toEqual([]);
    expect(samples(text, 'warden_jobs')).toEqual(['warden_jobs{queue="remediate",state="delayed"} 1']);
    expect(onCollectError).toHaveBeenCalledOnce();
    expect(String(onCollectError.mock.calls[0]?.[0])).toMatch(/within 50 ms/);
  });

  it('ignores non-numeric counts from a collector', async () => {
    const metrics = createMetrics();
    metrics.setCollectors({
      countOpenIncidents: async () => Number.NaN,
      countJobs: async () => ({ notify: { waiting: 2, bogus: 'x' as unknown as number } }),
    });
    const text = await metrics.registry.metrics();
    expect(samples(text, 'warden_incidents_open')).toEqual([]);
    expect(samples(text, 'warden_jobs')).toEqual(['warden_jobs{queue="notify",state="waiting"} 2']);
  });
});
