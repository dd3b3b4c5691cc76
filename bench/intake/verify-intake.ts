import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** What Redis holds after the intake runs, and whether it matches what was sent. */
export interface IntakeCheck {
  incidents: number;
  notifyJobs: number;
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
 * request was a new group) and one notify job per incident. Requests cut off when a run ended may
 * have been stored without their answer being read, so up to `sent` incidents are fine, never more.
 */
export async function verifyIntake(options: { redis: Redis; prefix: string; accepted: number; sent: number }): Promise<IntakeCheck> {
  const { redis, prefix, accepted, sent } = options;
  const incidents = await settledCount(redis, `${prefix}:incidents:open`);
  const queue = new Queue('notify', { connection: redis, prefix });
  let notifyJobs: number;
  try {
    const counts = await queue.getJobCounts();
    notifyJobs = Object.values(counts).reduce((sum, n) => sum + n, 0);
  } finally {
    await queue.close();
  }
  const problems: string[] = [];
  if (incidents < accepted) problems.push(`Redis holds ${incidents} open incidents but Warden answered 202 to ${accepted} new groups`);
  if (incidents > sent) problems.push(`Redis holds ${incidents} open incidents but only ${sent} requests were sent`);
  if (notifyJobs !== incidents) problems.push(`Redis holds ${notifyJobs} notify jobs for ${incidents} incidents (one route, one destination: expected equal)`);
  return { incidents, notifyJobs, problems };
}
