import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createSlackClicker, responseAccess } from '../../support/remediation-fixtures.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { joinTree, startWorkerChild, type WorkerChild } from '../../support/start-worker-child.js';
import { randomSecret, TEST_REDIS_URL } from '../../support/test-redis.js';

const CHANNEL = 'C0LOCK';
const OPERATOR = 'U0OPS1';
const TITLE = 'Contain host';
/** Longer than a lost lock takes to be noticed (one renewal, at most 5 s), so an effect means nobody stopped it. */
const PROGRAM_SLEEP_MS = 8_000;

/** An exec job's program is stopped whenever another worker may take the job over. */
describe('exec remediation: the program stops with its job lock and its worker', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const children: WorkerChild[] = [];
  let program: AppendEffectProgram;
  let slack: FakeSlackApi;
  let web: TestWarden;
  let tree: ConfigTree;
  let inspect: Redis;

  const cardOf = (key: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key));
  const cardText = (key: string) => JSON.stringify(cardOf(key)?.blocks ?? null);
  const worker = async (shutdownGraceMs?: number) => {
    const child = await startWorkerChild({ tree: joinTree(web, tree), redisUrl: TEST_REDIS_URL, shutdownGraceMs });
    children.push(child);
    return child;
  };
  /** Asks for the remediation on a new incident and waits until its program runs: the request and the program's pid. */
  async function startRemediation(): Promise<{ key: string; requestId: string; pid: number }> {
    const before = (await program.starts()).length;
    const { key } = await openSlackIncident(web, slack, CHANNEL, `SuspiciousProcess${randomBytes(3).toString('hex')}`);
    const click = createSlackClicker({ url: () => web.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(key)!.ts });
    const { requestId } = await click(OPERATOR, 'action.run', { k: key, a: 'contain-host' });
    await expect.poll(async () => (await program.starts()).length, { timeout: 15_000, interval: 50 }).toBe(before + 1);
    return { key, requestId, pid: (await program.starts()).at(-1)!.pid };
  }

  beforeAll(async () => {
    program = await createAppendEffectProgram(PROGRAM_SLEEP_MS);
    slack = await startFakeSlackApi({ botToken });
    inspect = new Redis(TEST_REDIS_URL);
    tree = {
      slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
      routes: [{ to: [`slack:${CHANNEL}`] }],
      access: responseAccess('slack', { operators: [OPERATOR], approvers: [] }),
      actions: { 'contain-host': { kind: 'exec', phase: 'isolate', title: TITLE, argv: program.argv, timeoutSeconds: 20 } },
      limits: { outbound: { slackPerChannelPerSecond: 50 } },
    };
    web = await startTestWarden({ name: 'exec-job-lock', role: 'web', tree });
  }, 30_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') for (const child of children) console.error(`worker child ${child.pid}:\n${child.output()}`);
    for (const child of children.splice(0)) await child.stop();
    for (const start of await program.starts()) if (isProcessAlive(start.pid)) process.kill(start.pid, 'SIGKILL');
    await program.clear();
  });

  afterAll(async () => {
    await web?.dispose();
    inspect?.disconnect();
    await slack?.close();
    await program?.remove();
  }, 30_000);

  it('a job whose lock is lost kills its program and records nothing; the job runs again once, elsewhere', async () => {
    await worker();
    const { key, requestId, pid } = await startRemediation();

    // As if Redis had lost it (a failover) or another worker had taken the job over.
    expect(await inspect.del(`${web.prefix}:remediate:remediate.${requestId}:lock`)).toBe(1);
    const lostAt = Date.now();
    await expect.poll(() => isProcessAlive(pid), { timeout: PROGRAM_SLEEP_MS - 1_000, interval: 50 }).toBe(false);
    expect(Date.now() - lostAt).toBeLessThan(PROGRAM_SLEEP_MS);

    // The job was not finished by the attempt that lost its lock: the stalled job runs again.
    await expect.poll(() => cardText(key), { timeout: 40_000, interval: 200 }).toContain(`✅ ${TITLE}`);
    const starts = await program.starts();
    expect(starts).toHaveLength(2);
    expect(await program.effects()).toEqual([{ pid: starts[1]!.pid, key: `warden-${requestId}`, at: expect.any(Number) }]);
  }, 90_000);

  it('a worker that stops kills its program once the shutdown grace is over', async () => {
    const child = await worker(1_000);
    const { pid } = await startRemediation();

    await child.stop();
    await expect.poll(() => isProcessAlive(pid), { timeout: 2_000, interval: 50 }).toBe(false);
    expect(await program.effects()).toEqual([]);
    expect(child.output()).toContain('active jobs did not finish in time');
  }, 60_000);
});
