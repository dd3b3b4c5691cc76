import { serveChild } from './serve-child.js';
import { requireBenchEnv, startBenchWarden } from './start-bench-warden.js';
import { traceRedis } from './trace-redis.js';

/**
 * Warden's web role, configured as in production apart from its chat: one route to the terminal
 * (no workers run, so nothing is printed and the notify queue just grows). With
 * `BENCH_TRACE_REDIS=1` it also counts the commands and socket writes of the producer connection.
 */
await serveChild(async () => {
  // Before createWarden, which opens the connections.
  const trace = process.env.BENCH_TRACE_REDIS === '1' ? traceRedis('warden-producer') : undefined;
  const warden = await startBenchWarden({ alertmanager: { token: requireBenchEnv('BENCH_TOKEN') }, routes: [{ to: ['console:terminal'] }] });
  return { ...warden, extraStats: trace && (() => ({ redis: trace() })) };
});
