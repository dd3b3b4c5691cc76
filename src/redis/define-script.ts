import type { Redis } from 'ioredis';

type ScriptArgument = string | number | Buffer;
type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: ScriptArgument[]) => Promise<unknown>;

/**
 * A Lua script as a typed function. ioredis sends it with EVALSHA and falls back to EVAL once per
 * connection when the server does not know it yet (after a restart or a SCRIPT FLUSH).
 */
export function defineScript<Reply>(name: string, lua: string) {
  return (redis: Redis, keys: readonly string[], args: readonly ScriptArgument[]): Promise<Reply> => {
    const commands = redis as unknown as Record<string, ScriptCommand | undefined>;
    if (typeof commands[name] !== 'function') redis.defineCommand(name, { lua });
    return (commands[name] as ScriptCommand)(keys.length, ...keys, ...args) as Promise<Reply>;
  };
}
