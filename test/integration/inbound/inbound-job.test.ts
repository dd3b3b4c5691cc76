import type { Job } from 'bullmq';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { incidentButtons } from '../../../src/inbound/incident-buttons.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { createQueues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { processInboundJob } from '../../../src/jobs/inbound/process-inbound-job.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { createRecordingChatAdapter } from '../../support/recording-chat-adapter.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

describe('inbound jobs (the worker side)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('inbound-job');
  const keys = createRedisKeys(prefix);
  const queues = createQueues(redis, prefix);
  const store = createIncidentStore(redis, keys);
  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const base = { alertmanager: { token: 'x'.repeat(32) }, slack: { signingSecret: 's'.repeat(32), botToken: 'xoxb-1' } };
  const allowing = buildTestConfig({ ...base, access: { groups: { operators: ['slack:U0OPS1'] }, permissions: { 'incident.respond': ['operators'] } } });
  // The configuration after an operator was removed, between the click and the job.
  const revoked = buildTestConfig({ ...base, access: { groups: { operators: [] }, permissions: { 'incident.respond': ['operators'] } } });

  function deps(config: typeof allowing) {
    const audit = createRecordingAuditLog();
    const slack = createRecordingChatAdapter('slack');
    return {
      audit,
      slack,
      deps: { config, commands, buttons: incidentButtons, store, operations: { store, work: createJobWork(queues), audit, now: () => Date.now(), actions: config.actions, approvals: createApprovalStore(redis, keys), approvalExpiryMs: 1_800_000 }, adapters: { slack }, audit, logger: pino({ level: 'silent' }) },
    };
  }
  const clickOn = (key: string): InboundEvent => ({
    id: `slack:t-${key}`,
    platform: 'slack',
    identity: 'slack:U0OPS1',
    tenant: 'T0',
    appId: 'A0',
    destination: 'slack:C0SEC',
    receivedAt: Date.now(),
    input: { type: 'action', actionId: 'incident.acknowledge', value: JSON.stringify({ k: key }) },
  });

  it('checks access again: a permission revoked since the click is refused, audited and changes nothing', async () => {
    const notification = webhookNotificationSchema.parse(buildNotification({ alertname: 'Revoked', groupKey: '{}:{alertname="Revoked"}' }));
    const { key } = await recordNotification(redis, prefix, notification, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now());
    const { audit, slack, deps: d } = deps(revoked);
    const result = await processInboundJob({ data: clickOn(key) } as Job<InboundEvent>, d);
    expect(result).toBe('refused (denied): incident.acknowledge');
    expect(slack.calls).toEqual([expect.objectContaining({ kind: 'private', destination: 'slack:U0OPS1', id: 'slack:C0SEC' })]);
    expect(audit.entries).toEqual([expect.objectContaining({ type: 'access.denied', detail: expect.objectContaining({ stage: 'worker' }) })]);
    expect((await store.get(key))!.acknowledgedBy).toBeUndefined();

    const allowed = deps(allowing);
    expect(await processInboundJob({ data: clickOn(key) } as Job<InboundEvent>, allowed.deps)).toBe('incident.acknowledge: changed');
    expect((await store.get(key))!.acknowledgedBy).toBe('slack:U0OPS1');
    // Run again (a retry after a crash): no second change, the person is told.
    expect(await processInboundJob({ data: clickOn(key) } as Job<InboundEvent>, allowed.deps)).toBe('incident.acknowledge: unchanged');
    expect((await store.timeline(key)).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('stops retrying when the platform refuses the reply for good', async () => {
    const { deps: d, slack } = deps(allowing);
    slack.postPrivate = async () => {
      const { chatRejected } = await import('../../../src/ports/chat-errors.js');
      throw chatRejected('slack', 'channel_not_found');
    };
    const error = await processInboundJob({ data: { ...clickOn('inc-000000000000'), input: { type: 'command', name: 'warden', text: 'help' } } } as Job<InboundEvent>, d).catch((e: unknown) => e);
    expect((error as Error).name).toBe('UnrecoverableError');
  });
});
