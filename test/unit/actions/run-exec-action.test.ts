import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExecRun } from '../../../src/actions/exec-run.js';
import { isProcessGroupRunning } from '../../../src/actions/is-process-group-running.js';
import { runExecAction, type ExecAction } from '../../../src/actions/run-exec-action.js';
import { SUPERVISOR_SLACK_MS } from '../../../src/actions/run-supervised-program.js';
import { actionSchema } from '../../../src/config/action-schema.js';
import { createFakeRemediationProgram, type FakeRemediationProgram } from '../../support/fake-remediation-program.js';
import { isProcessAlive } from '../../support/is-process-alive.js';
import { randomSecret } from '../../support/test-redis.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

/** Lets anything through: what reaches the program must then be exactly the value, as one argument. */
const PERMISSIVE = '^[\\s\\S]*$';
const STRICT = '^[A-Za-z0-9._:-]{1,253}$';

let program: FakeRemediationProgram;
const processSecret = randomSecret(32);

function execAction(args: string[], params: Record<string, string> = { 'labels.target': PERMISSIVE }, fields: Record<string, unknown> = {}): ExecAction {
  return actionSchema.parse({ kind: 'exec', phase: 'isolate', title: 'Isolate host', argv: program.argv(...args), params, timeoutSeconds: 10, ...fields }) as ExecAction;
}

function inputs(target: string): Record<string, string> {
  return { 'incident.key': 'inc-7f3a9c', 'incident.severity': 'critical', 'incident.title': 'SuspiciousProcess', 'labels.target': target };
}

beforeAll(async () => {
  program = await createFakeRemediationProgram();
  // A variable of the test process that must never reach the program.
  process.env.SECRET_TOKEN = processSecret;
});

afterEach(async () => {
  await writeFile(program.recordFile, '');
});

