import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-log.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, randomSecret } from '../../support/test-redis.js';

describe('refused requests in the audit log', () => {
  const redis = connectTestRedis();
  let t: TestWarden | undefined;
  afterAll(async () => {
    if (t) await deleteKeys(redis, t.prefix);
    redis.disconnect();
  });

  it('a scan from many addresses adds one entry per route and minute, not one per address', async () => {
    // A clock fixed inside one minute: the scan cannot straddle two windows.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    t = await startTestWarden({ name: 'rejections', role: 'web', now: () => minute + 5_000, tree: { server: { trustedProxies: ['127.0.0.1/32'] } } });
    const wrong = randomSecret(40);
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${t!.url}/webhooks/alertmanager`, {
            method: 'POST',
            headers: { authorization: `Bearer ${wrong}`, 'content-type': 'application/json', 'x-forwarded-for': `10.7.${batch}.${i}` },
            body: '{}',
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(401));
    }
    await t.stop();

    const stream = await redis.xrange(createRedisKeys(t.prefix).auditStream, '-', '+');
    const rejected = stream.map(([, fields]) => JSON.parse(fields[1]!) as AuditEntry).filter((entry) => entry.type === 'inbound.rejected');
    expect(rejected).toHaveLength(1);
    const detail = rejected[0]!.detail as { count: number; sources: Record<string, number>; fromOtherSources: number; from: string };
    expect(rejected[0]).toMatchObject({ subject: '/webhooks/alertmanager', actor: 'unauthenticated', outcome: 'unauthorized' });
    expect(detail.count).toBe(200);
    expect(Object.keys(detail.sources)).toHaveLength(10);
    expect(Object.keys(detail.sources).every((source) => source.startsWith('10.7.'))).toBe(true);
    expect(detail.fromOtherSources).toBe(190);
    expect(detail.from).toBe(new Date(minute).toISOString());
    expect(JSON.stringify(rejected)).not.toContain(wrong);
  });
});
