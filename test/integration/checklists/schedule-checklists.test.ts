import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChecklists } from '../../../src/checklists/load-checklists.js';
import { createRunStore } from '../../../src/checklists/create-run-store.js';
import { scheduleChecklists, SWEEP_SCHEDULER_ID, toScheduledJobId } from '../../../src/jobs/checklists/schedule-checklists.js';
import { listSlots } from '../../../src/shared/schedule-slots.js';
import { sweepChecklists, type SweepDeps } from '../../../src/checklists/sweep-checklists.js';
import { configSchema, type Config } from '../../../src/config/config-schema.js';
import { createQueues, type Queues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { writeChecklistFixture, type ChecklistFixture } from '../../support/checklist-fixtures.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Schedules and the sweep against real job schedulers and Redis, on a fake clock (no waiting for slots). */
describe('checklist schedules and the sweep, on a fake clock', () => {
  const prefix = uniquePrefix('schedule-checklists');
  const keys = createRedisKeys(prefix);
  const redis = connectTestRedis();
  let queues: Queues;
  let fixture: ChecklistFixture;
  const t0 = Date.parse('2026-03-02T08:00:00Z');
  let clock = t0;
  const now = () => clock;

  const configWith = (schedules: Record<string, { cron: string; to: string[] }>, timezone = 'Asia/Shanghai'): Config =>
    configSchema.parse({
      alertmanager: { token: 'x'.repeat(32) },
      access: { groups: { approvers: ['slack:U0BOSS'] }, permissions: { 'action.approve': ['approvers'] } },
      checklists: { timezone, schedules, remindAfterMinutes: 60 },
    });
  const sweepDeps = (config: Config, audit = createRecordingAuditLog()): SweepDeps & { audit: ReturnType<typeof createRecordingAuditLog> } => ({
    runs: createRunStore(redis, keys),
    work: createJobWork(queues),
    audit,
    now,
    checklists: loadChecklists(fixture.dir, { actions: {}, schedules: config.checklists.schedules }),
    config,
    redis,
    keys,
  });
  const notices = async () => (await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'], 0, 1000)).filter((job) => job.name === 'notice');

  beforeAll(() => {
    queues = createQueues(redis, prefix);
    fixture = writeChecklistFixture();
  });
  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('upserts one job scheduler per schedule and the sweep; removes those no longer configured', async () => {
    const both = configWith({ daily: { cron: '0 9 * * *', to: ['slack:C0SEC'] }, weekly: { cron: '0 10 * * 1', to: ['slack:C0SEC'] } });
    await scheduleChecklists({ config: both, now, queues, redis, keys });
    await scheduleChecklists({ config: both, now, queues, redis, keys });
    const schedulers = await queues.checklists.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual(['checklist.daily', 'checklist.weekly', SWEEP_SCHEDULER_ID].sort());
    const daily = schedulers.find((s) => s.key === 'checklist.daily')!;
    expect(daily).toMatchObject({ pattern: '0 9 * * *', tz: 'Asia/Shanghai' });
    // The next job is for the next 09:00 in Shanghai (01:00 UTC), whatever the real clock says.
    const next = (await queues.checklists.getJobs(['delayed'], 0, 100)).filter((job) => job.name === 'start' && job.data.task === 'start' && job.data.checklistId === 'daily');
    expect(next).toHaveLength(1);

    await scheduleChecklists({ config: configWith({ weekly: { cron: '0 10 * * 1', to: ['slack:C0SEC'] } }), now, queues, redis, keys });
    expect((await queues.checklists.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(['checklist.weekly', SWEEP_SCHEDULER_ID].sort());
    expect(await redis.hget(keys.checklistSchedules, 'daily')).toBeNull();
  });

  it('reports slots that got no run as missed, once each; a slot whose job BullMQ still holds will run late and is not missed', async () => {
    const config = configWith({ daily: { cron: '0 9 * * *', to: ['slack:C0SEC'] } });
    clock = t0;
    await scheduleChecklists({ config, now, queues, redis, keys });
    // Three days pass with no worker: BullMQ holds the first slot's job; later slots were never made.
    clock = t0 + 3 * DAY;
    const slots = listSlots('0 9 * * *', 'Asia/Shanghai', t0, clock - 5 * 60_000, 10);
    expect(slots).toHaveLength(3);
    const pending = await Promise.all(slots.map(async (slot) => (await queues.checklists.getJob(toScheduledJobId('daily', slot))) !== undefined));

    const deps = sweepDeps(config);
    expect(await sweepChecklists(deps)).toMatch(/0 reminders, 0 escalations, \d missed slots reported/);
    const missed = (await redis.zrange(keys.checklistMissed('daily'), '0', '-1')).map(Number);
    expect(missed).toEqual(slots.filter((_, i) => !pending[i]));
    expect(missed.length).toBeGreaterThanOrEqual(2);
    expect(deps.audit.entries.filter((e) => e.type === 'checklist.missed')).toHaveLength(missed.length);
    const missedNotices = (await notices()).filter((job) => job.data.notice?.title === 'Missed: Daily test check');
    expect(missedNotices).toHaveLength(missed.length);
    expect(missedNotices[0]!.data.notice!.text).toContain('/audit daily');

    // A second sweep reports nothing again.
    expect(await sweepChecklists(deps)).toContain('0 missed slots reported');
    expect(deps.audit.entries.filter((e) => e.type === 'checklist.missed')).toHaveLength(missed.length);
  });

  it('a changed cron starts counting from the change: the old schedule\'s slots are not missed', async () => {
    clock = t0 + 10 * DAY;
    const changed = configWith({ daily: { cron: '30 7 * * *', to: ['slack:C0SEC'] } });
    await scheduleChecklists({ config: changed, now, queues, redis, keys });
    const before = await redis.zcard(keys.checklistMissed('daily'));
    clock += 2 * HOUR;
    const deps = sweepDeps(changed);
    await sweepChecklists(deps);
    expect(await redis.zcard(keys.checklistMissed('daily'))).toBe(before);
  });
});
