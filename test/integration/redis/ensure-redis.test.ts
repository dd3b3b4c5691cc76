import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRedis, type EnsuredRedis } from '../../../src/redis/ensure-redis.js';
import { pingRedis } from '../../../src/redis/ping-redis.js';

const logger = pino({ level: 'silent' });
const started: EnsuredRedis[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-ensure-'));
  dirs.push(dir);
  return dir;
}

function urlOf(redis: EnsuredRedis): string {
  if (redis.target.kind !== 'url') throw new Error(`expected a URL, got ${redis.target.kind}`);
  return redis.target.url;
}

afterEach(async () => {
  for (const redis of started.splice(0)) await redis.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Where no Redis can ever answer. A port that was merely free a moment ago is not enough: the
 * embedded server asks the OS for a free port too, and may be given that very one.
 */
const NOTHING_LISTENS = 'redis://127.0.0.1:1';

describe('ensureRedis (the embedded default of `npm start`)', () => {
  it('uses a configured URL as it is', async () => {
    const redis = await ensureRedis({ redis: { url: 'redis://127.0.0.1:6379' }, dataDir: tempDir(), logger });
    expect(redis).toMatchObject({ target: { kind: 'url', url: 'redis://127.0.0.1:6379' }, embedded: false });
  });

  it('uses the default Redis when it answers', async () => {
    const redis = await ensureRedis({ redis: {}, defaultUrl: 'redis://127.0.0.1:6379', dataDir: tempDir(), logger });
    expect(redis.embedded).toBe(false);
  });

  it('starts a private redis-server with AOF under the data directory when nothing answers, and stops it', async () => {
    const dataDir = tempDir();
    const closed = NOTHING_LISTENS;
    const redis = await ensureRedis({ redis: {}, defaultUrl: closed, dataDir, logger });
    started.push(redis);
    expect(redis.embedded).toBe(true);
    expect(redis.target).toMatchObject({ kind: 'url', url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/) });
    const url = urlOf(redis);

    const client = new Redis(url);
    try {
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect((await client.config('GET', 'dir'))[1]).toBe(join(dataDir, 'redis'));
      await client.set('survives', 'a restart');
    } finally {
      client.disconnect();
    }
    await redis.stop();
    started.pop();
    expect(await pingRedis(url)).toBe(false);
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);

    // Started again on the same data: what was written is still there (AOF).
    const again = await ensureRedis({ redis: {}, defaultUrl: closed, dataDir, logger });
    started.push(again);
    const reader = new Redis(urlOf(again));
    try {
      expect(await reader.get('survives')).toBe('a restart');
    } finally {
      reader.disconnect();
    }
  });

  it('reuses a private server a killed Warden left behind instead of starting a second one on the same files', async () => {
    const dataDir = tempDir();
    const closed = NOTHING_LISTENS;
    const first = await ensureRedis({ redis: {}, defaultUrl: closed, dataDir, logger });
    started.push(first);
    // No stop(): as if the Warden process had been killed.
    const second = await ensureRedis({ redis: {}, defaultUrl: closed, dataDir, logger });
    expect(second).toMatchObject({ target: first.target, embedded: true });
  });

  it('says how to get Redis when nothing answers and redis-server is not installed', async () => {
    const closed = NOTHING_LISTENS;
    await expect(ensureRedis({ redis: {}, defaultUrl: closed, dataDir: tempDir(), logger, path: tempDir() })).rejects.toMatchObject({
      code: 'redis_not_found',
      message: expect.stringMatching(/apt-get install redis-server.*REDIS_URL/s),
    });
  });
});
