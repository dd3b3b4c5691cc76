import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestActionRun } from '../../../src/approvals/request-action-run.js';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { decideApproval } from '../../../src/approvals/decide-approval.js';
import type { Config } from '../../../src/config/config-schema.js';
import { listSecrets } from '../../../src/config/list-secrets.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import type { ResponseDeps } from '../../../src/response/response-deps.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createQueues, type RemediateJobData } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { processRemediateJob, type RemediateDeps } from '../../../src/jobs/remediate/process-remediate-job.js';
import { loadPlaybooks } from '../../../src/playbooks/load-playbooks.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { remediationActions, resultEntries } from '../../support/remediation-fixtures.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const [OPS, BOSS, LEAD_SLACK, LEAD_LARK] = ['slack:U0OPS1', 'slack:U0BOSS', 'slack:U0LEAD', 'lark:ou_0lead'];

/**
 * The remediate job checks authority again right before the effect, against the configuration in
 * force when it runs: requests and approvals are made under one configuration, and a real BullMQ
 * worker runs the jobs under another (as after a restart with a changed config file).
 */
describe('remediate job: authority checked again against the configuration now in force', () => {
  const prefix = uniquePrefix('remediate-authority');
  const keys = createRedisKeys(prefix);
  const redis = connectTestRedis();
  const workerConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const store = createIncidentStore(redis, keys);
  const approvals = createApprovalStore(redis, keys);
  const audit = createRecordingAuditLog();
  let target: FakeRemediationTarget;
  let worker: Worker<RemediateJobData>;
  /** The configuration the worker runs jobs under; each test sets it before it requests. */
  let inForce: RemediateDeps;

  const configWith = (access: Record<string, unknown>, actions: Record<string, unknown> = remediationActions(target.url)): Config =>
    buildTestConfig({ alertmanager: { token: 'x'.repeat(32) }, access, actions });
  const access = (changes: { operators?: string[]; approvers?: string[]; people?: Record<string, string[]> } = {}) => ({
    people: changes.people ?? {},
    groups: { operators: changes.operators ?? [OPS, LEAD_SLACK], approvers: changes.approvers ?? [BOSS, LEAD_LARK] },
    permissions: { 'incident.respond': ['operators', 'approvers'], 'action.run': ['operators'], 'action.approve': ['approvers'] },
  });
  const operationsUnder = (config: Config): ResponseDeps => ({
    store,
    work: createJobWork(queues),
    audit,
    now: Date.now,
    actions: config.actions,
    approvals,
    approvalExpiryMs: 30 * 60_000,
    people: config.access.people,
    secrets: listSecrets(config),
  });
  const jobsUnder = (config: Config): RemediateDeps => ({
    redis: workerConnection,
    keys,
    store,
    work: createJobWork(queues),
    actions: config.actions,
    audit,
    logger: pino({ level: 'silent' }),
    now: Date.now,
    secrets: listSecrets(config),
    access: config.access,
    approvals,
    wardenPrefix: prefix,
    playbooks: loadPlaybooks(undefined, { actions: config.actions }),
  });

  let serial = 0;
  async function openIncident(): Promise<string> {
    const name = `Authority${++serial}`;
    const n = webhookNotificationSchema.parse(buildNotification({ alertname: name, instances: ['web-5:9100'] }));
    return (await recordNotification(redis, prefix, n, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now())).key;
  }
  const requestId = () => `a0${(++serial).toString(16).padStart(22, '0')}`;

  /** Waits for the job's result on the timeline and for the job to settle, and returns both. */
  async function settled(key: string, actionId: string, id: string) {
    await expect.poll(async () => resultEntries(await store.timeline(key), actionId).length, { timeout: 15_000 }).toBe(1);
    const job = await queues.remediate.getJob(`remediate.${id}`);
    await expect.poll(async () => (await job?.getState()) ?? 'missing', { timeout: 15_000 }).toMatch(/^(completed|failed)$/);
    const [entry] = resultEntries(await store.timeline(key), actionId);
    return { text: entry!.text, state: await job!.getState(), view: (await store.view(key))! };
  }
  const refusalsFor = (id: string) => audit.entries.filter((e) => e.type === 'remediation.refused' && (e.detail as { requestId?: string }).requestId === id);

  beforeAll(async () => {
    target = await startFakeRemediationTarget();
    inForce = jobsUnder(configWith(access()));
    worker = new Worker<RemediateJobData>('remediate', (job) => processRemediateJob(job, inForce), { connection: workerConnection, prefix, concurrency: 2 });
  });
  afterAll(async () => {
    await worker?.close();
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    workerConnection.disconnect();
    await target?.close();
  });

  async function requestAndApprove(config: Config, requestedBy: string, approvedBy: string): Promise<{ key: string; id: string }> {
    const key = await openIncident();
    const id = requestId();
    expect(await requestActionRun(operationsUnder(config), key, 'isolate-host', requestedBy, id)).toMatchObject({ outcome: 'changed' });
    expect(await decideApproval(operationsUnder(config), key, id, approvedBy, 'approved')).toMatchObject({ outcome: 'changed' });
    return { key, id };
  }

  it('runs an approved request when nothing changed (the control)', async () => {
    const config = configWith(access());
    inForce = jobsUnder(config);
    const { key, id } = await requestAndApprove(config, OPS, BOSS);
    const outcome = await settled(key, 'isolate-host', id);
    expect(outcome.text).toMatch(/^OK Isolate host \(run by slack:U0OPS1, approved by slack:U0BOSS\): HTTP 201/);
    expect(target.effects.get(`warden-${id}`)).toBe(1);
    expect(refusalsFor(id)).toEqual([]);
  });

  it('refuses an approval whose approver no longer holds action.approve', async () => {
    inForce = jobsUnder(configWith(access({ approvers: [LEAD_LARK] })));
    const { key, id } = await requestAndApprove(configWith(access()), OPS, BOSS);
    const outcome = await settled(key, 'isolate-host', id);
    expect(outcome.text).toMatch(/^FAILED Isolate host .*not run: slack:U0BOSS, who approved it, no longer holds action\.approve/);
    expect(outcome.state).toBe('failed');
    expect(outcome.view.diagnosis).toContainEqual(expect.objectContaining({ actionId: 'isolate-host', ok: false, summary: expect.stringContaining('no longer holds action.approve') }));
    expect(refusalsFor(id)).toEqual([expect.objectContaining({ actor: 'warden', subject: key, outcome: 'approver_not_permitted' })]);
    expect(target.effects.get(`warden-${id}`)).toBeUndefined();
  });

  it('refuses an approval by the requester from their other platform once access.people says they are one person', async () => {
    // Approved while the two identities were not known to be one person; the job knows better.
    inForce = jobsUnder(configWith(access({ people: { lead: [LEAD_SLACK, LEAD_LARK] } })));
    const { key, id } = await requestAndApprove(configWith(access()), LEAD_SLACK, LEAD_LARK);
    const outcome = await settled(key, 'isolate-host', id);
    expect(outcome.text).toMatch(/not run: lark:ou_0lead approved what slack:U0LEAD requested, and both are lead/);
    expect(outcome.state).toBe('failed');
    expect(refusalsFor(id)).toEqual([expect.objectContaining({ outcome: 'self_approval' })]);
    expect(target.effects.get(`warden-${id}`)).toBeUndefined();
  });

  it('refuses a request whose requester no longer holds action.run', async () => {
    inForce = jobsUnder(configWith(access({ operators: [LEAD_SLACK] })));
    const key = await openIncident();
    const id = requestId();
    await requestActionRun(operationsUnder(configWith(access())), key, 'notify-owner', OPS, id);
    const outcome = await settled(key, 'notify-owner', id);
    expect(outcome.text).toMatch(/^FAILED Notify owner \(run by slack:U0OPS1\): not run: slack:U0OPS1, who requested it, no longer holds action\.run/);
    expect(refusalsFor(id)).toEqual([expect.objectContaining({ outcome: 'requester_not_permitted' })]);
    expect(target.effects.get(`warden-${id}`)).toBeUndefined();
  });

  it('refuses an action that became destructive after it was queued without approval', async () => {
    const actions = remediationActions(target.url) as Record<string, Record<string, unknown>>;
    inForce = jobsUnder(configWith(access(), { ...actions, 'notify-owner': { ...actions['notify-owner'], destructive: true } }));
    const key = await openIncident();
    const id = requestId();
    await requestActionRun(operationsUnder(configWith(access())), key, 'notify-owner', OPS, id);
    const outcome = await settled(key, 'notify-owner', id);
    expect(outcome.text).toMatch(/not run: Notify owner is destructive and this request has no approval on record/);
    expect(refusalsFor(id)).toEqual([expect.objectContaining({ outcome: 'not_approved' })]);
    expect(target.effects.get(`warden-${id}`)).toBeUndefined();
  });

  it('refuses a run whose action now renders differently, and a job queued without a rendering', async () => {
    const actions = remediationActions(target.url) as Record<string, Record<string, unknown>>;
    const notify = actions['notify-owner'] as { request: Record<string, unknown> };
    inForce = jobsUnder(configWith(access(), { ...actions, 'notify-owner': { ...notify, request: { ...notify.request, url: `${target.url}/notify-all` } } }));
    const key = await openIncident();
    const id = requestId();
    await requestActionRun(operationsUnder(configWith(access())), key, 'notify-owner', OPS, id);
    expect((await settled(key, 'notify-owner', id)).text).toMatch(/not run: the action’s configuration changed since it was requested/);
    expect(refusalsFor(id)).toEqual([expect.objectContaining({ outcome: 'configuration_changed' })]);

    inForce = jobsUnder(configWith(access()));
    const older = await openIncident();
    const oldId = requestId();
    await queues.remediate.add('remediate', { key: older, actionId: 'notify-owner', requestId: oldId, requestedBy: OPS }, { jobId: `remediate.${oldId}` });
    expect((await settled(older, 'notify-owner', oldId)).text).toMatch(/not run: this request was queued without the run it would make .*request Notify owner again/);
    expect(refusalsFor(oldId)).toEqual([expect.objectContaining({ outcome: 'not_rendered' })]);
    expect(target.requests.filter((r) => r.url.startsWith('/notify'))).toEqual([]);
  });
});
