import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecRun } from '../../../src/actions/exec-run.js';
import { identifyProcess } from '../../../src/actions/identify-process.js';
import { createRedisKeys } from '../../../src/redis/redis-keys.js';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { EXEC_ACTION_ID, EXEC_ACTION_TITLE, startExecRemediationKit, type ExecRemediationKit } from '../../support/exec-remediation-kit.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { resultEntries } from '../../support/remediation-fixtures.js';
import { TEST_REDIS_URL } from '../../support/test-redis.js';

/**
 * A remediation request whose earlier attempt left its exec program running (its record in Redis
 * names the process group, the host and the deadline), as if that attempt's supervisor had been
 * killed too: the new attempt must not run the program alongside it.
 */
describe('exec remediation after an attempt whose program may still run', () => {
  const leftovers: number[] = [];
  let program: AppendEffectProgram;
  let kit: ExecRemediationKit;
  let inspect: Redis;

  /** Starts the program as an earlier attempt would have, in a process group of its own. */
  function startLeftover(sleepMs: number): number {
    const child = spawn(process.execPath, [...program.argv.slice(1, -1), String(sleepMs)], { detached: true, stdio: 'ignore' });
    leftovers.push(child.pid!);
    return child.pid!;
  }

  /** Records `run` for a new request, then asks for it and waits for its result on the card: the result's timeline line. */
  async function requestAfter(run: ExecRun): Promise<{ requestId: string; result: string | undefined }> {
    const { key, requestId } = await kit.request((id) => inspect.set(createRedisKeys(kit.t.prefix).execRun(id), JSON.stringify(run)).then(() => {}));
    await expect.poll(() => kit.cardText(key), { timeout: 20_000, interval: 100 }).toContain(`✅ ${EXEC_ACTION_TITLE}`);
    return { requestId, result: resultEntries(await kit.t.warden.store.timeline(key), EXEC_ACTION_ID)[0]?.text };
  }

  beforeAll(async () => {
    inspect = new Redis(TEST_REDIS_URL);
    program = await createAppendEffectProgram(0);
    kit = await startExecRemediationKit({ name: 'exec-previous-run', role: 'all', argv: program.argv, timeoutSeconds: 10 });
  }, 30_000);

  beforeEach(() => program.clear());

  afterAll(async () => {
    for (const pid of leftovers) if (isProcessAlive(pid)) process.kill(-pid, 'SIGKILL');
    await kit?.close();
    inspect?.disconnect();
    await program?.remove();
  });

  it('waits while the earlier program runs on this host, then runs; the card says it waited', async () => {
    const leftover = startLeftover(2_000);
    await expect.poll(async () => (await program.starts()).length, { timeout: 10_000, interval: 50 }).toBe(1);
    const startedAt = Date.now();
    const { result } = await requestAfter({ group: identifyProcess(leftover), startedAt, deadline: startedAt + 15_000 });

    expect(result).toMatch(/exited 0 in .*: applied; waited .* for the previous attempt's program \(process group \d+ on .*, started .*\) to end$/);
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
    const { result } = await requestAfter({ group: identifyProcess(leftover), startedAt, deadline });

    expect(result).toMatch(/; waited .* for the previous attempt's program \(.*\) to end; it ran past its timeout and was killed$/);
    expect(isProcessAlive(leftover)).toBe(false);
    const [, second] = await program.starts();
    expect(second!.at).toBeGreaterThanOrEqual(deadline);
    expect((await program.effects()).map((effect) => effect.pid)).toEqual([second!.pid]);
  }, 40_000);

  it('an earlier program on another host: waits until its deadline has passed there, then runs', async () => {
    const startedAt = Date.now();
    const deadline = startedAt + 1_500;
    const { result } = await requestAfter({ group: { host: 'worker-elsewhere', pid: 4242, bootId: 'another-boot' }, startedAt, deadline });

    expect(result).toMatch(/; waited .* for the previous attempt's program \(process group 4242 on worker-elsewhere, .*\) to reach its timeout$/);
    const [only] = await program.starts();
    // Its deadline there, plus the allowance for the two machines' clocks.
    expect(only!.at).toBeGreaterThanOrEqual(deadline + 2_000);
    expect(await program.effects()).toHaveLength(1);
  }, 40_000);

  it('finds no record once an attempt’s program has ended', async () => {
    const { requestId, result } = await requestAfter({ group: { host: 'worker-elsewhere', pid: 4242 }, startedAt: 0, deadline: 0 });
    expect(result).toMatch(/exited 0 in .*: applied$/);
    expect(await inspect.exists(createRedisKeys(kit.t.prefix).execRun(requestId))).toBe(0);
  }, 40_000);
});
