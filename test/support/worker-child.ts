/**
 * Entry of a Warden worker process for tests (see `start-worker-child.ts`): reads its config tree,
 * Redis URL and worker lock from `WARDEN_WORKER_CHILD` (JSON), runs `createWarden({ role: 'worker' })`
 * and tells its parent over IPC when it is ready. With `deferStart` it says `created` once Warden is
 * created (sources loaded, Redis connected) and starts it only when the parent sends `start`. On `probe` it answers whether its fail-fast Redis
 * connections work again; on SIGTERM it stops gracefully; it exits when its parent goes away.
 */
import { createWarden } from '../../src/app/create-warden.js';
import { listSecrets } from '../../src/config/list-secrets.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { buildTestConfig, type ConfigTree } from './start-test-warden.js';

interface ChildSpec {
  tree: ConfigTree;
  redisUrl: string;
  workerLockMs?: number;
  shutdownGraceMs?: number;
  checklistsDir?: string;
  checklistSweepEveryMs?: number;
  missedSlotAfterMs?: number;
  deferStart?: boolean;
}

/** Messages a worker child sends its parent. */
export type WorkerChildMessage = { type: 'created' } | { type: 'ready' } | { type: 'probe'; id: number; ok: boolean; error?: string };

const send = (message: WorkerChildMessage) => process.send?.(message);
const spec = JSON.parse(process.env.WARDEN_WORKER_CHILD ?? '{}') as ChildSpec;
const config = buildTestConfig(spec.tree);
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', secrets: listSecrets(config, spec.redisUrl) });
const warden = await createWarden({
  config,
  role: 'worker',
  redis: { kind: 'url', url: spec.redisUrl },
  logger,
  workerLockMs: spec.workerLockMs,
  shutdownGraceMs: spec.shutdownGraceMs ?? 5_000,
  checklistsDir: spec.checklistsDir,
  checklistSweepEveryMs: spec.checklistSweepEveryMs,
  missedSlotAfterMs: spec.missedSlotAfterMs,
});
if (spec.deferStart) {
  // Until started, a SIGTERM ends the process as usual; so must the parent going away.
  const leave = () => process.exit(0);
  process.once('disconnect', leave);
  await new Promise<void>((resolve) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== 'start') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    send({ type: 'created' });
  });
  process.off('disconnect', leave);
}
await warden.start();

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await warden.stop().catch((error: unknown) => logger.error({ err: error }, 'worker child: stop failed'));
  logger.info('worker child stopped');
  process.exit(code);
};
process.on('SIGTERM', () => void stop(0));
// Never outlive the test process.
process.on('disconnect', () => void stop(0));
process.on('message', (message: { type?: string; id?: number }) => {
  if (message.type !== 'probe' || typeof message.id !== 'number') return;
  const id = message.id;
  // The store, the audit log and the queues use fail-fast connections: they answer only once reconnected.
  Promise.all([warden.store.countOpen(), warden.queues.notify.getJobCounts('active')]).then(
    () => send({ type: 'probe', id, ok: true }),
    (error: unknown) => send({ type: 'probe', id, ok: false, error: String(error) }),
  );
});
logger.info('worker child ready');
send({ type: 'ready' });
