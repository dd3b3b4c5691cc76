import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';

const firing = JSON.parse(readFileSync(new URL('../../fixtures/alertmanager/firing.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function payload(groupKey: string): string {
  return JSON.stringify({ ...firing, groupKey });
}

async function post(t: TestWarden, body: string) {
  const started = Date.now();
  const response = await fetch(`${t.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, string>, ms: Date.now() - started };
}

describe('POST /webhooks/alertmanager when Redis cannot store', () => {
  let server: TestRedisServer;
  let t: TestWarden;
  let inspect: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    t = await startTestWarden({ name: 'unavailable', redisUrl: server.url, role: 'web', adapters: { console: createRecordingChatAdapter() } });
    inspect = new Redis(server.url, { maxRetriesPerRequest: 1 });
    inspect.on('error', () => {});
  });
  afterAll(async () => {
    await t?.stop().catch(() => {});
    inspect.disconnect();
    await server.dispose();
  });

  it('answers 503 while Redis refuses writes, stores nothing, and accepts the redelivery afterwards', async () => {
    expect((await post(t, payload('{}:{alertname="Before"}'))).status).toBe(202);

    await inspect.config('SET', 'min-replicas-to-write', '1');
    try {
      const refused = await post(t, payload('{}:{alertname="Refused"}'));
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'store_unavailable', message: expect.stringContaining('deliver again') });
      expect(await inspect.hget(`${t.prefix}:incidents:open`, '{}:{alertname="Refused"}')).toBeNull();
      expect(await inspect.hexists(`${t.prefix}:incidents:generation`, '{}:{alertname="Refused"}')).toBe(0);
    } finally {
      await inspect.config('SET', 'min-replicas-to-write', '0');
    }

    const redelivered = await post(t, payload('{}:{alertname="Refused"}'));
    expect(redelivered.status).toBe(202);
    expect(redelivered.body.outcome).toBe('created');
    expect(await inspect.hget(`${t.prefix}:incidents:open`, '{}:{alertname="Refused"}')).toBe(redelivered.body.incident);
    // Role web: nothing processes the queue, so the dispatch jobs naming both groups are waiting there.
    const waiting = await t.warden.queues.dispatch.getJobs(['waiting'], 0, 100);
    const queued = waiting.flatMap((job) => job.data.groupKeys);
    expect(queued.sort()).toEqual(['{}:{alertname="Before"}', '{}:{alertname="Refused"}']);
    expect(await inspect.hget(`${t.prefix}:incident:${redelivered.body.incident}`, 'jobs')).toBeNull();
  });

  it('answers 503 fast when Redis is down, and 202 once it is back', async () => {
    await server.stop({ crash: true });
    const refused = await post(t, payload('{}:{alertname="WhileDown"}'));
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('store_unavailable');
    // Fail fast: no offline queue holding the request until Redis returns.
    expect(refused.ms).toBeLessThan(3_000);

    await server.restart();
    // Delivered again, as Alertmanager does, until Warden's connections are back.
    const accepted = await vi.waitFor(
      async () => {
        const answer = await post(t, payload('{}:{alertname="WhileDown"}'));
        expect(answer.status).toBe(202);
        return answer;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(accepted.body.outcome).toBe('created');
  }, 60_000);
});
