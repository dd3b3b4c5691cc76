import type { ActionRendering } from './action-rendering.js';
import type { SilenceApproval } from './silence.js';
import type { TextRef } from '../shared/messages/text-ref.js';

/** Where an approval request stands; only `pending` can change, once. */
export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired';

/**
 * A request to run a destructive action, waiting for a second person with `action.approve`.
 * Stored in Redis as JSON; it names people by identity and holds no secret.
 */
export interface ApprovalRequest {
  id: string;
  incidentKey: string;
  actionId: string;
  /** The action's title when it was requested (cards show it). */
  title: string;
  /** `title` as a catalogue message when Warden wrote it (a silence's), so each card shows it in its language. */
  titleRef?: TextRef;
  requestedBy: string;
  requestedAt: number;
  expiresAt: number;
  state: ApprovalState;
  decidedBy?: string;
  decidedAt?: number;
  /**
   * The run as rendered when it was requested: the card shows it and an approval runs exactly it.
   * Absent in requests stored before runs were rendered at request time; those are never run.
   */
  rendering?: ActionRendering;
  /** Set when the request is for a long Alertmanager silence (`actionId` is then `silence`), not an action. */
  silence?: SilenceApproval;
}
