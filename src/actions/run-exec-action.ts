import { spawn } from 'node:child_process';
import type { ActionConfig } from '../config/action-schema.js';
import { isWardenError, WardenError } from '../errors/warden-error.js';
import { createSecretScrubber } from '../observability/scrub-secrets.js';
import { formatDuration } from './format-duration.js';
import { formatDetail, startRemediationResult, type RemediationResult } from './remediation-result.js';
import { renderTemplate } from './render-template.js';
import { sanitizeText } from './sanitize-text.js';

/** An `exec` action from config. */
export type ExecAction = Extract<ActionConfig, { kind: 'exec' }>;

/** Options of {@link runExecAction}. */
export interface ExecActionOptions {
  /** Given to the program as `WARDEN_IDEMPOTENCY_KEY`; the caller keeps it the same for every retry. */
  idempotencyKey: string;
  /** Overrides the action's `timeoutSeconds` (tests). */
  timeoutMs?: number;
  /**
   * Extra variables granted to the program on purpose, on top of the fixed ones (which they cannot
   * replace). Never pass `process.env`: nothing of Warden's environment reaches the program otherwise.
   */
  env?: Record<string, string>;
  /** Clock in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Secret values to scrub from the output (e.g. `listSecrets(config)`). */
  secrets?: readonly string[];
  /** Copied to the result; defaults to `exec`. */
  actionId?: string;
}

/** The whole environment of a program, apart from `env` extras: no variable of Warden's own. */
export const EXEC_BASE_ENV: Readonly<Record<string, string>> = Object.freeze({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' });

/** Exit code 75 (EX_TEMPFAIL, sysexits.h): "try again later" — the one exit code that is retried. */
export const EX_TEMPFAIL = 75;

/** Of each stream, this much is kept (scrubbed, then cut to 4 KiB for `detail`); the rest is only counted. */
const KEEP_BYTES = 64 * 1024;
/** After the program exits or is killed, wait at most this long for its output pipes to close. */
const CLOSE_GRACE_MS = 2000;
const EXCERPT_LENGTH = 160;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Captured {
  kept: Buffer;
  dropped: number;
}

interface Outcome {
  /** Set when the program could not be started (ENOENT, EACCES…). */
  spawnError?: NodeJS.ErrnoException;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Captured;
  stderr: Captured;
  timedOut: boolean;
}

/**
 * Runs the action's program — never through a shell: `argv[0]` is an absolute path and each
 * further element is rendered on its own, so an input is always exactly one argument, passed
 * verbatim. Every input is checked against its `params` pattern first; a mismatch is a permanent
 * failure and nothing runs.
 *
 * The program gets only PATH, LANG, WARDEN_IDEMPOTENCY_KEY and WARDEN_INCIDENT_KEY (plus `env`),
 * `/` as its working directory, stdin from /dev/null, and its own process group, which is killed
 * with SIGKILL at the timeout (so what it started dies too). stdout and stderr are scrubbed,
 * sanitized and cut to 4 KiB each in `detail`. Exit 0 is success; 75 (EX_TEMPFAIL), a timeout
 * and a kill by a signal are transient; other exit codes and a missing or non-executable program
 * are permanent.
 *
 * `spawn` rather than `execFile`: the same argv array and `shell: false`, but `execFile` ignores
 * `detached`, and without a process group a timeout could not kill the program's children.
 */
export async function runExecAction(action: ExecAction, inputs: Record<string, string>, options: ExecActionOptions): Promise<RemediationResult> {
  const now = options.now ?? Date.now;
  const scrub = createSecretScrubber(options.secrets ?? []);
  const finish = startRemediationResult({ actionId: options.actionId ?? 'exec', title: action.title }, { now, scrub });
  const startedAt = now();
  const program = action.argv[0]!;

  let args: string[];
  let env: Record<string, string>;
  try {
    args = action.argv.slice(1).map((template) => renderTemplate(template, inputs, action.params, refuseNul));
    env = buildEnvironment(options, inputs);
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return finish({ ok: false, permanent: true, summary: `not run: ${error.message}` });
  }

  const timeoutMs = options.timeoutMs ?? action.timeoutSeconds * 1000;
  const outcome = await runProgram(program, args, env, timeoutMs);
  const elapsed = formatDuration(now() - startedAt);
  const name = sanitizeText(program, 120);

  if (outcome.spawnError !== undefined) {
    const code = outcome.spawnError.code;
    if (code === 'ENOENT') return finish({ ok: false, permanent: true, summary: `not run: ${name} does not exist` });
    if (code === 'EACCES') return finish({ ok: false, permanent: true, summary: `not run: ${name} is not executable by Warden` });
    return finish({ ok: false, permanent: false, summary: `not run: ${name} could not be started (${sanitizeText(String(code ?? 'unknown error'), 40)})` });
  }
  const detail = describeOutput(outcome, scrub);
  if (outcome.timedOut) {
    return finish({ ok: false, permanent: false, detail, summary: `${name} timed out after ${formatDuration(timeoutMs)} and was killed (its effect is unknown; a retry passes the same WARDEN_IDEMPOTENCY_KEY)` });
  }
  if (outcome.code === 0) return finish({ ok: true, status: 0, detail, summary: `${name} exited 0 in ${elapsed}${excerpt(outcome.stdout, scrub)}` });
  if (outcome.code !== null) {
    const code = outcome.code;
    const hint = code === EX_TEMPFAIL ? ' (EX_TEMPFAIL, will be retried)' : '';
    const output = outcome.stderr.kept.length > 0 ? outcome.stderr : outcome.stdout;
    return finish({ ok: false, status: code, permanent: code !== EX_TEMPFAIL, detail, summary: `${name} exited ${code} in ${elapsed}${hint}${excerpt(output, scrub)}` });
  }
  return finish({ ok: false, permanent: false, detail, summary: `${name} was killed by ${outcome.signal ?? 'a signal'} after ${elapsed}` });
}

function runProgram(program: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const stdout: Captured = { kept: Buffer.alloc(0), dropped: 0 };
    const stderr: Captured = { kept: Buffer.alloc(0), dropped: 0 };
    let timedOut = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let exitTimer: NodeJS.Timeout | undefined;

    const child = spawn(program, args, {
      shell: false,
      env,
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the timeout kills what it started too.
      detached: true,
      windowsHide: true,
    });
    const settle = (result: Omit<Outcome, 'stdout' | 'stderr' | 'timedOut'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      clearTimeout(exitTimer);
      resolve({ ...result, stdout, stderr, timedOut });
    };
    child.stdout.on('data', (chunk: Buffer) => keep(stdout, chunk));
    child.stderr.on('data', (chunk: Buffer) => keep(stderr, chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failed start has no pid; a failed kill is not an outcome.
      if (child.pid === undefined) settle({ spawnError: error, code: null, signal: null });
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => settle({ code, signal }));
    // It exited, but something it left behind may hold the pipes open: its exit code is the outcome.
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      exitTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle({ code, signal });
      }, CLOSE_GRACE_MS);
    });

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      // A grandchild that left the group may hold the pipes open: stop waiting for them.
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle({ code: child.exitCode, signal: child.signalCode ?? 'SIGKILL' });
      }, CLOSE_GRACE_MS);
    }, timeoutMs);
  });
}

