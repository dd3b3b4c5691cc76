import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governWorkerConcurrency, type WorkerGovernor } from '../../../src/jobs/govern-worker-concurrency.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/test-redis.js';

const prefix = uniquePrefix('govern');
const redis = connectTestRedis();
const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };

/** Keeps the event loop busy: `busyMs` of synchronous work every `everyMs`, as a storm of requests would. */
function stallLoop(busyMs: number, everyMs: number): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + busyMs;
    while (Date.now() < until) {
      // busy on purpose
    }
  }, everyMs);
  return () => clearInterval(timer);
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('governWorkerConcurrency', () => {
  let queue: Queue;
  let worker: Worker;
  let governor: WorkerGovernor | undefined;
  const processed: number[] = [];
  const changes: number[] = [];

  beforeAll(async () => {
    queue = new Queue('governed', { connection, prefix });
    worker = new Worker('governed', async (job) => void processed.push(job.data.n as number), { connection, prefix, concurrency: 8 });
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    governor?.stop();
    await worker.close();
    await queue.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('takes fewer jobs at once while the loop runs late, keeps processing, and returns to the configured concurrency', async () => {
    governor = governWorkerConcurrency({ workers: [{ worker, max: 8 }], targetDelayMs: 20, everyMs: 50, onChange: (_, c) => changes.push(c) });
    const resume = stallLoop(40, 10);
    try {
      await waitFor(() => worker.concurrency === 1);
      // A stalled loop still drains its queues, one job at a time.
      await queue.addBulk(Array.from({ length: 20 }, (_, n) => ({ name: 'n', data: { n } })));
      await waitFor(() => processed.length === 20);
      expect(worker.concurrency).toBeLessThan(8);
    } finally {
      resume();
    }
    await waitFor(() => worker.concurrency === 8);
    // Halved on the way down, one more at a time on the way up.
    const steps = [8, ...changes].slice(1).map((next, i) => [[8, ...changes][i]!, next] as const);
    for (const [from, to] of steps) expect(to < from ? Math.max(1, Math.floor(from / 2)) : from + 1).toBe(to);
    expect(changes).toContain(1);
  });

  it('gives the configured concurrency back when it stops', async () => {
    const resume = stallLoop(40, 10);
    try {
      await waitFor(() => worker.concurrency < 8);
      governor!.stop();
      expect(worker.concurrency).toBe(8);
    } finally {
      resume();
    }
  });
});
