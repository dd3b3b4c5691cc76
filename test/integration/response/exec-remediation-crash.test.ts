import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { EXEC_ACTION_ID, EXEC_ACTION_TITLE, startExecRemediationKit, type ExecRemediationKit } from '../../support/exec-remediation-kit.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { resultEntries } from '../../support/remediation-fixtures.js';

/** The program's work before its effect lands: the worker is killed well inside it. */
const PROGRAM_SLEEP_MS = 3_000;
const TIMEOUT_SECONDS = 6;

/**
 * An `exec` remediation whose worker is SIGKILLed while the program runs: Warden's web part
 * in-process, its workers in child processes, the program a slow stand-in that appends its effect
 * to a file at the end and ignores the idempotency key — so only Warden can keep it to one effect.
 */
describe('exec remediation across a killed worker', () => {
  let program: AppendEffectProgram;
  let kit: ExecRemediationKit;

  beforeAll(async () => {
    program = await createAppendEffectProgram(PROGRAM_SLEEP_MS);
    kit = await startExecRemediationKit({ name: 'exec-crash', role: 'web', argv: program.argv, timeoutSeconds: TIMEOUT_SECONDS });
  }, 30_000);

  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(kit.workerOutput());
  });

  afterAll(async () => {
    for (const start of (await program?.starts()) ?? []) if (isProcessAlive(start.pid)) process.kill(start.pid, 'SIGKILL');
    await kit?.close();
    await program?.remove();
  }, 30_000);

  it('a worker SIGKILLed while its program runs: the program dies with it, the retry runs it again after its timeout; one effect', async () => {
    const first = await kit.worker();
    const { key, requestId } = await kit.request();
    await expect.poll(async () => (await program.starts()).length, { timeout: 15_000, interval: 50 }).toBe(1);
    const [started] = await program.starts();

    await first.kill();
    // Nothing is left of the first attempt: no orphan finishes its work unwatched.
    await expect.poll(() => isProcessAlive(started!.pid), { timeout: 3_000, interval: 50 }).toBe(false);
    await kit.worker();

    await expect.poll(() => kit.cardText(key), { timeout: 40_000, interval: 200 }).toContain(`✅ ${EXEC_ACTION_TITLE}`);
    const starts = await program.starts();
    const effects = await program.effects();
    expect(starts).toHaveLength(2);
    // The job held its lock past the program's timeout: no retry while the program might have run.
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000);
    expect(effects).toEqual([{ pid: starts[1]!.pid, key: `warden-${requestId}`, at: expect.any(Number) }]);
    expect(resultEntries(await kit.t.warden.store.timeline(key), EXEC_ACTION_ID).map((entry) => entry.text)).toEqual([
      expect.stringMatching(/^OK Contain host \(run by slack:U0OPS1\): .* exited 0 in .*: applied$/),
    ]);
  }, 90_000);
});
