import type { TextRef } from '../shared/messages/text-ref.js';

/**
 * The Alertmanager silence Warden keeps for an incident's alerts, as its card shows it. Stored on
 * the incident; no secret (the Alertmanager address is never stored with it).
 */
export interface IncidentSilence {
  /** Alertmanager's `silenceID`. */
  id: string;
  /** Who asked for it: an identity (`slack:U…`, `lark:ou_…`). */
  requestedBy: string;
  /** What Alertmanager's `createdBy` says: the person's name in `access.people`, or the identity. */
  createdBy: string;
  /** Who approved it, when it was long enough to need a second person: as `createdBy`, the person's name or the identity. */
  approvedBy?: string;
  startsAt: number;
  endsAt: number;
  reason?: string;
  /** The request that made it (from the click's or command's delivery id). */
  requestId: string;
}

/** A silence request that failed for good: the card shows it until the next one succeeds. */
export interface SilenceFailure {
  /** In English, as the timeline and the audit log keep it. */
  text: string;
  /** `text` as a catalogue message, so each card shows it in its language (absent on failures recorded before it was kept). */
  textRef?: TextRef;
  at: number;
}

/**
 * What a silence job does (job data: no secret, no Alertmanager address). `create` silences the
 * incident's alerts for `durationMs`; `expire` ends silence `silenceId` early (Unsilence, or the
 * incident resolved or closed), or, `ended`, clears it from the card once it has run out. `requestId` is stable across redeliveries and retries.
 */
export type SilenceRequest =
  | { op: 'create'; key: string; requestId: string; requestedBy: string; durationMs: number; reason?: string; approvedBy?: string }
  | { op: 'expire'; key: string; requestId: string; requestedBy: string; silenceId: string; why: 'unsilence' | 'resolved' | 'closed' | 'replaced' | 'ended' };

/** What an approval request for a long silence carries instead of an action's rendering. */
export interface SilenceApproval {
  durationMs: number;
  reason?: string;
  /** What approving does, as the card shows it (lines, in English). */
  preview: string[];
  /** `preview` as catalogue messages, so each card shows it in its language (absent on requests stored before they were kept). */
  previewRefs?: TextRef[];
}
