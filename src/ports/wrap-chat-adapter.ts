import type { ChatAdapter } from './chat-adapter.js';

/** The chat adapter's calls that act on the platform (all but `checkHealth`). */
export type ChatCallMethod = 'postCard' | 'updateCard' | 'postPrivate' | 'buzz' | 'createRoom' | 'inviteToRoom' | 'pinMessage' | 'archiveRoom';

/** One call through a wrapped adapter. */
export interface ChatCall {
  method: ChatCallMethod;
  /**
   * Where a message goes, for the calls that post or change one: the destination (`postCard`,
   * `updateCard`), or the person for `postPrivate` (a private message has that person's budget).
   */
  to?: string;
}

/** Runs a call (`send`) of a wrapped adapter: before it, after it, or instead of it. */
export type AroundChatCall = <T>(call: ChatCall, send: () => Promise<T>) => Promise<T>;

/**
 * `adapter` with every call that acts on the platform passed through `around` (counting calls,
 * waiting for a confirmation first, pacing sends); `checkHealth` goes straight through, and the
 * optional calls are there only when the adapter has them.
 */
export function wrapChatAdapter(adapter: ChatAdapter, around: AroundChatCall): ChatAdapter {
  return {
    platform: adapter.platform,
    checkHealth: () => adapter.checkHealth(),
    postCard: (destination, card, options) => around({ method: 'postCard', to: destination }, () => adapter.postCard(destination, card, options)),
    updateCard: (ref, card) => around({ method: 'updateCard', to: ref.destination }, () => adapter.updateCard(ref, card)),
    postPrivate: (identity, destination, card) => around({ method: 'postPrivate', to: identity }, () => adapter.postPrivate(identity, destination, card)),
    ...(adapter.buzz ? { buzz: (ref, identities) => around({ method: 'buzz' }, () => adapter.buzz!(ref, identities)) } : {}),
    ...(adapter.createRoom ? { createRoom: (spec) => around({ method: 'createRoom' }, () => adapter.createRoom!(spec)) } : {}),
    ...(adapter.inviteToRoom ? { inviteToRoom: (room, identities) => around({ method: 'inviteToRoom' }, () => adapter.inviteToRoom!(room, identities)) } : {}),
    ...(adapter.pinMessage ? { pinMessage: (ref) => around({ method: 'pinMessage' }, () => adapter.pinMessage!(ref)) } : {}),
    ...(adapter.archiveRoom ? { archiveRoom: (room) => around({ method: 'archiveRoom' }, () => adapter.archiveRoom!(room)) } : {}),
  };
}

/**
 * {@link wrapChatAdapter} with `around`, once per adapter: the same adapter always gets the same
 * wrapper back (an `adapterFor` asked for every message makes no new object each time).
 */
export function createChatAdapterWrapper(around: AroundChatCall): (adapter: ChatAdapter) => ChatAdapter {
  const wrapped = new WeakMap<ChatAdapter, ChatAdapter>();
  return (adapter) => {
    let wrapper = wrapped.get(adapter);
    if (!wrapper) {
      wrapper = wrapChatAdapter(adapter, around);
      wrapped.set(adapter, wrapper);
    }
    return wrapper;
  };
}
