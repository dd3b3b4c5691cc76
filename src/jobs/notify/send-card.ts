import type { Job } from 'bullmq';
import type { Card } from '../../../cards/card.js';
import { ChatMessageGoneError, type MessageGoneReason } from '../../ports/chat-errors.js';
import type { NotifyDeps } from './notify-deps.js';
import { spendBudget } from './spend-budget.js';

/** A card's earlier message that the platform said is gone or can no longer be edited. */
export interface GoneMessage {
  id: string;
  reason: MessageGoneReason;
}

/** The stored state of a card in one destination: its message, or the gone message it must replace. */
export interface CardMessage {
  id?: string;
  replaces?: GoneMessage;
}

/** What {@link sendCard} did. */
export type CardSent = { outcome: 'posted' | 'updated'; id: string } | { outcome: 'reposted'; id: string; replaced: GoneMessage };

/** What {@link sendCard} sends where. */
export interface SendCardInput {
  destination: string;
  card: Card;
  message: CardMessage;
  /** The first post's dedupe key; a post that replaces a gone message extends it with that message's id. */
  dedupeKey: string;
  /**
   * Stores, under the card's lock, that the card's message is gone. Called before the new post
   * waits for budget, so a postponed job posts anew instead of trying the gone message again.
   */
  forget: (gone: GoneMessage) => Promise<void>;
  /** Log fields naming the card (incident key, run id …). */
  about: Record<string, unknown>;
}

/**
 * Updates a card's message in place, or posts the card when it has none. When the platform says
 * the message is gone or can no longer be edited, the card is posted anew once: the new message
 * spends its own share of the destination's budget, and the caller stores its id. The caller holds
 * the card's lock, so two jobs never replace one message twice. Chat errors are left to the caller.
 */
export async function sendCard(job: Job, token: string, input: SendCardInput, deps: NotifyDeps): Promise<CardSent> {
  const { destination, card, message, about } = input;
  const adapter = deps.adapterFor(destination);
  let replaced = message.replaces;
  if (message.id !== undefined) {
    try {
      await adapter.updateCard({ destination, id: message.id }, card);
      return { outcome: 'updated', id: message.id };
    } catch (error) {
      if (!(error instanceof ChatMessageGoneError)) throw error;
      replaced = { id: message.id, reason: error.reason };
      deps.logger.warn({ ...about, destination, messageId: message.id, reason: error.reason, err: error }, 'card message gone; posting the card anew');
      await input.forget(replaced);
      // A new message is a new send, with its own place in the destination's budget.
      await spendBudget(job, token, destination, deps);
    }
  }
  // Lark drops a repeated uuid within an hour and returns the first message: the gone one.
  const dedupeKey = replaced === undefined ? input.dedupeKey : `${input.dedupeKey}.${replaced.id}`;
  const { id } = await adapter.postCard(destination, card, { dedupeKey });
  if (replaced === undefined) return { outcome: 'posted', id };
  deps.logger.info({ ...about, destination, messageId: id, replaced: replaced.id, reason: replaced.reason }, 'card re-posted');
  return { outcome: 'reposted', id, replaced };
}

/** Why a card was posted anew, for its timeline: "the earlier message was deleted". */
export function describeReplacement(reason: MessageGoneReason): string {
  if (reason === 'deleted') return 'the earlier message was deleted';
  if (reason === 'not_editable') return 'the earlier message can no longer be edited';
  return "the earlier message's channel was not found";
}
