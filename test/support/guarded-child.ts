/**
 * A process with Warden's process guard (see `guard-process.test.ts`): it throws where nothing
 * catches, rejects a promise nobody handles, then prints its metrics and exits 0 — if it is still alive.
 */
import { createLogger } from '../../src/observability/create-logger.js';
import { createMetrics } from '../../src/observability/create-metrics.js';
import { guardProcess } from '../../src/observability/guard-process.js';

const metrics = createMetrics();
guardProcess({ logger: createLogger({ level: 'info', secrets: [] }), counter: metrics.uncaughtErrors });
setImmediate(() => {
  throw new TypeError('results[i] is not iterable');
});
void Promise.reject(new Error('a rejection nobody handled'));
const counted = async () => (await metrics.uncaughtErrors.get()).values.reduce((sum, sample) => sum + sample.value, 0);
const wait = setInterval(() => {
  void counted().then(async (count) => {
    if (count < 2) return;
    clearInterval(wait);
    process.stdout.write(`${await metrics.registry.getSingleMetricAsString('warden_uncaught_errors_total')}\n`);
    process.exit(0);
  });
}, 10);
