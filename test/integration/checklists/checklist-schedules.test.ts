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
  /** The process that comes back after the outage: created up front, so that it starts at once when asked. */
  let standby: WorkerChild | undefined;
  const tree = () => ({
    server: { port: 0 },
    redis: { prefix },
    alertmanager: { token: randomSecret(40) },
    audit: { file: auditFile },
    // Six fields: a slot every two seconds.
    checklists: { schedules: { daily: { cron: '*/2 * * * * *', to: ['console:terminal'] } } },
  });
  // A child compiles Warden's sources before it is ready: on a busy machine that takes a while.
  // A job still running when a child is stopped may finish (its run and its audit entry).
  const start = (deferStart = false) =>
    startWorkerChild({
      tree: tree(),
      redisUrl: TEST_REDIS_URL,
      checklistsDir: fixture.dir,
      checklistSweepEveryMs: 300,
      missedSlotAfterMs: 1_000,
      shutdownGraceMs: 15_000,
      startTimeoutMs: 120_000,
      deferStart,
    });
  const stopAll = (processes: WorkerChild[]) => Promise.all(processes.map((child) => child.stop(30_000)));
  const slots = async () => (await redis.zrange(keys.checklistSlots('daily'), '0', '-1')).map(Number);
  const runs = () => redis.zrange(keys.checklistRuns('daily'), '0', '-1');
  const missed = async () => (await redis.zrange(keys.checklistMissed('daily'), '0', '-1')).map(Number);
  // The file and the stream together: checkpoints (one as each worker stops) trim the stream.
  const auditTypes = async (type: string) => (await readAuditHistory(redis, keys, auditFile)).filter((entry) => entry.type === type);

  beforeAll(async () => {
    fixture = writeChecklistFixture();
    standby = await start(true);
  }, 150_000);
  afterAll(async () => {
    await stopAll([...children, ...(standby ? [standby] : [])]);
    await deleteKeys(redis, prefix);
    redis.disconnect();
    rmSync(fixture.dir, { recursive: true, force: true });
  }, 60_000);

  it('two worker processes: one run per slot, each for its own slot, each audited once', async () => {
    children = await Promise.all([start(), start()]);
    await expect.poll(async () => (await slots()).length, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    await stopAll(children);
    children = [];

    const ranSlots = await slots();
    const runIds = await runs();
    expect(runIds).toHaveLength(ranSlots.length);
    expect(new Set(ranSlots).size).toBe(ranSlots.length);
    expect(runIds.sort()).toEqual(ranSlots.map((slot) => `daily-s${slot.toString(36)}`).sort());
    for (const slot of ranSlots) expect(slot % SLOT_MS).toBe(0);
    const started = await auditTypes('checklist.started');
    expect(started.map((entry) => entry.subject).sort()).toEqual(runIds.sort());
  }, 240_000);

  it('slots that pass while no worker runs are reported as missed once, or run late — none is skipped silently', async () => {
    const before = await slots();
    const lastBefore = Math.max(...before);
    // What is tested is real time passing with no worker: the schedule's slots (every 2 s on the
    // real clock) go by. 6.5 s lets at least three of them pass. The process that comes back was
    // created before (loading Warden's sources can take most of a minute on a busy machine), so
    // the outage lasts a few slots, not as many as the machine is slow: the sweep looks at the
    // newest 20 slots of a schedule.
    await sleep(3 * SLOT_MS + 500);
    const restarted = standby!;
    standby = undefined;
    children = [restarted];
    await restarted.start(30_000);
    await expect.poll(async () => (await missed()).length, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    // A new regular slot after the restart.
    const after = async () => (await slots()).filter((slot) => slot > lastBefore + 4 * SLOT_MS);
    await expect.poll(async () => (await after()).length, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    const firstAfter = Math.min(...(await after()));
    const gap: number[] = [];
    for (let slot = lastBefore + SLOT_MS; slot < firstAfter; slot += SLOT_MS) gap.push(slot);
    // The sweep (every 300 ms) reports a gap slot once it is a second old: wait until it has seen them all.
    const unaccounted = async () => {
      const [ranNow, missedNow] = [new Set(await slots()), await missed()];
      return gap.filter((slot) => !ranNow.has(slot) && !missedNow.includes(slot)).map((slot) => new Date(slot).toISOString());
    };
    await expect.poll(unaccounted, { timeout: 30_000, interval: 250 }).toEqual([]);

    const ran = new Set(await slots());
    const reported = await missed();
    for (const slot of gap) {
      // Each slot of the gap either ran (late) or was reported missed — exactly one of the two.
      expect([ran.has(slot), reported.includes(slot)], `slot ${new Date(slot).toISOString()}`).toSatisfy(([r, m]: boolean[]) => r !== m);
    }
    for (const slot of reported) expect(ran.has(slot)).toBe(false);
    // Each missed slot is marked, then audited: the audit entry of the last one may follow a moment later.
    await expect.poll(async () => (await auditTypes('checklist.missed')).length, { timeout: 10_000, interval: 250 }).toBe(reported.length);
    await expect.poll(() => restarted.output(), { timeout: 10_000 }).toContain('Missed: Daily test check');
  }, 240_000);
});
