import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedis } from '../../../src/self-audit/check-redis.js';
import { findFreePort } from '../../../src/redis/find-free-port.js';
import { buildConfig, buildContext, findingOf } from '../../support/self-audit-fixtures.js';
import { startSelfAuditRedis, type SelfAuditRedis } from '../../support/self-audit-redis.js';
import { randomSecret, TEST_REDIS_URL } from '../../support/test-redis.js';

const PASSWORD = randomSecret(32);
const clients: Redis[] = [];
let good: SelfAuditRedis;
let bad: SelfAuditRedis;

function connect(url: string): Redis {
  const redis = new Redis(url, { protocol: 2, maxRetriesPerRequest: 1 });
  clients.push(redis);
  return redis;
}

async function audit(url: string, redis?: Redis, redisError?: string) {
  return checkRedis(buildContext({ config: buildConfig({ redis: { url } }), redis, redisError }));
}

beforeAll(async () => {
  [good, bad] = await Promise.all([
    startSelfAuditRedis(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction'], PASSWORD),
    startSelfAuditRedis(['--maxmemory-policy', 'allkeys-lru', '--appendonly', 'no', '--save', '']),
  ]);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all([good?.stop(), bad?.stop()]);
});

describe('checkRedis', () => {
  it('against the real Redis, reports what CONFIG GET returns there', async () => {
    const redis = connect(TEST_REDIS_URL);
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    const [, save] = (await redis.config('GET', 'save')) as string[];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const [, requirepass] = (await redis.config('GET', 'requirepass')) as string[];
    const findings = await audit(TEST_REDIS_URL, redis);

    const persistence = findingOf(findings, 'redis-persistence');
    expect(persistence.finding).toContain(`appendonly ${appendonly}, save "${save}"`);
    expect(persistence.status).toBe(appendonly === 'yes' ? 'pass' : 'fail');
    const eviction = findingOf(findings, 'redis-eviction-policy');
    expect(eviction.finding).toContain(`maxmemory-policy ${policy}`);
    expect(eviction.status).toBe(policy === 'noeviction' ? 'pass' : 'fail');
    expect(findingOf(findings, 'redis-auth').status).toBe(requirepass ? 'pass' : 'fail');
    expect(findingOf(findings, 'redis-tls').status).toBe('pass');
  });

  it('fails a Redis started with --maxmemory-policy allkeys-lru --appendonly no --save "" and no password', async () => {
    const findings = await audit(bad.url, connect(bad.url));
    const port = new URL(bad.url).port;
    expect(findingOf(findings, 'redis-persistence')).toMatchObject({
      status: 'fail',
      severity: 'high',
      finding: 'appendonly no, save "": no persistence at all, a restart loses every incident and queued job',
    });
    expect(findingOf(findings, 'redis-eviction-policy')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(findingOf(findings, 'redis-eviction-policy').finding).toMatch(/^maxmemory-policy allkeys-lru: /);
    expect(findingOf(findings, 'redis-auth')).toMatchObject({
      status: 'fail',
      severity: 'medium',
      finding: `Redis at 127.0.0.1:${port} (loopback) answers clients without credentials: REDIS_URL has no password or ACL user`,
    });
  });

  it('fails RDB-only persistence as medium', async () => {
    const redis = connect(bad.url);
    await redis.config('SET', 'save', '3600 1');
    try {
      const finding = findingOf(await audit(bad.url, redis), 'redis-persistence');
      expect(finding).toMatchObject({ status: 'fail', severity: 'medium' });
      expect(finding.finding).toBe('appendonly no, save "3600 1": RDB snapshots only, so writes since the last snapshot are lost in a crash');
    } finally {
      await redis.config('SET', 'save', '');
    }
  });

  it('passes a Redis with a password, AOF and noeviction, and never shows the password', async () => {
    const findings = await audit(good.url, connect(good.url));
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['redis-auth', 'pass'],
      ['redis-tls', 'pass'],
      ['redis-persistence', 'pass'],
      ['redis-eviction-policy', 'pass'],
    ]);
    expect(findingOf(findings, 'redis-auth').finding).toContain('refuses clients without credentials (NOAUTH)');
    expect(JSON.stringify(findings)).not.toContain(PASSWORD);
  });

  it('fails a password in REDIS_URL that Redis does not require', async () => {
    const url = bad.url.replace('redis://', `redis://:${PASSWORD}@`);
    const finding = findingOf(await audit(url, connect(url)), 'redis-auth');
    expect(finding.status).toBe('fail');
    expect(finding.finding).toContain('REDIS_URL has credentials, but Redis does not require them');
  });

  it('skips persistence and eviction when Redis is unreachable, with the reason, and judges auth from the URL', async () => {
    const port = await findFreePort();
    const url = `redis://:${PASSWORD}@127.0.0.1:${port}`;
    const findings = await audit(url, undefined, `connect ECONNREFUSED 127.0.0.1:${port}`);
    for (const id of ['redis-persistence', 'redis-eviction-policy']) {
      expect(findingOf(findings, id)).toMatchObject({ status: 'skip', finding: `no connection to Redis at 127.0.0.1:${port} (loopback): connect ECONNREFUSED 127.0.0.1:${port}` });
    }
    expect(findingOf(findings, 'redis-auth').status).toBe('pass');
    expect(JSON.stringify(findings)).not.toContain(PASSWORD);
    expect(findingOf(await audit('redis://127.0.0.1:6390'), 'redis-persistence').finding).toBe('no Redis connection was given to the audit');
  });

  it('skips persistence and eviction when CONFIG is refused', async () => {
    const redis = connect(good.url);
    await redis.call('ACL', 'SETUSER', 'limited', 'on', `>${PASSWORD}`, '~*', '+@all', '-config');
    const limited = connect(good.url.replace('redis://', 'redis://limited').replace(/:[^:@]*@/, `:${PASSWORD}@`));
    const findings = await audit(good.url, limited);
    expect(findingOf(findings, 'redis-persistence').status).toBe('skip');
    expect(findingOf(findings, 'redis-eviction-policy').finding).toMatch(/^CONFIG GET was refused by Redis at 127\.0\.0\.1:\d+ \(loopback\): NOPERM/);
  });

  it('fails a remote Redis without a password (critical) and without TLS (high); rediss:// and unix sockets pass TLS', async () => {
    const findings = await audit('redis://10.20.30.40:6379');
    expect(findingOf(findings, 'redis-auth')).toMatchObject({ status: 'fail', severity: 'critical', finding: 'REDIS_URL for 10.20.30.40:6379 (remote) has no password or ACL user' });
    expect(findingOf(findings, 'redis-tls')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(findingOf(findings, 'redis-tls').finding).toMatch(/^redis:\/\/ to 10\.20\.30\.40:6379 \(remote\) without TLS/);
    expect(findingOf(await audit(`rediss://warden:${PASSWORD}@redis.example:6380`), 'redis-tls')).toMatchObject({ status: 'pass', finding: 'Redis at redis.example:6380 (remote) is reached over TLS (rediss://)' });
    expect(findingOf(await audit('unix:///run/redis/redis.sock'), 'redis-tls')).toMatchObject({ status: 'pass', finding: 'Redis is reached over the unix socket unix:/run/redis/redis.sock' });
  });
});
