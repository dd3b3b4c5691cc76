import type { WardenMetrics } from '../observability/create-metrics.js';
import type { ChatAdapter } from '../ports/chat-adapter.js';
import { isWardenError } from '../errors/warden-error.js';

function outcomeOf(error: unknown): string {
  if (isWardenError(error, 'chat_rate_limited')) return 'rate_limited';
  if (isWardenError(error, 'chat_rejected')) return 'rejected';
  if (isWardenError(error, 'chat_message_gone')) return 'gone';
  return 'unavailable';
}

/** Wraps an adapter so every chat API call is counted by platform, method and outcome. */
export function instrumentChatAdapter(adapter: ChatAdapter, metrics: WardenMetrics): ChatAdapter {
  const count = async <T>(method: string, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      metrics.chatApiCalls.inc({ platform: adapter.platform, method, outcome: 'ok' });
      return result;
    } catch (error) {
      metrics.chatApiCalls.inc({ platform: adapter.platform, method, outcome: outcomeOf(error) });
      throw error;
    }
  };
  return {
    platform: adapter.platform,
    postCard: (destination, card, options) => count('postCard', () => adapter.postCard(destination, card, options)),
    updateCard: (ref, card) => count('updateCard', () => adapter.updateCard(ref, card)),
    postPrivate: (identity, destination, card) => count('postPrivate', () => adapter.postPrivate(identity, destination, card)),
    checkHealth: () => adapter.checkHealth(),
    ...(adapter.buzz ? { buzz: (ref, identities) => count('buzz', () => adapter.buzz!(ref, identities)) } : {}),
    ...(adapter.createRoom ? { createRoom: (spec) => count('createRoom', () => adapter.createRoom!(spec)) } : {}),
    ...(adapter.inviteToRoom ? { inviteToRoom: (room, identities) => count('inviteToRoom', () => adapter.inviteToRoom!(room, identities)) } : {}),
    ...(adapter.pinMessage ? { pinMessage: (ref) => count('pinMessage', () => adapter.pinMessage!(ref)) } : {}),
    ...(adapter.archiveRoom ? { archiveRoom: (room) => count('archiveRoom', () => adapter.archiveRoom!(room)) } : {}),
  };
}
