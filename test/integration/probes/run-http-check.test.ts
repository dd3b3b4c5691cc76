import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHttpCheck, type HttpCheckAction } from '../../../src/probes/run-http-check.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { findFreePort } from '../../support/start-prometheus.js';

let server: Server;
let base: string;
const seen: { method: string; url: string }[] = [];

function route(request: IncomingMessage, response: ServerResponse): void {
  seen.push({ method: request.method ?? '', url: request.url ?? '' });
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (path === '/ok') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
  } else if (path === '/down') {
    response.writeHead(503, { 'content-type': 'text/plain' }).end(`down for maintenance\n\u001b[31mred\u001b[0m ${'x'.repeat(500)}`);
  } else if (path === '/binary') {
    response.writeHead(500, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2, 3]));
  } else if (path === '/slow') {
    const timer = setTimeout(() => response.writeHead(200).end('late'), 3000);
    response.on('close', () => clearTimeout(timer));
  } else if (path === '/moved') {
    response.writeHead(302, { location: '/login?token=s3cr3t' }).end();
  } else if (path.startsWith('/hosts/')) {
    response.writeHead(204).end();
  } else {
    response.writeHead(404).end();
  }
}

function check(fields: Record<string, unknown>): HttpCheckAction {
  return actionSchema.parse({ kind: 'http-check', phase: 'analyze', title: 'API health', timeoutSeconds: 5, ...fields }) as HttpCheckAction;
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('runHttpCheck against a real HTTP server', () => {
  it('passes on 2xx and reports the time taken', async () => {
    const result = await runHttpCheck(check({ url: `${base}/ok` }), {}, { actionId: 'api-health' });
    expect(result).toMatchObject({ actionId: 'api-health', title: 'API health', ok: true });
    expect(result.summary).toMatch(/^HTTP 200 in \d+ ms$/);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.at).toBeGreaterThan(Date.now() - 60_000);
  });

  it('fails on 503 with a short, sanitised excerpt of the body', async () => {
    const result = await runHttpCheck(check({ url: `${base}/down` }), {});
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^HTTP 503 in \d+ ms \(expected 2xx\): down for maintenance \[31mred \[0m x+…$/);
    expect(result.summary).not.toMatch(/[\u0000-\u001f]/);
    expect(result.summary.length).toBeLessThan(140);
  });

  it('leaves non-text bodies out of the summary', async () => {
    const result = await runHttpCheck(check({ url: `${base}/binary` }), {});
    expect(result).toMatchObject({ ok: false });
    expect(result.summary).toMatch(/^HTTP 500 in \d+ ms \(expected 2xx\)$/);
  });

  it('honours expectStatus', async () => {
    expect((await runHttpCheck(check({ url: `${base}/down`, expectStatus: [503] }), {})).ok).toBe(true);
    const result = await runHttpCheck(check({ url: `${base}/ok`, expectStatus: [204, 503] }), {});
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/\(expected 204, 503\): fine$/);
  });

  it('sends HEAD when asked', async () => {
    seen.length = 0;
    const result = await runHttpCheck(check({ url: `${base}/ok`, method: 'HEAD' }), {});
    expect(result.ok).toBe(true);
    expect(seen).toEqual([{ method: 'HEAD', url: '/ok' }]);
  });

  it('times out a slow target', async () => {
    const started = Date.now();
    const result = await runHttpCheck(check({ url: `${base}/slow`, timeoutSeconds: 0.3 }), {});
    expect(result).toMatchObject({ ok: false, summary: 'timed out after 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('reports a closed port as connection refused', async () => {
    const port = await findFreePort();
    const result = await runHttpCheck(check({ url: `http://127.0.0.1:${port}/healthz` }), {});
    expect(result).toMatchObject({ ok: false, summary: 'connection refused' });
  });

  it('reports a redirect without following it or showing its query', async () => {
    seen.length = 0;
    const result = await runHttpCheck(check({ url: `${base}/moved` }), {});
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(new RegExp(`^HTTP 302 in \\d+ ms, redirect to ${base}/login not followed \\(expected 2xx\\)$`));
    expect(result.summary).not.toContain('s3cr3t');
    expect(seen.map((s) => s.url)).toEqual(['/moved']);
  });

  it('puts URL-encoded, validated inputs into the URL', async () => {
    seen.length = 0;
    const action = check({ url: `${base}/hosts/{{ labels.instance }}?incident={{ incident.key }}`, params: { 'labels.instance': '^[A-Za-z0-9.:_-]{1,253}$' } });
    const result = await runHttpCheck(action, { 'labels.instance': 'web-1:9100', 'incident.key': 'inc 1&x=2' });
    expect(result.summary).toMatch(/^HTTP 204 in/);
    expect(seen).toEqual([{ method: 'GET', url: '/hosts/web-1:9100?incident=inc%201%26x%3D2' }]);
  });

  it('sends nothing when an input is rejected', async () => {
    seen.length = 0;
    const action = check({ url: `${base}/hosts/{{ labels.instance }}`, params: { 'labels.instance': '^[A-Za-z0-9.:_-]{1,253}$' } });
    const error = await runHttpCheck(action, { 'labels.instance': '../admin' }).catch((e: unknown) => e);
    expect(isWardenError(error, 'template_input_rejected')).toBe(true);
    expect(seen).toEqual([]);
  });

  it('refuses a URL that is not http(s) after templating', async () => {
    const result = await runHttpCheck(check({ url: 'file:///etc/passwd', allowHosts: ['127.0.0.1'] }), {});
    expect(result).toMatchObject({ ok: false });
    expect(result.summary).toContain('not a valid http:// or https:// URL');
    expect(result.summary).not.toContain('passwd');
  });
});
