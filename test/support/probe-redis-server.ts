import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { findFreePort } from '../../src/redis/find-free-port.js';

/** A private redis-server started with chosen settings, for the probes that inspect Redis. */
export interface ProbeRedisServer {
  port: number;
  /** A client for it (with `password` when one was given). */
  connect(password?: string): Redis;
  /** Stops it and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port with `args` added (e.g. `--maxmemory-policy
 * allkeys-lru`, `--requirepass …`, `--rename-command CONFIG ""`) and waits until it answers;
 * `password` is what the readiness PING authenticates with.
 */
export async function startProbeRedisServer(args: string[], password?: string): Promise<ProbeRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-probe-redis-'));
  const port = await findFreePort();
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', ...args], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connect = (auth?: string) => new Redis({ host: '127.0.0.1', port, password: auth, maxRetriesPerRequest: 1, lazyConnect: false });
  const dispose = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    probe.on('error', () => {});
    const ready = await probe
      .connect()
      .then(() => probe.ping())
      .then((answer) => answer === 'PONG')
      .catch(() => false)
      .finally(() => probe.disconnect());
    if (ready) return { port, connect, dispose };
    if (child.exitCode !== null || Date.now() > deadline) {
      await dispose();
      throw new Error(`redis-server ${args.join(' ')} did not answer on port ${port}`);
    }
    await sleep(50);
  }
}
