import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSpecSchema, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { runCheck } from '../../../src/probes/run-check.js';
import { runRedisConfigProbe } from '../../../src/probes/run-redis-config-probe.js';
import { startProbeRedisServer, type ProbeRedisServer } from '../../support/probe-redis-server.js';
import { connectTestRedis, randomSecret } from '../../support/test-redis.js';

const PASSWORD = randomSecret(24);
let shared: Redis;
let durable: ProbeRedisServer;
let evicting: ProbeRedisServer;
let managed: ProbeRedisServer;
const clients: Redis[] = [];

function configSpec(fields: Record<string, unknown> = {}): ProbeSpecOf<'redis-config'> {
  return probeSpecSchema.parse({ kind: 'redis-config', ...fields }) as ProbeSpecOf<'redis-config'>;
}

function client(server: ProbeRedisServer, password?: string): Redis {
  const redis = server.connect(password);
  clients.push(redis);
  return redis;
}

beforeAll(async () => {
  shared = connectTestRedis();
  [durable, evicting, managed] = await Promise.all([
    startProbeRedisServer(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    startProbeRedisServer(['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru', '--requirepass', PASSWORD], PASSWORD),
    startProbeRedisServer(['--rename-command', 'CONFIG', '']),
  ]);
});

afterAll(async () => {
  for (const redis of [shared, ...clients]) redis.disconnect();
  await Promise.all([durable, evicting, managed].map((server) => server?.dispose()));
});

describe('runRedisConfigProbe against real Redis servers', () => {
  it('reports what the shared test Redis is set to, and judges it as the settings say', async () => {
    const [, appendonly] = (await shared.config('GET', 'appendonly')) as string[];
    const [, save] = (await shared.config('GET', 'save')) as string[];
    const [, policy] = (await shared.config('GET', 'maxmemory-policy')) as string[];
    const result = await runRedisConfigProbe(configSpec(), { redis: shared, actionId: 'redis-durability' });
    expect(result.actionId).toBe('redis-durability');
    expect(result.summary.startsWith(`appendonly ${appendonly}, save "${save}", maxmemory-policy ${policy}`)).toBe(true);
    expect(result.ok).toBe((appendonly === 'yes' || save !== '') && policy === 'noeviction');
    expect(result.summary.includes('no AOF or RDB persistence')).toBe(appendonly !== 'yes' && save === '');
  });

  it('passes AOF with noeviction', async () => {
    const result = await runRedisConfigProbe(configSpec({ persistence: 'aof' }), { redis: client(durable) });
    expect(result).toMatchObject({ ok: true, summary: 'appendonly yes, save "", maxmemory-policy noeviction' });
  });

  it('fails RDB when only AOF is on', async () => {
    const result = await runRedisConfigProbe(configSpec({ persistence: 'rdb' }), { redis: client(durable) });
    expect(result).toMatchObject({ ok: false, summary: 'appendonly yes, save "", maxmemory-policy noeviction: no RDB snapshots (save …) persistence; data is lost on restart' });
  });

  it('fails an evicting Redis without persistence, saying both', async () => {
    const result = await runRedisConfigProbe(configSpec(), { redis: client(evicting, PASSWORD) });
    expect(result).toMatchObject({
      ok: false,
      summary:
        'appendonly no, save "", maxmemory-policy allkeys-lru: no AOF or RDB persistence; data is lost on restart; maxmemory-policy allkeys-lru, expected noeviction (Redis may evict incidents and jobs)',
    });
    const relaxed = await runRedisConfigProbe(configSpec({ persistence: 'none-ok', maxmemoryPolicy: 'allkeys-lru' }), { redis: client(evicting, PASSWORD) });
    expect(relaxed).toMatchObject({ ok: true, summary: 'appendonly no, save "", maxmemory-policy allkeys-lru' });
  });

  it('with requireAuth, passes a Redis that refuses clients without a password and fails one that answers them', async () => {
    const guarded = await runRedisConfigProbe(configSpec({ persistence: 'none-ok', maxmemoryPolicy: 'allkeys-lru', requireAuth: true }), { redis: client(evicting, PASSWORD) });
    expect(guarded).toMatchObject({ ok: true, summary: 'appendonly no, save "", maxmemory-policy allkeys-lru, refuses clients without a password' });
    expect(guarded.summary).not.toContain(PASSWORD);
    const open = await runRedisConfigProbe(configSpec({ requireAuth: true }), { redis: client(durable) });
    expect(open).toMatchObject({ ok: false, summary: 'appendonly yes, save "", maxmemory-policy noeviction: answers clients without a password' });
  });

  it('says "not checked" when CONFIG is renamed away, as managed Redis does', async () => {
    const result = await runCheck('redis', 'Redis settings', configSpec(), { redis: client(managed) });
    expect(result).toMatchObject({ actionId: 'redis', ok: false });
    expect(result.summary).toMatch(/^not checked: CONFIG GET refused \(ERR unknown command 'config'/i);
  });
});
