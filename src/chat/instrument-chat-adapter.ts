import type { WardenMetrics } from '../observability/create-metrics.js';
import type { ChatAdapter } from '../ports/chat-adapter.js';
import { isWardenError } from '../errors/warden-error.js';
import { wrapChatAdapter } from '../ports/wrap-chat-adapter.js';

function outcomeOf(error: unknown): string {
  if (isWardenError(error, 'chat_rate_limited')) return 'rate_limited';
  if (isWardenError(error, 'chat_rejected')) return 'rejected';
  if (isWardenError(error, 'chat_message_gone')) return 'gone';
  return 'unavailable';
}

/** Wraps an adapter so every chat API call is counted by platform, method and outcome. */
export function instrumentChatAdapter(adapter: ChatAdapter, metrics: WardenMetrics): ChatAdapter {
  return wrapChatAdapter(adapter, async (call, send) => {
    try {
      const result = await send();
      metrics.chatApiCalls.inc({ platform: adapter.platform, method: call.method, outcome: 'ok' });
      return result;
    } catch (error) {
      metrics.chatApiCalls.inc({ platform: adapter.platform, method: call.method, outcome: outcomeOf(error) });
      throw error;
    }
  });
}
