import type { Card } from '../../cards/card.js';
import type { ChatAdapter } from '../../src/ports/chat-adapter.js';
import type { MessageRef, Platform } from '../../src/model/message-ref.js';

/** One call a recording adapter saw. */
export interface RecordedCall {
  kind: 'post' | 'update' | 'private';
  destination: string;
  id: string;
  card: Card;
  at: number;
}

/** A fake chat edge that keeps every card it is given, for tests that don't need a platform's HTTP API. */
export interface RecordingChatAdapter extends ChatAdapter {
  calls: RecordedCall[];
  /** The latest card per message id. */
  latest(): Map<string, Card>;
  /** Resolves once `predicate(calls)` holds, or rejects after `timeoutMs`. */
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs?: number): Promise<void>;
}

export function createRecordingChatAdapter(platform: Platform = 'console'): RecordingChatAdapter {
  const calls: RecordedCall[] = [];
  let next = 0;
  return {
    platform,
    calls,
    async postCard(destination, card) {
      const id = `msg-${++next}`;
      calls.push({ kind: 'post', destination, id, card, at: Date.now() });
      return { destination, id } satisfies MessageRef;
    },
    async updateCard(ref, card) {
      calls.push({ kind: 'update', destination: ref.destination, id: ref.id, card, at: Date.now() });
    },
    async postPrivate(identity, destination, card) {
      // `destination` holds whom it was for; the place is kept in `id` ("" when a direct message).
      calls.push({ kind: 'private', destination: identity, id: destination ?? '', card, at: Date.now() });
    },
    async checkHealth() {
      return { ok: true, detail: 'recording' };
    },
    latest() {
      const cards = new Map<string, Card>();
      for (const call of calls) cards.set(call.id, call.card);
      return cards;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for cards; saw ${calls.length} calls: ${JSON.stringify(calls.map((c) => [c.kind, c.destination, c.id]))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}
