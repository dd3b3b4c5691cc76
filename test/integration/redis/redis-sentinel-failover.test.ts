import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/cli/main.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { buildNotification, postNotification } from '../../support/build-notification.js';
import { startFakeRemediationTarget, type FakeRemediationTarget } from '../../support/fake-remediation-target.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createSlackClicker, NOTIFY_TITLE, remediationActions, responseAccess, resultEntries } from '../../support/remediation-fixtures.js';
import { startResponseGate, type ResponseGate } from '../../support/response-gate.js';
import { startRedisSentinels, type TestRedisSentinels } from '../../support/start-redis-sentinels.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

const CHANNEL = 'C0SENTINEL';
const OPERATOR = 'U0OPS1';

/** One webhook delivery of a steady stream: which notification, what Warden answered, when. */
interface Delivery {
  n: number;
  status: number;
  error?: string;
  at: number;
}

/** Posts notification 0, 1, 2 … one after the other until stopped, recording every answer. */
function startSteadyIntake(t: TestWarden, name: string, pauseMs: number) {
  const deliveries: Delivery[] = [];
  let stopped = false;
  const notification = (n: number) => buildNotification({ alertname: `${name}${n}`, instances: ['web-1:9100'] });
  const done = (async () => {
    for (let n = 0; !stopped; n++) {
      const at = Date.now();
      const answer = await postNotification(t.url, t.token, notification(n)).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
      deliveries.push({ n, status: answer.status, at, ...(answer.status === 202 ? {} : { error: String(answer.body.error) }) });
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    deliveries,
    notification,
    /** 202s in a row at the end. */
    streak: () => deliveries.length - 1 - deliveries.findLastIndex((d) => d.status !== 202),
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** First to last refused delivery: how long intake answered other than 202. */
function measureWindow(deliveries: readonly Delivery[]): { refused: number; windowMs: number } {
  const refused = deliveries.filter((d) => d.status !== 202);
  if (refused.length === 0) return { refused: 0, windowMs: 0 };
  const after = deliveries.find((d) => d.at > refused.at(-1)!.at);
  return { refused: refused.length, windowMs: (after?.at ?? refused.at(-1)!.at) - refused[0]!.at };
}

/**
 * `warden <argv>` in-process with a config file naming the Sentinels, the passwords from `env`: the
 * CLI's parsed JSON output, and everything it printed so far.
 */
async function runCliOnSentinels(t: TestWarden, group: TestRedisSentinels, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'warden-sentinel-cli-'));
  const file = join(dir, 'warden.config.yaml');
  const yaml = [
    'alertmanager: { token: "${WARDEN_WEBHOOK_TOKEN}" }',
    'redis:',
    `  sentinels: ${JSON.stringify(group.sentinelAddresses)}`,
    `  name: ${group.name}`,
    '  password: ${REDIS_PASSWORD}',
    '  sentinelPassword: ${REDIS_SENTINEL_PASSWORD}',
    `  prefix: ${t.prefix}`,
    `audit: { file: "${t.config.audit.file}" }`,
  ];
  writeFileSync(file, `${yaml.join('\n')}\n`, { mode: 0o640 });
  let output = '';
  const run = async (argv: string[]) => {
    let stdout = '';
    const io: CliIo = { env: { ...env, WARDEN_CONFIG: file, WARDEN_WEBHOOK_TOKEN: t.token }, stdout: (text) => (stdout += text), stderr: (text) => (output += text) };
    const code = await runCli(argv, io);
    output += stdout;
    return { code, json: JSON.parse(stdout) as Record<string, unknown> };
  };
  return Object.assign(run, { output: () => output });
}

/**
 * A primary, a replica and three Sentinels (passwords on both), and two Warden processes: one with
 * `redis.waitForReplicas` (web and workers), one without (web only), both taking a steady stream of
 * notifications while `SENTINEL FAILOVER` moves the primary and a remediation is in flight.
 */
describe('Warden on Redis Sentinel across a failover', () => {
  const password = randomSecret(24);
  const sentinelPassword = randomSecret(24);
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  let group: TestRedisSentinels;
  let slack: FakeSlackApi;
  let target: FakeRemediationTarget;
  let gate: ResponseGate;
  let strict: TestWarden;
  let plain: TestWarden;

  beforeAll(async () => {
    group = await startRedisSentinels({ password, sentinelPassword });
    slack = await startFakeSlackApi({ botToken });
    target = await startFakeRemediationTarget();
    gate = await startResponseGate(target.url);
    const redis = { sentinels: group.sentinelAddresses, name: group.name, password, sentinelPassword };
    const tree = {
      slack: { signingSecret, botToken, apiUrl: slack.url },
      routes: [{ to: [`slack:${CHANNEL}`], playbook: 'suspicious-process' }],
      access: responseAccess('slack', { operators: [OPERATOR], approvers: ['U0BOSS'] }),
      actions: remediationActions(gate.url),
      limits: { outbound: { slackPerChannelPerSecond: 100 }, storm: { newIncidentsPerMinute: 100_000 } },
    };
    // Jobs that were active in the moment the old primary still took writes come back once their lock expires.
    strict = await startTestWarden({ name: 'sentinel', workerLockMs: 3_000, tree: { ...tree, redis: { ...redis, waitForReplicas: { replicas: 1, timeoutMs: 500 } } } });
    plain = await startTestWarden({ name: 'sentinel-plain', role: 'web', tree: { ...tree, redis } });
  }, 60_000);

  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(strict?.rawLogs().split('\n').slice(-40).join('\n'));
  });

  afterAll(async () => {
    await strict?.stop().catch(() => {});
    await plain?.stop().catch(() => {});
    await gate?.close();
    await target?.close();
    await slack?.close();
    await group?.dispose();
  }, 30_000);

  it('keeps every accepted notification, answers 503 only during the failover, and runs the remediation once', async () => {
    const { key, cardTs } = await openSlackIncident(strict, slack, CHANNEL, 'PrimaryMoves');
    const click = createSlackClicker({ url: () => strict.url, signingSecret, channel: CHANNEL, messageTs: () => cardTs });
    gate.hold();
    const { requestId } = await click(OPERATOR, 'action.run', { k: key, a: 'notify-owner' });
    // The target has applied the effect; its answer waits at the gate while the primary moves.
    await expect.poll(() => target.requests.length, { timeout: 15_000 }).toBe(1);

    const strictIntake = startSteadyIntake(strict, 'Steady', 100);
    const plainIntake = startSteadyIntake(plain, 'Plain', 100);
    await expect.poll(() => Math.min(strictIntake.streak(), plainIntake.streak()), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);

    const startedAt = Date.now();
    const { from, to } = await group.failover();
    const switchedMs = Date.now() - startedAt;
    gate.release();
    await group.waitUntilReplicating(from, to, 30_000);
    const resyncedMs = Date.now() - startedAt;
    // Intake is back once both Wardens accept again, the strict one needing the old primary as its replica.
    await expect.poll(() => Math.min(strictIntake.streak(), plainIntake.streak()), { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(10);
    await Promise.all([strictIntake.stop(), plainIntake.stop()]);

    const strictWindow = measureWindow(strictIntake.deliveries);
    const plainWindow = measureWindow(plainIntake.deliveries);
    console.info(
      `failover: Sentinels agreed on the new primary after ${switchedMs} ms, the old primary was its replica again after ${resyncedMs} ms; ` +
        `with waitForReplicas ${strictWindow.refused} of ${strictIntake.deliveries.length} deliveries refused over ${strictWindow.windowMs} ms, ` +
        `without ${plainWindow.refused} of ${plainIntake.deliveries.length} over ${plainWindow.windowMs} ms`,
    );
    // Only ever 202 or 503 store_unavailable: no 500, no connection reset, no hang.
    for (const delivery of [...strictIntake.deliveries, ...plainIntake.deliveries]) {
      expect(delivery.status === 202 || (delivery.status === 503 && delivery.error === 'store_unavailable'), JSON.stringify(delivery)).toBe(true);
    }
    expect(strictWindow.refused).toBeGreaterThan(0);
    expect(strictWindow.windowMs).toBeLessThan(resyncedMs + 5_000);
    expect(plainWindow.windowMs).toBeLessThan(switchedMs + 5_000);

    // Alertmanager delivers each refused notification again.
    for (const delivery of strictIntake.deliveries.filter((d) => d.status !== 202)) {
      const again = await postNotification(strict.url, strict.token, strictIntake.notification(delivery.n));
      expect(again.status).toBe(202);
    }

    // Every notification is an incident on the new primary, each exactly once.
    const newPrimary = group.connect(to);
    const keys = createRedisKeys(strict.prefix);
    const sent = [...new Set(strictIntake.deliveries.map((d) => d.n))].map((n) => strictIntake.notification(n).groupKey as string);
    const open = await newPrimary.hmget(keys.openIncidents, ...sent);
    expect(open.filter((incident) => incident === null)).toEqual([]);
    const generations = await newPrimary.hmget(keys.incidentGenerations, ...sent);
    expect(new Set(generations)).toEqual(new Set(['1']));

    // One card each: none lost, none posted twice.
    const incidentKeys = [key, ...(open as string[])];
    const cardsOf = (incident: string) => slack.messages(CHANNEL).filter((message) => JSON.stringify(message.blocks).includes(incident)).length;
    await expect.poll(() => slack.messages(CHANNEL).length, { timeout: 30_000, interval: 500 }).toBe(incidentKeys.length);
    expect(incidentKeys.filter((incident) => cardsOf(incident) !== 1)).toEqual([]);

    // The remediation in flight during the failover: one effect, one result.
    await expect.poll(async () => resultEntries(await strict.warden.store.timeline(key), 'notify-owner').length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => JSON.stringify(slack.messages(CHANNEL).find((m) => m.ts === cardTs)?.blocks), { timeout: 10_000 }).toContain(`✅ ${NOTIFY_TITLE}: HTTP 201`);
    expect(target.effects.get(`warden-${requestId}`)).toBe(1);
    expect(await (await strict.warden.queues.remediate.getJob(`remediate.${requestId}`))?.getState()).toBe('completed');

    // The audit log's file copy follows the new primary: nothing exported that the failover lost.
    expect(strict.logs.filter((line) => String(line.msg).startsWith('audit export stopped'))).toEqual([]);
    const cli = await runCliOnSentinels(strict, group, { REDIS_PASSWORD: password, REDIS_SENTINEL_PASSWORD: sentinelPassword });
    await expect.poll(async () => (await cli(['audit-log', 'verify', '--json'])).json, { timeout: 15_000, interval: 500 }).toMatchObject({ ok: true, redis: 'compared' });
    const audit = (await cli(['audit', '--json'])).json as { findings: { id: string; status: string; finding: string }[] };
    expect(audit.findings.find((f) => f.id === 'redis-auth')).toMatchObject({ status: 'pass', finding: expect.stringContaining(`the Sentinel primary "${group.name}"`) });
    expect(audit.findings.find((f) => f.id === 'redis-persistence')).toMatchObject({ status: 'pass' });
    const daily = (await cli(['checklist', 'run', 'daily', '--json'])).json as { items: { ok?: boolean; evidence?: string }[] };
    expect(daily.items.find((item) => item.evidence?.includes('in the last 24 h'))).toMatchObject({ ok: true });
    expect(cli.output()).not.toContain(password);
    expect(cli.output()).not.toContain(sentinelPassword);

    // Still serving, and no password in any log line.
    expect((await fetch(`${strict.url}/healthz`)).status).toBe(200);
    for (const logs of [strict.rawLogs(), plain.rawLogs()]) {
      expect(logs).not.toContain(password);
      expect(logs).not.toContain(sentinelPassword);
    }
  }, 90_000);
});
