import { Redis } from 'ioredis';

/** What the traced connections sent to Redis since tracing began. */
export interface RedisTrace {
  /** Commands by name; `evalsha` is named after its script (the ioredis `defineCommand` name). */
  commands: Record<string, number>;
  /** Socket writes: one per command sent alone, one per pipeline or auto-pipeline batch. */
  writes: number;
  bytesWritten: number;
  /** SHA1 → name of every script defined on the traced connections. */
  scripts: Record<string, string>;
}

interface Command {
  name: string;
  args: unknown[];
}

interface TracedRedis {
  options: { connectionName?: string };
  stream?: { write: (chunk: string | Buffer, ...rest: unknown[]) => boolean };
  scriptsSet: Record<string, { sha: string }>;
}

/**
 * Counts the commands and socket writes of every ioredis connection named `connectionName`, by
 * wrapping `Redis.prototype.sendCommand` (which pipelines also go through) and each such
 * connection's socket `write`. Call it before the connections are created. For profiling only: the
 * wrappers cost a little CPU per command.
 */
export function traceRedis(connectionName: string): () => RedisTrace {
  const commands = new Map<string, number>();
  const clients = new Set<TracedRedis>();
  const sockets = new WeakSet<object>();
  let writes = 0;
  let bytesWritten = 0;

  const proto = Redis.prototype as unknown as { sendCommand: (this: TracedRedis, command: Command, ...rest: unknown[]) => unknown };
  const sendCommand = proto.sendCommand;
  proto.sendCommand = function tracedSendCommand(this: TracedRedis, command: Command, ...rest: unknown[]) {
    if (this.options.connectionName === connectionName) {
      clients.add(this);
      const key = command.name === 'evalsha' ? `evalsha:${String(command.args[0])}` : command.name;
      commands.set(key, (commands.get(key) ?? 0) + 1);
      const socket = this.stream;
      if (socket && !sockets.has(socket)) {
        sockets.add(socket);
        const write = socket.write;
        socket.write = function tracedWrite(this: unknown, chunk: string | Buffer, ...args: unknown[]) {
          writes++;
          bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
          return Reflect.apply(write, this, [chunk, ...args]) as boolean;
        };
      }
    }
    return Reflect.apply(sendCommand, this, [command, ...rest]);
  };

  return () => {
    const names = new Map<string, string>();
    for (const client of clients) for (const [name, script] of Object.entries(client.scriptsSet)) names.set(script.sha, name);
    const named: Record<string, number> = {};
    for (const [key, count] of commands) {
      const [command, sha] = key.split(':');
      const label = sha === undefined ? key : `${command} ${names.get(sha) ?? sha.slice(0, 8)}`;
      named[label] = (named[label] ?? 0) + count;
    }
    return { commands: named, writes, bytesWritten, scripts: Object.fromEntries(names) };
  };
}
