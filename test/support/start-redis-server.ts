import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/redis/find-free-port.js';
import { waitForRedis } from '../../src/redis/ping-redis.js';

export { findFreePort };

/** A private redis-server for tests that stop, restart or break Redis on purpose. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL when `crash`, else a clean SHUTDOWN). */
  stop(options?: { crash?: boolean }): Promise<void>;
  /** Starts it again on the same port and data directory (AOF is kept). */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port with AOF (`appendfsync always` when asked). */
export async function startRedisServer(options: { fsyncAlways?: boolean } = {}): Promise<TestRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-redis-'));
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', options.fsyncAlways ? 'always' : 'everysec', '--save', ''],
      { stdio: 'ignore' },
    );
    await waitForRedis(url, 10_000);
  };
  const stop = async ({ crash = false } = {}) => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(crash ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await launch();
  return {
    url,
    port,
    stop,
    restart: launch,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
