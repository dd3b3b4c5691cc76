import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderActionRun } from '../../../src/actions/render-action-run.js';
import { runHttpAction, type HttpAction } from '../../../src/actions/run-http-action.js';
import { runHttpCheck, type HttpCheckAction } from '../../../src/probes/run-http-check.js';
import { runProbe } from '../../../src/probes/run-probe.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { makeAlert, makeIncident } from '../../unit/actions/incident-fixture.js';

// What a target answers that no card may show unless the action names the host or a rule picks it.
const INTERNAL = 'stack trace at /srv/app/internal.js:42 db=prod-main';
const FAILURE = JSON.stringify({ error: { code: 'E_LOCKED', message: INTERNAL } });

let server: Server;
let port: number;
const requests: string[] = [];

function route(request: IncomingMessage, response: ServerResponse): void {
  requests.push(request.url ?? '');
  request.resume();
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (path === '/fail') response.writeHead(500, { 'content-type': 'application/json' }).end(FAILURE);
  else if (path === '/moved') response.writeHead(302, { location: '/admin/internal-console?session=abc' }).end();
  else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state: 'isolated', note: INTERNAL }));
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

const HOST = '^[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}$';

function httpAction(url: string, fields: Record<string, unknown> = {}): HttpAction {
  return actionSchema.parse({ kind: 'http', phase: 'isolate', title: 'Isolate host', timeoutSeconds: 5, params: { 'labels.instance': HOST }, request: { method: 'POST', url, body: { host: '{{ labels.instance }}' } }, ...fields }) as HttpAction;
}

function healthCheck(url: string, fields: Record<string, unknown> = {}): HttpCheckAction {
  return actionSchema.parse({ kind: 'http-check', phase: 'analyze', title: 'Node health', timeoutSeconds: 5, params: { 'labels.instance': HOST }, url, ...fields }) as HttpCheckAction;
}

