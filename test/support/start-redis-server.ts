import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/redis/find-free-port.js';
import { waitForRedis } from '../../src/redis/ping-redis.js';

export { findFreePort };

/** A private redis-server for tests that stop, restart or break Redis on purpose. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** Its data directory. */
  dir: string;
  /** Stops the server (SIGKILL when `crash`, else a clean SHUTDOWN). */
  stop(options?: { crash?: boolean }): Promise<void>;
  /** Starts it again on the same port and data directory (AOF is kept). */
  restart(): Promise<void>;
  /** Kills it (SIGKILL: its data is removed anyway) and removes its data. */
  dispose(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** `appendfsync always` instead of `everysec`. */
  fsyncAlways?: boolean;
  /** More command-line arguments, e.g. `['--replicaof', '127.0.0.1', '6380']` or `['--cluster-enabled', 'yes']`. */
  args?: readonly string[];
  /**
   * Runs a Sentinel instead of a data server: this text (with `port`, `bind` and `dir` added) is its
   * config file, which Sentinel rewrites as it learns the topology.
   */
  sentinelConfig?: string;
  /** Clients must send this password (`requirepass`; a data server also uses it as `masterauth`). */
  password?: string;
}

/**
 * Starts `redis-server` on a free loopback port in a temporary directory: a data server with AOF
 * (`appendfsync always` when asked), or a Sentinel with `sentinelConfig`.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<TestRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-redis-'));
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  let argv: string[];
  if (options.sentinelConfig !== undefined) {
    const file = join(dir, 'sentinel.conf');
    const auth = options.password === undefined ? '' : `requirepass ${options.password}\n`;
    writeFileSync(file, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n${auth}${options.sentinelConfig}\n`);
    argv = [file, '--sentinel'];
  } else {
    argv = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', options.fsyncAlways ? 'always' : 'everysec', '--save', ''];
    if (options.password !== undefined) argv.push('--requirepass', options.password, '--masterauth', options.password);
  }
  argv.push(...(options.args ?? []));
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn('redis-server', argv, { stdio: 'ignore' });
    child = started;
    const pingUrl = options.password === undefined ? url : `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}`;
    try {
      await waitForRedis(pingUrl, 10_000, () => started.exitCode === null);
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
  };
  const stop = async ({ crash = false } = {}) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(crash ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    dir,
    stop,
    restart: launch,
    async dispose() {
      // Its data is removed next, so nothing needs a clean shutdown; and a replica that has just
      // resynced can take many seconds to honour SIGTERM.
      await stop({ crash: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
