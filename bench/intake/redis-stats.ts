import type { Redis } from 'ioredis';

/** What the Redis server did, cumulatively: CPU time, and calls and microseconds per command. */
export interface RedisCounters {
  cpuSeconds: number;
  /** Per command, including those Lua scripts make (Redis counts both; a script's time includes theirs). */
  commands: Record<string, { calls: number; usec: number }>;
}

/** Redis work per request between two readings. */
export interface RedisWork {
  cpuMs: number;
  /** Calls and server time (µs) per request by command, most time first. */
  commands: Record<string, { calls: number; usec: number }>;
}

/** One section of `INFO` as key → value. */
export async function readInfo(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/** The server's CPU time and command statistics so far. */
export async function readRedisCounters(redis: Redis): Promise<RedisCounters> {
  const [cpu, stats] = await Promise.all([readInfo(redis, 'cpu'), readInfo(redis, 'commandstats')]);
  const commands: RedisCounters['commands'] = {};
  for (const [key, value] of Object.entries(stats)) {
    const calls = /(?:^|,)calls=(\d+)/.exec(value);
    const usec = /(?:^|,)usec=(\d+)/.exec(value);
    if (key.startsWith('cmdstat_') && calls && usec) commands[key.slice('cmdstat_'.length)] = { calls: Number(calls[1]), usec: Number(usec[1]) };
  }
  return { cpuSeconds: Number(cpu.used_cpu_user ?? 0) + Number(cpu.used_cpu_sys ?? 0), commands };
}

// The benchmark's own calls.
const OWN = new Set(['info', 'config|get', 'hlen', 'ping', 'client|setname', 'client|setinfo', 'select', 'quit']);
const round = (value: number) => Math.round(value * 100) / 100;

/** Redis work per request between two readings (the benchmark's own INFO / CONFIG / HLEN left out). */
export function perRequest(before: RedisCounters, after: RedisCounters, requests: number): RedisWork {
  const rows = Object.entries(after.commands)
    .filter(([name]) => !OWN.has(name))
    .map(([name, now]) => {
      const then = before.commands[name] ?? { calls: 0, usec: 0 };
      return [name, { calls: round((now.calls - then.calls) / requests), usec: round((now.usec - then.usec) / requests) }] as const;
    })
    .filter(([, row]) => row.calls > 0)
    .sort((a, b) => b[1].usec - a[1].usec);
  return { cpuMs: ((after.cpuSeconds - before.cpuSeconds) * 1000) / requests, commands: Object.fromEntries(rows) };
}
