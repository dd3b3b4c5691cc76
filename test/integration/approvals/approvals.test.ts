import { afterAll, describe, expect, it } from 'vitest';
import { requestActionRun } from '../../../src/approvals/request-action-run.js';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { decideApproval } from '../../../src/approvals/decide-approval.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { closeIncident } from '../../../src/incidents/close-incident.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import type { ResponseDeps } from '../../../src/response/response-deps.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createQueues } from '../../../src/jobs/create-queues.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

describe('approvals for destructive actions (real Redis)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('approvals');
  const keys = createRedisKeys(prefix);
  const queues = createQueues(redis, prefix);
  const store = createIncidentStore(redis, keys);
  const audit = createRecordingAuditLog();
  let clock = Date.parse('2026-11-22T09:00:00Z');
  const config = buildTestConfig({
    alertmanager: { token: 'x'.repeat(32) },
    actions: {
      'isolate-host': { kind: 'http', phase: 'isolate', title: 'Isolate host', destructive: true, request: { url: 'http://127.0.0.1:9/isolate' } },
      'notify-owner': { kind: 'http', phase: 'recover', title: 'Notify owner', request: { url: 'http://127.0.0.1:9/notify' } },
    },
  });
  const deps: ResponseDeps = { store, work: createJobWork(queues), audit, now: () => clock, actions: config.actions, approvals: createApprovalStore(redis, keys), approvalExpiryMs: 30 * 60_000 };
  afterAll(async () => {
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  let serial = 0;
  async function openIncident(): Promise<string> {
    const name = `Approval${++serial}`;
    const n = webhookNotificationSchema.parse(buildNotification({ alertname: name, groupKey: `{}:{alertname="${name}"}` }));
    return (await recordNotification(redis, prefix, n, { destinations: ['slack:C0SEC'], playbook: 'default' }, clock)).key;
  }
  const remediateJobs = async () => (await queues.remediate.getJobs(['waiting', 'delayed'], 0, 100)).map((j) => j.data);
  const requestId = () => (++serial).toString(16).padStart(24, '0');

  it('a destructive action waits for a second person; the requester cannot approve it', async () => {
    const key = await openIncident();
    const id = requestId();
    expect(await requestActionRun(deps, key, 'isolate-host', 'slack:U0OPS1', id)).toMatchObject({ outcome: 'changed', message: 'Approval requested for Isolate host.' });
    // The same click delivered again asks once.
    expect(await requestActionRun(deps, key, 'isolate-host', 'slack:U0OPS1', id)).toMatchObject({ outcome: 'unchanged' });
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toEqual([]);

    const self = await decideApproval(deps, key, id, 'slack:U0OPS1', 'approved');
    expect(self).toMatchObject({ outcome: 'refused', message: expect.stringContaining('someone else') });
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'approval.refused', outcome: 'self_approval', actor: 'slack:U0OPS1' }));
    expect((await deps.approvals.get(id))!.state).toBe('pending');

    clock += 60_000;
    expect(await decideApproval(deps, key, id, 'slack:U0LEAD', 'approved')).toMatchObject({ outcome: 'changed' });
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toEqual([
      {
        key,
        actionId: 'isolate-host',
        requestId: id,
        requestedBy: 'slack:U0OPS1',
        approvedBy: 'slack:U0LEAD',
        rendering: { inputs: { 'incident.key': key }, preview: { kind: 'http', method: 'POST', url: 'http://127.0.0.1:9/isolate', headers: [] } },
      },
    ]);
    // A second approver (or a double click) changes nothing.
    expect(await decideApproval(deps, key, id, 'slack:U0LEAD2', 'approved')).toMatchObject({ outcome: 'unchanged', message: expect.stringContaining('already approved by slack:U0LEAD') });
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toHaveLength(1);
    const timeline = (await store.timeline(key)).map((e) => e.text);
    expect(timeline).toContainEqual(expect.stringContaining('slack:U0OPS1 requested Isolate host'));
    expect(timeline).toContainEqual(expect.stringContaining('slack:U0LEAD approved Isolate host'));
  });

  it('one person with two identities cannot approve on Lark what they requested on Slack', async () => {
    const withPeople: ResponseDeps = { ...deps, people: { lead: ['slack:U0LEAD', 'lark:ou_0lead'] } };
    const key = await openIncident();
    const id = requestId();
    await requestActionRun(withPeople, key, 'isolate-host', 'slack:U0LEAD', id);
    const self = await decideApproval(withPeople, key, id, 'lark:ou_0lead', 'approved');
    expect(self).toMatchObject({ outcome: 'refused', message: expect.stringContaining('someone else') });
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'approval.refused', outcome: 'self_approval', actor: 'lark:ou_0lead' }));
    expect((await deps.approvals.get(id))!.state).toBe('pending');
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toEqual([]);
    // Denying one's own request stays possible, and someone else may approve.
    expect(await decideApproval(withPeople, key, id, 'slack:U0OPS1', 'approved')).toMatchObject({ outcome: 'changed' });
  });

  it('refuses an expired request with its expiry, and a request on a closed incident', async () => {
    const key = await openIncident();
    const id = requestId();
    await requestActionRun(deps, key, 'isolate-host', 'slack:U0OPS1', id);
    clock += 30 * 60_000;
    const expired = await decideApproval(deps, key, id, 'slack:U0LEAD', 'approved');
    expect(expired).toMatchObject({ outcome: 'refused', message: expect.stringMatching(/expired at .*request it again/) });
    expect((await deps.approvals.get(id))!.state).toBe('expired');
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toEqual([]);

    const other = await openIncident();
    const second = requestId();
    await requestActionRun(deps, other, 'isolate-host', 'slack:U0OPS1', second);
    await closeIncident(deps, other, 'slack:U0OPS1');
    expect(await decideApproval(deps, other, second, 'slack:U0LEAD', 'approved')).toMatchObject({ outcome: 'refused', message: expect.stringContaining('is closed') });
    expect(await requestActionRun(deps, other, 'notify-owner', 'slack:U0OPS1', requestId())).toMatchObject({ outcome: 'refused' });
  });

  it('a denial queues nothing; a forged request id or another incident\'s request is refused', async () => {
    const key = await openIncident();
    const id = requestId();
    await requestActionRun(deps, key, 'isolate-host', 'slack:U0OPS1', id);
    expect(await decideApproval(deps, key, id, 'slack:U0LEAD', 'denied')).toMatchObject({ outcome: 'changed', message: 'You denied Isolate host.' });
    expect(await decideApproval(deps, key, id, 'slack:U0LEAD', 'approved')).toMatchObject({ outcome: 'unchanged' });
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toEqual([]);
    const elsewhere = await openIncident();
    expect(await decideApproval(deps, elsewhere, id, 'slack:U0LEAD', 'approved')).toMatchObject({ outcome: 'refused', message: 'There is no such approval request.' });
    expect(await decideApproval(deps, key, 'f'.repeat(24), 'slack:U0LEAD', 'approved')).toMatchObject({ outcome: 'refused' });
  });

  it('a non-destructive action is queued at once, once per click', async () => {
    const key = await openIncident();
    const id = requestId();
    expect(await requestActionRun(deps, key, 'notify-owner', 'slack:U0OPS1', id)).toMatchObject({ outcome: 'changed' });
    await requestActionRun(deps, key, 'notify-owner', 'slack:U0OPS1', id);
    expect((await remediateJobs()).filter((j) => j.requestId === id)).toEqual([
      { key, actionId: 'notify-owner', requestId: id, requestedBy: 'slack:U0OPS1', rendering: { inputs: { 'incident.key': key }, preview: { kind: 'http', method: 'POST', url: 'http://127.0.0.1:9/notify', headers: [] } } },
    ]);
    expect(await requestActionRun(deps, key, 'no-such-action', 'slack:U0OPS1', requestId())).toMatchObject({ outcome: 'refused' });
  });
});
