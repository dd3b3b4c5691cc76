import { fork, type ChildProcess } from 'node:child_process';
import type { ConfigTree, TestWarden } from './start-test-warden.js';
import type { WorkerChildMessage } from './worker-child.js';

const entry = new URL('./worker-child.ts', import.meta.url).pathname;
// Resolved from the checkout: the child runs the TypeScript sources through tsx.
const tsx = import.meta.resolve('tsx');

/** A Warden worker (`role: 'worker'`) in a child process of the test. */
export interface WorkerChild {
  pid: number;
  /** Everything it wrote (JSON log lines), to show when a test fails. */
  output(): string;
  /** Whether its fail-fast Redis connections (store, audit, queues) answer. */
  probe(): Promise<boolean>;
  /** SIGKILL: no shutdown at all, as a crashed or OOM-killed worker. Resolves once it exited. */
  kill(): Promise<void>;
  /** SIGTERM (graceful stop); SIGKILL if it has not exited after `timeoutMs`. Resolves once it exited. */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * With `deferStart`: starts the created Warden's workers and resolves once they run. A child
   * started this way is quick to start, however long loading its sources took.
   */
  start(timeoutMs?: number): Promise<void>;
}

/** The config tree a `startTestWarden` process ended up with, for a worker child that joins it. */
export function joinTree(t: TestWarden, tree: ConfigTree): ConfigTree {
  return {
    ...tree,
    server: { port: 0 },
    redis: { ...(tree.redis as object | undefined), prefix: t.prefix },
    alertmanager: { token: t.token },
    audit: { file: t.config.audit.file },
  };
}

/**
 * Forks `node --import tsx worker-child.ts` with the given config tree and waits until its workers
 * run. `workerLockMs` becomes every worker's job lock (see `startWorkers`); default Warden's own. With
 * `deferStart`, waits only until Warden is created in the child, and `start()` starts its workers.
 */
export async function startWorkerChild(options: {
  tree: ConfigTree;
  redisUrl: string;
  workerLockMs?: number;
  shutdownGraceMs?: number;
  startTimeoutMs?: number;
  checklistsDir?: string;
  checklistSweepEveryMs?: number;
  missedSlotAfterMs?: number;
  deferStart?: boolean;
}): Promise<WorkerChild> {
  const { startTimeoutMs: _startTimeoutMs, ...spec } = options;
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', tsx],
    env: { ...process.env, WARDEN_WORKER_CHILD: JSON.stringify(spec), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  const probes = new Map<number, (ok: boolean) => void>();
  let serial = 0;
  const waitFor = (type: 'created' | 'ready', timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker child did not start in time:\n${output}`)), timeoutMs);
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        reject(new Error(`the worker child exited (${code ?? signal}) before it was ${type}:\n${output}`));
      };
      const onMessage = (message: WorkerChildMessage) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve();
      };
      child.once('exit', onExit);
      child.on('message', onMessage);
    });
  // Loading Warden's sources through tsx can take most of a minute on a busy machine.
  const ready = waitFor(options.deferStart ? 'created' : 'ready', options.startTimeoutMs ?? 90_000);
  child.on('message', (message: WorkerChildMessage) => {
    if (message.type === 'probe') {
      probes.get(message.id)?.(message.ok);
      probes.delete(message.id);
    }
  });
  try {
    await ready;
  } catch (error) {
    if (!hasExited()) child.kill('SIGKILL');
    await exited;
    throw error;
  }

  const signal = async (name: NodeJS.Signals, timeoutMs: number) => {
    if (hasExited()) return;
    child.kill(name);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };

  return {
    pid: child.pid ?? -1,
    output: () => output,
    probe() {
      if (hasExited() || !child.connected) return Promise.resolve(false);
      const id = ++serial;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          probes.delete(id);
          resolve(false);
        }, 2_000);
        probes.set(id, (ok) => {
          clearTimeout(timer);
          resolve(ok);
        });
        child.send({ type: 'probe', id });
      });
    },
    kill: () => signal('SIGKILL', 5_000),
    stop: (timeoutMs = 10_000) => signal('SIGTERM', timeoutMs),
    async start(timeoutMs = 20_000) {
      if (!options.deferStart) throw new Error('the worker child was started already (no deferStart)');
      const running = waitFor('ready', timeoutMs);
      child.send({ type: 'start' });
      await running;
    },
  };
}
