import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../src/approvals/create-approval-store.js';
import { webhookNotificationSchema } from '../../../src/incidents/alertmanager-schema.js';
import { createIncidentStore } from '../../../src/incidents/create-incident-store.js';
import { recordNotification } from '../../../src/incidents/record-notifications.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { createQueues } from '../../../src/jobs/create-queues.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { runSilenceRequest } from '../../../src/silences/run-silence-request.js';
import type { SilenceJobDeps } from '../../../src/silences/silence-deps.js';
import { buildNotification } from '../../support/build-notification.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { startAlertmanager, type TestAlertmanager } from '../../support/start-alertmanager.js';
import { buildTestConfig } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

/** The silence job's steps against real Redis and the real Alertmanager, one attempt at a time. */
describe('runSilenceRequest (real Redis, real Alertmanager)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('silence-job');
  const keys = createRedisKeys(prefix);
  const queues = createQueues(redis, prefix);
  const store = createIncidentStore(redis, keys);
  const audit = createRecordingAuditLog();
  let am: TestAlertmanager;
  let deps: SilenceJobDeps;
  let serial = 0;

  beforeAll(async () => {
    am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused', token: 'x'.repeat(32) });
    const settings = buildTestConfig({
      alertmanager: { token: 'x'.repeat(32) },
      access: { people: { ops: ['slack:U0OPS1'] }, groups: { operators: ['ops'] }, permissions: { 'incident.respond': ['operators'] } },
    });
    deps = { store, work: createJobWork(queues), audit, approvals: createApprovalStore(redis, keys), settings, now: Date.now };
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await queues.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const open = async () => {
    const alertname = `JobSilence${++serial}`;
    const n = webhookNotificationSchema.parse({ ...buildNotification({ alertname }), externalURL: am.url });
    return (await recordNotification(redis, prefix, n, { destinations: ['slack:C0SEC'], playbook: 'default' }, Date.now())).key;
  };
  const silencesOf = async (key: string) => ((await (await fetch(`${am.url}/api/v2/silences`)).json()) as { id: string; comment: string; status: { state: string } }[]).filter((s) => s.comment.includes(key));

  it('a retry after Alertmanager made the silence but before Warden recorded it adopts that silence', async () => {
    const key = await open();
    const request = { op: 'create' as const, key, requestId: 'b'.repeat(24), requestedBy: 'slack:U0OPS1', durationMs: 3_600_000 };
    expect(await runSilenceRequest(deps, request, { final: false })).toMatch(/^silenced: /);
    const first = (await store.get(key))!.silence!.id;
    // As if the attempt had stopped between Alertmanager's answer and the incident's record.
    await store.patch(key, { unset: ['silence'] }, Date.now());
    expect(await runSilenceRequest(deps, request, { final: false })).toBe(`silenced: ${first}`);
    expect((await silencesOf(key)).map((s) => s.id)).toEqual([first]);
    // Recorded: the same request again does nothing.
    expect(await runSilenceRequest(deps, request, { final: false })).toBe(`already silenced (${first})`);
  });

  it('a new silence replaces the previous one, which is expired', async () => {
    const key = await open();
    await runSilenceRequest(deps, { op: 'create', key, requestId: 'c'.repeat(24), requestedBy: 'slack:U0OPS1', durationMs: 3_600_000 }, { final: false });
    const first = (await store.get(key))!.silence!.id;
    await runSilenceRequest(deps, { op: 'create', key, requestId: 'd'.repeat(24), requestedBy: 'slack:U0OPS1', durationMs: 1_800_000 }, { final: false });
    const second = (await store.get(key))!.silence!.id;
    expect(second).not.toBe(first);
    const expiry = (await queues.silences.getJobs(['waiting'], 0, 100)).find((job) => job.data.op === 'expire' && job.data.key === key);
    expect(expiry?.data).toMatchObject({ silenceId: first, why: 'replaced', requestedBy: 'warden' });
    expect(await runSilenceRequest(deps, expiry!.data, { final: false })).toBe(`expired: ${first}`);
    expect(Object.fromEntries((await silencesOf(key)).map((s) => [s.id, s.status.state]))).toEqual({ [first]: 'expired', [second]: 'active' });
    expect((await store.get(key))!.silence!.id).toBe(second);
  });

  it('once the silence has run out the card stops showing it; one extended in Alertmanager stays', async () => {
    const key = await open();
    await runSilenceRequest(deps, { op: 'create', key, requestId: '1'.repeat(24), requestedBy: 'slack:U0OPS1', durationMs: 3_600_000 }, { final: false });
    const { id, endsAt } = (await store.get(key))!.silence!;
    const ended = (await queues.silences.getJobs(['delayed'], 0, 100)).find((job) => job.data.op === 'expire' && job.data.key === key)!;
    expect(ended.data).toMatchObject({ silenceId: id, why: 'ended' });
    expect(ended.timestamp + ended.opts.delay!).toBeGreaterThanOrEqual(endsAt - 1000);
    // Still active (say, extended by hand): left alone.
    expect(await runSilenceRequest(deps, ended.data, { final: false })).toBe(`silence ${id} is still active`);
    expect((await silencesOf(key)).map((s) => s.status.state)).toEqual(['active']);
    // Run out (expired in Alertmanager): cleared from the card.
    await fetch(`${am.url}/api/v2/silence/${id}`, { method: 'DELETE' });
    expect(await runSilenceRequest(deps, ended.data, { final: false })).toBe(`silence ${id} was already expired`);
    expect((await store.get(key))!.silence).toBeUndefined();
    expect((await store.timeline(key)).map((e) => e.text)).toContainEqual(`Silence ${id} expired: it ran out`);
  });

  it('a requester who lost incident.respond is refused in the job, with the reason on the card', async () => {
    const key = await open();
    const result = await runSilenceRequest(deps, { op: 'create', key, requestId: 'e'.repeat(24), requestedBy: 'slack:U0GONE', durationMs: 3_600_000 }, { final: false });
    expect(result).toBe('Silence failed: not silenced: slack:U0GONE no longer holds incident.respond');
    expect((await store.get(key))!.silenceFailure?.text).toBe(result);
    expect((await store.get(key))!.silenceFailure?.textRef).toEqual({
      key: 'card.silence.failed.create',
      params: { reason: { key: 'card.silence.refused.create', params: { why: { key: 'card.silence.refusal.requesterUnauthorized', params: { who: 'slack:U0GONE' } } } } },
    });
    expect(await silencesOf(key)).toEqual([]);
    expect(audit.entries).toContainEqual(expect.objectContaining({ type: 'silence.refused', outcome: 'requester_unauthorized', subject: key }));
  });

  it('a silence past maxWithoutApproval without an approval on record is refused', async () => {
    const key = await open();
    const result = await runSilenceRequest(deps, { op: 'create', key, requestId: 'f'.repeat(24), requestedBy: 'slack:U0OPS1', durationMs: 8 * 3_600_000 }, { final: false });
    expect(result).toContain('needs an approval, and none is on record');
    expect(await silencesOf(key)).toEqual([]);
  });
});
