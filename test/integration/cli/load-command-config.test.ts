import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findCommandRedis, loadCommandConfig } from '../../../src/cli/load-command-config.js';
import { findRedis } from '../../../src/redis/find-redis.js';
import { findFreePort, startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-command-config-'));
  dirs.push(dir);
  return dir;
}
const io = (cwd: string, env: Record<string, string | undefined> = {}) => ({ env, cwd, stdout: () => {}, stderr: () => {} });

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadCommandConfig: one set of embedded defaults for every command', () => {
  it('serve generates the webhook token once; the other commands read the same one', () => {
    const cwd = tempDir();
    const before = loadCommandConfig(io(cwd), 'read');
    expect(before.webhookToken).toEqual({ kind: 'not-generated-yet', file: join(cwd, 'data', 'webhook-token') });

    const served = loadCommandConfig(io(cwd), 'generate');
    expect(served.webhookToken).toEqual({ kind: 'generated', file: join(cwd, 'data', 'webhook-token'), created: true });
    const token = readFileSync(join(cwd, 'data', 'webhook-token'), 'utf8').trim();
    expect(served.config.alertmanager.token).toBe(token);
    expect(statSync(join(cwd, 'data', 'webhook-token')).mode & 0o777).toBe(0o600);

    const read = loadCommandConfig(io(cwd), 'read');
    expect(read.webhookToken).toEqual({ kind: 'generated', file: join(cwd, 'data', 'webhook-token'), created: false });
    expect(read.config.alertmanager.token).toBe(token);
    expect(loadCommandConfig(io(cwd), 'generate').webhookToken).toMatchObject({ created: false });
  });

  it('prefers WARDEN_WEBHOOK_TOKEN, and leaves data/ alone then', () => {
    const cwd = tempDir();
    const token = 'e'.repeat(40);
    const loaded = loadCommandConfig(io(cwd, { WARDEN_WEBHOOK_TOKEN: token }), 'generate');
    expect(loaded.config.alertmanager.token).toBe(token);
    expect(loaded.webhookToken).toEqual({ kind: 'environment-or-file' });
    expect(() => statSync(join(cwd, 'data'))).toThrow();
  });

  it('grants the console people every permission and offers the demonstration action, only without a config file', () => {
    const { config } = loadCommandConfig(io(tempDir()), 'read');
    expect(config.access.people).toEqual({ responder: ['console:responder'], lead: ['console:lead'] });
    expect(config.access.permissions['action.approve']).toEqual(['responder', 'lead']);
    expect(config.actions['demo-isolate-host']).toMatchObject({ kind: 'exec', phase: 'isolate', destructive: true });

    const cwd = tempDir();
    writeFileSync(join(cwd, 'warden.config.yaml'), 'alertmanager:\n  token: ${WARDEN_WEBHOOK_TOKEN}\n');
    const filed = loadCommandConfig(io(cwd, { WARDEN_WEBHOOK_TOKEN: 'f'.repeat(40) }), 'read').config;
    expect(filed.access.people).toEqual({});
    expect(filed.actions).toEqual({});
  });
});

describe('findCommandRedis: the Redis warden serve uses', () => {
  let redis: TestRedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  it('takes REDIS_URL as it is', async () => {
    const loaded = loadCommandConfig(io(tempDir(), { REDIS_URL: redis.url }), 'read');
    expect(await findCommandRedis(loaded)).toEqual({ kind: 'url', url: redis.url });
  });

  // findCommandRedis tries 127.0.0.1:6379 first, which answers on a test machine: findRedis, which it
  // calls, is asked with a default where nothing answers.
  it('finds the private redis-server a running warden serve recorded under data/redis', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'data', 'redis'), { recursive: true });
    writeFileSync(join(cwd, 'data', 'redis', 'warden-redis.json'), JSON.stringify({ url: redis.url, pid: process.pid }));
    const loaded = loadCommandConfig(io(cwd), 'read');
    const dead = `redis://127.0.0.1:${await findFreePort()}`;
    expect(await findRedis({ redis: loaded.config.redis, dataDir: loaded.dataDir, defaultUrl: dead })).toMatchObject({ target: { kind: 'url', url: redis.url }, found: true });
    rmSync(join(cwd, 'data', 'redis'), { recursive: true });
    expect(await findRedis({ redis: loaded.config.redis, dataDir: loaded.dataDir, defaultUrl: dead })).toEqual({ target: { kind: 'url', url: dead }, found: false });
  });
});
