import { describe, expect, it } from 'vitest';
import { MAX_PROBE_TARGETS, runProbe } from '../../../src/probes/run-probe.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { makeAlert, makeIncident } from '../actions/incident-fixture.js';

const healthCheck = actionSchema.parse({
  kind: 'http-check',
  phase: 'analyze',
  title: 'Node health',
  url: 'http://{{ labels.instance }}/healthz',
  allowHosts: [...Array.from({ length: 10 }, (_, i) => `web-${i}`), 'old', 'common'],
  params: { 'labels.instance': '^[A-Za-z0-9.:_-]{1,253}$' },
});

const errorRate = actionSchema.parse({
  kind: 'prometheus',
  phase: 'analyze',
  title: 'Error rate',
  url: 'http://127.0.0.1:9090',
  query: 'sum(rate(errors_total{instance="{{ labels.instance }}",job="{{ labels.job }}"}[5m]))',
  params: { 'labels.instance': '^[A-Za-z0-9.:_-]{1,253}$', 'labels.job': '^[a-z-]{1,64}$' },
  threshold: 0.1,
});

/** A fetch that records every URL and answers from `answer`. */
function recordingFetch(answer: (url: URL) => Response = () => new Response('ok')) {
  const urls: URL[] = [];
  const fake = (async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    urls.push(url);
    return answer(url);
  }) as typeof fetch;
  return { fetch: fake, urls };
}

const clock = () => {
  let t = 1_000;
  return () => (t += 5);
};

