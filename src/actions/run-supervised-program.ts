import type { ExecRun } from './exec-run.js';
import { identifyProcess } from './identify-process.js';
import { killProcessGroup } from './kill-process-group.js';
import { startExecSupervisor, type SupervisedProgram, type SupervisorReport } from './start-exec-supervisor.js';

/** What to run, and how long it may take. */
export interface ProgramSpec {
  program: string;
  args: string[];
  env: Record<string, string>;
  timeoutMs: number;
}

/** Options of {@link runSupervisedProgram}. */
export interface SupervisedRunOptions {
  /** Aborting it kills the program's process group at once; its reason becomes `stopped`. */
  signal?: AbortSignal;
  /**
   * Called once the program's process group exists and before the program starts; the program
   * starts only when it resolves (a rejection becomes `notStarted`).
   */
  beforeStart?: (run: ExecRun) => Promise<void>;
  /** Clock in epoch milliseconds for the run's times; defaults to `Date.now`. */
  now?: () => number;
}

/** Output of one stream: the first `KEEP_BYTES`, and how many more bytes there were. */
export interface Captured {
  kept: Buffer;
  dropped: number;
}

/** How a supervised run ended. */
export interface ProgramOutcome {
  /** When the program was started (epoch ms); absent when it never was. */
  startedAt?: number;
  /** Set when the program could not be started (ENOENT, EACCES…). */
  spawnError?: string;
  /** Set when `beforeStart` refused: nothing ran. */
  notStarted?: string;
  /** Set when `signal` stopped the program: its reason. */
  stopped?: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Captured;
  stderr: Captured;
  timedOut: boolean;
}

/** Of each stream, this much is kept; the rest is only counted. */
const KEEP_BYTES = 64 * 1024;
/** After the program exits or is killed, wait at most this long for its output pipes to close. */
const CLOSE_GRACE_MS = 2000;
/**
 * The supervisor kills the group this long after Warden's own timeout would have: Warden normally
 * does it first (and reports a timeout); the supervisor's timer only acts when Warden cannot.
 */
export const SUPERVISOR_SLACK_MS = 1000;

/**
 * Runs a program under an exec supervisor (see `startExecSupervisor`), in a process group of its
 * own that is SIGKILLed at the timeout, when `signal` aborts, when this process dies, and — by the
 * supervisor — at the timeout plus {@link SUPERVISOR_SLACK_MS} even if this process cannot. Output
 * is captured from pipes; a descendant that keeps them open after the program ended is not waited
 * for longer than a grace period.
 */
export function runSupervisedProgram(spec: ProgramSpec, options: SupervisedRunOptions = {}): Promise<ProgramOutcome> {
  const now = options.now ?? Date.now;
  return new Promise((resolve) => {
    const stdout: Captured = { kept: Buffer.alloc(0), dropped: 0 };
    const stderr: Captured = { kept: Buffer.alloc(0), dropped: 0 };
    const ended: Omit<ProgramOutcome, 'code' | 'signal' | 'stdout' | 'stderr'> = { timedOut: false };
    let report: Exclude<SupervisorReport, { type: 'ready' }> | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const supervisor = startExecSupervisor();
    const pgid = supervisor.pid;
    const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', stop);
      if (report?.type === 'error') ended.spawnError = report.code;
      else if (ended.startedAt === undefined && ended.notStarted === undefined && ended.stopped === undefined) {
        ended.spawnError = `its supervisor ended before it was ready (${signal ?? code})`;
      }
      const status = report?.type === 'exit' ? report : { code, signal };
      resolve({ ...ended, code: status.code, signal: status.signal, stdout, stderr });
    };
    // Once the group is dead or the program exited, a descendant holding the pipes is not waited for.
    const stopWaitingSoon = () => {
      timers.push(
        setTimeout(() => {
          supervisor.stdout?.destroy();
          supervisor.stderr?.destroy();
          settle(supervisor.exitCode, supervisor.signalCode ?? (supervisor.exitCode === null ? 'SIGKILL' : null));
        }, CLOSE_GRACE_MS),
      );
    };
    const killGroup = () => {
      if (pgid !== undefined) killProcessGroup(pgid);
      stopWaitingSoon();
    };
    function stop(): void {
      ended.stopped = String(options.signal?.reason ?? 'stopped');
      killGroup();
    }
    const start = async () => {
      const startedAt = now();
      const run: ExecRun = { group: identifyProcess(pgid!), startedAt, deadline: startedAt + spec.timeoutMs + SUPERVISOR_SLACK_MS };
      try {
        await options.beforeStart?.(run);
      } catch (error) {
        ended.notStarted = error instanceof Error ? error.message : String(error);
        return killGroup();
      }
      if (settled || ended.stopped !== undefined) return;
      ended.startedAt = now();
      supervisor.send({ program: spec.program, args: spec.args, env: spec.env, killAfterMs: run.deadline - ended.startedAt } satisfies SupervisedProgram);
      timers.push(
        setTimeout(() => {
          ended.timedOut = true;
          killGroup();
        }, spec.timeoutMs),
      );
    };

    supervisor.stdout?.on('data', (chunk: Buffer) => keep(stdout, chunk));
    supervisor.stderr?.on('data', (chunk: Buffer) => keep(stderr, chunk));
    supervisor.on('message', (message: SupervisorReport) => {
      if (message.type !== 'ready') report ??= message;
      else if (!settled && ended.stopped === undefined) void start();
    });
    supervisor.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failed start has no pid; a failed kill or send is not an outcome.
      if (pgid === undefined) {
        ended.spawnError = `its supervisor could not be started (${error.code ?? error.message})`;
        settle(null, null);
      }
    });
    supervisor.once('close', (code: number | null, signal: NodeJS.Signals | null) => settle(code, signal));
    supervisor.once('exit', stopWaitingSoon);
    if (pgid === undefined) return;
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
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
