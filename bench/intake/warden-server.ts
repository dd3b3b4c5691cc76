import { createWarden } from '../../src/app/create-warden.js';
import { configSchema } from '../../src/config/config-schema.js';
import { deepFreeze } from '../../src/config/deep-freeze.js';
import { listSecrets } from '../../src/config/list-secrets.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { serveChild } from './serve-child.js';
import { traceRedis } from './trace-redis.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this file through bench/intake/run.ts`);
  return value;
}

/**
 * Warden's web role, configured as in production apart from its chat: one route to the terminal
 * (no workers run, so nothing is printed and the notify queue just grows). With
 * `BENCH_TRACE_REDIS=1` it also counts the commands and socket writes of the producer connection.
 */
await serveChild(async () => {
  const redisUrl = required('BENCH_REDIS_URL');
  const config = deepFreeze(
    configSchema.parse({
      server: { host: '127.0.0.1', port: 0 },
      redis: { prefix: required('BENCH_PREFIX') },
      alertmanager: { token: required('BENCH_TOKEN') },
      routes: [{ to: ['console:terminal'] }],
    }),
  );
  // Before createWarden, which opens the connections.
  const trace = process.env.BENCH_TRACE_REDIS === '1' ? traceRedis('warden-producer') : undefined;
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', secrets: listSecrets(config, redisUrl) });
  const warden = await createWarden({ config, role: 'web', redisUrl, logger });
  const { url } = await warden.start();
  if (!url) throw new Error('Warden did not start an HTTP server');
  return { url, stop: () => warden.stop(), extraStats: trace && (() => ({ redis: trace() })) };
});