function keep(captured: Captured, chunk: Buffer): void {
  const room = KEEP_BYTES - captured.kept.length;
  if (room >= chunk.length) captured.kept = Buffer.concat([captured.kept, chunk]);
  else {
    if (room > 0) captured.kept = Buffer.concat([captured.kept, chunk.subarray(0, room)]);
    captured.dropped += chunk.length - Math.max(0, room);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function buildEnvironment(options: ExecActionOptions, inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!ENV_NAME.test(name) || value.includes('\u0000')) throw new WardenError('invalid_environment', `the variable ${sanitizeText(name, 40)} cannot be passed to a program`);
    env[name] = value;
  }
  if (options.idempotencyKey.includes('\u0000') || options.idempotencyKey === '') throw new WardenError('invalid_environment', 'the idempotency key is empty or contains NUL');
  Object.assign(env, EXEC_BASE_ENV, { WARDEN_IDEMPOTENCY_KEY: options.idempotencyKey });
  const incidentKey = inputs['incident.key'];
  if (incidentKey !== undefined && !incidentKey.includes('\u0000')) env.WARDEN_INCIDENT_KEY = incidentKey;
  return env;
}

/** An argument cannot hold NUL (the OS would cut it there): refuse instead of passing something else. */
function refuseNul(value: string): string {
  if (value.includes('\u0000')) throw new WardenError('template_input_rejected', 'a program argument cannot contain a NUL character', { status: 422 });
  return value;
}

function describeOutput(outcome: Outcome, scrub: (text: string) => string): string {
  const parts: string[] = [];
  const stdout = formatDetail(outcome.stdout.kept, scrub, { droppedBytes: outcome.stdout.dropped });
  const stderr = formatDetail(outcome.stderr.kept, scrub, { droppedBytes: outcome.stderr.dropped });
  if (stdout !== '') parts.push(`stdout:\n${stdout}`);
  if (stderr !== '') parts.push(`stderr:\n${stderr}`);
  return parts.join('\n');
}

/** ": <first line of output>" for the summary, or nothing. */
function excerpt(output: Captured, scrub: (text: string) => string): string {
  // Scrubbed whole before any cut, so a cut cannot leave half a secret.
  const first = scrub(output.kept.toString('utf8')).split('\n', 50).find((line) => line.trim() !== '');
  if (first === undefined) return '';
  return `: ${sanitizeText(first, EXCERPT_LENGTH)}`;
}
