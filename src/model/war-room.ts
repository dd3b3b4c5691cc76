import type { TextRef } from '../shared/messages/text-ref.js';

/** The room an incident got: a private Slack channel or a Lark group chat, another destination of its card. */
export interface WarRoom {
  /** `slack:C…` or `lark:oc_…`; also in the incident's destinations until it is archived. */
  destination: string;
  /** The room's name as the platform shows it, e.g. `inc-3f9a1c-suspicious-process`. */
  name: string;
  /** A link that opens the room in the platform's app, when the platform has one. */
  url?: string;
  /** Identity of whoever asked for it, or `warden` for a room opened by a route or severity. */
  requestedBy: string;
  createdAt: number;
  /** When its people were invited (a retried job that finds this set invites nobody again). */
  invitedAt?: number;
  /** Identities the platform would not add when they were invited: a retry of the room invites them again. */
  notInvited?: string[];
  /** The room's card message once it is pinned. */
  pinned?: string;
  archivedAt?: number;
  /** Set when the platform would not let Warden archive the room: what people were asked to do. */
  archiveNote?: string;
}

/** Why the last war room operation failed for good, and how to fix it: the card shows it until one succeeds. */
export interface WarRoomFailure {
  /** In English, as the timeline and the audit log keep it. */
  text: string;
  /** What an operator does about it, e.g. "add the groups:write bot scope to the Slack app …" (English). */
  fix?: string;
  /** `text` and `fix` as catalogue messages, so each card shows them in its language (absent on failures recorded before they were kept). */
  textRef?: TextRef;
  fixRef?: TextRef;
  at: number;
}

/**
 * A request to open an incident's war room (job data: no secret). `attempt` counts the failures
 * recorded before it, so the job id is the same for every click until one fails for good.
 */
export interface WarRoomRequest {
  key: string;
  requestedBy: string;
  /** `auto`: opened because the incident's route or severity asks for a room (nothing happens when none does). */
  auto?: boolean;
  /** The platform of whoever asked, used when the settings name none. */
  platform?: 'slack' | 'lark';
  attempt: number;
}
