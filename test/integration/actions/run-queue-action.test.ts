import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueueAction, type QueueAction } from '../../../src/actions/run-queue-action.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { formatConfigPath } from '../../../src/config/format-config-path.js';
import { findFreePort } from '../../support/start-prometheus.js';
import { connectTestRedis, deleteKeys, listKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const prefix = uniquePrefix('queue-action');
let redis: Redis;
let tasks: Queue;

function queueAction(fields: Record<string, unknown>): QueueAction {
  return actionSchema.parse({ kind: 'queue', phase: 'isolate', title: 'Stop the task queue', prefix, timeoutSeconds: 5, ...fields }) as QueueAction;
}

const inputs = (queue: string) => ({ 'incident.key': 'inc-7f3a9c', 'labels.queue': queue });

beforeAll(async () => {
  redis = connectTestRedis();
  tasks = new Queue('tasks', { connection: redis, prefix });
  await tasks.add('mine-coins', { n: 1 });
  await tasks.add('mine-coins', { n: 2 });
});

afterAll(async () => {
  await tasks.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('runQueueAction on a real BullMQ queue', () => {
  it('pauses, pauses again (idempotent) and resumes', async () => {
    const pause = queueAction({ queue: 'tasks', operation: 'pause' });
    const paused = await runQueueAction(pause, {}, { connection: redis, actionId: 'stop-tasks' });
    expect(paused).toMatchObject({ actionId: 'stop-tasks', title: 'Stop the task queue', ok: true, summary: 'Paused queue tasks (2 waiting, 0 active)' });
    expect(await tasks.isPaused()).toBe(true);

    const again = await runQueueAction(pause, {}, { connection: redis });
    expect(again).toMatchObject({ ok: true, summary: 'Queue tasks was already paused (2 waiting, 0 active)' });
    expect(await tasks.isPaused()).toBe(true);

    const resumed = await runQueueAction(queueAction({ queue: 'tasks', operation: 'resume' }), {}, { connection: redis });
    expect(resumed).toMatchObject({ ok: true, summary: 'Resumed queue tasks (2 waiting, 0 active)' });
    expect(await tasks.isPaused()).toBe(false);
    // Warden's connection stays open for its other work.
    expect(await redis.ping()).toBe('PONG');
  });

  it('takes the queue name from a label, checked against its pattern', async () => {
    const action = queueAction({ queue: '{{ labels.queue }}', operation: 'pause', params: { 'labels.queue': '^[a-z-]{1,32}$' } });
    const result = await runQueueAction(action, inputs('tasks'), { connection: redis });
    expect(result).toMatchObject({ ok: true, summary: 'Paused queue tasks (2 waiting, 0 active)' });
    expect(await tasks.isPaused()).toBe(true);
    await tasks.resume();

    for (const value of ['tasks; FLUSHALL', '$(id)', '`id`', 'tasks\nx', '../tasks', '"tasks"', 'my tasks']) {
      const refused = await runQueueAction(action, inputs(value), { connection: redis });
      expect(refused).toMatchObject({ ok: false, permanent: true });
      expect(refused.summary).toContain('not paused: {{ labels.queue }} was rejected');
      expect(refused.summary).toContain('^[a-z-]{1,32}$');
    }
    expect(await tasks.isPaused()).toBe(false);
  });

  it('refuses a templated name that is not a BullMQ queue name, even with a permissive pattern', async () => {
    const action = queueAction({ queue: '{{ labels.queue }}', operation: 'pause', params: { 'labels.queue': '^[\\s\\S]*$' } });
    for (const value of ['tasks:wait', 'tasks *', '', 'x'.repeat(65)]) {
      const result = await runQueueAction(action, inputs(value), { connection: redis });
      expect(result).toMatchObject({ ok: false, permanent: true });
      expect(result.summary).toContain('is not a BullMQ queue name');
    }
    expect(await tasks.isPaused()).toBe(false);
  });

  it('refuses a queue that does not exist instead of creating it', async () => {
    const before = await listKeys(redis, prefix);
    const result = await runQueueAction(queueAction({ queue: 'taks', operation: 'pause' }), {}, { connection: redis });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toBe(`not paused: no BullMQ queue "taks" under prefix ${prefix} (check the name and prefix)`);
    expect(await listKeys(redis, prefix)).toEqual(before);
  });

  it("refuses Warden's own queues", async () => {
    const result = await runQueueAction(queueAction({ queue: 'tasks', operation: 'pause' }), {}, { connection: redis, wardenPrefix: prefix });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toContain("would be one of Warden's own queues");
    expect(await tasks.isPaused()).toBe(false);
  });

  it('connects to another Redis when the action names one, and disconnects after', async () => {
    const result = await runQueueAction(queueAction({ queue: 'tasks', operation: 'pause', redis: TEST_REDIS_URL }), {}, { connection: redis });
    expect(result).toMatchObject({ ok: true, summary: 'Paused queue tasks (2 waiting, 0 active)' });
    expect(await tasks.isPaused()).toBe(true);
    await tasks.resume();
    const clients = await redis.client('LIST');
    expect(String(clients)).not.toContain('name=warden-queue-action');
  });

  it('reports an unreachable Redis as transient, quickly, without its password', async () => {
    const password = randomSecret(24);
    const port = await findFreePort();
    const started = Date.now();
    const result = await runQueueAction(queueAction({ queue: 'tasks', operation: 'pause', redis: `redis://:${password}@127.0.0.1:${port}/0` }), {}, { connection: redis });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.summary).toBe("not paused: cannot connect to the queue's Redis (connection refused)");
    expect(JSON.stringify(result)).not.toContain(password);
  });
});

describe('queue action schema', () => {
  const base = { kind: 'queue', phase: 'isolate', title: 'Stop tasks' } as const;
  const problems = (action: unknown): string[] => {
    const result = actionSchema.safeParse(action);
    return result.success ? [] : result.error.issues.map((issue) => `${formatConfigPath(issue.path)}: ${issue.message}`);
  };

  it('accepts a name and fills in the defaults', () => {
    expect(actionSchema.parse({ ...base, queue: 'tasks', operation: 'pause' })).toEqual({
      ...base,
      queue: 'tasks',
      operation: 'pause',
      prefix: 'bull',
      destructive: false,
      params: {},
      timeoutSeconds: 10,
    });
    expect(problems({ ...base, queue: 'tasks', operation: 'resume', redis: 'rediss://:pw@queue-redis:6380/2', prefix: '{tasks}' })).toEqual([]);
    expect(problems({ ...base, queue: 'tasks-{{ labels.tenant }}', operation: 'pause', params: { 'labels.tenant': '^[a-z]{1,16}$' } })).toEqual([]);
  });

  it('requires a params pattern for a templated name', () => {
    expect(problems({ ...base, queue: '{{ labels.queue }}', operation: 'pause' })).toEqual([
      "params: the template uses {{ labels.queue }} but params has no pattern for it (every input except incident.key needs one); add params: { labels.queue: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$' } (or tighter)",
    ]);
  });

  it('refuses bad names, operations, Redis URLs and prefixes', () => {
    expect(problems({ ...base, queue: 'tasks:wait', operation: 'pause' })).toEqual([
      'queue: must be a BullMQ queue name (letters, digits, _ and -, at most 64 characters) or a template such as "{{ labels.queue }}"',
    ]);
    expect(problems({ ...base, queue: 'tasks', operation: 'drain' })).toEqual(['operation: operation must be pause or resume']);
    expect(problems({ ...base, queue: 'tasks', operation: 'pause', redis: 'http://queue-redis' })).toEqual([
      'redis: must be a redis:// or rediss:// URL (e.g. "${QUEUE_REDIS_URL}")',
    ]);
    expect(problems({ ...base, queue: 'tasks', operation: 'pause', prefix: '{{ labels.prefix }}', params: { 'labels.prefix': '^[a-z]+$' } })).toEqual([
      'prefix: must be a BullMQ prefix without templates: letters, digits and _ . : { } -, at most 64 characters (e.g. "bull")',
    ]);
  });

  it('names queue among the kinds', () => {
    expect(problems({ ...base, kind: 'shell' })).toEqual(['kind: kind must be one of http, exec, prometheus, http-check, queue, tls-expiry, disk-usage, file-mode, newest-file-age, process-user, audit-count, redis-config, self-audit']);
  });
});
