import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
// Importing the whole process wiring loads every module that defines a script.
import '../../../src/app/create-warden.js';
import { connectRedis } from '../../../src/redis/connect-redis.js';
import type { RedisClient } from '../../../src/redis/redis-client.js';
import { listScripts } from '../../../src/redis/define-script.js';
import { waitUntilReady } from '../../../src/redis/wait-until-ready.js';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../../support/test-redis.js';

const prefix = uniquePrefix('scripts');
const admin = connectTestRedis();

/** Every `defineScript<…>('name'` in the source tree, so a new script cannot escape the test below. */
function findScriptNamesInSource(dir: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) names.push(...findScriptNamesInSource(path));
    else if (path.endsWith('.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/defineScript(?:<[^(]*>)?\(\s*'([A-Za-z]+)'/g)) names.push(match[1]!);
    }
  }
  return names;
}

/** `promise`, or a failure naming what hung: a lost command never settles at all. */
async function settleWithin<T>(promise: Promise<T>, ms: number, describeHang: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describeHang())), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('defineScript', () => {
  const connections: RedisClient[] = [];
  afterEach(() => {
    for (const connection of connections.splice(0)) connection.disconnect();
  });
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  function connect(): RedisClient {
    const redis = connectRedis({ kind: 'url', url: TEST_REDIS_URL }, 'producer');
    redis.on('error', () => {});
    connections.push(redis);
    return redis;
  }

  it('knows every script the source defines', () => {
    const inSource = findScriptNamesInSource(new URL('../../../src', import.meta.url).pathname);
    expect(inSource.length).toBeGreaterThan(10);
    expect(new Set(listScripts().map((script) => script.name))).toEqual(new Set(inSource));
  });

  it('survives hundreds of concurrent first uses of every script on fresh auto-pipelined connections', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      for (const script of listScripts()) {
        const redis = connect();
        await waitUntilReady(redis);
        const run = script.run;
        // Plain commands first, so an auto-pipeline is already open when the script is first called.
        const calls: Promise<unknown>[] = [];
        for (let i = 0; i < 300; i++) {
          calls.push(redis.get(`${prefix}:${script.name}:plain:${i}`));
          calls.push(run(redis, [`${prefix}:${script.name}:a`, `${prefix}:${script.name}:b`, `${prefix}:${script.name}:c`], ['1', '2', '3', '4']));
        }
        const settled = await settleWithin(Promise.allSettled(calls), 10_000, () => `${script.name}: calls never settled; uncaught: ${uncaught.map(String).join(' | ')}`);
        for (const outcome of settled) {
          // Nonsense arguments may make a script fail, but only as Redis' own reply error.
          if (outcome.status === 'rejected') expect((outcome.reason as Error).name, `${script.name}: ${String(outcome.reason)}`).toBe('ReplyError');
        }
      }
      // The server may already know every script; flushing makes the next first use fall back to EVAL.
      await admin.script('FLUSH');
      const redis = connect();
      await waitUntilReady(redis);
      const [script] = listScripts().filter((s) => s.name === 'wardenReleaseLock');
      const release = script!.run;
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => release(redis, [`${prefix}:lock:${i}`], ['token'])));
      expect(replies).toEqual(Array.from({ length: 200 }, () => 0));
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});
