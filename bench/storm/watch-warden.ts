import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from '../../src/jobs/create-queues.js';
import type { ChannelSend } from './fake-slack-server.js';

/** Jobs still to run in every Warden queue (waiting, active, delayed, prioritized). */
export interface QueueWatch {
  /** Jobs left now: the sum over all queues, less the next run each job scheduler keeps delayed. */
  jobsLeft(): Promise<{ total: number; byQueue: Record<string, number> }>;
  close(): Promise<void>;
}

/**
 * Reads the job counts of all of Warden's queues from Redis. Job schedulers (the retention cleanup,
 * the audit checkpoint, checklist sweeps) always keep their next run delayed: those jobs are not
 * work left, so one per scheduler is not counted.
 */
export function watchQueues(redis: Redis, prefix: string): QueueWatch {
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: redis, prefix }));
  return {
    async jobsLeft() {
      const byQueue: Record<string, number> = {};
      let total = 0;
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
          const schedulers = await queue.getJobSchedulersCount();
          const left = Math.max(0, Object.values(counts).reduce((sum, n) => sum + n, 0) - schedulers);
          byQueue[queue.name] = left;
          total += left;
        }),
      );
      return { total, byQueue };
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}

/** What the channel shows of the incidents: own cards, and the latest count of each digest. */
export interface ChannelView {
  /** Incidents (groups) with a card of their own in the channel. */
  ownCards: number;
  /** Digest messages and, for each, the count its latest version gives. */
  digests: { ts: string; count: number }[];
  /** Incidents the channel accounts for: own cards plus every digest's latest count. */
  shown: number;
}

/**
 * Reads the channel as someone scrolling it would: each incident card names its group; each digest
 * message (posted once, then updated) says how many new incidents it lists, and only its latest
 * version counts.
 */
export function viewChannel(sends: readonly ChannelSend[]): ChannelView {
  const own = new Set<string>();
  const digests = new Map<string, number>();
  for (const send of sends) {
    if (send.digestCount !== undefined) digests.set(send.ts, send.digestCount);
    else for (const group of send.groups) own.add(group);
  }
  const list = [...digests].map(([ts, count]) => ({ ts, count }));
  return { ownCards: own.size, digests: list, shown: own.size + list.reduce((sum, d) => sum + d.count, 0) };
}

/**
 * The most sends in any window of one second: `at` of the first and last send in the window differ
 * by less than 1000 ms minus `slopMs` (the fake API stamps a send when it answers it, a few ms after
 * Warden took its budget, so two sends a budget's interval apart may land a little closer).
 */
export function maxPerSecond(sends: readonly ChannelSend[], slopMs: number): number {
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  let best = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= 1000 - slopMs) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

/**
 * Scrapes `warden_event_loop_delay_seconds` from `/metrics` every `intervalMs`. Each scrape covers
 * the delays since the previous one; the returned function stops and gives every window's p99 and
 * maximum, in ms.
 */
export function scrapeEventLoopDelay(url: string, intervalMs = 1000): () => Promise<{ p99Ms: number[]; maxMs: number[]; failures: number }> {
  const p99Ms: number[] = [];
  const maxMs: number[] = [];
  let failures = 0;
  let stopped = false;
  const read = (text: string, quantile: string) => {
    const match = new RegExp(`^warden_event_loop_delay_seconds\\{quantile="${quantile.replace('.', '\\.')}"\\} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) * 1000 : undefined;
  };
  const scrape = async () => {
    try {
      const text = await (await fetch(`${url}/metrics`)).text();
      const p99 = read(text, '0.99');
      const max = read(text, '1');
      if (p99 !== undefined) p99Ms.push(p99);
      if (max !== undefined) maxMs.push(max);
    } catch {
      failures++;
    }
  };
  // The first scrape only opens a window.
  let running: Promise<void> = fetch(`${url}/metrics`).then((r) => r.text()).then(() => {}, () => {});
  const timer = setInterval(() => {
    if (!stopped) running = running.then(scrape);
  }, intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await scrape();
    return { p99Ms, maxMs, failures };
  };
}

/** The shortest time between two consecutive sends, in ms (undefined with fewer than two). */
export function minGapMs(sends: readonly ChannelSend[]): number | undefined {
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  let best: number | undefined;
  for (let i = 1; i < times.length; i++) best = Math.min(best ?? Infinity, times[i]! - times[i - 1]!);
  return best;
}
