import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createSlackClicker, responseAccess, resultEntries } from '../../support/remediation-fixtures.js';
import { startTestWarden, type ConfigTree, type TestWarden } from '../../support/start-test-warden.js';
import { joinTree, startWorkerChild, type WorkerChild } from '../../support/start-worker-child.js';
import { randomSecret, TEST_REDIS_URL } from '../../support/test-redis.js';

const CHANNEL = 'C0EXEC';
const OPERATOR = 'U0OPS1';
const TITLE = 'Contain host';
/** The program's work before its effect lands: the worker is killed well inside it. */
const PROGRAM_SLEEP_MS = 3_000;
const TIMEOUT_SECONDS = 6;

/**
 * An `exec` remediation whose worker is SIGKILLed while the program runs: Warden's web part
 * in-process, its workers in child processes, the program a slow stand-in that appends its effect
 * to a file at the end and ignores the idempotency key — so only Warden can keep it to one effect.
 */
describe('exec remediation across a killed worker', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const children: WorkerChild[] = [];
  let program: AppendEffectProgram;
  let slack: FakeSlackApi;
  let web: TestWarden;
  let tree: ConfigTree;

  const cardOf = (key: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key));
  const cardText = (key: string) => JSON.stringify(cardOf(key)?.blocks ?? null);
  const worker = async () => {
    const child = await startWorkerChild({ tree: joinTree(web, tree), redisUrl: TEST_REDIS_URL });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    program = await createAppendEffectProgram(PROGRAM_SLEEP_MS);
    slack = await startFakeSlackApi({ botToken });
    tree = {
      slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
      routes: [{ to: [`slack:${CHANNEL}`] }],
      access: responseAccess('slack', { operators: [OPERATOR], approvers: [] }),
      actions: { 'contain-host': { kind: 'exec', phase: 'isolate', title: TITLE, argv: program.argv, timeoutSeconds: TIMEOUT_SECONDS } },
      limits: { outbound: { slackPerChannelPerSecond: 50 } },
    };
    web = await startTestWarden({ name: 'exec-crash', role: 'web', tree });
  }, 30_000);

  afterEach((context) => {
    if (context.task.result?.state === 'fail') for (const child of children) console.error(`worker child ${child.pid}:\n${child.output()}`);
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    for (const start of (await program?.starts()) ?? []) if (isProcessAlive(start.pid)) process.kill(start.pid, 'SIGKILL');
    await web?.dispose();
    await slack?.close();
    await program?.remove();
  }, 30_000);

  it('a worker SIGKILLed while its program runs: the program dies with it, the retry runs it again after its timeout; one effect', async () => {
    const first = await worker();
    const { key } = await openSlackIncident(web, slack, CHANNEL, 'SuspiciousProcess');
    const click = createSlackClicker({ url: () => web.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(key)!.ts });
    const { requestId } = await click(OPERATOR, 'action.run', { k: key, a: 'contain-host' });
    await expect.poll(async () => (await program.starts()).length, { timeout: 15_000, interval: 50 }).toBe(1);
    const [started] = await program.starts();

    await first.kill();
    // Nothing is left of the first attempt: no orphan finishes its work unwatched.
    await expect.poll(() => isProcessAlive(started!.pid), { timeout: 3_000, interval: 50 }).toBe(false);
    await worker();

    await expect.poll(() => cardText(key), { timeout: 40_000, interval: 200 }).toContain(`✅ ${TITLE}`);
    const starts = await program.starts();
    const effects = await program.effects();
    expect(starts).toHaveLength(2);
    // The job held its lock past the program's timeout: no retry while the program might have run.
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000);
    expect(effects).toEqual([{ pid: starts[1]!.pid, key: `warden-${requestId}`, at: expect.any(Number) }]);
    expect(resultEntries(await web.warden.store.timeline(key), 'contain-host').map((entry) => entry.text)).toEqual([
      expect.stringMatching(/^OK Contain host \(run by slack:U0OPS1\): .* exited 0 in .*: applied$/),
    ]);
  }, 90_000);
});
