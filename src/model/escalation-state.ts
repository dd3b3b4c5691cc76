import type { TextParam, TextRef } from '../shared/messages/text-ref.js';

/** The last escalation step an incident got, as its card shows it ("escalated to bob at 03:12 UTC"). */
export interface EscalationRecord {
  /** The policy (escalation.policies) the incident followed. */
  policy: string;
  /** Step index in the policy (0 = first) and which repeat of it (0 = the first notification). */
  step: number;
  repeat: number;
  /** Epoch ms. */
  at: number;
  /** Whom it reached, as it reads in English: `bob (on call for primary)`. */
  to: string;
  /** Each target of `to` as a catalogue message (or its name), so each card shows them in its language (absent on steps recorded before they were kept). */
  toParts?: TextParam[];
  /** The chain it belongs to, when one started later than the incident opened (see `Incident.escalationFrom`); absent for the chain from the opening. */
  from?: number;
}

/** Why an incident's escalation ended before its last step, when something told it to stop (a silence …). */
export interface EscalationStop {
  at: number;
  /** In English, as the timeline and the audit log keep it. */
  reason: string;
  /** `reason` as a catalogue message, so each card shows it in its language (absent on stops recorded before it was kept). */
  reasonRef?: TextRef;
  /** Identity of who caused it, when a person did. */
  by?: string;
  /** The silence that stopped it: when that silence ends while the incident still waits for someone, escalation resumes. */
  silenceId?: string;
}
