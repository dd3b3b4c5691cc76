import type { Destination } from '../config/config-schema.js';
import { WardenError } from '../errors/warden-error.js';
import { englishOf, type TextParam } from '../shared/messages/text-ref.js';

/** What a new room is to be: its name, private or not, and a key that lets platforms drop a repeated create (Lark `uuid`). */
export interface RoomSpec {
  name: string;
  private: boolean;
  dedupeKey: string;
  /**
   * An earlier attempt asked for a room of this name and the platform may have made it without Warden
   * recording it: the platform adopts a room of this name the app is in (Slack: when the name is
   * taken; Lark: before creating, as its names need not be unique) instead of making another.
   */
  adopt?: boolean;
}

/** A room the platform made. */
export interface ChatRoom {
  destination: Destination;
  name: string;
  /** Opens the room in the platform's app. */
  url?: string;
}

/** What an invitation did: identities the platform would not add (unknown, deactivated, outside the app's reach). */
export interface RoomInvitation {
  refused: string[];
}

/** What archiving did: `archived`, or `not_allowed` when the platform does not let the app (Lark: only the chat's owner dissolves it). */
export type RoomArchiveOutcome = 'archived' | 'not_allowed';

/** Why a platform refused a room operation in a way a person can fix. */
export type RoomRefusalReason = 'name_taken' | 'missing_permission' | 'not_allowed';

/**
 * A platform refused a room operation for a reason retrying cannot fix: the name is taken, the app
 * lacks a scope or permission (`permission` names it when the platform says which), or the
 * workspace does not allow it. A `chat_rejected` error. `detail` is the platform's answer, or a
 * catalogue message when Warden says it (the message is in English).
 */
export class RoomRefusedError extends WardenError {
  readonly reason: RoomRefusalReason;
  readonly platform: 'slack' | 'lark';
  readonly permission: string | undefined;
  readonly detail: TextParam;
  constructor(platform: 'slack' | 'lark', reason: RoomRefusalReason, detail: TextParam, permission?: string) {
    super('chat_rejected', `${platform} rejected the request: ${typeof detail === 'object' ? englishOf(detail) : detail}`);
    this.platform = platform;
    this.detail = detail;
    this.reason = reason;
    this.permission = permission;
  }
}