describe('network reach of actions', () => {
  it('refuses at load an action whose template chooses the host without allowHosts, and a bad rule', () => {
    const missing = actionSchema.safeParse({ kind: 'http-check', phase: 'analyze', title: 'Node health', url: 'http://{{ labels.instance }}/healthz', params: { 'labels.instance': HOST } });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues).toEqual([
      expect.objectContaining({ path: ['url'], message: expect.stringContaining('a template chooses the host of this URL') }),
    ]);
    const remediation = actionSchema.safeParse({ kind: 'http', phase: 'isolate', title: 'Isolate', params: { 'labels.instance': HOST }, request: { url: 'https://fw-{{ labels.instance }}.example.com/isolate' } });
    expect(remediation.error!.issues).toEqual([expect.objectContaining({ path: ['request', 'url'], message: expect.stringContaining('allowHosts') })]);
    const badRule = actionSchema.safeParse({ kind: 'http-check', phase: 'analyze', title: 'x', url: 'http://{{ labels.instance }}/', params: { 'labels.instance': HOST }, allowHosts: ['10.0.0.0/40'] });
    expect(badRule.error!.issues).toEqual([expect.objectContaining({ path: ['allowHosts', 0], message: expect.stringContaining('"10.0.0.0/40" is not a host rule') })]);
    // Templates in the path and query need nothing more.
    expect(actionSchema.safeParse({ kind: 'http-check', phase: 'analyze', title: 'x', url: 'http://127.0.0.1:9100/nodes/{{ labels.instance }}', params: { 'labels.instance': HOST } }).success).toBe(true);
  });

  it('never lets an alert steer a probe to a host outside allowHosts: loopback gets no request', async () => {
    const probe = healthCheck('http://{{ labels.instance }}/healthz', { allowHosts: ['*.prod.example.com', '10.20.0.0/16'] });
    const alerts = [`127.0.0.1:${port}`, `localhost:${port}`, `2130706433:${port}`, `0x7f000001:${port}`].map((instance) => makeAlert({ instance }));
    const results = await runProbe('node-health', probe, makeIncident(), alerts, {});
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.summary).toMatch(/^not checked: the host (127\.0\.0\.1|localhost):\d+ is not one this check may reach \(allowHosts: \*\.prod\.example\.com, 10\.20\.0\.0\/16\)$/);
    }
    expect(requests).toEqual([]);
  });

  it('never sends a remediation to a host outside allowHosts, and refuses it when requested', async () => {
    const action = httpAction('http://{{ labels.instance }}/isolate', { allowHosts: ['*.prod.example.com'] });
    const inputs = { 'incident.key': 'inc-1', 'labels.instance': `127.0.0.1:${port}` };
    const result = await runHttpAction(action, inputs, { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toBe(`not sent: the host 127.0.0.1:${port} is not one this action may reach (allowHosts: *.prod.example.com)`);

    const rendered = renderActionRun(action, makeIncident(), [makeAlert({ instance: `127.0.0.1:${port}` })], []);
    expect(rendered).toEqual({ refusal: `not sent: the host 127.0.0.1:${port} is not one this action may reach (allowHosts: *.prod.example.com)` });
    expect(requests).toEqual([]);
  });

  it('enforces allowHosts on a fixed host too, with its port', async () => {
    const action = httpAction(`http://127.0.0.1:${port}/isolate`, { allowHosts: ['127.0.0.1:1'] });
    const result = await runHttpAction(action, { 'incident.key': 'inc-1', 'labels.instance': 'web-1' }, { idempotencyKey: 'k' });
    expect(result.summary).toContain(`not sent: the host 127.0.0.1:${port} is not one this action may reach`);
    expect(requests).toEqual([]);
  });

  it('shows nothing of a body from a host a template chose, unless the summary rule extracts it', async () => {
    const plain = httpAction('http://{{ labels.instance }}/fail', { allowHosts: ['127.0.0.1'] });
    const inputs = { 'incident.key': 'inc-1', 'labels.instance': `127.0.0.1:${port}` };
    const hidden = await runHttpAction(plain, inputs, { idempotencyKey: 'k' });
    expect(requests).toEqual(['/fail']);
    expect(hidden).toMatchObject({ ok: false, status: 500, permanent: false });
    expect(hidden.summary).toMatch(/^HTTP 500 in [\d.]+ m?s$/);
    expect(hidden).not.toHaveProperty('detail');
    expect(JSON.stringify(hidden)).not.toContain('E_LOCKED');

    const ruled = await runHttpAction(httpAction('http://{{ labels.instance }}/fail', { allowHosts: ['127.0.0.1'], summary: { json: 'error.code' } }), inputs, { idempotencyKey: 'k' });
    expect(ruled.summary).toMatch(/^HTTP 500 in [\d.]+ m?s: E_LOCKED$/);
    expect(ruled).not.toHaveProperty('detail');
    expect(JSON.stringify(ruled)).not.toContain(INTERNAL);

    // A summary rule shows its extraction on success as well.
    const done = await runHttpAction(httpAction('http://{{ labels.instance }}/isolate', { allowHosts: ['127.0.0.1'], summary: { match: '"state":"(\\w+)"' } }), inputs, { idempotencyKey: 'k' });
    expect(done.summary).toMatch(/^HTTP 200 in [\d.]+ m?s: isolated$/);
    expect(JSON.stringify(done)).not.toContain(INTERNAL);
  });

  it('keeps the excerpt and the detail of a host the action names literally', async () => {
    const named = await runHttpAction(httpAction(`http://127.0.0.1:${port}/fail`), { 'incident.key': 'inc-1', 'labels.instance': 'web-1' }, { idempotencyKey: 'k' });
    expect(named.summary).toContain('E_LOCKED');
    expect(named.detail).toContain(INTERNAL);
  });

  it('does not show where a templated host redirects', async () => {
    const action = httpAction('http://{{ labels.instance }}/moved', { allowHosts: ['127.0.0.1'] });
    const moved = await runHttpAction(action, { 'incident.key': 'inc-1', 'labels.instance': `127.0.0.1:${port}` }, { idempotencyKey: 'k' });
    expect(moved.summary).toMatch(/^HTTP 302 in [\d.]+ m?s, redirect not followed \(remediations never follow redirects/);
    expect(moved.summary).not.toContain('admin');

    const check = await runHttpCheck(healthCheck('http://{{ labels.instance }}/moved', { allowHosts: ['127.0.0.1'] }), { 'labels.instance': `127.0.0.1:${port}` });
    expect(check.summary).toMatch(/^HTTP 302 in [\d.]+ m?s, redirect not followed \(expected 2xx\)$/);
  });

  it('gives a check of a templated host only what its summary rule extracts', async () => {
    const inputs = { 'labels.instance': `127.0.0.1:${port}` };
    const hidden = await runHttpCheck(healthCheck('http://{{ labels.instance }}/fail', { allowHosts: ['127.0.0.0/8'] }), inputs);
    expect(hidden.summary).toMatch(/^HTTP 500 in [\d.]+ m?s \(expected 2xx\)$/);
    const ruled = await runHttpCheck(healthCheck('http://{{ labels.instance }}/fail', { allowHosts: ['127.0.0.0/8'], summary: { match: '"code":"([A-Z_]+)"' } }), inputs);
    expect(ruled.summary).toMatch(/^HTTP 500 in [\d.]+ m?s \(expected 2xx\): E_LOCKED$/);
    const named = await runHttpCheck(healthCheck(`http://127.0.0.1:${port}/fail`), inputs);
    expect(named.summary).toContain('E_LOCKED');
    expect(requests).toEqual(['/fail', '/fail', '/fail']);
  });
});
