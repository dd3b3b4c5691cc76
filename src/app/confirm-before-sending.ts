import type { ChatAdapter } from '../ports/chat-adapter.js';
import type { ChatAdapters } from '../ports/chat-adapter.js';

function wrap(adapter: ChatAdapter, confirm: () => Promise<void>): ChatAdapter {
  return {
    platform: adapter.platform,
    checkHealth: () => adapter.checkHealth(),
    postCard: async (...args) => {
      await confirm();
      return adapter.postCard(...args);
    },
    updateCard: async (...args) => {
      await confirm();
      return adapter.updateCard(...args);
    },
    postPrivate: async (...args) => {
      await confirm();
      return adapter.postPrivate(...args);
    },
    ...(adapter.buzz
      ? {
          buzz: async (...args: Parameters<NonNullable<ChatAdapter['buzz']>>) => {
            await confirm();
            return adapter.buzz!(...args);
          },
        }
      : {}),
    // Room operations act on rooms the job recorded; they wait for the same confirmation as a message.
    ...Object.fromEntries(
      (['createRoom', 'inviteToRoom', 'pinMessage', 'archiveRoom'] as const)
        .filter((name) => adapter[name] !== undefined)
        .map((name) => [
          name,
          async (...args: unknown[]) => {
            await confirm();
            return (adapter[name] as (...a: unknown[]) => Promise<unknown>)(...args);
          },
        ]),
    ),
  };
}

/**
 * `adapters` whose every message first waits for `confirm` (with `redis.waitForReplicas`: the
 * replicas hold what the job read). A job acting on writes a failover then loses — a primary keeps
 * taking writes for a moment after a replica was promoted — would otherwise post a card that the
 * redelivered notification posts again. A failed confirmation fails the job, which is retried.
 */
export function confirmBeforeSending(adapters: ChatAdapters, confirm: () => Promise<void>): ChatAdapters {
  const wrapped = new Map<ChatAdapter, ChatAdapter>();
  const guard = (adapter: ChatAdapter): ChatAdapter => {
    let guarded = wrapped.get(adapter);
    if (!guarded) wrapped.set(adapter, (guarded = wrap(adapter, confirm)));
    return guarded;
  };
  return {
    console: guard(adapters.console),
    ...(adapters.slack ? { slack: guard(adapters.slack) } : {}),
    ...(adapters.lark ? { lark: guard(adapters.lark) } : {}),
    adapterFor: (destination) => guard(adapters.adapterFor(destination)),
  };
}
