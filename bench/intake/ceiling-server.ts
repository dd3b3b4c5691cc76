import { Redis } from 'ioredis';
import type { Intake } from '../../src/incidents/create-intake.js';
import { createServer } from '../../src/http/create-server.js';
import { configSchema } from '../../src/config/config-schema.js';
import { deepFreeze } from '../../src/config/deep-freeze.js';
import { listSecrets } from '../../src/config/list-secrets.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { createMetrics } from '../../src/observability/create-metrics.js';
import { serveChild } from './serve-child.js';
import { requireBenchEnv } from './start-bench-warden.js';

/** Which lower bound a ceiling child measures. */
export type Ceiling = 'http' | 'append';

/**
 * Warden's own HTTP server and webhook route (token check, webhook v4 validation, metrics) with
 * the incident store swapped for something cheaper, to show what bounds the intake on this machine:
 * `http` answers as soon as the notification is valid (no Redis at all); `append` appends each
 * body to a Redis stream (one XADD per notification, auto-pipelined), the least a durable intake
 * could store. Neither opens incidents or queues jobs: they are measurements, not alternatives.
 */
function createCeilingIntake(ceiling: Ceiling, redis: Redis | undefined, stream: string): Intake {
  if (ceiling === 'http') return async () => ({ outcome: 'created', key: '', version: 0 });
  return async (notification, body) => {
    await redis!.xadd(stream, '*', 'groupKey', notification.groupKey, 'body', body ?? JSON.stringify(notification));
    return { outcome: 'created', key: '', version: 0 };
  };
}

await serveChild(async () => {
  const ceiling = requireBenchEnv('BENCH_CEILING') as Ceiling;
  const redisUrl = requireBenchEnv('BENCH_REDIS_URL');
  const config = deepFreeze(
    configSchema.parse({
      server: { host: '127.0.0.1', port: 0 },
      redis: { prefix: requireBenchEnv('BENCH_PREFIX') },
      alertmanager: { token: requireBenchEnv('BENCH_TOKEN') },
      routes: [{ to: ['console:terminal'] }],
    }),
  );
  const redis = ceiling === 'append' ? new Redis(redisUrl, { protocol: 2, enableAutoPipelining: true, maxRetriesPerRequest: 1 }) : undefined;
  const app = createServer({
    config,
    metrics: createMetrics(),
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn', secrets: listSecrets(config, redisUrl) }),
    intake: createCeilingIntake(ceiling, redis, `${config.redis.prefix}:ceiling`),
    checkHealth: async () => ({ status: 'ok', checks: {} }),
    inbound: {
      accept: async () => {
        throw new Error('no chat routes in this benchmark');
      },
      adapters: {},
      now: Date.now,
    },
    listIncidents: async () => [],
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async stop() {
      await app.close();
      redis?.disconnect();
    },
  };
});
