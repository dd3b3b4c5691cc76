import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { createAcceptInboundEvent } from '../../../src/inbound/create-accept-inbound-event.js';
import { incidentButtons } from '../../../src/inbound/incident-buttons.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { createQueues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, listKeys, uniquePrefix } from '../../support/test-redis.js';

const config = buildTestConfig({
  alertmanager: { token: 'x'.repeat(32) },
  slack: { signingSecret: 's'.repeat(32), botToken: 'xoxb-test', appId: 'A0WARDEN', teamId: 'T0TEAM' },
  access: {
    groups: { operators: ['slack:U0OPS1'], approvers: ['slack:U0LEAD'] },
    permissions: { 'incident.respond': ['operators', 'approvers'] },
  },
  limits: { commandsPerUserPerMinute: 3 },
});

describe('accepting inbound events (real Redis and BullMQ)', () => {
  const redis = connectTestRedis();
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  let clock = Date.parse('2026-11-22T08:00:00Z');
  let serial = 0;
  function setup() {
    const prefix = uniquePrefix('accept');
    prefixes.push(prefix);
    const queues = createQueues(redis, prefix);
    const audit = createRecordingAuditLog();
    const accept = createAcceptInboundEvent({
      redis,
      keys: createRedisKeys(prefix),
      work: createJobWork(queues),
      config,
      commands,
      buttons: incidentButtons,
      audit,
      logger: pino({ level: 'silent' }),
      now: () => clock,
    });
    const queued = async () => (await queues.inbound.getJobs(['waiting'], 0, 100)).map((job) => job.data);
    return { prefix, queues, audit, accept, queued };
  }
  const command = (text: string, overrides: Partial<InboundEvent> = {}): InboundEvent => ({
    id: `slack:trigger-${++serial}`,
    platform: 'slack',
    identity: 'slack:U0OPS1',
    tenant: 'T0TEAM',
    appId: 'A0WARDEN',
    destination: 'slack:C0SEC',
    receivedAt: clock,
    input: { type: 'command', name: 'incident', text },
    ...overrides,
  });
  const click = (actionId: string, value: string, overrides: Partial<InboundEvent> = {}): InboundEvent => ({
    ...command('', overrides),
    input: { type: 'action', actionId, value, message: { destination: 'slack:C0SEC', id: '1700000000.000100' } },
    ...overrides,
  });

  beforeEach(() => {
    clock += 120_000;
  });

  it('queues an event once however often it is delivered', async () => {
    const { accept, queued, queues } = setup();
    const event = click('incident.acknowledge', '{"k":"inc-0123456789ab"}');
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await accept(event)).outcome);
    expect(outcomes).toEqual(['queued', 'duplicate', 'duplicate', 'duplicate']);
    expect(await queued()).toEqual([event]);
    await queues.close();
  });

  it('treats a replayed signed request (same timestamp and nonce) as a duplicate even with a new event id', async () => {
    const { accept, queued, queues } = setup();
    expect(await accept(command('list'), { replayKey: '1700000000:nonce-1' })).toEqual({ outcome: 'queued' });
    expect(await accept(command('list'), { replayKey: '1700000000:nonce-1' })).toEqual({ outcome: 'duplicate' });
    expect(await accept(command('list'), { replayKey: '1700000000:nonce-2' })).toEqual({ outcome: 'queued' });
    expect(await queued()).toHaveLength(2);
    await queues.close();
  });

  it('refuses someone without the permission, audits it, queues nothing', async () => {
    const { accept, queued, audit, queues } = setup();
    const outsider = click('incident.resolve', '{"k":"inc-0123456789ab"}', { identity: 'slack:U0NOBODY' });
    const outcome = await accept(outsider);
    expect(outcome).toMatchObject({ outcome: 'refused', reason: 'denied' });
    expect(outcome.outcome === 'refused' && outcome.message).toContain('incident.respond');
    expect(await queued()).toEqual([]);
    expect(audit.entries).toEqual([
      expect.objectContaining({ type: 'access.denied', actor: 'slack:U0NOBODY', subject: 'incident.resolve', outcome: 'refused' }),
    ]);
    // A redelivery of the refused click is not refused (or audited) twice.
    expect(await accept(outsider)).toEqual({ outcome: 'duplicate' });
    expect(audit.entries).toHaveLength(1);
    await queues.close();
  });

  it('lets incident.view default to the holders of incident.respond', async () => {
    const { accept, queued, queues } = setup();
    expect(await accept(command('list'))).toEqual({ outcome: 'queued' });
    expect(await accept(command('list', { identity: 'slack:U0NOBODY' }))).toMatchObject({ outcome: 'refused', reason: 'denied' });
    expect(await queued()).toHaveLength(1);
    await queues.close();
  });

  it('refuses requests for another app or workspace before anything else', async () => {
    const { accept, queued, audit, queues } = setup();
    expect(await accept(command('list', { appId: 'A0OTHER' }))).toMatchObject({ outcome: 'refused', reason: 'foreign' });
    expect(await accept(command('nonsense', { tenant: 'T0OTHER' }))).toMatchObject({ outcome: 'refused', reason: 'foreign' });
    expect(await accept(command('list', { platform: 'lark', identity: 'lark:ou_x' }))).toMatchObject({ outcome: 'refused', reason: 'foreign' });
    expect(await queued()).toEqual([]);
    expect(audit.entries.map((e) => e.type)).toEqual(['access.foreign', 'access.foreign', 'access.foreign']);
    await queues.close();
  });

  it('answers unknown commands, bad arguments and foreign button values with usage, queueing nothing', async () => {
    const { accept, queued, audit, queues } = setup();
    const unknown = await accept(command('x', { input: { type: 'command', name: 'deploy', text: 'prod' } }));
    expect(unknown).toMatchObject({ outcome: 'refused', reason: 'usage', message: expect.stringContaining('/warden help') });
    const badKey = await accept(command('ack not-a-key'));
    expect(badKey).toMatchObject({ outcome: 'refused', reason: 'usage', message: expect.stringContaining('Usage: /incident ack <key>') });
    const missing = await accept(command('show'));
    expect(missing).toMatchObject({ outcome: 'refused', reason: 'usage' });
    const noSub = await accept(command(''));
    expect(noSub.outcome === 'refused' && noSub.message).toContain('/incident list');
    const forged = await accept(click('incident.acknowledge', '{"k":"../../etc"}'));
    expect(forged).toMatchObject({ outcome: 'refused', reason: 'usage' });
    const unknownButton = await accept(click('incident.delete-everything', '{"k":"inc-0123456789ab"}'));
    expect(unknownButton).toMatchObject({ outcome: 'refused', reason: 'usage' });
    expect(await queued()).toEqual([]);
    expect(audit.entries).toEqual([]);
    await queues.close();
  });

  it('rate-limits commands per identity, says when to retry, and recovers as time passes', async () => {
    const { accept, queued, audit, queues } = setup();
    const first = setup();
    for (let i = 0; i < 3; i++) expect(await accept(command('list'))).toEqual({ outcome: 'queued' });
    const limited = await accept(command('list'));
    expect(limited).toMatchObject({ outcome: 'refused', reason: 'limited', retryAfterSeconds: 20 });
    expect(limited.outcome === 'refused' && limited.message).toMatch(/more than 3 commands in a minute; please try again in 20 s/);
    expect(audit.entries.map((e) => e.type)).toEqual(['access.limited']);
    // Someone else is not affected; another Warden instance with its own prefix neither.
    expect(await accept(command('list', { identity: 'slack:U0LEAD' }))).toEqual({ outcome: 'queued' });
    expect(await first.accept(command('list'))).toEqual({ outcome: 'queued' });
    clock += 20_000;
    expect(await accept(command('list'))).toEqual({ outcome: 'queued' });
    expect(await accept(command('list'))).toMatchObject({ outcome: 'refused', reason: 'limited' });
    expect(await queued()).toHaveLength(5);
    await queues.close();
    await first.queues.close();
  });

  it('shares the rate limit between Warden processes through Redis', async () => {
    const a = setup();
    const prefix = a.prefix;
    const other = connectTestRedis();
    const b = createAcceptInboundEvent({
      redis: other,
      keys: createRedisKeys(prefix),
      work: createJobWork(createQueues(other, prefix)),
      config,
      commands,
      buttons: incidentButtons,
      audit: createRecordingAuditLog(),
      logger: pino({ level: 'silent' }),
      now: () => clock,
    });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await (i % 2 === 0 ? a.accept : b)(command('list'))).outcome);
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'refused']);
    await a.queues.close();
    other.disconnect();
  });

  it('forgets a delivery that failed half-way, so the redelivery is handled, not dropped', async () => {
    const { accept, audit, queued, queues, prefix } = setup();
    const outsider = command('list', { identity: 'slack:U0NOBODY' });
    // What ioredis says when the connection drops.
    audit.failNext(new Error('Connection is closed.'));
    const error = await accept(outsider).catch((e: unknown) => e);
    expect(isWardenError(error, 'store_unavailable') && error.status).toBe(503);
    expect((await listKeys(redis, prefix)).filter((key) => key.includes(':delivery:'))).toEqual([]);
    // Anything else is not reported as Redis being unavailable; the delivery is forgotten all the same.
    audit.failNext(new TypeError('results[i] is not iterable'));
    const internal = await accept(outsider).catch((e: unknown) => e);
    expect(isWardenError(internal)).toBe(false);
    expect(internal).toBeInstanceOf(TypeError);
    expect((await listKeys(redis, prefix)).filter((key) => key.includes(':delivery:'))).toEqual([]);
    expect(await accept(outsider)).toMatchObject({ outcome: 'refused', reason: 'denied' });
    expect(await queued()).toEqual([]);
    await queues.close();
  });
});