describe('runProbe', () => {
  it('refuses remediations', async () => {
    const remediation = actionSchema.parse({ kind: 'exec', phase: 'isolate', title: 'Pause', argv: ['/usr/bin/true'] });
    const error = await runProbe('pause', remediation, makeIncident(), []).catch((e: unknown) => e);
    expect(isWardenError(error, 'not_a_probe')).toBe(true);
    expect((error as Error).message).toContain('"pause" (kind exec) is a remediation');
  });

  it('probes each distinct instance among the firing alerts, labelled with its target', async () => {
    const { fetch, urls } = recordingFetch((url) => new Response(null, { status: url.host === 'web-2:9100' ? 503 : 200 }));
    const alerts = [
      makeAlert({ instance: 'web-1:9100', path: '/a' }),
      makeAlert({ instance: 'web-1:9100', path: '/b' }),
      makeAlert({ instance: 'web-2:9100' }),
      makeAlert({ instance: 'web-3:9100' }, 'resolved'),
    ];
    const results = await runProbe('node-health', healthCheck, makeIncident(), alerts, { fetch, now: clock() });
    expect(urls.map(String).sort()).toEqual(['http://web-1:9100/healthz', 'http://web-2:9100/healthz']);
    expect(results.map((r) => [r.actionId, r.title, r.target, r.ok])).toEqual([
      ['node-health', 'Node health', 'instance=web-1:9100', true],
      ['node-health', 'Node health', 'instance=web-2:9100', false],
    ]);
    expect(results[1]!.summary).toMatch(/^HTTP 503 in \d+ ms \(expected 2xx\)$/);
  });

  it('falls back to resolved alerts, then to commonLabels', async () => {
    const first = recordingFetch();
    await runProbe('node-health', healthCheck, makeIncident(), [makeAlert({ instance: 'old:1' }, 'resolved')], { fetch: first.fetch });
    expect(first.urls.map(String)).toEqual(['http://old:1/healthz']);

    const second = recordingFetch();
    const incident = makeIncident({ commonLabels: { instance: 'common:2' } });
    const results = await runProbe('node-health', healthCheck, incident, [], { fetch: second.fetch });
    expect(second.urls.map(String)).toEqual(['http://common:2/healthz']);
    expect(results[0]!.target).toBe('instance=common:2');
  });

  it('combines several labels into one target and renders the PromQL', async () => {
    const { fetch, urls } = recordingFetch(() => Response.json({ status: 'success', data: { resultType: 'vector', result: [] } }));
    const alerts = [makeAlert({ instance: 'web-1:9100' }), makeAlert({ instance: 'web-1:9100', job: 'batch' })];
    const results = await runProbe('error-rate', errorRate, makeIncident(), alerts, { fetch });
    expect(results.map((r) => r.target)).toEqual(['instance=web-1:9100, job=api', 'instance=web-1:9100, job=batch']);
    expect(urls.map((u) => u.searchParams.get('query'))).toEqual([
      'sum(rate(errors_total{instance="web-1:9100",job="api"}[5m]))',
      'sum(rate(errors_total{instance="web-1:9100",job="batch"}[5m]))',
    ]);
    expect(urls[0]!.pathname).toBe('/api/v1/query');
  });

  it(`probes at most ${MAX_PROBE_TARGETS} targets and says how many were left out`, async () => {
    const { fetch, urls } = recordingFetch();
    const alerts = Array.from({ length: 8 }, (_, i) => makeAlert({ instance: `web-${i}:9100` }));
    const results = await runProbe('node-health', healthCheck, makeIncident(), alerts, { fetch });
    expect(urls).toHaveLength(MAX_PROBE_TARGETS);
    expect(results).toHaveLength(MAX_PROBE_TARGETS + 1);
    const last = results.at(-1)!;
    expect(last).toMatchObject({ actionId: 'node-health', ok: false, summary: '3 more targets were not probed (limit 5 per incident)' });
    expect(last.target).toBeUndefined();
  });

  it('turns a rejected label value into a failed result and sends nothing for it', async () => {
    const { fetch, urls } = recordingFetch();
    const alerts = [makeAlert({ instance: 'web-1:9100' }), makeAlert({ instance: 'web-2;$(id)' }), makeAlert({ other: 'x' })];
    const results = await runProbe('node-health', healthCheck, makeIncident(), alerts, { fetch });
    expect(urls.map(String)).toEqual(['http://web-1:9100/healthz']);
    expect(results[1]).toMatchObject({ target: 'instance=web-2;$(id)', ok: false, durationMs: 0 });
    expect(results[1]!.summary).toBe(
      'not probed: {{ labels.instance }} was rejected: the value "web-2;$(id)" does not match the pattern ^[A-Za-z0-9.:_-]{1,253}$ (params.labels.instance)',
    );
    expect(results[2]).toMatchObject({ target: 'instance=(missing)', ok: false });
    expect(results[2]!.summary).toContain('the alert has no "instance" label');
  });

  it('runs one probe without a target when the templates use no labels', async () => {
    const plain = actionSchema.parse({ kind: 'http-check', phase: 'analyze', title: 'API health', url: 'http://127.0.0.1:8080/healthz?incident={{ incident.key }}' });
    const { fetch, urls } = recordingFetch();
    const results = await runProbe('api-health', plain, makeIncident({ key: 'inc/1 2' }), [makeAlert({ instance: 'a:1' }), makeAlert({ instance: 'b:1' })], { fetch });
    expect(urls.map(String)).toEqual(['http://127.0.0.1:8080/healthz?incident=inc%2F1%202']);
    expect(results).toHaveLength(1);
    expect(results[0]!).not.toHaveProperty('target');
    expect(results[0]!.ok).toBe(true);
  });

  it('runs the targets of one incident concurrently', async () => {
    let inFlight = 0;
    let peak = 0;
    // Each request is answered once all four are in flight; run one after another, each would
    // give up waiting after 2 s and the peak would stay at 1.
    let allInFlight!: () => void;
    const together = new Promise<void>((resolve) => (allInFlight = resolve));
    const fetch = (async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      if (inFlight === 4) allInFlight();
      await Promise.race([together, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      inFlight--;
      return new Response('ok');
    }) as typeof globalThis.fetch;
    const alerts = Array.from({ length: 4 }, (_, i) => makeAlert({ instance: `web-${i}:9100` }));
    await runProbe('node-health', healthCheck, makeIncident(), alerts, { fetch });
    expect(peak).toBe(4);
  });
});
