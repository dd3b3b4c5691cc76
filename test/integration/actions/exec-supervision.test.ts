import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessGroupRunning } from '../../../src/actions/is-process-group-running.js';
import { readProcessStat } from '../../../src/actions/read-process-stat.js';
import { createAppendEffectProgram, type AppendEffectProgram } from '../../support/append-effect-program.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { startExecActionChild, type ExecActionChild } from '../../support/start-exec-action-child.js';

/**
 * An exec program outlives neither the process that started it nor its timeout: the process running
 * the action (a stand-in for a Warden worker) is SIGKILLed or frozen while the program runs.
 */
describe('exec programs under their supervisor', () => {
  const children: ExecActionChild[] = [];
  let program: AppendEffectProgram;

  const start = (timeoutSeconds: number) => {
    const child = startExecActionChild({ kind: 'exec', phase: 'isolate', title: 'Contain host', argv: program.argv, timeoutSeconds });
    children.push(child);
    return child;
  };
  const startedProgram = async () => {
    await expect.poll(async () => (await program.starts()).length, { timeout: 15_000, interval: 50 }).toBe(1);
    return (await program.starts())[0]!;
  };

  beforeAll(async () => {
    // Far longer than the tests wait: an effect can only come from a program nobody stopped.
    program = await createAppendEffectProgram(10_000);
  });

  afterAll(async () => {
    for (const { child, exited } of children) {
      child.kill('SIGKILL');
      await exited;
    }
    for (const start of await program.starts()) if (isProcessAlive(start.pid)) process.kill(start.pid, 'SIGKILL');
    await program.remove();
  });

  it('a SIGKILLed worker takes the program’s whole process group with it, at once', async () => {
    const worker = start(30);
    const run = await worker.run;
    const started = await startedProgram();
    expect(readProcessStat(started.pid)?.pgrp).toBe(run.group.pid);
    expect(isProcessGroupRunning(run.group)).toBe(true);

    worker.child.kill('SIGKILL');
    await expect.poll(() => isProcessGroupRunning(run.group), { timeout: 2_000, interval: 50 }).toBe(false);
    expect(isProcessAlive(started.pid)).toBe(false);
    expect(await program.effects()).toEqual([]);
  }, 30_000);

  it('a frozen worker cannot keep the program past its timeout: the supervisor kills the group', async () => {
    await program.clear();
    // Long enough to freeze the worker before its own timer fires, even on a busy machine.
    const worker = start(3);
    const run = await worker.run;
    const started = await startedProgram();
    // Its own timer can no longer fire: only the supervisor can end the program.
    worker.child.kill('SIGSTOP');

    await expect.poll(() => isProcessGroupRunning(run.group), { timeout: 7_000, interval: 50 }).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(run.deadline);
    expect(isProcessAlive(started.pid)).toBe(false);
    expect(await program.effects()).toEqual([]);
  }, 30_000);
});
