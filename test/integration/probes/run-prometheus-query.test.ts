import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/probes/run-probe.js';
import { runPrometheusQuery, type PrometheusAction } from '../../../src/probes/run-prometheus-query.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { findFreePort, startPrometheus, type StartedPrometheus } from '../../support/start-prometheus.js';
import { makeAlert, makeIncident } from '../../unit/actions/incident-fixture.js';

let prometheus: StartedPrometheus;

function query(fields: Record<string, unknown>): PrometheusAction {
  return actionSchema.parse({ kind: 'prometheus', phase: 'analyze', title: 'Scrape health', url: prometheus.url, timeoutSeconds: 5, ...fields }) as PrometheusAction;
}

const INSTANCE_PATTERN = '^[A-Za-z0-9.:_-]{1,253}$';

beforeAll(async () => {
  prometheus = await startPrometheus();
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('runPrometheusQuery against a real Prometheus', () => {
  it('probes each alerted instance with a templated query', async () => {
    const action = query({ query: 'up{job="prometheus",instance="{{ labels.instance }}"}', params: { 'labels.instance': INSTANCE_PATTERN } });
    const results = await runProbe('scrape-health', action, makeIncident(), [makeAlert({ instance: prometheus.instance })]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      actionId: 'scrape-health',
      title: 'Scrape health',
      target: `instance=${prometheus.instance}`,
      ok: true,
      summary: `1 (instance=${prometheus.instance}, job=prometheus)`,
    });
  });

  it('fails when a sample is above the threshold', async () => {
    const action = query({ query: 'up{job="prometheus"}', threshold: 0.5 });
    const result = await runPrometheusQuery(action, {});
    expect(result).toMatchObject({ ok: false, summary: `1 (instance=${prometheus.instance}, job=prometheus) — above threshold 0.5` });
    expect((await runPrometheusQuery(query({ query: 'up{job="prometheus"}', threshold: 1 }), {})).ok).toBe(true);
  });

  it('reads a scalar and says "no data" for an empty vector', async () => {
    expect(await runPrometheusQuery(query({ query: 'scalar(up{job="prometheus"}) * 2' }), {})).toMatchObject({ ok: true, summary: '2' });
    expect(await runPrometheusQuery(query({ query: 'up{job="no-such-job"}' }), {})).toMatchObject({ ok: true, summary: 'no data' });
  });

  it('lists at most five series, highest first', async () => {
    const series = Array.from({ length: 7 }, (_, i) => `label_replace(vector(${i}), "n", "${i}", "", "")`).join(' or ');
    const result = await runPrometheusQuery(query({ query: series }), {});
    expect(result.summary).toBe('6 (n=6); 5 (n=5); 4 (n=4); 3 (n=3); 2 (n=2); +2 more series');
  });

  it('reports an API error for bad PromQL', async () => {
    const result = await runPrometheusQuery(query({ query: 'sum(up{' }), {});
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^Prometheus error \(bad_data\): .*parse error/);
  });

  it('keeps label values inside the PromQL string when a lax pattern lets odd values through', async () => {
    const action = query({ query: 'up{instance="{{ labels.instance }}"}', params: { 'labels.instance': '^[\\s\\S]{1,200}$' } });
    for (const value of ['x"} or vector(1) #', 'x"} or vector(1) or up{a="', 'x\\', 'x\n"} or vector(1)', 'x\u0001\t\r', '`id`', "'x"]) {
      const result = await runPrometheusQuery(action, { 'labels.instance': value });
      expect({ value, ...result }).toMatchObject({ value, ok: true, summary: 'no data' });
    }
  });

  it('reports a non-JSON answer', async () => {
    const result = await runPrometheusQuery(query({ url: `${prometheus.url}/no-such-prefix`, query: 'up' }), {});
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^HTTP 404, not a Prometheus API answer/);
  });

  it('reports an unreachable server', async () => {
    const port = await findFreePort();
    const result = await runPrometheusQuery(query({ url: `http://127.0.0.1:${port}`, query: 'up' }), {});
    expect(result).toMatchObject({ ok: false, summary: 'connection refused' });
  });
});
