import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

describe('GET /healthz and GET /metrics', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const readToken = randomSecret(40);
  let slack: FakeSlackApi;
  let t: TestWarden;

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'health',
      tree: { slack: { signingSecret, botToken, apiUrl: slack.url }, routes: [{ to: ['slack:C0HEALTH'] }], api: { readToken } },
    });
  });
  afterAll(async () => {
    await t.dispose();
    await slack.close();
  });

  it('reports Redis and Slack healthy, with details only for the read token', async () => {
    const response = await fetch(`${t.url}/healthz`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { redis: { ok: true }, slack: { ok: true, detail: expect.stringContaining('Warden Test') } } });
    expect(slack.callsTo('auth.test')).toHaveLength(1);

    // Anyone else (no token, a wrong one, Alertmanager's write token) learns only the status.
    for (const authorization of [undefined, `Bearer ${readToken}x`, `Bearer ${t.token}`]) {
      const anonymous = await fetch(`${t.url}/healthz`, { headers: authorization ? { authorization } : {} });
      expect(anonymous.status).toBe(200);
      const body = await anonymous.text();
      expect(JSON.parse(body)).toEqual({ status: 'ok' });
      expect(body).not.toContain('Warden Test');
    }
  });

  it('answers 503 when a chat API refuses Warden, without revealing the token', async () => {
    const failingSlack = await startFakeSlackApi({ botToken: `xoxb-${randomSecret(24)}` });
    const other = await startTestWarden({
      name: 'health-bad',
      tree: { slack: { signingSecret, botToken, apiUrl: failingSlack.url }, api: { readToken } },
    });
    try {
      const anonymous = await fetch(`${other.url}/healthz`);
      expect(anonymous.status).toBe(503);
      expect(await anonymous.json()).toEqual({ status: 'degraded' });
      const response = await fetch(`${other.url}/healthz`, { headers: { authorization: `Bearer ${readToken}` } });
      expect(response.status).toBe(503);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ status: 'degraded', checks: { redis: { ok: true }, slack: { ok: false } } });
      expect(body).not.toContain(botToken);
    } finally {
      await other.dispose();
      await failingSlack.close();
    }
  });

  it('exports incidents for the read token only, never for the Alertmanager token', async () => {
    const get = (authorization: string) => fetch(`${t.url}/api/incidents`, { headers: { authorization } });
    expect((await get(`Bearer ${t.token}`)).status).toBe(401);
    expect((await get(`Bearer ${readToken}`)).status).toBe(200);
  });

  it('serves no web console unless console.enabled: /console does not exist, whatever the headers', async () => {
    for (const path of ['/console', '/console/incidents', '/console/metrics.json', '/console/assets/console.css']) {
      const response = await fetch(`${t.url}${path}`, { headers: { 'x-forwarded-user': 'alice', 'x-forwarded-email': 'alice@example.com' } });
      expect(response.status).toBe(404);
    }
  });

  it('exposes Warden metrics in the Prometheus text format', async () => {
    await postNotification(t.url, t.token, buildNotification({ instances: ['web-1:9100', 'web-2:9100'] }));
    await fetch(`${t.url}/webhooks/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' });
    await slack.waitFor(() => slack.callsTo('chat.postMessage').length === 1, 10_000);

    // Counters move once the work is done, a moment after its effect can be seen: the fake Slack
    // records the call before Warden reads the answer, and a request is counted after its response
    // was sent. Read the metrics until the last of them is counted.
    const text = await vi.waitFor(
      async () => {
        const response = await fetch(`${t.url}/metrics`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/plain');
        const body = await response.text();
        expect(body).toMatch(/warden_http_requests_total\{method="POST",route="\/webhooks\/alertmanager",status="401"\} 1/);
        expect(body).toMatch(/warden_chat_api_calls_total\{platform="slack",method="postCard",outcome="ok"\} 1/);
        return body;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(text).toMatch(/warden_http_requests_total\{method="POST",route="\/webhooks\/alertmanager",status="202"\} 1/);
    expect(text).toMatch(/warden_http_requests_total\{method="POST",route="\/webhooks\/alertmanager",status="401"\} 1/);
    expect(text).toMatch(/warden_alerts_received_total\{status="firing"\} 2/);
    expect(text).toMatch(/warden_intake_notifications_total\{outcome="created"\} 1/);
    expect(text).toMatch(/warden_incidents_open 1/);
    expect(text).toMatch(/warden_jobs\{queue="notify",state="(completed|active|waiting)"\} \d/);
    expect(text).toMatch(/warden_chat_api_calls_total\{platform="slack",method="postCard",outcome="ok"\} 1/);
    expect(text).toContain('warden_http_request_duration_seconds_bucket');
    expect(text).toContain('# TYPE warden_uncaught_errors_total counter');
    expect(text).toContain('# TYPE warden_event_loop_delay_seconds gauge');
    // The process has been running for a while: its event loop was sampled since the last scrape.
    for (const quantile of ['0.5', '0.9', '0.99', '1']) expect(text).toMatch(new RegExp(`^warden_event_loop_delay_seconds\\{quantile="${quantile}"\\} \\d`, 'm'));
    // Web and workers share this process: every queue's worker reports how many jobs it takes at once.
    for (const queue of ['dispatch', 'notify', 'inbound', 'remediate']) expect(text).toMatch(new RegExp(`^warden_worker_concurrency\\{queue="${queue}"\\} [1-9]`, 'm'));
  });

  it('never writes a secret to its logs', async () => {
    await fetch(`${t.url}/webhooks/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${t.token}x` }, body: '{}' });
    const logs = t.rawLogs();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [t.token, botToken, signingSecret]) expect(logs).not.toContain(secret);
  });
});
