import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { WardenError } from '../errors/warden-error.js';
import { findFreePort } from './find-free-port.js';
import { findRedis, privateRedisStateFile } from './find-redis.js';
import { waitForRedis } from './ping-redis.js';
import { DEFAULT_REDIS_URL, type RedisLocation } from './read-redis-target.js';
import type { RedisTarget } from './redis-target.js';

/** Where Redis is, and how to stop it when Warden started it. */
export interface EnsuredRedis {
  target: RedisTarget;
  /** True when Warden runs a private redis-server (it stops it on shutdown). */
  embedded: boolean;
  stop(): Promise<void>;
}

/** Options for {@link ensureRedis}. */
export interface EnsureRedisOptions {
  /** The configured `redis` section; without a URL, Sentinels or cluster nodes, the default is tried and a private server may be started. */
  redis: RedisLocation;
  /** Tried when `url` is unset. */
  defaultUrl?: string;
  /** Where the embedded server keeps its data (AOF on). */
  dataDir: string;
  logger: Logger;
  /** PATH to look for `redis-server` in. */
  path?: string;
}

function findOnPath(program: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function stopByPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Finds Redis for `warden serve`: the configured URL, Sentinels or cluster as they are; otherwise
 * the default (127.0.0.1:6379) if it answers; otherwise a private `redis-server` on a free loopback
 * port with its data (AOF, fsync every second) under `dataDir`; otherwise an error that says how to
 * get Redis.
 */
export async function ensureRedis(options: EnsureRedisOptions): Promise<EnsuredRedis> {
  const none = async () => {};
  const { redis } = options;
  const found = await findRedis({ redis, dataDir: options.dataDir, defaultUrl: options.defaultUrl });
  // A private server left behind by a Warden that was killed still owns the AOF under dataDir:
  // reuse it rather than start a second server on the same files.
  if (found.private) {
    const leftover = found.private;
    options.logger.info({ url: leftover.url, dir: resolve(options.dataDir, 'redis') }, 'reusing the private redis-server a previous run left behind');
    return { target: found.target, embedded: true, stop: () => stopByPid(leftover.pid) };
  }
  if (found.found) return { target: found.target, embedded: false, stop: none };
  const defaultUrl = options.defaultUrl ?? DEFAULT_REDIS_URL;

  const program = findOnPath('redis-server', options.path ?? process.env.PATH ?? '');
  if (!program) {
    throw new WardenError(
      'redis_not_found',
      `Redis is not answering at ${defaultUrl} and redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.`,
    );
  }
  const dir = resolve(options.dataDir, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stateFile = privateRedisStateFile(options.dataDir);
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    program,
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--protected-mode', 'yes', '--daemonize', 'no', '--logfile', ''],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => options.logger.debug({ redis: chunk.toString().trim() }, 'embedded redis-server'));
  await waitForRedis(url, 10_000, () => child.exitCode === null);
  writeFileSync(stateFile, JSON.stringify({ url, pid: child.pid }), { mode: 0o600 });
  options.logger.info({ url, dir }, 'started a private redis-server (set REDIS_URL to use your own)');
  return {
    target: { kind: 'url', url },
    embedded: true,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
