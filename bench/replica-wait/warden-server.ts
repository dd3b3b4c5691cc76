import { serveChild } from '../intake/serve-child.js';
import { requireBenchEnv, startBenchWarden } from '../intake/start-bench-warden.js';

/**
 * Warden's web role as `bench/intake` runs it, with `redis.waitForReplicas: { replicas:
 * BENCH_WAIT_REPLICAS, timeoutMs: 500 }` unless that is 0.
 */
await serveChild(async () => {
  const replicas = Number(requireBenchEnv('BENCH_WAIT_REPLICAS'));
  return startBenchWarden({
    alertmanager: { token: requireBenchEnv('BENCH_TOKEN') },
    routes: [{ to: ['console:terminal'] }],
    redis: { prefix: requireBenchEnv('BENCH_PREFIX'), ...(replicas > 0 ? { waitForReplicas: { replicas, timeoutMs: 500 } } : {}) },
  });
});
