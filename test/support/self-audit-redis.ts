import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/redis/find-free-port.js';
import { waitForRedis } from '../../src/redis/ping-redis.js';

/** A private redis-server configured on purpose (well or badly) for the self-audit tests. */
export interface SelfAuditRedis {
  /** With the password, when one was set. */
  url: string;
  stop(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port with `args` (e.g. `--maxmemory-policy allkeys-lru`), and `--requirepass` when `password` is given. */
export async function startSelfAuditRedis(args: string[], password?: string): Promise<SelfAuditRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-audit-redis-'));
  const port = await findFreePort();
  const auth = password === undefined ? [] : ['--requirepass', password];
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, ...auth, ...args], { stdio: 'ignore' });
  const url = `redis://${password === undefined ? '' : `:${password}@`}127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitForRedis(url, 10_000, () => child.exitCode === null);
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
