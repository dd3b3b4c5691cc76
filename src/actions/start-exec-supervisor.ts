import { spawn, type ChildProcess } from 'node:child_process';

/** What the supervisor starts, sent over its IPC channel once the caller is ready. */
export interface SupervisedProgram {
  program: string;
  args: string[];
  env: Record<string, string>;
  /** The supervisor kills its process group this long after starting the program. */
  killAfterMs: number;
}

/**
 * What the supervisor says: `ready` once it listens (then it waits for a {@link SupervisedProgram});
 * before it exits, the program's end, or why it never started.
 */
export type SupervisorReport = { type: 'ready' } | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null } | { type: 'error'; code: string };

/**
 * The supervisor's source, run by Node itself (`--eval`, CommonJS), so it needs no file of its own
 * wherever Warden is installed. It is its process group's leader; the program joins that group.
 * Whatever happens to the Warden process, the group is SIGKILLed when the IPC channel to it closes
 * (Warden died or was killed) or when `killAfterMs` has passed — the program never outlives its
 * worker nor its timeout. A program that exits normally leaves the group alone.
 */
const SOURCE = `'use strict';
process.title = 'warden-exec-supervisor';
const { spawn } = require('node:child_process');
let reported = false;
const killGroup = () => {
  try { process.kill(-process.pid, 'SIGKILL'); } catch {}
  process.exit(1);
};
process.on('disconnect', () => { if (!reported) killGroup(); });
process.once('message', (spec) => {
  const timer = setTimeout(killGroup, spec.killAfterMs);
  const report = (message) => {
    if (reported) return;
    reported = true;
    clearTimeout(timer);
    process.send(message, () => process.exit(0));
  };
  const child = spawn(spec.program, spec.args, { env: spec.env, cwd: '/', stdio: ['ignore', 'inherit', 'inherit'], shell: false, windowsHide: true });
  child.on('error', (error) => { if (child.pid === undefined) report({ type: 'error', code: String(error.code || 'unknown') }); });
  child.on('exit', (code, signal) => report({ type: 'exit', code, signal }));
});
process.send({ type: 'ready' });
`;

/**
 * Starts an exec supervisor: a tiny Node process in a new process group (its pid is the group id),
 * with stdout and stderr piped to the caller and an IPC channel. It says when it is ready and starts
 * nothing until it gets a {@link SupervisedProgram} message, so the caller can record the group
 * first; it then reports how the program ended and exits. Its own environment is empty: the
 * program's comes in the message.
 */
export function startExecSupervisor(): ChildProcess {
  return spawn(process.execPath, ['--eval', SOURCE], {
    shell: false,
    env: {},
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
    windowsHide: true,
  });
}
