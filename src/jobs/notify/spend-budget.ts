import type { Job } from 'bullmq';
import type { Config } from '../../config/config-schema.js';
import type { NotifyDeps } from './notify-deps.js';
import { postponeJob } from '../postpone-job.js';
import { takeOutboundBudget } from './take-outbound-budget.js';

/** Sends per second a destination may receive (console destinations have no budget). */
export function budgetFor(destination: string, limits: Config['limits']): number | null {
  if (destination.startsWith('slack:')) return limits.outbound.slackPerChannelPerSecond;
  if (destination.startsWith('lark:')) return limits.outbound.larkPerChatPerSecond;
  return null;
}

/**
 * How much later than the budget's next free send other messages come back than a storm digest:
 * when the budget frees up, the digest — which stands for every incident of the storm — goes
 * first, and cards and notices follow in the sends after it. Never more than half the budget's
 * interval: with a budget of many sends a second, the digest's next send is only that far away,
 * and a card held back longer would wait for nothing.
 */
export const DIGEST_FIRST_MS = 150;

/** The longest wait for the budget {@link spendBudget} waits out in the job rather than by postponing it. */
export const SHORT_WAIT_MS = 50;

/** {@link DIGEST_FIRST_MS} for a budget of `perSecond` sends. */
export function digestFirstMs(perSecond: number): number {
  return Math.min(DIGEST_FIRST_MS, Math.floor(500 / perSecond));
}

/**
 * Waits for the destination's outbound budget; postpones the job when it is spent, until the next
 * free send (a storm digest, `first`) or a little after it (anything else, see {@link digestFirstMs}).
 */
export async function spendBudget(job: Job, token: string, destination: string, deps: NotifyDeps, options: { first?: boolean } = {}): Promise<void> {
  const perSecond = budgetFor(destination, deps.limits);
  if (perSecond === null) return;
  const take = () => takeOutboundBudget(deps.redis, deps.keys.budget(destination), perSecond, deps.now());
  let waitMs = await take();
  if (waitMs === 0) return;
  deps.metrics.rateLimitWaits.inc({ platform: destination.split(':')[0], reason: 'budget' });
  const behindDigestMs = options.first === true ? 0 : digestFirstMs(perSecond);
  // A wait of a few ms (a budget of many sends a second) is waited here: a delayed job comes back
  // about 100 ms later whatever its delay. Once; a budget still taken then sends the job back.
  if (waitMs + behindDigestMs <= SHORT_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, waitMs + behindDigestMs));
    waitMs = await take();
    if (waitMs === 0) return;
  }
  await postponeJob(job, token, waitMs + behindDigestMs);
}
