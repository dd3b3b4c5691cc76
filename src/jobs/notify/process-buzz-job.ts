import type { Job } from 'bullmq';
import { WardenError } from '../../errors/warden-error.js';
import type { NotifyJobData } from '../create-queues.js';
import type { CardClaim } from './claim-card.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { spendBudget } from './spend-budget.js';

/**
 * Urgently notifies `buzz` (identities) about incident `key`'s card in `destination`, within the
 * destination's budget, on platforms that have such a notification (Lark's `urgent_app`). A card
 * not posted yet is waited for (the job is retried); a card on a storm's digest has no message of
 * its own to buzz. The job id makes it once.
 */
export async function processBuzzJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { key, destination, buzz } = job.data;
  const adapter = deps.adapterFor(destination);
  if (!buzz || buzz.length === 0 || adapter.buzz === undefined) return 'nothing to buzz here';
  const json = await deps.redis.hget(deps.keys.messages(key), destination);
  const claim = json ? (JSON.parse(json) as CardClaim) : undefined;
  if (claim?.mode === 'digest') return 'the incident is on a digest card: no message of its own to buzz';
  if (claim?.id === undefined) throw new WardenError('chat_unavailable', `the card of ${key} in ${destination} is not posted yet`);
  await spendBudget(job, token, destination, deps);
  try {
    await adapter.buzz({ destination, id: claim.id }, buzz);
    return `buzzed ${buzz.length}`;
  } catch (error) {
    return await handleChatError(job, token, destination, error, deps);
  }
}
