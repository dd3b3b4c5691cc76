import { UnrecoverableError, type Job } from 'bullmq';
import { ChatRateLimitedError } from '../../ports/chat-errors.js';
import { isWardenError } from '../../errors/warden-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { postponeJob } from '../postpone-job.js';

/**
 * Turns a chat failure into what the queue should do: a 429 waits for `Retry-After` without
 * spending an attempt, a permanent refusal (or a gone message that was not posted anew) stops
 * retrying, anything else is retried with backoff.
 */
export async function handleChatError(job: Job, token: string, destination: string, error: unknown, deps: NotifyDeps): Promise<never> {
  const platform = destination.split(':')[0] ?? 'unknown';
  if (error instanceof ChatRateLimitedError) {
    deps.metrics.rateLimitWaits.inc({ platform, reason: 'retry_after' });
    return postponeJob(job, token, error.retryAfterMs);
  }
  if (isWardenError(error, 'chat_rejected') || isWardenError(error, 'chat_message_gone')) throw new UnrecoverableError(error.message);
  throw error;
}
