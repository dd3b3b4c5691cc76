import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { writeChecklistFixture, type ChecklistFixture } from '../../support/checklist-fixtures.js';
import { readAuditHistory } from '../../support/read-audit-history.js';
import { startWorkerChild, type WorkerChild } from '../../support/start-worker-child.js';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const SLOT_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checklist schedules are BullMQ job schedulers: two worker processes share them and every slot
 * gets exactly one run; slots that pass while no worker runs are reported as missed (or run late),
 * never silently skipped.
 */
describe('checklist schedules across worker processes', () => {
  const prefix = uniquePrefix('checklist-schedules');
  const keys = createRedisKeys(prefix);
  const redis = connectTestRedis();
  const auditFile = join(tmpdir(), 'warden-tests', `${prefix}.audit.jsonl`);
  let fixture: ChecklistFixture;
  let children: WorkerChild[] = [];
  const tree = () => ({
    server: { port: 0 },
    redis: { prefix },
    alertmanager: { token: randomSecret(40) },
    audit: { file: auditFile },
    // Six fields: a slot every two seconds.
    checklists: { schedules: { daily: { cron: '*/2 * * * * *', to: ['console:terminal'] } } },
  });
  const start = () =>
    startWorkerChild({ tree: tree(), redisUrl: TEST_REDIS_URL, checklistsDir: fixture.dir, checklistSweepEveryMs: 300, missedSlotAfterMs: 1_000, shutdownGraceMs: 2_000, startTimeoutMs: 60_000 });
  const slots = async () => (await redis.zrange(keys.checklistSlots('daily'), '0', '-1')).map(Number);
  const runs = () => redis.zrange(keys.checklistRuns('daily'), '0', '-1');
  const missed = async () => (await redis.zrange(keys.checklistMissed('daily'), '0', '-1')).map(Number);
  // The file and the stream together: checkpoints (one as each worker stops) trim the stream.
  const auditTypes = async (type: string) => (await readAuditHistory(redis, keys, auditFile)).filter((entry) => entry.type === type);

  beforeAll(() => {
    fixture = writeChecklistFixture();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await deleteKeys(redis, prefix);
    redis.disconnect();
    rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('two worker processes: one run per slot, each for its own slot, each audited once', async () => {
    children = await Promise.all([start(), start()]);
    await expect.poll(async () => (await slots()).length, { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    await Promise.all(children.map((child) => child.stop()));
    children = [];

    const ranSlots = await slots();
    const runIds = await runs();
    expect(runIds).toHaveLength(ranSlots.length);
    expect(new Set(ranSlots).size).toBe(ranSlots.length);
    expect(runIds.sort()).toEqual(ranSlots.map((slot) => `daily-s${slot.toString(36)}`).sort());
    for (const slot of ranSlots) expect(slot % SLOT_MS).toBe(0);
    const started = await auditTypes('checklist.started');
    expect(started.map((entry) => entry.subject).sort()).toEqual(runIds.sort());
  }, 90_000);

  it('slots that pass while no worker runs are reported as missed once, or run late — none is skipped silently', async () => {
    const before = await slots();
    const lastBefore = Math.max(...before);
    await sleep(3 * SLOT_MS + 500);
    const restarted = await start();
    children = [restarted];
    await expect.poll(async () => (await missed()).length, { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    // A new regular slot after the restart.
    await expect.poll(async () => (await slots()).filter((slot) => slot > lastBefore + 4 * SLOT_MS).length, { timeout: 15_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    await sleep(1_500);

    const ran = new Set(await slots());
    const reported = await missed();
    const firstAfter = Math.min(...[...ran].filter((slot) => slot > lastBefore + 4 * SLOT_MS));
    for (let slot = lastBefore + SLOT_MS; slot < firstAfter; slot += SLOT_MS) {
      // Each slot of the gap either ran (late) or was reported missed — exactly one of the two.
      expect([ran.has(slot), reported.includes(slot)], `slot ${new Date(slot).toISOString()}`).toSatisfy(([r, m]: boolean[]) => r !== m);
    }
    for (const slot of reported) expect(ran.has(slot)).toBe(false);
    expect((await auditTypes('checklist.missed')).length).toBe(reported.length);
    await expect.poll(() => restarted.output(), { timeout: 10_000 }).toContain('Missed: Daily test check');
  }, 90_000);
});
