import type { Job } from 'bullmq';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import type { NotifyJobData } from '../create-queues.js';
import { handleChatError } from './handle-chat-error.js';
import type { NotifyDeps } from './notify-deps.js';
import { spendBudget } from './spend-budget.js';

/**
 * Posts a one-off notice (a reminder, an escalation, a missed schedule slot) within the
 * destination's budget: to the destination, or privately to `privateTo` (an identity; Slack sends
 * a direct message, Lark too). The job id makes it once per notice.
 */
export async function processNoticeJob(job: Job<NotifyJobData>, token: string, deps: NotifyDeps): Promise<string> {
  const { destination, notice, privateTo } = job.data;
  if (!notice) return 'no notice';
  await spendBudget(job, token, privateTo ?? destination, deps);
  const card = buildNoticeCard(notice.localized?.text ?? notice.text, { title: notice.localized?.title ?? notice.title, accent: notice.accent, ...(notice.mentions ? { mentions: notice.mentions } : {}) });
  const adapter = deps.adapterFor(privateTo ?? destination);
  try {
    if (privateTo) await adapter.postPrivate(privateTo, undefined, card);
    else await adapter.postCard(destination, card);
    return privateTo ? 'sent privately' : 'posted';
  } catch (error) {
    return await handleChatError(job, token, destination, error, deps);
  }
}
