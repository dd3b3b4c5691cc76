import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

type ScriptArgument = string | number | Buffer;

/** A Lua script as a typed function of a connection, its keys and its arguments. */
export type ScriptFunction<Reply> = (redis: RedisClient, keys: readonly string[], args: readonly ScriptArgument[]) => Promise<Reply>;

/** A script known to Warden (see {@link listScripts}). */
export interface DefinedScript {
  readonly name: string;
  readonly lua: string;
  readonly run: ScriptFunction<unknown>;
}

const scripts = new Map<string, DefinedScript>();

/** Every script defined so far (each module defines its scripts when it is loaded). */
export function listScripts(): readonly DefinedScript[] {
  return [...scripts.values()];
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A Lua script as a typed function. It is sent as EVALSHA and, when the server does not know it
 * yet (a fresh server, a restart, a failover, SCRIPT FLUSH), once more as EVAL. Both are plain
 * commands that every connection, auto-pipeline and cluster node has: unlike ioredis'
 * `defineCommand`, which adds a method to one connection and is missing from an auto-pipeline that
 * was opened before the first call (ioredis `autoPipelining.js` copies methods when it opens one),
 * nothing here depends on when a connection first ran the script.
 */
export function defineScript<Reply>(name: string, lua: string): ScriptFunction<Reply> {
  const known = scripts.get(name);
  if (known && known.lua !== lua) throw new Error(`two different Lua scripts are named ${name}`);
  const sha = createHash('sha1').update(lua).digest('hex');
  const run: ScriptFunction<Reply> = async (redis, keys, args) => {
    try {
      return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as Reply;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return (await redis.eval(lua, keys.length, ...keys, ...args)) as Reply;
    }
  };
  scripts.set(name, { name, lua, run: run as ScriptFunction<unknown> });
  return run;
}
