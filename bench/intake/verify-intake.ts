import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** What Redis holds after the intake runs, and whether it matches what was sent. */
export interface IntakeCheck {
  incidents: number;
  /** Incidents whose card updates are queued: their groups are named by waiting `dispatch` jobs. */
  dispatchedIncidents: number;
  problems: string[];
}

async function settledCount(redis: Redis, key: string): Promise<number> {
  // Requests still in flight when the load generator stopped finish on the server afterwards.
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const count = await redis.hlen(key);
    if (count === last) return count;
    last = count;
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

/**
 * Checks that every accepted notification is durable: Redis holds one open incident per 202 (each
 * request was a new group) and each of them is in a queued `dispatch` job (the role `web` runs no
 * workers, so the jobs that will post its card are still waiting). Requests cut off when a run ended may
 * have been stored without their answer being read, so up to `sent` incidents are fine, never more.
 */
export async function verifyIntake(options: { redis: Redis; prefix: string; accepted: number; sent: number }): Promise<IntakeCheck> {
  const { redis, prefix, accepted, sent } = options;
  const incidents = await settledCount(redis, `${prefix}:incidents:open`);
  const queue = new Queue<{ groupKeys: string[] }>('dispatch', { connection: redis, prefix });
  const queued = new Set<string>();
  try {
    for (let start = 0; ; start += 1000) {
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed'], start, start + 999);
      for (const job of jobs) for (const groupKey of job.data.groupKeys) queued.add(groupKey);
      if (jobs.length < 1000) break;
    }
  } finally {
    await queue.close();
  }
  const openGroups = await redis.hkeys(`${prefix}:incidents:open`);
  const dispatchedIncidents = openGroups.filter((groupKey) => queued.has(groupKey)).length;
  const problems: string[] = [];
  if (incidents < accepted) problems.push(`Redis holds ${incidents} open incidents but Warden answered 202 to ${accepted} new groups`);
  if (incidents > sent) problems.push(`Redis holds ${incidents} open incidents but only ${sent} requests were sent`);
  if (dispatchedIncidents !== incidents) problems.push(`Redis holds queued jobs for ${dispatchedIncidents} incidents out of ${incidents}`);
  return { incidents, dispatchedIncidents, problems };
}