afterAll(async () => {
  delete process.env.SECRET_TOKEN;
  await program.remove();
});

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('runExecAction', () => {
  it('runs the program and reports its exit code, time and first line of output', async () => {
    const result = await runExecAction(execAction(['isolate', '{{ labels.target }}']), inputs('web-1'), {
      idempotencyKey: 'warden-req-1',
      env: { FAKE_STDOUT: 'isolated web-1\nsecond line\n' },
      actionId: 'isolate-host',
    });
    expect(result).toMatchObject({ actionId: 'isolate-host', title: 'Isolate host', ok: true, status: 0 });
    expect(result.permanent).toBeUndefined();
    // The time as formatDuration writes it: "N ms" below a second, "N.N s" on a machine slow enough.
    expect(result.summary).toMatch(/exited 0 in (\d+ ms|\d+(\.\d)? s): isolated web-1$/);
    expect(result.detail).toBe('stdout:\nisolated web-1\nsecond line');
    const [run] = await program.runs();
    expect(run?.argv).toEqual(['isolate', 'web-1']);
    expect(run?.cwd).toBe('/');
  });

  it.each([
    ['a command separator', '; rm -rf /'],
    ['command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['a newline', 'web-1\nrm -rf /'],
    ['path traversal', '../../etc/passwd'],
    ['quotes', `"web-1" 'x' \\"`],
    ['spaces', 'web 1  web 2'],
    ['a glob and a redirect', '* > /tmp/out 2>&1 | cat &'],
    ['a leading dash', '--help'],
    ['the empty string', ''],
  ])('passes %s from a label as one argument, verbatim', async (_name, value) => {
    const action = execAction(['--target', '{{ labels.target }}', 'host={{ labels.target }};']);
    const result = await runExecAction(action, inputs(value), { idempotencyKey: 'k' });
    expect(result.ok).toBe(true);
    const runs = await program.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.argv).toEqual(['--target', value, `host=${value};`]);
  });

  it('never involves a shell: $(touch …) and `touch …` create no file', async () => {
    const marker = join(program.dir, 'pwned');
    for (const value of [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `| touch ${marker}`]) {
      const result = await runExecAction(execAction(['{{ labels.target }}']), inputs(value), { idempotencyKey: 'k' });
      expect(result.ok).toBe(true);
    }
    expect(existsSync(marker)).toBe(false);
    expect((await program.runs()).map((run) => run.argv[0])).toEqual([`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `| touch ${marker}`]);
  });

  it.each(['; rm -rf /', '$(id)', '`id`', 'web-1\nx', '../etc', 'a"b', 'web 1'])('runs nothing when %j fails the pattern', async (value) => {
    const result = await runExecAction(execAction(['isolate', '{{ labels.target }}'], { 'labels.target': STRICT }), inputs(value), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toContain('not run: {{ labels.target }} was rejected');
    expect(result.summary).toContain(STRICT);
    expect(result.summary).toContain('params.labels.target');
    expect(result.summary).not.toMatch(/[\n\r]/);
    expect(await program.runs()).toEqual([]);
  });

  it('does not show a long rejected value in full', async () => {
    const value = `;${'A'.repeat(3000)}`;
    const result = await runExecAction(execAction(['{{ labels.target }}'], { 'labels.target': STRICT }), inputs(value), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary.length).toBeLessThanOrEqual(300);
    expect(result.summary).not.toContain('A'.repeat(100));
    expect(await program.runs()).toEqual([]);
  });

  it('refuses a NUL in an argument instead of cutting it', async () => {
    const result = await runExecAction(execAction(['{{ labels.target }}']), inputs('web-1\u0000--force'), { idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(result.summary).toContain('NUL');
    expect(await program.runs()).toEqual([]);
  });

  it('gives the program only PATH, LANG and the two Warden keys — nothing of Warden’s environment', async () => {
    expect(process.env.SECRET_TOKEN).toBe(processSecret);
    await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'warden-req-42' });
    const [run] = await program.runs();
    expect(run?.env).toEqual({
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      WARDEN_IDEMPOTENCY_KEY: 'warden-req-42',
      WARDEN_INCIDENT_KEY: 'inc-7f3a9c',
    });
    expect(JSON.stringify(run)).not.toContain(processSecret);
  });

  it('passes the same idempotency key on every retry, and extras cannot replace the fixed variables', async () => {
    const action = execAction(['x']);
    await runExecAction(action, inputs('web-1'), { idempotencyKey: 'warden-req-7', env: { PATH: '/tmp/evil', WARDEN_IDEMPOTENCY_KEY: 'other' } });
    await runExecAction(action, inputs('web-1'), { idempotencyKey: 'warden-req-7' });
    const runs = await program.runs();
    expect(runs.map((run) => [run.env.WARDEN_IDEMPOTENCY_KEY, run.env.PATH])).toEqual([
      ['warden-req-7', '/usr/sbin:/usr/bin:/sbin:/bin'],
      ['warden-req-7', '/usr/sbin:/usr/bin:/sbin:/bin'],
    ]);
  });

  it('truncates each output to 4 KiB and says how much more there was', async () => {
    const result = await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', env: { FAKE_STDOUT_BYTES: '10000', FAKE_STDERR_BYTES: '200000' } });
    expect(result.ok).toBe(true);
    const [stdout, stderr] = (result.detail ?? '').split('\nstderr:\n');
    expect(stdout).toBe(`stdout:\n${'o'.repeat(4096)}… (5904 bytes more)`);
    expect(stderr).toBe(`${'e'.repeat(4096)}… (195904 bytes more)`);
  });

  it('sanitizes the output and scrubs secrets from it', async () => {
    const secret = randomSecret(24);
    const result = await runExecAction(execAction(['x']), inputs('web-1'), {
      idempotencyKey: 'k',
      secrets: [secret],
      env: { FAKE_STDOUT: `token=${secret}\u001b[31m red \u202e evil\r\nAuthorization: Bearer abcdefghijklmnop\n`, FAKE_EXIT: '1' },
    });
    expect(result).toMatchObject({ ok: false, status: 1, permanent: true });
    const shown = JSON.stringify(result);
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('abcdefghijklmnop');
    expect(result.summary).toContain('[redacted]');
    expect(result.detail).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    // A line named like a secret loses its whole value, the scheme too.
    expect(result.detail).toContain('stdout:\ntoken=[redacted] [31m red   evil\nAuthorization: [redacted]');
  });

  it('treats a non-zero exit as permanent, except 75 (EX_TEMPFAIL)', async () => {
    const failed = await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', env: { FAKE_EXIT: '3', FAKE_STDERR_BYTES: '3' } });
    expect(failed).toMatchObject({ ok: false, status: 3, permanent: true });
    expect(failed.summary).toMatch(/exited 3 in (\d+ ms|\d+(\.\d)? s): eee$/);
    const tempfail = await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', env: { FAKE_EXIT: '75' } });
    expect(tempfail).toMatchObject({ ok: false, status: 75, permanent: false });
    expect(tempfail.summary).toContain('EX_TEMPFAIL');
  });

  it('kills the program at the timeout and reports a transient failure', async () => {
    const started = Date.now();
    // Long enough for the program to start and print on a busy machine; far below its 30 s sleep.
    const result = await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', timeoutMs: 5000, env: { FAKE_SLEEP_MS: '30000', FAKE_STDOUT: 'working' } });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.status).toBeUndefined();
    expect(result.summary).toMatch(/timed out after 5 s and was killed/);
    expect(result.detail).toBe('stdout:\nworking');
    const [run] = await program.runs();
    expect(isProcessAlive(run!.pid)).toBe(false);
  });

  it('kills what the program started too, even when it holds the output pipes', async () => {
    const pidFile = join(program.dir, 'grandchild.pid');
    const started = Date.now();
    const result = await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', timeoutMs: 500, env: { FAKE_GRANDCHILD_PID_FILE: pidFile } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.summary).toContain('timed out');
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => isProcessAlive(grandchild), { timeout: 2000 }).toBe(false);
  });

  it('tells beforeStart where the program’s process group runs before the program starts, and starts nothing if it refuses', async () => {
    const seen: ExecRun[] = [];
    const before = Date.now();
    const refused = await runExecAction(execAction(['x']), inputs('web-1'), {
      idempotencyKey: 'k',
      timeoutMs: 4000,
      async beforeStart(run) {
        seen.push(run);
        // The group exists (its supervisor leads it); the program has not started.
        expect(isProcessGroupRunning(run.group)).toBe(true);
        expect(await program.runs()).toEqual([]);
        throw new Error('the job lock is gone');
      },
    });
    expect(refused).toMatchObject({ ok: false, permanent: false, summary: 'not run: the job lock is gone' });
    expect(await program.runs()).toEqual([]);
    const [run] = seen;
    expect(run?.group).toMatchObject({ host: hostname(), pid: expect.any(Number) });
    expect(run!.startedAt).toBeGreaterThanOrEqual(before);
    expect(run!.deadline).toBe(run!.startedAt + 4000 + SUPERVISOR_SLACK_MS);
    await expect.poll(() => isProcessGroupRunning(run!.group), { timeout: 3000 }).toBe(false);
  });

  it('kills the program’s process group when the signal aborts and reports it stopped', async () => {
    const pidFile = join(program.dir, 'stopped-grandchild.pid');
    const controller = new AbortController();
    const pending = runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', signal: controller.signal, env: { FAKE_SLEEP_MS: '30000', FAKE_GRANDCHILD_PID_FILE: pidFile } });
    await expect.poll(async () => (await program.runs()).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => existsSync(pidFile), { timeout: 10_000 }).toBe(true);
    const started = Date.now();
    controller.abort('the job lock was lost');
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(result.summary).toMatch(/was stopped after .* \(the job lock was lost\); its effect is unknown/);
    const [run] = await program.runs();
    expect(isProcessAlive(run!.pid)).toBe(false);
    await expect.poll(() => isProcessAlive(Number(readFileSync(pidFile, 'utf8'))), { timeout: 2000 }).toBe(false);
  });

  it('reports the exit code of a program that leaves a child holding its output pipes', async () => {
    const pidFile = join(program.dir, 'daemon.pid');
    const started = Date.now();
    const result = await runExecAction(execAction(['x']), inputs('web-1'), { idempotencyKey: 'k', timeoutMs: 15_000, env: { FAKE_GRANDCHILD_PID_FILE: pidFile, FAKE_STDOUT: 'started' } });
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    try {
      expect(Date.now() - started).toBeLessThan(8000);
      expect(result).toMatchObject({ ok: true, status: 0, detail: 'stdout:\nstarted' });
    } finally {
      process.kill(grandchild, 'SIGKILL');
    }
  });

  it('reports a missing or non-executable program as permanent', async () => {
    const missing = actionSchema.parse({ kind: 'exec', phase: 'isolate', title: 'Isolate', argv: ['/nonexistent/bin/isolate', 'x'] }) as ExecAction;
    const gone = await runExecAction(missing, inputs('web-1'), { idempotencyKey: 'k' });
    expect(gone).toMatchObject({ ok: false, permanent: true, summary: 'not run: /nonexistent/bin/isolate does not exist' });

    const script = join(program.dir, 'not-executable.sh');
    await writeFile(script, '#!/bin/sh\nexit 0\n');
    await chmod(script, 0o644);
    const denied = await runExecAction({ ...missing, argv: [script] }, inputs('web-1'), { idempotencyKey: 'k' });
    expect(denied).toMatchObject({ ok: false, permanent: true, summary: `not run: ${script} is not executable by Warden` });
  });

  it('delivers any label value (no NUL) to the program as exactly one argument (property)', async () => {
    const action = execAction(['{{ labels.target }}', '--', '{{ labels.other }}'], { 'labels.target': PERMISSIVE, 'labels.other': PERMISSIVE });
    const value = fc.string({ unit: 'binary', maxLength: 40 }).filter((text) => !text.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(value, value, async (target, other) => {
        await writeFile(program.recordFile, '');
        const result = await runExecAction(action, { ...inputs(target), 'labels.other': other }, { idempotencyKey: 'k' });
        expect(result.ok).toBe(true);
        const runs = await program.runs();
        expect(runs).toHaveLength(1);
        expect(runs[0]?.argv).toEqual([target, '--', other]);
      }),
      { numRuns: 30 },
    );
    // Thirty program runs: a bound for a busy machine.
  }, 120_000);
});
