import { createWarden, type Role } from '../../src/app/create-warden.js';
import { configSchema } from '../../src/config/config-schema.js';
import { deepFreeze } from '../../src/config/deep-freeze.js';
import { listSecrets } from '../../src/config/list-secrets.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { guardProcess } from '../../src/observability/guard-process.js';

/** A variable the benchmark's parent process sets for its child. */
export function requireBenchEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this file through its benchmark's run.ts`);
  return value;
}

/**
 * Warden in a benchmark child — the web role unless `role` says otherwise (`all` is what `npm start`
 * runs: HTTP server and workers in one process) — configured from `tree` through the real schema and
 * with the redacting logger at `warn` (`LOG_LEVEL` to change), against `BENCH_REDIS_URL` with the
 * prefix `BENCH_PREFIX`. A role that runs workers gets the uncaught-error guard `warden serve`
 * installs. Resolves with its URL and how to stop it.
 */
export async function startBenchWarden(tree: Record<string, unknown>, role: Role = 'web'): Promise<{ url: string; stop: () => Promise<void> }> {
  const redisUrl = requireBenchEnv('BENCH_REDIS_URL');
  const config = deepFreeze(configSchema.parse({ server: { host: '127.0.0.1', port: 0 }, redis: { prefix: requireBenchEnv('BENCH_PREFIX') }, ...tree }));
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', secrets: listSecrets(config, redisUrl) });
  const warden = await createWarden({ config, role, redis: { kind: 'url', url: redisUrl }, logger });
  const unguard = role === 'web' ? () => {} : guardProcess({ logger, counter: warden.metrics.uncaughtErrors });
  const { url } = await warden.start();
  if (!url) throw new Error('Warden did not start an HTTP server');
  return {
    url,
    async stop() {
      await warden.stop();
      unguard();
    },
  };
}
