import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecRun } from '../../../src/actions/exec-run.js';
import { identifyProcess } from '../../../src/actions/identify-process.js';
import { toRequestId } from '../../../src/inbound/action-buttons.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createSlackClicker, responseAccess, resultEntries } from '../../support/remediation-fixtures.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret, TEST_REDIS_URL } from '../../support/test-redis.js';

const CHANNEL = 'C0PREV';
const OPERATOR = 'U0OPS1';
const TITLE = 'Contain host';

/**
 * A remediation request whose earlier attempt left its exec program running (its record in Redis
 * names the process group, the host and the deadline), as if that attempt's supervisor had been
 * killed too: the new attempt must not run the program alongside it.
 */
describe('exec remediation after an attempt whose program may still run', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const signingSecret = randomSecret(32);
  const leftovers: number[] = [];
  let program: AppendEffectProgram;
  let slack: FakeSlackApi;
  let t: TestWarden;
  let inspect: Redis;

  const cardOf = (key: string) => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks).includes(key));
  const cardText = (key: string) => JSON.stringify(cardOf(key)?.blocks ?? null);

  /** Starts the program as an earlier attempt would have, in a process group of its own. */
  function startLeftover(sleepMs: number): number {
    const child = spawn(process.execPath, [...program.argv.slice(1, -1), String(sleepMs)], { detached: true, stdio: 'ignore' });
    leftovers.push(child.pid!);
    return child.pid!;
  }

  /** Records `run` for a request of `contain-host` on a new incident, then asks for that request: its result line. */
  async function requestAfter(run: ExecRun | ((requestId: string) => ExecRun)): Promise<{ key: string; requestId: string; result: () => Promise<string | undefined> }> {
    const { key } = await openSlackIncident(t, slack, CHANNEL, `Leftover${randomBytes(3).toString('hex')}`);
    const ids = { triggerId: `trigger-${randomBytes(6).toString('hex')}`, actionTs: '1700000000.000001' };
    const requestId = toRequestId({ id: `slack:${ids.triggerId}:${ids.actionTs}` });
    await inspect.set(createRedisKeys(t.prefix).execRun(requestId), JSON.stringify(typeof run === 'function' ? run(requestId) : run));
    const click = createSlackClicker({ url: () => t.url, signingSecret, channel: CHANNEL, messageTs: () => cardOf(key)!.ts });
    expect((await click(OPERATOR, 'action.run', { k: key, a: 'contain-host' }, ids)).status).toBe(200);
    const result = async () => resultEntries(await t.warden.store.timeline(key), 'contain-host')[0]?.text;
    return { key, requestId, result };
  }

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    inspect = new Redis(TEST_REDIS_URL);
    program = await createAppendEffectProgram(0);
    t = await startTestWarden({
      name: 'exec-previous-run',
      tree: {
        slack: { signingSecret, botToken, apiUrl: slack.url, appId: 'A0WARDEN', teamId: 'T0TEAM' },
        routes: [{ to: [`slack:${CHANNEL}`] }],
        access: responseAccess('slack', { operators: [OPERATOR], approvers: [] }),
        actions: { 'contain-host': { kind: 'exec', phase: 'isolate', title: TITLE, argv: program.argv, timeoutSeconds: 10 } },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  }, 30_000);

  beforeEach(() => program.clear());

  afterAll(async () => {
    for (const pid of leftovers) if (isProcessAlive(pid)) process.kill(-pid, 'SIGKILL');
    await t?.dispose();
    inspect?.disconnect();
    await slack?.close();
    await program?.remove();
  });

  it('waits while the earlier program runs on this host, then runs; the card says it waited', async () => {
    const leftover = startLeftover(2_000);
    await expect.poll(async () => (await program.starts()).length, { timeout: 10_000, interval: 50 }).toBe(1);
    const startedAt = Date.now();
    const { key, result } = await requestAfter({ group: identifyProcess(leftover), startedAt, deadline: startedAt + 15_000 });

    await expect.poll(() => cardText(key), { timeout: 20_000, interval: 100 }).toContain(`✅ ${TITLE}`);
    expect(await result()).toMatch(/exited 0 in .*: applied; waited .* for the previous attempt's program \(process group \d+ on .*, started .*\) to end$/);
    const [first, second] = await program.starts();
    const effects = await program.effects();
    expect(effects.map((effect) => effect.pid)).toEqual([leftover, second!.pid]);
    // One after the other, never both at once.
    expect(first!.pid).toBe(leftover);
    expect(second!.at).toBeGreaterThanOrEqual(effects[0]!.at);
  }, 40_000);

  it('kills an earlier program still running on this host past its deadline, then runs', async () => {
    const leftover = startLeftover(60_000);
    await expect.poll(async () => (await program.starts()).length, { timeout: 10_000, interval: 50 }).toBe(1);
    const startedAt = Date.now();
    const deadline = startedAt + 1_500;
    const { key, result } = await requestAfter({ group: identifyProcess(leftover), startedAt, deadline });

    await expect.poll(() => cardText(key), { timeout: 20_000, interval: 100 }).toContain(`✅ ${TITLE}`);
    expect(await result()).toMatch(/; waited .* for the previous attempt's program \(.*\) to end; it ran past its timeout and was killed$/);
    expect(isProcessAlive(leftover)).toBe(false);
    const [, second] = await program.starts();
    expect(second!.at).toBeGreaterThanOrEqual(deadline);
    expect((await program.effects()).map((effect) => effect.pid)).toEqual([second!.pid]);
  }, 40_000);

  it('an earlier program on another host: waits until its deadline has passed there, then runs', async () => {
    const startedAt = Date.now();
    const deadline = startedAt + 1_500;
    const { key, result } = await requestAfter({ group: { host: 'worker-elsewhere', pid: 4242, bootId: 'another-boot' }, startedAt, deadline });

    await expect.poll(() => cardText(key), { timeout: 20_000, interval: 100 }).toContain(`✅ ${TITLE}`);
    expect(await result()).toMatch(/; waited .* for the previous attempt's program \(process group 4242 on worker-elsewhere, .*\) to reach its timeout$/);
    const [only] = await program.starts();
    // Its deadline there, plus the allowance for the two machines' clocks.
    expect(only!.at).toBeGreaterThanOrEqual(deadline + 2_000);
    expect(await program.effects()).toHaveLength(1);
  }, 40_000);

  it('finds no record once an attempt’s program has ended', async () => {
    const { key, requestId } = await requestAfter(() => ({ group: { host: 'worker-elsewhere', pid: 4242 }, startedAt: 0, deadline: 0 }));
    await expect.poll(() => cardText(key), { timeout: 20_000, interval: 100 }).toContain(`✅ ${TITLE}`);
    expect(await inspect.exists(createRedisKeys(t.prefix).execRun(requestId))).toBe(0);
  }, 40_000);
});
