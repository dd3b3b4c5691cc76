import { fork, type ChildProcess } from 'node:child_process';
import type { ExecRun } from '../../src/actions/exec-run.js';
import type { RemediationResult } from '../../src/actions/remediation-result.js';
import type { ExecActionChildMessage } from './exec-action-child.js';

const entry = new URL('./exec-action-child.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

/** A process of the test's own that runs one exec action, standing in for a Warden worker. */
export interface ExecActionChild {
  child: ChildProcess;
  /** Where the program's process group runs, once it is about to start. */
  run: Promise<ExecRun>;
  /** The action's result, if the process lives to report it. */
  result: Promise<RemediationResult>;
  /** Resolves once the process exited. */
  exited: Promise<void>;
}

/** Forks `node --import tsx exec-action-child.ts` running `action` (a config tree of an exec action). */
export function startExecActionChild(action: Record<string, unknown>): ExecActionChild {
  const child = fork(entry, [], { execArgv: ['--import', tsx], env: { ...process.env, WARDEN_EXEC_CHILD: JSON.stringify(action) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = <T>(type: ExecActionChildMessage['type'], pick: (message: ExecActionChildMessage) => T) =>
    new Promise<T>((resolve, reject) => {
      child.on('message', (message: ExecActionChildMessage) => message.type === type && resolve(pick(message)));
      void exited.then(() => reject(new Error(`the exec action child exited before its ${type} message`)));
    });
  const run = waitFor('run', (message) => (message as Extract<ExecActionChildMessage, { type: 'run' }>).run);
  const result = waitFor('result', (message) => (message as Extract<ExecActionChildMessage, { type: 'result' }>).result);
  // Either may never come: a test that does not wait for it must not see an unhandled rejection.
  run.catch(() => {});
  result.catch(() => {});
  return { child, run, result, exited };
}
