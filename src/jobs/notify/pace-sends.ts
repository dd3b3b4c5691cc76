import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { createChatAdapterWrapper } from '../../ports/wrap-chat-adapter.js';
import type { NotifyDeps } from './notify-deps.js';
import { budgetFor } from './spend-budget.js';
import { settleOutboundBudget } from './take-outbound-budget.js';

/**
 * `adapterFor` whose messages to a destination with an outbound budget (`spendBudget`) push that
 * budget's next send to one interval after the platform answered, sent or not (a request that
 * failed may still have arrived). The budget is taken before a card is rendered and sent, so a
 * send held up on the way would otherwise reach the channel closer to the next one than the
 * platform's rate limit allows (Slack: one message per second per channel, with short bursts
 * tolerated — https://docs.slack.dev/apis/web-api/rate-limits).
 */
export function paceSends(adapterFor: (destination: string) => ChatAdapter, deps: Pick<NotifyDeps, 'redis' | 'keys' | 'limits' | 'now' | 'logger'>): (destination: string) => ChatAdapter {
  const pace = createChatAdapterWrapper(async (call, send) => {
    const to = call.to;
    const perSecond = to === undefined ? null : budgetFor(to, deps.limits);
    if (to === undefined || perSecond === null) return send();
    try {
      return await send();
    } finally {
      // Best effort: failing the job here would send its message again on the retry.
      await settleOutboundBudget(deps.redis, deps.keys.budget(to), perSecond, deps.now()).catch((error: unknown) =>
        deps.logger.warn({ err: error, destination: to }, 'could not note a send against its destination budget'),
      );
    }
  });
  return (destination) => pace(adapterFor(destination));
}
