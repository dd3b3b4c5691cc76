import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHttpAction, type HttpAction } from '../../../src/actions/run-http-action.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { findFreePort } from '../../support/start-prometheus.js';
import { randomSecret } from '../../support/test-redis.js';

const PERMISSIVE = '^[\\s\\S]*$';
const HOST = '^[A-Za-z0-9.:_-]{1,253}$';

let target: FakeRemediationTarget;

function httpAction(request: Record<string, unknown>, params: Record<string, string> = { 'labels.host': HOST }, fields: Record<string, unknown> = {}): HttpAction {
  return actionSchema.parse({ kind: 'http', phase: 'isolate', title: 'Block host', params, timeoutSeconds: 5, request, ...fields }) as HttpAction;
}

function inputs(host: string): Record<string, string> {
  return { 'incident.key': 'inc-7f3a9c', 'incident.severity': 'critical', 'incident.title': 'SuspiciousProcess', 'labels.host': host };
}

beforeAll(async () => {
  target = await startFakeRemediationTarget();
});

beforeEach(() => target.reset());

afterAll(async () => {
  await target.close();
});

describe('runHttpAction against a fake remediation endpoint', () => {
  it('sends the templated request with the Idempotency-Key and reports the answer', async () => {
    const action = httpAction({ url: `${target.url}/hosts/{{ labels.host }}/block`, body: { host: '{{ labels.host }}', incident: '{{ incident.key }}', minutes: 30 } });
    const result = await runHttpAction(action, inputs('web-1:9100'), { idempotencyKey: 'warden-req-1', actionId: 'block-host' });
    expect(result).toMatchObject({ actionId: 'block-host', title: 'Block host', ok: true, status: 201 });
    expect(result.permanent).toBeUndefined();
    expect(result.summary).toMatch(/^HTTP 201 in (\d+ ms|\d+(\.\d+)? s)$/);
    expect(result.detail).toContain('"applied":true');
    expect(target.requests).toHaveLength(1);
    const [request] = target.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/hosts/web-1:9100/block', idempotencyKey: 'warden-req-1' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ host: 'web-1:9100', incident: 'inc-7f3a9c', minutes: 30 });
  });

  it('keeps the Idempotency-Key across retries, so the target applies the effect once', async () => {
    const action = httpAction({ url: `${target.url}/hosts/{{ labels.host }}/block` });
    target.failNext(1, 503);
    const first = await runHttpAction(action, inputs('web-1'), { idempotencyKey: 'warden-req-2' });
    expect(first).toMatchObject({ ok: false, status: 503, permanent: false });
    expect(first.summary).toMatch(/^HTTP 503 in \d+ ms: fake failure 503$/);
    const second = await runHttpAction(action, inputs('web-1'), { idempotencyKey: 'warden-req-2' });
    const third = await runHttpAction(action, inputs('web-1'), { idempotencyKey: 'warden-req-2' });
    expect([second.ok, third.ok]).toEqual([true, true]);
    expect(target.requests.map((request) => request.idempotencyKey)).toEqual(['warden-req-2', 'warden-req-2', 'warden-req-2']);
    expect(target.effectCount()).toBe(1);
    expect(target.effects.get('warden-req-2')).toBe(1);
    expect(second.detail).toBe(third.detail);

    await runHttpAction(action, inputs('web-1'), { idempotencyKey: 'warden-req-3' });
    expect(target.effectCount()).toBe(2);
  });

  it.each([
    [400, true],
    [401, true],
    [404, true],
    [409, true],
    [422, true],
    [408, false],
    [425, false],
    [429, false],
    [500, false],
    [502, false],
    [503, false],
  ])('HTTP %i is a failure; permanent: %s', async (status, permanent) => {
    target.failNext(1, status, `{"error":"status ${status}"}`);
    const result = await runHttpAction(httpAction({ url: `${target.url}/x` }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, status, permanent });
    expect(result.summary).toContain(`HTTP ${status} in`);
    expect(target.effectCount()).toBe(0);
  });

  it('never follows a redirect: a 3xx is a permanent failure and only one request is sent', async () => {
    target.redirectNext(`${target.url}/elsewhere?token=leaked-token-value`);
    const result = await runHttpAction(httpAction({ url: `${target.url}/hosts/web-1/block` }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, status: 302, permanent: true });
    expect(result.summary).toContain(`redirect to ${target.url}/elsewhere not followed`);
    expect(JSON.stringify(result)).not.toContain('leaked-token-value');
    expect(target.requests).toHaveLength(1);
    expect(target.effectCount()).toBe(0);
  });

  it('never returns header secrets, even when the target echoes them', async () => {
    const token = randomSecret(40);
    const apiKey = randomSecret(24);
    const cookie = randomSecret(20);
    target.echoHeaders(true);
    const action = httpAction({
      url: `${target.url}/hosts/{{ labels.host }}/block`,
      headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': apiKey, 'X-Custom-Auth': `session=${cookie}`, 'X-Severity': '{{ incident.severity }}' },
    }, { 'labels.host': HOST, 'incident.severity': '^[a-z]{1,16}$' });
    const ok = await runHttpAction(action, inputs('web-1'), { idempotencyKey: 'k1' });
    target.failNext(1, 500, `failed for Bearer ${token} key ${apiKey} session=${cookie}`);
    const failed = await runHttpAction(action, inputs('web-1'), { idempotencyKey: 'k2' });

    // The target did get them…
    expect(target.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(target.requests[0]?.headers['x-api-key']).toBe(apiKey);
    expect(target.requests[0]?.headers['x-severity']).toBe('critical');
    // …but no result carries them.
    for (const result of [ok, failed]) {
      const shown = JSON.stringify(result);
      for (const secret of [token, apiKey, cookie]) expect(shown).not.toContain(secret);
    }
    expect(ok.detail).toContain('[redacted]');
    expect(ok.detail).toContain('"x-severity":"critical"');
    expect(failed).toMatchObject({ ok: false, status: 500, permanent: false });
    expect(failed.summary).toContain('[redacted]');
  });

  it('sends credentials from the URL as Basic auth and never returns them', async () => {
    const password = randomSecret(24);
    target.echoHeaders(true);
    const url = new URL(`${target.url}/x`);
    url.username = 'warden';
    url.password = password;
    const result = await runHttpAction(httpAction({ url: url.href }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(result.ok).toBe(true);
    expect(target.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`warden:${password}`).toString('base64')}`);
    expect(target.requests[0]?.url).toBe('/x');
    expect(JSON.stringify(result)).not.toContain(password);
    expect(JSON.stringify(result)).not.toContain(Buffer.from(`warden:${password}`).toString('base64'));
  });

  it('keeps the JSON body valid whatever JSON-special characters a label holds', async () => {
    const nasty = `he said "hi"\\ \n\t{"admin":true}, </script> \u2028 \u0000 ${'{{ incident.key }}'} é 🚨`;
    const action = httpAction(
      { url: `${target.url}/notes`, body: { note: '{{ labels.host }}', line: 'host={{ labels.host }}!', list: ['{{ labels.host }}', 1, null, true], nested: { deep: '{{ labels.host }}' } } },
      { 'labels.host': PERMISSIVE },
    );
    const result = await runHttpAction(action, inputs(nasty), { idempotencyKey: 'k' });
    expect(result.ok).toBe(true);
    const body = JSON.parse(target.requests[0]!.body) as unknown;
    // Values are inserted once: the "{{ incident.key }}" inside the label stays literal.
    expect(body).toEqual({ note: nasty, line: `host=${nasty}!`, list: [nasty, 1, null, true], nested: { deep: nasty } });
  });

  it.each([
    ['a command separator', '; rm -rf /'],
    ['command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['a newline', 'web-1\nX-Injected: 1'],
    ['path traversal', '../admin'],
    ['quotes', 'web"1\''],
    ['spaces', 'web 1'],
  ])('sends nothing when a label with %s fails the pattern', async (_name, value) => {
    const action = httpAction({ url: `${target.url}/hosts/{{ labels.host }}/block`, body: { host: '{{ labels.host }}' } });
    const result = await runHttpAction(action, inputs(value), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toContain('not sent: {{ labels.host }} was rejected');
    expect(result.summary).toContain(`does not match the pattern ${HOST} (params.labels.host)`);
    expect(result.summary).not.toMatch(/[\n\r]/);
    expect(target.requests).toHaveLength(0);
  });

  it('does not repeat a long rejected value in full', async () => {
    const value = `x;${'A'.repeat(2000)}`;
    const result = await runHttpAction(httpAction({ url: `${target.url}/hosts/{{ labels.host }}` }), inputs(value), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).not.toContain('A'.repeat(100));
    expect(result.summary).toContain('params.labels.host');
    expect(target.requests).toHaveLength(0);
  });

  it('with a permissive pattern, URL-encodes a label so it cannot change the path, query or host', async () => {
    const action = httpAction({ url: `${target.url}/hosts/{{ labels.host }}/block?reason={{ labels.host }}` }, { 'labels.host': PERMISSIVE });
    const result = await runHttpAction(action, inputs('../admin?x=1#frag @evil'), { idempotencyKey: 'k' });
    expect(result.ok).toBe(true);
    expect(target.requests[0]?.url).toBe('/hosts/..%2Fadmin%3Fx%3D1%23frag%20%40evil/block?reason=..%2Fadmin%3Fx%3D1%23frag%20%40evil');
    const dots = await runHttpAction(action, inputs('..'), { idempotencyKey: 'k2' });
    expect(dots).toMatchObject({ ok: false, permanent: true });
    expect(dots.summary).toContain('would change the URL path');
    expect(target.requests).toHaveLength(1);
  });

  it('refuses a header value that would split headers', async () => {
    const action = httpAction({ url: `${target.url}/x`, headers: { 'X-Host': '{{ labels.host }}' } }, { 'labels.host': PERMISSIVE });
    const result = await runHttpAction(action, inputs('web-1\r\nX-Admin: yes'), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toContain('{{ labels.host }} was rejected: a header value may not contain control characters');
    expect(target.requests).toHaveLength(0);
  });

  it('cuts a large answer to 4 KiB and says how much more there was', async () => {
    target.failNext(1, 500, `${'x'.repeat(20_000)}`);
    const result = await runHttpAction(httpAction({ url: `${target.url}/x` }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(result.detail).toBe(`${'x'.repeat(4096)}… (12288+ bytes more, not read)`);
    expect(result.summary.length).toBeLessThanOrEqual(300);
  });

  it('reports a timeout as transient, saying the effect is unknown', async () => {
    target.setDelay(3000);
    const result = await runHttpAction(httpAction({ url: `${target.url}/x` }, {}, { timeoutSeconds: 0.5 }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.summary).toBe('not completed: timed out after 0.5 s (the target may have applied it; a retry sends the same Idempotency-Key)');
  });

  it('reports an unreachable target as transient', async () => {
    const port = await findFreePort();
    const result = await runHttpAction(httpAction({ url: `http://127.0.0.1:${port}/x` }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: false, summary: 'not completed: connection refused' });
  });

  it('refuses a URL that is not http(s) after templating, and a GET with a body', async () => {
    const notHttp = await runHttpAction(httpAction({ url: 'file:///etc/passwd' }, undefined, { allowHosts: ['web-1'] }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(notHttp).toMatchObject({ ok: false, permanent: true, summary: 'not sent: the URL is not an http:// or https:// URL' });
    const getBody = await runHttpAction(httpAction({ method: 'GET', url: `${target.url}/x`, body: { a: 1 } }), inputs('web-1'), { idempotencyKey: 'k' });
    expect(getBody).toMatchObject({ ok: false, permanent: true });
    expect(getBody.summary).toContain('GET request cannot have a body');
    expect(target.requests).toHaveLength(0);
  });
});
