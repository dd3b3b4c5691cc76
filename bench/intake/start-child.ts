import { execFile, fork, type ChildProcess } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { samplePeakRss } from './sample-peak-rss.js';
import type { ChildMessage, ChildStats, ParentMessage } from './serve-child.js';

/** A benchmark server running in its own process. */
export interface BenchChild {
  pid: number;
  url: string;
  /** The child's RSS and CPU time now. */
  stats(): Promise<ChildStats>;
  /** Samples RSS every `intervalMs` until the returned function is called, which gives the peak in bytes. */
  sampleRss(intervalMs?: number): () => number;
  /** Asks the child to close its server and exit. */
  stop(): Promise<void>;
}

function waitFor<T extends ChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`benchmark child ${child.pid} sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) finish(undefined, message as Extract<ChildMessage, { type: T }>);
      else if (message.type === 'failed') finish(new Error(`benchmark child failed:\n${message.message}`));
    };
    const onExit = (code: number | null) => finish(new Error(`benchmark child exited (code ${code}) before "${type}"`));
    function finish(error?: Error, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as Extract<ChildMessage, { type: T }>);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let built: Promise<unknown> | undefined;

/**
 * Compiles the benchmark servers and everything they import (`tsconfig.bench.json`, into
 * `dist-bench/`), once per run: each server then runs as plain JavaScript, as `npm start` runs
 * Warden from `dist/`. Run through tsx, a server would carry tsx's module-loader thread (a V8
 * isolate of its own, about 25 MB) and its source maps in the RSS and CPU time measured.
 */
export function buildBenchServers(): Promise<unknown> {
  built ??= promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.bench.json'], { cwd: ROOT });
  return built;
}

/**
 * Forks `file` (a `bench/<name>/<server>.ts`, run from its compiled JavaScript, see
 * {@link buildBenchServers}) and waits until it reports its URL. Its stdout and stderr go to this
 * process's stderr, so the report on stdout stays clean.
 */
export async function startChild(file: string, options: { env?: Record<string, string>; execArgv?: string[] } = {}): Promise<BenchChild> {
  await buildBenchServers();
  const compiled = join(ROOT, 'dist-bench', relative(ROOT, file).replace(/\.ts$/, '.js'));
  const child = fork(compiled, [], {
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  const pid = child.pid ?? 0;
  const ask = (message: ParentMessage) => child.send(message);
  let ready: { url: string };
  try {
    ready = await waitFor(child, 'ready', 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  const stats = async (): Promise<ChildStats> => {
    const reply = waitFor(child, 'stats', 10_000);
    ask({ type: 'stats' });
    const { type: _type, ...rest } = await reply;
    return rest;
  };

  return {
    pid,
    url: ready.url,
    stats,
    // Without /proc, the child is asked (a little IPC work on its event loop).
    sampleRss: (intervalMs = 100) => samplePeakRss(pid, intervalMs, async () => (await stats()).rssBytes),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      ask({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
