import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/probes/run-probe.js';
import { createAuditLog } from '../../../src/audit/create-audit-log.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { makeAlert, makeIncident } from '../../unit/actions/incident-fixture.js';
import { makeProbeTempDir, type ProbeTempDir } from '../../support/probe-temp-dir.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

let tmp: ProbeTempDir;
let redis: Redis;
const prefix = uniquePrefix('probe-run');

beforeAll(async () => {
  tmp = await makeProbeTempDir();
  redis = connectTestRedis();
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
  await tmp.remove();
});

describe('runProbe with a configured built-in probe action', () => {
  it('runs it once, through runCheck, with the context given, labelled with the action', async () => {
    await tmp.file('backups/backup-1.tar.gz', 100, { ageMs: 2 * 3_600_000 });
    const action = actionSchema.parse({ kind: 'newest-file-age', phase: 'analyze', title: 'Backup is recent', path: 'backups', maxAgeHours: 1 });
    const alerts = [makeAlert({ instance: 'web-1:9100' }), makeAlert({ instance: 'web-2:9100' })];
    const results = await runProbe('backup-recent', action, makeIncident(), alerts, { context: { cwd: tmp.dir } });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ actionId: 'backup-recent', title: 'Backup is recent', ok: false });
    expect(results[0]).not.toHaveProperty('target');
    expect(results[0]!.summary).toMatch(/^newest backup-1\.tar\.gz in .*\/backups modified .*, 2 h ago \(older than the 1 h max\)$/);
  });

  it('reads the audit log through the context, with the clock from the options', async () => {
    const now = Date.UTC(2026, 0, 5, 12);
    await createAuditLog({ redis, prefix, now: () => now - 60_000 }).append({ type: 'access.denied', actor: 'slack:U1', outcome: 'denied' });
    const action = actionSchema.parse({ kind: 'audit-count', phase: 'analyze', title: 'Denials today', types: ['access.denied'], max: 1 });
    const [result] = await runProbe('denials', action, makeIncident(), [], { now: () => now, context: { redis, auditStreamKey: createRedisKeys(prefix).auditStream } });
    expect(result).toMatchObject({ actionId: 'denials', title: 'Denials today', ok: true, summary: '1 denial in the last 24 h (max 1); latest 2026-01-05 11:59 UTC' });
  });

  it('says what is missing when no context is given', async () => {
    const action = actionSchema.parse({ kind: 'redis-config', phase: 'analyze', title: 'Redis settings' });
    const [result] = await runProbe('redis', action, makeIncident(), []);
    expect(result).toMatchObject({ actionId: 'redis', ok: false, summary: 'not checked: no Redis connection here' });
  });
});
