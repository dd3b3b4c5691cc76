import { performance } from 'node:perf_hooks';
import { nextWorkerConcurrency } from './next-worker-concurrency.js';

/** A worker whose concurrency the governor sets (BullMQ's `Worker` is one). */
export interface GovernedWorker {
  readonly name: string;
  concurrency: number;
}

/** Options for {@link governWorkerConcurrency}. */
export interface GovernWorkerConcurrencyOptions {
  /** The workers to govern, each with the most jobs it may run at once (its configured concurrency). */
  workers: readonly { worker: GovernedWorker; max: number }[];
  /** The event-loop delay (the longest of a tick, ms) above which workers take fewer jobs. Default 20. */
  targetDelayMs?: number;
  /** How often the delay is read and concurrency adjusted, in ms. Default 100. */
  everyMs?: number;
  /** Reads the loop's longest delay since the previous call, in ms; by default a timer every 10 ms measures how late it runs. */
  sampleDelayMs?: () => number;
  /** Told each time a worker's concurrency changes (a metric, a debug log). */
  onChange?: (name: string, concurrency: number) => void;
}

/** A running governor: `stop` ends the sampling and gives every worker its configured concurrency back. */
export interface WorkerGovernor {
  stop(): void;
}

/** How finely the default sampler looks at the loop, in ms. */
const RESOLUTION_MS = 10;

/**
 * Keeps the event loop free for what must answer at once — webhooks, Slack and Lark
 * acknowledgements — when the same process also runs the workers (`warden serve --role all`):
 * every `everyMs` it reads how late the loop ran its timers, halves each worker's concurrency
 * while that delay is over `targetDelayMs` and raises it by one while it is well under, up to the
 * configured concurrency (additive increase, multiplicative decrease, as TCP does with its
 * window). Jobs keep running at least one at a time, so a storm's backlog still drains while
 * the intake is busy, and at full speed once it is not.
 */
export function governWorkerConcurrency(options: GovernWorkerConcurrencyOptions): WorkerGovernor {
  const target = options.targetDelayMs ?? 20;
  const sampler = options.sampleDelayMs ? { read: options.sampleDelayMs, stop: () => {} } : createDelaySampler();
  const timer = setInterval(() => {
    const delayMs = sampler.read();
    for (const { worker, max } of options.workers) {
      const next = nextWorkerConcurrency(worker.concurrency, max, delayMs, target);
      if (next === worker.concurrency) continue;
      worker.concurrency = next;
      options.onChange?.(worker.name, next);
    }
  }, options.everyMs ?? 100);
  // The governor must not keep a stopping process alive.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sampler.stop();
      for (const { worker, max } of options.workers) {
        if (worker.concurrency === max) continue;
        worker.concurrency = max;
        options.onChange?.(worker.name, max);
      }
    },
  };
}

function createDelaySampler(): { read: () => number; stop: () => void } {
  // Node's monitorEventLoopDelay drops the first delay after each reset, which is the one that
  // matters when a tick ends in a stall: a timer of its own sees every one.
  let longest = 0;
  let expected = performance.now() + RESOLUTION_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - expected);
    expected = now + RESOLUTION_MS;
  }, RESOLUTION_MS);
  timer.unref();
  return {
    read() {
      // A stall still going on shows as the time since the sampler last ran.
      const delayMs = Math.max(longest, performance.now() - expected);
      longest = 0;
      return Math.max(0, delayMs);
    },
    stop: () => clearInterval(timer),
  };
}
