import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { EXEC_ACTION_TITLE, startExecRemediationKit, type ExecRemediationKit } from '../../support/exec-remediation-kit.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { TEST_REDIS_URL } from '../../support/test-redis.js';

/** Longer than a lost lock takes to be noticed (one renewal, at most 5 s), so an effect means nobody stopped it. */
const PROGRAM_SLEEP_MS = 8_000;

/** An exec job's program is stopped whenever another worker may take the job over. */
describe('exec remediation: the program stops with its job lock and its worker', () => {
  let program: AppendEffectProgram;
  let kit: ExecRemediationKit;
  let inspect: Redis;

  /** Asks for the remediation on a new incident and waits until its program runs: the request and the program's pid. */
  async function startRemediation(): Promise<{ key: string; requestId: string; pid: number }> {
    const before = (await program.starts()).length;
    const { key, requestId } = await kit.request();
    await expect.poll(async () => (await program.starts()).length, { timeout: 15_000, interval: 50 }).toBe(before + 1);
    return { key, requestId, pid: (await program.starts()).at(-1)!.pid };
  }

  beforeAll(async () => {
    program = await createAppendEffectProgram(PROGRAM_SLEEP_MS);
    inspect = new Redis(TEST_REDIS_URL);
    kit = await startExecRemediationKit({ name: 'exec-job-lock', role: 'web', argv: program.argv, timeoutSeconds: 20 });
  }, 30_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') console.error(kit.workerOutput());
    await kit.stopAll();
    for (const start of await program.starts()) if (isProcessAlive(start.pid)) process.kill(start.pid, 'SIGKILL');
    await program.clear();
  });

  afterAll(async () => {
    await kit?.close();
    inspect?.disconnect();
    await program?.remove();
  }, 30_000);

  it('a job whose lock is lost kills its program and records nothing; the job runs again once, elsewhere', async () => {
    await kit.worker();
    const { key, requestId, pid } = await startRemediation();

    // As if Redis had lost it (a failover) or another worker had taken the job over.
    expect(await inspect.del(`${kit.t.prefix}:remediate:remediate.${requestId}:lock`)).toBe(1);
    const lostAt = Date.now();
    await expect.poll(() => isProcessAlive(pid), { timeout: PROGRAM_SLEEP_MS - 1_000, interval: 50 }).toBe(false);
    expect(Date.now() - lostAt).toBeLessThan(PROGRAM_SLEEP_MS);

    // The job was not finished by the attempt that lost its lock: the stalled job runs again.
    await expect.poll(() => kit.cardText(key), { timeout: 40_000, interval: 200 }).toContain(`✅ ${EXEC_ACTION_TITLE}`);
    const starts = await program.starts();
    expect(starts).toHaveLength(2);
    expect(await program.effects()).toEqual([{ pid: starts[1]!.pid, key: `warden-${requestId}`, at: expect.any(Number) }]);
  }, 90_000);

  it('a worker that stops kills its program once the shutdown grace is over', async () => {
    const child = await kit.worker({ shutdownGraceMs: 1_000 });
    const { pid } = await startRemediation();

    await child.stop();
    await expect.poll(() => isProcessAlive(pid), { timeout: 2_000, interval: 50 }).toBe(false);
    expect(await program.effects()).toEqual([]);
    expect(child.output()).toContain('active jobs did not finish in time');
  }, 60_000);
});
