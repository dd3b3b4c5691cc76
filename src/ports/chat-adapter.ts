import type { Card } from '../../cards/card.js';
import type { Destination } from '../config/config-schema.js';
import type { MessageRef, Platform } from '../model/message-ref.js';
import type { ChatRoom, RoomArchiveOutcome, RoomInvitation, RoomSpec } from './chat-room.js';


/** Result of a dependency check for `GET /healthz`. */
export interface HealthCheck {
  ok: boolean;
  detail: string;
}

/**
 * The port every chat platform implements. Adapters render neutral cards themselves, so nothing
 * past this interface sees a Slack or Lark shape. Failures are WardenErrors: `chat_rate_limited`
 * ({@link ChatRateLimitedError}), `chat_rejected` (permanent: bad channel, revoked token),
 * `chat_unavailable` (retryable) or, from `updateCard` only, `chat_message_gone`
 * ({@link ChatMessageGoneError}: the message was deleted or can no longer be edited).
 */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Posts a new card. `dedupeKey` lets platforms that support it (Lark `uuid`) drop a repeated post. */
  postCard(destination: Destination, card: Card, options?: { dedupeKey?: string }): Promise<MessageRef>;
  /** Replaces a posted card's content in place (Slack `chat.update`, Lark message patch). */
  updateCard(ref: MessageRef, card: Card): Promise<void>;
  /**
   * Shows a card to one person only: Slack `chat.postEphemeral` in `destination` (a direct message
   * when there is none or the bot cannot post there), Lark a direct message from the bot.
   * `identity` is `slack:U…` / `lark:ou_…`.
   */
  postPrivate(identity: string, destination: Destination | undefined, card: Card): Promise<void>;
  checkHealth(): Promise<HealthCheck>;
  /**
   * Urgently notifies `identities` (of this platform) about a message the bot posted: Lark's
   * in-app buzz (`urgent_app`). Absent on platforms without one.
   */
  buzz?(ref: MessageRef, identities: readonly string[]): Promise<void>;
  /**
   * War rooms (absent on platforms without them): creates a room the app is in (Slack
   * `conversations.create`, Lark `POST /open-apis/im/v1/chats`). A refusal a person can fix is a
   * `RoomRefusedError` (src/ports/chat-room.ts).
   */
  createRoom?(spec: RoomSpec): Promise<ChatRoom>;
  /** Adds people (identities of this platform) to a room the app is in; already a member is fine. */
  inviteToRoom?(room: Destination, identities: readonly string[]): Promise<RoomInvitation>;
  /** Pins a message the app posted in its room; already pinned is fine. */
  pinMessage?(ref: MessageRef): Promise<void>;
  /** Archives the room (Slack `conversations.archive`, Lark: dissolves the chat); already archived is fine. */
  archiveRoom?(room: Destination): Promise<RoomArchiveOutcome>;
}

/** The adapters of one process and the rule that picks one for a destination. */
export interface ChatAdapters {
  slack?: ChatAdapter;
  lark?: ChatAdapter;
  console: ChatAdapter;
  /** Slack and Lark destinations go to their platform when it is configured, else to the terminal. */
  adapterFor(destination: string): ChatAdapter;
}
