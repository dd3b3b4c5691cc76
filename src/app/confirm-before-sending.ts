import type { ChatAdapters } from '../ports/chat-adapter.js';
import { createChatAdapterWrapper } from '../ports/wrap-chat-adapter.js';

/**
 * `adapters` whose every message first waits for `confirm` (with `redis.waitForReplicas`: the
 * replicas hold what the job read). A job acting on writes a failover then loses — a primary keeps
 * taking writes for a moment after a replica was promoted — would otherwise post a card that the
 * redelivered notification posts again. A failed confirmation fails the job, which is retried.
 */
export function confirmBeforeSending(adapters: ChatAdapters, confirm: () => Promise<void>): ChatAdapters {
  const guard = createChatAdapterWrapper(async (_call, send) => {
    await confirm();
    return send();
  });
  return {
    console: guard(adapters.console),
    ...(adapters.slack ? { slack: guard(adapters.slack) } : {}),
    ...(adapters.lark ? { lark: guard(adapters.lark) } : {}),
    adapterFor: (destination) => guard(adapters.adapterFor(destination)),
  };
}
