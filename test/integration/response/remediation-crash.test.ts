import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { createSlackClicker, ISOLATE_TITLE, remediationActions, responseAccess, resultEntries } from '../../support/remediation-fixtures.js';
import { startResponseGate, type ResponseGate } from '../../support/response-gate.js';
import { startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { joinTree, startWorkerChild, type WorkerChild } from '../../support/start-worker-child.js';
import { randomSecret } from '../../support/test-redis.js';

const CHANNEL = 'C0CRASH';
const [REQUESTER, APPROVER] = ['U0OPS1', 'U0BOSS'];
/** From a worker's SIGKILL to the outcome on the card, with Warden's own job lock settings. */
const RECOVERY_LIMIT_MS = 20_000;

/**
 * Effective once, whatever happens to the worker: Warden's web part in-process, its workers in child
 * processes, on a private redis-server with AOF (`appendfsync always`). A gate in front of the fake
 * target passes each remediation request on (the target applies the effect) but holds the answer,
 * and in that window the worker is SIGKILLed or Redis is restarted.
 */
describe('remediation across a killed worker and a Redis restart', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const children: WorkerChild[] = [];
  let redis: TestRedisServer;
  let inspect: Redis;
  let target: FakeRemediationTarget;
  let gate: ResponseGate;
  let slack: FakeSlackApi;
  let web: TestWarden;
  let tree: ConfigTree;

  const cardOf = (key: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key));
  const cardText = (key: string) => JSON.stringify(cardOf(key)?.blocks ?? null);
  const worker = async () => {
    const child = await startWorkerChild({ tree: joinTree(web, tree), redisUrl: redis.url });
    children.push(child);
    return child;
  };
  const sentWith = (requestId: string) => target.requests.filter((request) => request.idempotencyKey === `warden-${requestId}`);

  beforeAll(async () => {
    redis = await startRedisServer({ fsyncAlways: true });
    inspect = new Redis(redis.url, { maxRetriesPerRequest: null });
    inspect.on('error', () => {});
    target = await startFakeRemediationTarget();
    gate = await startResponseGate(target.url);
    slack = await startFakeSlackApi({ botToken });
    tree = {
      slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
      routes: [{ to: [`slack:${CHANNEL}`], playbook: 'suspicious-process' }],
      access: responseAccess('slack', { operators: [REQUESTER], approvers: [APPROVER] }),
      actions: remediationActions(gate.url),
      limits: { outbound: { slackPerChannelPerSecond: 50 } },
    };
    web = await startTestWarden({ name: 'remediation-crash', role: 'web', redisUrl: redis.url, tree });
  }, 30_000);

  afterEach((context) => {
    // What the worker processes logged, when it helps to understand a failure.
    if (context.task.result?.state === 'fail') for (const child of children) console.error(`worker child ${child.pid}:\n${child.output()}`);
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    await web?.stop().catch(() => {});
    inspect?.disconnect();
    await gate?.close();
    await target?.close();
    await slack?.close();
    await redis?.dispose();
  }, 30_000);

  /**
   * Opens an incident, starts a worker child, requests `isolate-host` and approves it; its answer is
   * held at the gate. The worker starts after the notification was stored: intake's dispatch job
   * could otherwise overtake the notification on a server that does not know intake's script yet.
   */
  async function startHeldRemediation(alertname: string, instance: string): Promise<{ key: string; requestId: string; child: WorkerChild }> {
    const posted = await postNotification(web.url, web.token, buildNotification({ alertname, instances: [instance] }));
    expect(posted.status).toBe(202);
    const key = posted.body.incident as string;
    const child = await worker();
    await slack.waitFor(() => cardOf(key) !== undefined, 15_000);
    const click = createSlackClicker({ url: () => web.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(key)!.ts });
    const { requestId } = await click(REQUESTER, 'action.run', { k: key, a: 'isolate-host' });
    await expect.poll(async () => (await web.warden.store.timeline(key)).some((e) => e.data?.requestId === requestId && e.data.state === 'pending'), { timeout: 15_000 }).toBe(true);
    gate.hold();
    expect((await click(APPROVER, 'approval.approve', { k: key, r: requestId })).status).toBe(200);
    // The target saw the request and applied its effect; the answer waits at the gate.
    await expect.poll(() => sentWith(requestId).length, { timeout: 15_000 }).toBe(1);
    expect(target.effects.get(`warden-${requestId}`)).toBe(1);
    // Let the other jobs of the click (the inbound job, the card update) finish first.
    await expect.poll(() => cardText(key), { timeout: 15_000 }).not.toContain('approval.approve');
    await expect.poll(async () => (await web.warden.queues.inbound.getActiveCount()) + (await web.warden.queues.notify.getActiveCount()), { timeout: 15_000 }).toBe(0);
    return { key, requestId, child };
  }

  /** One effect, one recorded result (key and timeline), the card showing it, the job completed. */
  async function expectResultOnce(key: string, requestId: string): Promise<void> {
    await expect.poll(() => cardText(key), { timeout: 20_000 }).toContain(`✅ ${ISOLATE_TITLE}: HTTP 201`);
    const job = await web.warden.queues.remediate.getJob(`remediate.${requestId}`);
    await expect.poll(() => job?.getState(), { timeout: 10_000 }).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.effects.get(`warden-${requestId}`)).toBe(1);
    expect(sentWith(requestId).every((request) => request.url === '/isolate')).toBe(true);
    const recorded = JSON.parse((await inspect.get(createRedisKeys(web.prefix).remediation(requestId))) ?? 'null') as { ok: boolean; title: string } | null;
    expect(recorded).toMatchObject({ ok: true, title: ISOLATE_TITLE });
    const results = resultEntries(await web.warden.store.timeline(key), 'isolate-host');
    expect(results.map((e) => e.text)).toEqual([expect.stringMatching(/^OK Isolate host \(run by slack:U0OPS1, approved by slack:U0BOSS\): HTTP 201/)]);
    expect(cardText(key).split(`✅ ${ISOLATE_TITLE}`)).toHaveLength(2);
    expect(slack.messages(CHANNEL).filter((message) => JSON.stringify(message.blocks).includes(key))).toHaveLength(1);
  }

  it('a worker SIGKILLed mid-remediation: a new worker retries it with the same Idempotency-Key within 20 s; one effect, one result', async () => {
    const { key, requestId, child: first } = await startHeldRemediation('CryptoMinerDetected', 'gpu-1:9100');

    // The replacement is started first, as a process manager's restart or a second replica would
    // be: what is measured is Warden's own recovery, not how long tsx takes to start a test process
    // on a busy machine.
    const second = await worker();
    const killedAt = Date.now();
    await first.kill();
    gate.release(); // the answer has nobody left to go to

    // Once the dead worker's lock expires, the stalled job is retried: the same key again.
    await expect.poll(() => cardText(key), { timeout: RECOVERY_LIMIT_MS + 10_000, interval: 100 }).toContain(`✅ ${ISOLATE_TITLE}: HTTP 201`);
    const recoveryMs = Date.now() - killedAt;
    console.info(`remediation-crash: SIGKILL → outcome on the card (a replacement worker running) in ${recoveryMs} ms`);
    expect(recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(sentWith(requestId)).toHaveLength(2);
    await expectResultOnce(key, requestId);
    expect(sentWith(requestId).map((request) => JSON.parse(request.body))).toEqual([
      { host: 'gpu-1:9100', incident: key, mode: 'quarantine' },
      { host: 'gpu-1:9100', incident: key, mode: 'quarantine' },
    ]);
    // The first answer never reached a worker: only the retry's did.
    expect(gate.delivered).toBe(1);
    await second.stop();
  }, 90_000);

  it('Redis restarted while the remediation is in flight: the job completes once Redis is back; one effect, one result', async () => {
    const { key, requestId, child } = await startHeldRemediation('UnexpectedBinaryExecuted', 'gpu-2:9100');

    await redis.stop({ crash: true });
    // Down long enough for every client to see refused reconnects.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.restart();
    // The answer arrives only after every connection of both processes works again.
    await expect.poll(async () => (await child.probe()) && (await web.warden.store.countOpen().then(() => true, () => false)), { timeout: 20_000, interval: 250 }).toBe(true);
    gate.release();

    await expectResultOnce(key, requestId);
    expect(sentWith(requestId)).toHaveLength(1);
    // The restarted server kept what was written before the crash (AOF, fsync always).
    expect(await web.warden.store.get(key)).toMatchObject({ key, phase: 'triage' });
    await child.stop();
  }, 90_000);
});
