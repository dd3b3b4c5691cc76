import type { ActionConfig } from '../config/action-schema.js';
import { isWardenError, WardenError } from '../errors/warden-error.js';
import { createResultScrubber } from '../observability/create-result-scrubber.js';
import { formatDuration } from '../shared/format-duration.js';
import { formatDetail, startRemediationResult, type RemediationResult } from './remediation-result.js';
import { renderExecArgs } from './render-exec-args.js';
import { runSupervisedProgram, type Captured, type ProgramOutcome, type SupervisedRunOptions } from './run-supervised-program.js';
import { sanitizeText } from '../shared/sanitize-text.js';

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
  /** The result scrubber of this process (see `createResultScrubber`); used instead of one built from `secrets`. */
  scrub?: (text: string) => string;
  /** Copied to the result; defaults to `exec`. */
  actionId?: string;
  /** Aborting it kills the program's process group at once (the job's lock was lost, the worker is stopping). */
  signal?: SupervisedRunOptions['signal'];
  /** Called before the program starts, with where its process group runs; it starts only if this resolves. */
  beforeStart?: SupervisedRunOptions['beforeStart'];
}

/** The whole environment of a program, apart from `env` extras: no variable of Warden's own. */
export const EXEC_BASE_ENV: Readonly<Record<string, string>> = Object.freeze({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' });

/** Exit code 75 (EX_TEMPFAIL, sysexits.h): "try again later" — the one exit code that is retried. */
export const EX_TEMPFAIL = 75;

const EXCERPT_LENGTH = 160;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Runs the action's program — never through a shell: `argv[0]` is an absolute path and each
 * further element is rendered on its own, so an input is always exactly one argument, passed
 * verbatim. Every input is checked against its `params` pattern first; a mismatch is a permanent
 * failure and nothing runs.
 *
 * The program gets only PATH, LANG, WARDEN_IDEMPOTENCY_KEY and WARDEN_INCIDENT_KEY (plus `env`),
 * `/` as its working directory, stdin from /dev/null, and a process group of its own under a
 * supervisor (see `runSupervisedProgram`), which is killed with SIGKILL — what it started dies
 * too — at the timeout, when `signal` aborts and when this process dies. stdout and stderr are
 * scrubbed, sanitized and cut to 4 KiB each in `detail`. Exit 0 is success; 75 (EX_TEMPFAIL), a
 * timeout, a kill by a signal and a stop are transient; other exit codes and a missing or
 * non-executable program are permanent.
 */
export async function runExecAction(action: ExecAction, inputs: Record<string, string>, options: ExecActionOptions): Promise<RemediationResult> {
  const now = options.now ?? Date.now;
  const scrub = options.scrub ?? createResultScrubber(options.secrets ?? []);
  const finish = startRemediationResult({ actionId: options.actionId ?? 'exec', title: action.title }, { now, scrub });
  const startedAt = now();
  const program = action.argv[0]!;

  let args: string[];
  let env: Record<string, string>;
  try {
    args = renderExecArgs(action, inputs);
    env = buildEnvironment(options, inputs);
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return finish({ ok: false, permanent: true, summary: `not run: ${error.message}` });
  }

  const timeoutMs = options.timeoutMs ?? action.timeoutSeconds * 1000;
  const outcome = await runSupervisedProgram({ program, args, env, timeoutMs }, { signal: options.signal, beforeStart: options.beforeStart, now });
  const elapsed = formatDuration(now() - (outcome.startedAt ?? startedAt));
  const name = sanitizeText(program, 120);

  if (outcome.notStarted !== undefined) return finish({ ok: false, permanent: false, summary: `not run: ${sanitizeText(outcome.notStarted, 200)}` });
  if (outcome.spawnError !== undefined) {
    const code = outcome.spawnError;
    if (code === 'ENOENT') return finish({ ok: false, permanent: true, summary: `not run: ${name} does not exist` });
    if (code === 'EACCES') return finish({ ok: false, permanent: true, summary: `not run: ${name} is not executable by Warden` });
    return finish({ ok: false, permanent: false, summary: `not run: ${name} could not be started (${sanitizeText(code, 80)})` });
  }
  const detail = describeOutput(outcome, scrub);
  if (outcome.stopped !== undefined) {
    return finish({ ok: false, permanent: false, detail, summary: `${name} was stopped after ${elapsed} (${sanitizeText(outcome.stopped, 120)}); its effect is unknown; a retry passes the same WARDEN_IDEMPOTENCY_KEY` });
  }
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
  if (outcome.signal === null) return finish({ ok: false, permanent: false, detail, summary: `${name} ended after ${elapsed} without an exit status (its supervisor stopped first)` });
  return finish({ ok: false, permanent: false, detail, summary: `${name} was killed by ${outcome.signal} after ${elapsed}` });
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

function describeOutput(outcome: ProgramOutcome, scrub: (text: string) => string): string {
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
