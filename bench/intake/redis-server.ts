import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/redis/find-free-port.js';
import { waitForRedis } from '../../src/redis/ping-redis.js';

/** A private redis-server for one benchmark run. */
export interface BenchRedisServer {
  url: string;
  pid: number;
  /** Shuts it down and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port in a temporary directory, durable the way Warden is
 * deployed: AOF on with `appendfsync everysec` (every write reaches the AOF before Redis replies;
 * the file is fsynced once a second), no RDB snapshots. Automatic AOF rewrites are off: a run adds
 * hundreds of MB in seconds, which would fork a rewrite child every time the file doubles and let
 * it compete for the CPUs at moments that differ from run to run. `args` are added to its command
 * line (e.g. `--replicaof 127.0.0.1 <port>`).
 */
export async function startRedisServer(options: { args?: readonly string[] } = {}): Promise<BenchRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-redis-'));
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--auto-aof-rewrite-percentage', '0', '--save', '', ...(options.args ?? [])];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start redis-server (is it on PATH?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before answering`)));
  });
  failed.catch(() => {});
  try {
    await Promise.race([waitForRedis(url, 10_000), failed]);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // However this process ends (an uncaught error, a closed stdout), the server must not outlive it.
  const cleanUp = () => {
    child.kill('SIGKILL');
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    } catch {
      // The server may still be writing as it dies; a leftover temporary directory is harmless.
    }
  };
  process.once('exit', cleanUp);
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      process.off('exit', cleanUp);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
