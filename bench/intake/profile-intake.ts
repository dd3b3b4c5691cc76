import type { Redis } from 'ioredis';
import type { ChildStats } from './serve-child.js';
import type { RedisTrace } from './trace-redis.js';

/** Server-side time of the commands one client sent, from the Redis slow log. */
export interface SlowlogSummary {
  /** By command (scripts by name): how many were logged and their mean execution time, µs. */
  commands: Record<string, { count: number; meanUsec: number }>;
}

/** Logs every command in the Redis slow log from now on (profiling only: it costs Redis time). */
export async function startSlowlog(redis: Redis, maxLen = 10_000): Promise<void> {
  await redis.config('SET', 'slowlog-log-slower-than', '0');
  await redis.config('SET', 'slowlog-max-len', String(maxLen));
  await redis.slowlog('RESET');
}

/**
 * The last logged commands of connections named `clientName`, with scripts named through `scripts`
 * (SHA1 → name). Commands a script calls are not logged: a script's time includes them.
 */
export async function readSlowlog(redis: Redis, clientName: string, scripts: Record<string, string>, maxLen = 10_000): Promise<SlowlogSummary> {
  const entries = (await redis.slowlog('GET', maxLen)) as [number, number, number, string[], string, string][];
  await redis.config('SET', 'slowlog-log-slower-than', '10000');
  const sums = new Map<string, { count: number; usec: number }>();
  for (const [, , usec, args, , name] of entries) {
    if (name !== clientName) continue;
    const command = (args[0] ?? '').toLowerCase();
    const label = command === 'evalsha' ? `evalsha ${scripts[args[1] ?? ''] ?? args[1]?.slice(0, 8)}` : command;
    const sum = sums.get(label) ?? { count: 0, usec: 0 };
    sum.count++;
    sum.usec += usec;
    sums.set(label, sum);
  }
  const rows = [...sums].sort((a, b) => b[1].usec / b[1].count - a[1].usec / a[1].count);
  return { commands: Object.fromEntries(rows.map(([label, s]) => [label, { count: s.count, meanUsec: Math.round((s.usec / s.count) * 10) / 10 }])) };
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The profiling section printed after a `--trace-redis` run. */
export function formatProfile(stats: ChildStats, requests: number, slowlog: SlowlogSummary | undefined): string {
  const lines = [`Warden process at the end: RSS ${mb(stats.rssBytes)}, V8 heap ${mb(stats.heapUsedBytes)} used of ${mb(stats.heapTotalBytes)}, external ${mb(stats.externalBytes)}`];
  const trace = stats.extra?.redis as RedisTrace | undefined;
  if (trace) {
    lines.push(`Warden's Redis connection, per accepted request (${requests}):`);
    for (const [name, n] of Object.entries(trace.commands).sort((a, b) => b[1] - a[1])) lines.push(`  ${(n / requests).toFixed(2).padStart(7)}  ${name}`);
    lines.push(`  ${(trace.writes / requests).toFixed(2).padStart(7)}  socket writes (${(trace.bytesWritten / requests).toFixed(0)} bytes)`);
  }
  if (slowlog) {
    lines.push('Redis execution time of those commands (slow log, last entries):');
    for (const [name, row] of Object.entries(slowlog.commands)) lines.push(`  ${row.meanUsec.toFixed(1).padStart(7)} µs  ${name} (${row.count} logged)`);
  }
  return lines.join('\n');
}
